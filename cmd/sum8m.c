/*
 * sum8m: checksums in 8 MiB buffers: md5, S3 multipart ETag, crc32c,
 * crc64nvme, sha256. md5sum-compatible output and check mode; tee mode
 * for the middle of a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"
#include "jsonout.h"
#include "num.h"
#include "sum.h"
#include "sumline.h"

#define NAME_MAX_ESC	8192

static const char *progname = "sum8m";

static struct {
	struct sum_opts	sum;
	int		check, tee, json, base64;
	int		quiet, status, strict, warn;
	const char	*out_path;
} opt;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: sum8m [-a alg] [-p size] [-j threads] [--multipart] "
	    "[--base64] [--json]\n"
	    "             [file ...]\n"
	    "       sum8m -c [-a alg] [-p size] [--quiet | --status] "
	    "[--strict] [-w]\n"
	    "             [file ...]\n"
	    "       sum8m -t [-a alg] [-p size] [--multipart] [--base64] "
	    "[--json]\n"
	    "             [-o file]\n");
	exit(status);
}

/* One result line: "HASH  NAME" (md5sum form) or a JSON object. */
static void
print_result(FILE *f, const char *name, const struct sum_result *r)
{
	char esc[NAME_MAX_ESC], b64[64];
	const char *hash = r->text;

	if (opt.base64) {
		sum_base64(r, b64);
		hash = b64;
	}
	if (opt.json) {
		sum_base64(r, b64);
		fputs("{\"file\":", f);
		jsonout_str(f, name);
		fprintf(f, ",\"algorithm\":\"%s\",\"hash\":\"%s\","
		    "\"base64\":\"%s\",\"size\":%llu",
		    sum_alg_name(opt.sum.alg), r->text, b64,
		    (unsigned long long)r->size);
		if (opt.sum.alg == SUM_ETAG)
			fprintf(f, ",\"part_size\":%llu,\"parts\":%llu",
			    (unsigned long long)opt.sum.part_size,
			    (unsigned long long)(r->parts ? r->parts : 1));
		fputs("}\n", f);
		return;
	}
	if (sumline_needs_escape(name) &&
	    sumline_escape(name, esc, sizeof(esc)) >= 0)
		fprintf(f, "\\%s  %s\n", hash, esc);
	else
		fprintf(f, "%s  %s\n", hash, name);
}

/* Checksum one named input ("-" is stdin). 0 or -1 (message printed). */
static int
sum_path(const char *name, const struct sum_opts *so, struct sum_result *r)
{
	struct err e;
	int fd, rc;

	if (strcmp(name, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(name, O_RDONLY)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		    strerror(errno));
		return -1;
	}
	if (fd != STDIN_FILENO)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	rc = sum_fd(fd, so, r, &e);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0)
		fprintf(stderr, "%s: %s: %s\n", progname, name, e.msg);
	return rc;
}

/*
 * The name as md5sum shows it in check output: escaped, with a leading
 * backslash, only when it holds a newline.
 */
static void
print_status(const char *name, const char *status)
{
	char esc[NAME_MAX_ESC];

	if (strchr(name, '\n') != NULL &&
	    sumline_escape(name, esc, sizeof(esc)) >= 0)
		printf("\\%s: %s\n", esc, status);
	else
		printf("%s: %s\n", name, status);
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* -c: verify every "HASH  NAME" line of list; md5sum's messages. */
static int
check_list(const char *list)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0, bad_format = 0, bad_read = 0, mismatch = 0,
	    good = 0;
	struct sumline sl;
	struct sum_result r;
	struct sum_opts so;

	f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, list, strerror(errno));
		return 1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (sumline_parse(line, &sl) != 0) {
			bad_format++;
			if (opt.warn)
				fprintf(stderr, "%s: %s: %lu: improperly "
				    "formatted checksum line\n", progname,
				    list, lineno);
			continue;
		}
		good++;
		so = opt.sum;
		/* an expected "-N" form means the object was multipart */
		so.force_multipart = memchr(sl.hash, '-', sl.hash_len) != NULL;
		if (sum_path(sl.name, &so, &r) != 0) {
			bad_read++;
			if (!opt.status)
				print_status(sl.name, "FAILED open or read");
			continue;
		}
		if (strlen(r.text) == sl.hash_len &&
		    strncasecmp(r.text, sl.hash, sl.hash_len) == 0) {
			if (!opt.quiet && !opt.status)
				print_status(sl.name, "OK");
		} else {
			mismatch++;
			if (!opt.status)
				print_status(sl.name, "FAILED");
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (good == 0) {
		fprintf(stderr, "%s: %s: no properly formatted checksum lines "
		    "found\n", progname, list);
		return 1;
	}
	if (!opt.status) {
		if (bad_format)
			fprintf(stderr, "%s: WARNING: %lu %s improperly "
			    "formatted\n", progname, bad_format,
			    plural(bad_format, "line is", "lines are"));
		if (bad_read)
			fprintf(stderr, "%s: WARNING: %lu listed %s could not "
			    "be read\n", progname, bad_read,
			    plural(bad_read, "file", "files"));
		if (mismatch)
			fprintf(stderr, "%s: WARNING: %lu computed %s did NOT "
			    "match\n", progname, mismatch,
			    plural(mismatch, "checksum", "checksums"));
	}
	return mismatch || bad_read || (opt.strict && bad_format);
}

/* -t: stdin to stdout unchanged; the sum to stderr or -o FILE. */
static int
tee_mode(void)
{
	struct sum_opts so = opt.sum;
	struct sum_result r;
	struct err e;
	FILE *out = stderr;

	so.tee_fd = STDOUT_FILENO;
	if (sum_fd(STDIN_FILENO, &so, &r, &e) != 0) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return err_exit_status(&e);
	}
	if (opt.out_path && (out = fopen(opt.out_path, "w")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, opt.out_path,
		    strerror(errno));
		return 1;
	}
	print_result(out, "-", &r);
	if (out != stderr && fclose(out) != 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, opt.out_path,
		    strerror(errno));
		return 1;
	}
	return 0;
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "algorithm", required_argument, NULL, 'a' },
		{ "part-size", required_argument, NULL, 'p' },
		{ "check", no_argument, NULL, 'c' },
		{ "tee", no_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, &opt.json, 1 },
		{ "base64", no_argument, &opt.base64, 1 },
		{ "multipart", no_argument, &opt.sum.force_multipart, 1 },
		{ "quiet", no_argument, &opt.quiet, 1 },
		{ "status", no_argument, &opt.status, 1 },
		{ "strict", no_argument, &opt.strict, 1 },
		{ "warn", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct err e;
	long long n;
	int c;

	sum_opts_init(&opt.sum);
	opt.sum.part_size = SUM_DEFAULT_PART;
	while ((c = getopt_long(argc, argv, "a:p:j:cto:wh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 0:
			break;
		case 'a':
			if (sum_alg_parse(optarg, &opt.sum.alg) != 0) {
				fprintf(stderr, "%s: unknown algorithm '%s' (md5, "
				    "etag, crc32c, crc64nvme, sha256)\n",
				    progname, optarg);
				exit(2);
			}
			break;
		case 'p':
			if (num_parse_size(optarg, 1, (uint64_t)5 << 40,
			    &opt.sum.part_size, &e) != 0)
				goto bad;
			break;
		case 'j':
			if (num_parse(optarg, 1, 8, &n, &e) != 0)
				goto bad;
			opt.sum.threads = (unsigned)n;
			break;
		case 'c':
			opt.check = 1;
			break;
		case 't':
			opt.tee = 1;
			break;
		case 'o':
			opt.out_path = optarg;
			break;
		case 'w':
			opt.warn = 1;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if ((opt.check && opt.tee) || (opt.out_path && !opt.tee) ||
	    (opt.tee && optind < argc) || (opt.quiet && opt.status))
		usage(2);
	return;
bad:
	fprintf(stderr, "%s: %s\n", progname, e.msg);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sum_result r;
	int i, rc = 0;

	parse_args(argc, argv);
	if (opt.tee)
		return tee_mode();
	if (optind == argc)
		argv[--optind] = "-";
	for (i = optind; i < argc; i++) {
		if (opt.check)
			rc |= check_list(argv[i]);
		else if (sum_path(argv[i], &opt.sum, &r) != 0)
			rc = 1;
		else
			print_result(stdout, argv[i], &r);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", progname,
		    strerror(errno));
		return 1;
	}
	return rc;
}
