/*
 * mongoload: Arrow IPC stream on stdin → MongoDB collection.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mongoc/mongoc.h>

#include "mload.h"
#include "num.h"

static void
usage_to(int status)
{
	fprintf(status ? stderr : stdout,
"usage: mongoload [--uri URI] -d DB -c COLL [--batch-size N] [-j N]\n"
"           [--write-concern majority|N] [--journal] [--ordered]\n"
"           [--replace] [--expect-count N] [--stop-on-error]\n"
"           [--keep-nulls] [--verify estimated] [--retries N] [--json]\n"
"           [--progress] [--metrics FILE] [-q] < in.arrows\n"
"       mongoload [--uri URI] -d DB -c COLL --cleanup-stale\n");
	exit(status);
}

static void
usage(void)
{
	usage_to(2);
}

struct ctx {
	int	quiet;
	int	progress;
};

static ssize_t
rd(void *c, void *buf, size_t n, struct err *e)
{
	ssize_t k;

	(void)c;
	while ((k = read(0, buf, n)) < 0 && errno == EINTR)
		;
	return k < 0 ? err_sys(e, errno, "read stdin") : k;
}

static void
on_error(void *c, int64_t row, const char *id, const char *msg)
{
	if (((struct ctx *)c)->quiet)
		return;
	if (row >= 0)
		fprintf(stderr, "mongoload: row %lld%s%s: %s\n",
		    (long long)row, *id ? " " : "", id, msg);
	else
		fprintf(stderr, "mongoload: %s\n", msg);
}

static void
on_progress(void *c, int64_t rows)
{
	if (((struct ctx *)c)->progress)
		fprintf(stderr, "\rmongoload: %lld rows", (long long)rows);
}

/* libmongoc's own warnings go to stderr, never into the summary. */
static void
log_handler(mongoc_log_level_t level, const char *domain, const char *msg,
    void *c)
{
	(void)domain;
	if (level > MONGOC_LOG_LEVEL_WARNING || ((struct ctx *)c)->quiet)
		return;
	fprintf(stderr, "mongoload: libmongoc: %s\n", msg);
}

static long long
number(const char *what, const char *s, long long min, long long max)
{
	struct err e;
	long long v;

	if (num_parse(s, min, max, &v, &e) != 0) {
		fprintf(stderr, "mongoload: %s: %s\n", what, e.msg);
		exit(2);
	}
	return v;
}

static void
summary(const struct mload_result *r, int json, int ok, const char *path)
{
	FILE *f;
	char ins[32];

	snprintf(ins, sizeof(ins), "%lld", (long long)r->inserted);
	if (json)
		printf("{\"rows\":%lld,\"inserted\":%s,\"errors\":%lld,"
		    "\"seconds\":%.3f,\"verified\":%s,\"complete\":%s}\n",
		    (long long)r->rows, r->unverified ? "null" : ins,
		    (long long)r->errors, r->seconds,
		    r->unverified ? "false" : "true",
		    r->complete ? "true" : "false");
	else
		printf("%lld  %s  %lld  %.3f%s\n", (long long)r->rows,
		    r->unverified ? "-" : ins, (long long)r->errors,
		    r->seconds, r->unverified ? "  (w:0: counts unverified)" :
		    "");
	if (path == NULL || (f = fopen(path, "a")) == NULL)
		return;
	fprintf(f, "{\"operation\":\"mongoload\",\"ok\":%s,\"documents\":%lld,"
	    "\"inserted\":%lld,\"errors\":%lld,\"bytes\":%llu,"
	    "\"seconds\":%.3f,\"retries\":%lld}\n", ok ? "true" : "false",
	    (long long)r->rows, (long long)r->inserted, (long long)r->errors,
	    (unsigned long long)r->bytes_in, r->seconds,
	    (long long)r->retries);
	fclose(f);
}

enum { O_URI = 256, O_BATCH, O_WC, O_JOURNAL, O_ORDERED, O_REPLACE,
	O_EXPECT, O_STOP, O_NULLS, O_VERIFY, O_RETRIES, O_JSON, O_PROGRESS,
	O_METRICS, O_CLEANUP };

static const struct option longopts[] = {
	{ "uri", required_argument, NULL, O_URI },
	{ "batch-size", required_argument, NULL, O_BATCH },
	{ "write-concern", required_argument, NULL, O_WC },
	{ "journal", no_argument, NULL, O_JOURNAL },
	{ "ordered", no_argument, NULL, O_ORDERED },
	{ "replace", no_argument, NULL, O_REPLACE },
	{ "expect-count", required_argument, NULL, O_EXPECT },
	{ "stop-on-error", no_argument, NULL, O_STOP },
	{ "keep-nulls", no_argument, NULL, O_NULLS },
	{ "verify", required_argument, NULL, O_VERIFY },
	{ "retries", required_argument, NULL, O_RETRIES },
	{ "json", no_argument, NULL, O_JSON },
	{ "progress", no_argument, NULL, O_PROGRESS },
	{ "metrics", required_argument, NULL, O_METRICS },
	{ "help", no_argument, NULL, 'h' },
	{ "cleanup-stale", no_argument, NULL, O_CLEANUP },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct mload_opts o = { 0 };
	struct mload_result res;
	struct ctx cx = { 0, 0 };
	const char *metrics = NULL;
	struct err e = { 0 };
	int c, json = 0, cleanup = 0, rc;
	int64_t n;

	o.uri = getenv("MONGODB_URI");
	o.batch_size = 1000;
	o.workers = 1;
	o.w = "majority";
	o.expect_count = -1;
	o.retries = 10;
	o.on_error = on_error;
	o.on_progress = on_progress;
	o.ctx = &cx;
	cx.progress = isatty(2);
	while ((c = getopt_long(argc, argv, "c:d:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.coll = optarg; break;
		case 'd': o.db = optarg; break;
		case 'j': o.workers = (int)number("-j", optarg, 1,
		    MLOAD_MAX_WORKERS); break;
		case 'q': cx.quiet = 1; break;
		case 'h': usage_to(0); break;
		case O_URI: o.uri = optarg; break;
		case O_BATCH: o.batch_size = (int)number("--batch-size",
		    optarg, 1, 100000); break;
		case O_WC: o.w = optarg; break;
		case O_JOURNAL: o.journal = 1; break;
		case O_ORDERED: o.ordered = 1; break;
		case O_REPLACE: o.replace = 1; break;
		case O_EXPECT: o.expect_count = number("--expect-count",
		    optarg, 0, INT64_MAX); break;
		case O_STOP: o.stop_on_error = 1; break;
		case O_NULLS: o.keep_nulls = 1; break;
		case O_VERIFY:
			if (strcmp(optarg, "estimated") != 0)
				usage();
			o.verify_estimated = 1;
			break;
		case O_RETRIES: o.retries = (int)number("--retries", optarg,
		    0, 100); break;
		case O_JSON: json = 1; break;
		case O_PROGRESS: cx.progress = 1; break;
		case O_METRICS: metrics = optarg; break;
		case O_CLEANUP: cleanup = 1; break;
		default: usage();
		}
	}
	if (optind != argc || o.db == NULL || o.coll == NULL)
		usage();
	if (o.uri == NULL) {
		fprintf(stderr, "mongoload: no --uri and no MONGODB_URI\n");
		exit(2);
	}
	if (strcmp(o.w, "0") == 0 && (o.replace || o.expect_count >= 0 ||
	    o.verify_estimated)) {
		fprintf(stderr, "mongoload: --write-concern 0 returns no counts;"
		    " it cannot be used with --replace, --expect-count or "
		    "--verify\n");
		exit(2);
	}
	mongoc_log_set_handler(log_handler, &cx);
	mongoc_init();
	if (cleanup) {
		rc = mload_cleanup_stale(&o, &n, &e);
		if (rc == 0)
			printf("%lld\n", (long long)n);
	} else {
		rc = mload_run(&o, rd, NULL, &res, &e);
		if (cx.progress)
			fprintf(stderr, "\n");
		summary(&res, json, rc == 0, metrics);
	}
	mongoc_cleanup();
	if (rc != 0) {
		fprintf(stderr, "mongoload: %s\n", e.msg);
		return e.kind == ERR_USAGE ? 2 : err_exit_status(&e);
	}
	return 0;
}
