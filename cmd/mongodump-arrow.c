/*
 * mongodump-arrow: MongoDB collection → Arrow IPC stream on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "fdio.h"
#include "mdump.h"
#include "num.h"

#define OUTBUF	(1u << 20)

struct out {
	unsigned char	buf[OUTBUF];
	size_t		len;
};

static void
usage_to(int status)
{
	fprintf(status ? stderr : stdout,
"usage: mongodump-arrow [--uri URI] -d DB -c COLL [--query EXTJSON]\n"
"           [--projection EXTJSON] [--sort EXTJSON] [--limit N]\n"
"           [--batch-size N] [--rows-per-batch N] [--batch-bytes SIZE]\n"
"           [--compress zstd|none] [--zstd-level N] [--schema-sample N]\n"
"           [--on-mismatch error|null|string] [--decimal ext|arrow]\n"
"           [--plain-metadata] [--allow-empty] [--retries N]\n"
"           [--stats FILE] [--group-by FIELD] [--metrics FILE]\n"
"           [--progress | --no-progress] [-qv] > out.arrows\n");
	exit(status);
}

static void
usage(void)
{
	usage_to(2);
}

static int
flush_out(struct out *o, struct err *e)
{
	if (o->len && fd_write_full(1, o->buf, o->len) != 0)
		return err_sys(e, errno, "write to stdout");
	o->len = 0;
	return 0;
}

static int
sink(void *ctx, const void *p, size_t n, struct err *e)
{
	struct out *o = ctx;

	if (n > sizeof(o->buf) - o->len) {
		if (flush_out(o, e) != 0)
			return -1;
		if (n >= sizeof(o->buf))
			return fd_write_full(1, p, n) == 0 ? 0 :
			    err_sys(e, errno, "write to stdout");
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

static void
progress(void *ctx, int64_t docs, uint64_t bytes)
{
	(void)ctx;
	fprintf(stderr, "\rmongodump-arrow: %lld documents, %.1f MB",
	    (long long)docs, bytes / 1e6);
}

static void
notice(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "mongodump-arrow: %s\n", msg);
}

static bson_t *
parse_json(const char *what, const char *s)
{
	bson_error_t be;
	bson_t *b;

	if ((b = bson_new_from_json((const uint8_t *)s, -1, &be)) == NULL) {
		fprintf(stderr, "mongodump-arrow: %s: parse error: %s\n", what,
		    be.message);
		exit(1);
	}
	return b;
}

static long long
number(const char *what, const char *s, long long min, long long max)
{
	struct err e;
	long long v;

	if (num_parse(s, min, max, &v, &e) != 0) {
		fprintf(stderr, "mongodump-arrow: %s: %s\n", what, e.msg);
		exit(2);
	}
	return v;
}

static int
write_file(const char *path, const char *text, struct err *e)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return err_sys(e, errno, "%s", path);
	fprintf(f, "%s\n", text);
	if (fclose(f) != 0)
		return err_sys(e, errno, "%s", path);
	return 0;
}

/* --stats, --metrics and -v: everything that was counted. */
static int
report(struct mdump_result *res, const char *stats_path,
    const char *metrics_path, int verbose, int ok, struct err *e)
{
	char *s = NULL, line[512];
	int rc = 0;

	if (res->stats == NULL)
		return 0;
	if (stats_path != NULL && ok) {
		if (stats_json(res->stats, res->b2a, &res->extra, &s, e) != 0 ||
		    write_file(stats_path, s, e) != 0)
			rc = -1;
		free(s);
	}
	if (metrics_path != NULL) {
		snprintf(line, sizeof(line), "{\"operation\":\"mongodump-arrow\","
		    "\"ok\":%s,\"documents\":%lld,\"bytes\":%llu,"
		    "\"arrow_bytes\":%llu,\"seconds\":%.3f,\"retries\":%lld}",
		    ok ? "true" : "false", (long long)stats_docs(res->stats),
		    (unsigned long long)stats_bytes(res->stats),
		    (unsigned long long)res->extra.arrow_bytes,
		    res->extra.seconds, (long long)res->extra.retries);
		if (write_file(metrics_path, line, e) != 0)
			rc = -1;
	}
	if (verbose && stats_summary(res->stats, &res->extra, &s, e) == 0) {
		fprintf(stderr, "mongodump-arrow: %s\n", s);
		free(s);
	}
	return rc;
}

enum { O_URI = 256, O_QUERY, O_PROJ, O_SORT, O_LIMIT, O_BATCH, O_ROWS,
	O_BYTES, O_COMPRESS, O_LEVEL, O_SAMPLE, O_MISMATCH, O_DECIMAL,
	O_PLAIN, O_EMPTY, O_RETRIES, O_STATS, O_GROUP, O_METRICS, O_PROGRESS,
	O_NOPROGRESS };

static const struct option longopts[] = {
	{ "uri", required_argument, NULL, O_URI },
	{ "query", required_argument, NULL, O_QUERY },
	{ "projection", required_argument, NULL, O_PROJ },
	{ "sort", required_argument, NULL, O_SORT },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ "batch-size", required_argument, NULL, O_BATCH },
	{ "rows-per-batch", required_argument, NULL, O_ROWS },
	{ "batch-bytes", required_argument, NULL, O_BYTES },
	{ "compress", required_argument, NULL, O_COMPRESS },
	{ "zstd-level", required_argument, NULL, O_LEVEL },
	{ "schema-sample", required_argument, NULL, O_SAMPLE },
	{ "on-mismatch", required_argument, NULL, O_MISMATCH },
	{ "decimal", required_argument, NULL, O_DECIMAL },
	{ "plain-metadata", no_argument, NULL, O_PLAIN },
	{ "allow-empty", no_argument, NULL, O_EMPTY },
	{ "retries", required_argument, NULL, O_RETRIES },
	{ "stats", required_argument, NULL, O_STATS },
	{ "group-by", required_argument, NULL, O_GROUP },
	{ "metrics", required_argument, NULL, O_METRICS },
	{ "progress", no_argument, NULL, O_PROGRESS },
	{ "help", no_argument, NULL, 'h' },
	{ "no-progress", no_argument, NULL, O_NOPROGRESS },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct mdump_opts o = { 0 };
	struct mdump_result res;
	static struct out out;
	const char *stats_path = NULL, *metrics_path = NULL;
	int c, verbose = 0, rc, show = -1;
	uint64_t bytes;
	struct err e = { 0 }, e2 = { 0 };

#ifdef __GLIBC__
	/*
	 * libmongoc allocates every cursor reply (MBs) afresh. With glibc's
	 * sliding thresholds each one is mmapped, or the heap top is
	 * trimmed after it, and its pages are faulted in again per batch
	 * (half the CPU of a bare cursor loop). Fixed thresholds keep freed
	 * memory for the next reply; the column buffers are reused anyway.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	o.uri = getenv("MONGODB_URI");
	o.rows_per_batch = 65536;
	o.batch_bytes = 16u << 20;
	o.schema_sample = 1000;
	o.compression = ARROW_ZSTD;
	o.zstd_level = 1;
	o.retries = 10;
	while ((c = getopt_long(argc, argv, "c:d:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.coll = optarg; break;
		case 'd': o.db = optarg; break;
		case 'q': verbose = 0; show = 0; break;
		case 'v': verbose = 1; break;
		case 'h': usage_to(0); break;
		case O_URI: o.uri = optarg; break;
		case O_QUERY: o.query = parse_json("--query", optarg); break;
		case O_PROJ:
			o.projection = parse_json("--projection", optarg);
			break;
		case O_SORT: o.sort = parse_json("--sort", optarg); break;
		case O_LIMIT:
			o.limit = number("--limit", optarg, 0, INT64_MAX);
			break;
		case O_BATCH:
			o.batch_size = (int32_t)number("--batch-size", optarg,
			    0, INT32_MAX);
			break;
		case O_ROWS:
			o.rows_per_batch = number("--rows-per-batch", optarg,
			    1, INT32_MAX);
			break;
		case O_BYTES:
			if (num_parse_size(optarg, 1024, 1ULL << 31, &bytes,
			    &e) != 0) {
				fprintf(stderr, "mongodump-arrow: --batch-bytes:"
				    " %s\n", e.msg);
				return 2;
			}
			o.batch_bytes = (size_t)bytes;
			break;
		case O_COMPRESS:
			if (strcmp(optarg, "zstd") == 0)
				o.compression = ARROW_ZSTD;
			else if (strcmp(optarg, "none") == 0)
				o.compression = ARROW_NONE;
			else
				usage();
			break;
		case O_LEVEL:
			o.zstd_level = (int)number("--zstd-level", optarg, -7,
			    22);
			break;
		case O_SAMPLE:
			o.schema_sample = (long)number("--schema-sample",
			    optarg, 1, 10000000);
			break;
		case O_MISMATCH:
			if (strcmp(optarg, "error") == 0)
				o.mismatch = B2A_MISMATCH_ERROR;
			else if (strcmp(optarg, "null") == 0)
				o.mismatch = B2A_MISMATCH_NULL;
			else if (strcmp(optarg, "string") == 0)
				o.mismatch = B2A_MISMATCH_STRING;
			else
				usage();
			break;
		case O_DECIMAL:
			if (strcmp(optarg, "ext") == 0)
				o.decimal = B2A_DECIMAL_EXT;
			else if (strcmp(optarg, "arrow") == 0)
				o.decimal = B2A_DECIMAL_ARROW;
			else
				usage();
			break;
		case O_PLAIN: o.plain_meta = 1; break;
		case O_EMPTY: o.allow_empty = 1; break;
		case O_RETRIES:
			o.retries = (int)number("--retries", optarg, 0, 1000);
			break;
		case O_STATS: stats_path = optarg; break;
		case O_GROUP: o.group_by = optarg; break;
		case O_METRICS: metrics_path = optarg; break;
		case O_PROGRESS: show = 1; break;
		case O_NOPROGRESS: show = 0; break;
		default: usage();
		}
	}
	if (optind != argc || o.db == NULL || o.coll == NULL)
		usage();
	if (o.uri == NULL) {
		fprintf(stderr, "mongodump-arrow: no --uri and no MONGODB_URI\n");
		return 2;
	}
	if (isatty(1)) {
		fprintf(stderr, "mongodump-arrow: stdout is a terminal; "
		    "redirect it to a file or a pipe\n");
		return 2;
	}
	if (show == 1 || (show == -1 && isatty(2)))
		o.progress = progress;
	signal(SIGPIPE, SIG_IGN);
	o.sink = sink;
	o.sink_ctx = &out;
	o.notice = notice;
	rc = mdump_run(&o, &res, &e);
	if (rc == 0)
		rc = flush_out(&out, &e);
	else
		flush_out(&out, &e2);	/* what was read, without EOS */
	if (o.progress != NULL)
		fputc('\n', stderr);
	if (report(&res, stats_path, metrics_path, verbose, rc == 0, &e2) != 0)
		fprintf(stderr, "mongodump-arrow: %s\n", e2.msg);
	mdump_result_free(&res);
	bson_destroy((bson_t *)o.query);
	bson_destroy((bson_t *)o.projection);
	bson_destroy((bson_t *)o.sort);
	if (rc != 0) {
		fprintf(stderr, "mongodump-arrow: %s\n", e.msg);
		return err_exit_status(&e);
	}
	return 0;
}
