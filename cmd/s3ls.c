/*
 * s3ls: list buckets, keys under a prefix, or in-progress multipart
 * uploads (and abort stale ones).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonout.h"
#include "num.h"
#include "s3.h"
#include "s3opt.h"
#include "url.h"

static const char *progname = "s3ls";

static struct {
	int		 lng, recursive, json, uploads, verbose, quiet;
	unsigned	 page_size;
	uint64_t	 abort_older_ms;
	int		 abort;
	const char	*bucket;
	struct s3_client *cl;
	unsigned long	 count, aborted, abort_failed;
} opt;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: s3ls [-lrqv] [--json] [--page-size n] [common options] "
	    "s3://[bucket[/prefix]]\n"
	    "       s3ls --uploads [--abort-older-than duration] [common "
	    "options]\n"
	    "            s3://bucket[/prefix]\n");
	exit(status);
}

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", progname, line);
}

static int
print_entry(void *arg, const struct s3_entry *en, struct err *e)
{
	(void)arg;
	(void)e;
	opt.count++;
	if (opt.json) {
		printf("{\"%s\":", en->is_prefix ? "prefix" : "key");
		jsonout_str(stdout, en->key);
		if (!en->is_prefix && opt.bucket[0]) {
			printf(",\"size\":%llu,\"etag\":",
			    (unsigned long long)en->size);
			jsonout_str(stdout, en->etag ? en->etag : "");
			printf(",\"last_modified\":");
			jsonout_str(stdout, en->last_modified ? en->last_modified : "");
			printf(",\"storage_class\":");
			jsonout_str(stdout, en->storage_class ? en->storage_class : "");
		} else if (!opt.bucket[0]) {
			printf(",\"created\":");
			jsonout_str(stdout, en->last_modified ? en->last_modified : "");
		}
		printf("}\n");
		return 0;
	}
	if (!opt.bucket[0]) {		/* buckets */
		if (opt.lng)
			printf("%s  ", en->last_modified);
		printf("s3://%s\n", en->key);
	} else if (en->is_prefix)
		printf("%s%ss3://%s/%s\n", opt.lng ? "PRE" : "",
		    opt.lng ? "  " : "", opt.bucket, en->key);
	else if (opt.lng)
		printf("%s  %12llu  %s  s3://%s/%s\n", en->last_modified,
		    (unsigned long long)en->size, en->etag, opt.bucket, en->key);
	else
		printf("s3://%s/%s\n", opt.bucket, en->key);
	return 0;
}

/* "2026-11-26T19:00:00.000Z" to seconds since the epoch, or -1. */
static long long
iso_seconds(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm);
}

static int
print_upload(void *arg, const struct s3_entry *en, struct err *e)
{
	struct err ae;
	long long t;

	(void)arg;
	(void)e;
	opt.count++;
	if (opt.abort) {
		t = iso_seconds(en->initiated);
		if (t < 0 || (long long)time(NULL) - t <
		    (long long)(opt.abort_older_ms / 1000))
			return 0;
		if (s3_abort_multipart(opt.cl, opt.bucket, en->key,
		    en->upload_id, NULL, &ae) != 0) {
			fprintf(stderr, "%s: %s\n", progname, ae.msg);
			opt.abort_failed++;
			return 0;
		}
		opt.aborted++;
		printf("aborted  %s  %s  s3://%s/%s\n", en->initiated,
		    en->upload_id, opt.bucket, en->key);
		return 0;
	}
	if (opt.json) {
		printf("{\"key\":");
		jsonout_str(stdout, en->key);
		printf(",\"upload_id\":");
		jsonout_str(stdout, en->upload_id);
		printf(",\"initiated\":");
		jsonout_str(stdout, en->initiated ? en->initiated : "");
		printf("}\n");
	} else
		printf("%s  %s  s3://%s/%s\n", en->initiated, en->upload_id,
		    opt.bucket, en->key);
	return 0;
}

static void
parse_args(int argc, char **argv, struct s3_opts *so)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "page-size", required_argument, NULL, 'P' },
		{ "uploads", no_argument, NULL, 'U' },
		{ "abort-older-than", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		S3OPT_LONGOPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct err e;
	long long n;
	int c, r;

	while ((c = getopt_long(argc, argv, "lrqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': opt.lng = 1; break;
		case 'r': opt.recursive = 1; break;
		case 'q': opt.quiet = 1; break;
		case 'v': opt.verbose = 1; break;
		case 'J': opt.json = 1; break;
		case 'U': opt.uploads = 1; break;
		case 'h': usage(0); break;
		case 'P':
			if (num_parse(optarg, 1, 1000, &n, &e) != 0)
				goto bad;
			opt.page_size = (unsigned)n;
			break;
		case 'A':
			if (num_parse_duration(optarg, UINT64_MAX / 2,
			    &opt.abort_older_ms, &e) != 0)
				goto bad;
			opt.abort = 1;
			break;
		default:
			if ((r = s3opt_apply(so, c, optarg, &e)) < 0)
				goto bad;
			if (r == 0)
				usage(2);
		}
	}
	if (optind != argc - 1 || (opt.abort && !opt.uploads))
		usage(2);
	return;
bad:
	fprintf(stderr, "%s: %s\n", progname, e.msg);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct s3_opts so;
	struct url_s3 u;
	struct err e;
	int rc;

	s3_opts_init(&so);
	parse_args(argc, argv, &so);
	if (url_parse_s3(argv[optind], &u, &e) != 0) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return 2;
	}
	opt.bucket = u.bucket;
	if (opt.uploads && !u.bucket[0])
		usage(2);
	if (opt.verbose)
		so.log = log_line;
	if ((opt.cl = s3_client_new(&so, &e)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return err_exit_status(&e);
	}
	if (!u.bucket[0])
		rc = s3_list_buckets(opt.cl, print_entry, NULL, NULL, &e);
	else if (opt.uploads)
		rc = s3_list_uploads(opt.cl, u.bucket, u.key, print_upload,
		    NULL, NULL, &e);
	else
		rc = s3_list_objects(opt.cl, u.bucket, u.key,
		    opt.recursive ? NULL : "/", opt.page_size, print_entry,
		    NULL, NULL, &e);
	s3_client_free(opt.cl);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return err_exit_status(&e);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: write error\n", progname);
		return 1;
	}
	if (opt.abort && !opt.quiet)
		fprintf(stderr, "%s: %lu upload%s aborted\n", progname,
		    opt.aborted, opt.aborted == 1 ? "" : "s");
	return opt.abort_failed ? 1 : 0;
}
