/*
 * s3put: store stdin (or a file) as one S3 object, in parallel parts,
 * with bounded memory, retries, verification and resume. See s3put(1).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "jsonout.h"
#include "num.h"
#include "pipew.h"
#include "progress.h"
#include "s3.h"
#include "s3opt.h"
#include "upload.h"
#include "url.h"

#define MIB	((uint64_t)1 << 20)
#define MAX_META	64

static const char *progname = "s3put";

static struct {
	const char	*file;
	int		 json, verbose, quiet, progress;
	int		 has_threshold;
	const char	*meta[MAX_META + 1];
	size_t		 nmeta;
	struct upload	*up;
	struct progress	 prog;
	volatile int	 done;
	int		 interrupted;	/* atomic */
} opt = { .progress = -1 };

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: s3put [-qv] [-f file] [-j jobs] [--part-size size] "
	    "[--threshold size]\n"
	    "             [--max-parts n] [--expected-size size] "
	    "[--max-memory size]\n"
	    "             [--spool dir] [--checksum alg] [--resume statefile]\n"
	    "             [--if-none-match] [--json] [--md5] "
	    "[--[no-]progress]\n"
	    "             [--content-type type] [--metadata key=value] "
	    "[--sign-payload]\n"
	    "             [--storage-class class] [--sse alg] "
	    "[common options]\n"
	    "             s3://bucket/key\n");
	exit(status);
}

static void
die(int status, const char *msg)
{
	fprintf(stderr, "%s: %s\n", progname, msg);
	exit(status);
}

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", progname, line);
}

static void
parse_args(int argc, char **argv, struct s3_opts *so, struct upload_opts *uo)
{
	static const struct option longopts[] = {
		{ "part-size", required_argument, NULL, 'P' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "max-parts", required_argument, NULL, 'N' },
		{ "expected-size", required_argument, NULL, 'E' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "spool", required_argument, NULL, 'S' },
		{ "checksum", required_argument, NULL, 'C' },
		{ "resume", required_argument, NULL, 'R' },
		{ "if-none-match", no_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'J' },
		{ "md5", no_argument, NULL, '5' },
		{ "progress", no_argument, NULL, 'p' },
		{ "no-progress", no_argument, NULL, 'n' },
		{ "content-type", required_argument, NULL, 't' },
		{ "metadata", required_argument, NULL, 'm' },
		{ "storage-class", required_argument, NULL, 'c' },
		{ "sse", required_argument, NULL, 's' },
		{ "sign-payload", no_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		S3OPT_LONGOPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct err e;
	long long n;
	int c, r;

	while ((c = getopt_long(argc, argv, "f:j:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': opt.file = optarg; break;
		case 'q': opt.quiet = 1; break;
		case 'v': opt.verbose = 1; break;
		case 'h': usage(0); break;
		case 'j':
			if (num_parse(optarg, 1, 256, &n, &e) != 0)
				goto bad;
			uo->jobs = (unsigned)n;
			break;
		case 'P':
			if (num_parse_size(optarg, 5 * MIB, 5 * 1024 * MIB,
			    &uo->part_size, &e) != 0)
				goto bad;
			break;
		case 'T':
			if (num_parse_size(optarg, 0, 5 * 1024 * MIB,
			    &uo->threshold, &e) != 0)
				goto bad;
			opt.has_threshold = 1;
			break;
		case 'N':
			if (num_parse(optarg, 1, 10000, &n, &e) != 0)
				goto bad;
			uo->max_parts = (unsigned)n;
			break;
		case 'E':
			if (num_parse_size(optarg, 0, (uint64_t)5 << 40,
			    &uo->size, &e) != 0)
				goto bad;
			uo->has_size = 1;
			break;
		case 'M':
			if (num_parse_size(optarg, MIB, UINT64_MAX / 2,
			    &uo->max_memory, &e) != 0)
				goto bad;
			break;
		case 'S': uo->spool_dir = optarg; break;
		case 'C': uo->checksum = optarg; break;
		case 'R': uo->resume_path = optarg; break;
		case 'I': uo->put.if_none_match = 1; break;
		case 'J': opt.json = 1; break;
		case '5': uo->want_md5 = 1; break;
		case 'p': opt.progress = 1; break;
		case 'n': opt.progress = 0; break;
		case 't': uo->put.content_type = optarg; break;
		case 'c': uo->put.storage_class = optarg; break;
		case 's': uo->put.sse = optarg; break;
		case 'G': so->sign_payload = 1; break;
		case 'm':
			if (opt.nmeta == MAX_META || strchr(optarg, '=') ==
			    NULL || optarg[0] == '=')
				die(2, "--metadata takes key=value (at most 64)");
			opt.meta[opt.nmeta++] = optarg;
			break;
		default:
			if ((r = s3opt_apply(so, c, optarg, &e)) < 0)
				goto bad;
			if (r == 0)
				usage(2);
		}
	}
	if (optind != argc - 1)
		usage(2);
	return;
bad:
	die(2, e.msg);
}

/* Open the input; a regular file (-f or redirected stdin) is seekable. */
static void
open_input(struct upload_opts *uo)
{
	struct stat sb;

	uo->fd = 0;
	if (opt.file && (uo->fd = open(opt.file, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, opt.file,
		    strerror(errno));
		exit(1);
	}
	if (fstat(uo->fd, &sb) != 0) {
		fprintf(stderr, "%s: %s: %s\n", progname,
		    opt.file ? opt.file : "stdin", strerror(errno));
		exit(1);
	}
	if (S_ISREG(sb.st_mode) && lseek(uo->fd, 0, SEEK_CUR) == 0) {
		uo->seekable = 1;
		uo->has_size = 1;
		uo->size = (uint64_t)sb.st_size;
	}
	/*
	 * A larger pipe lets the writer run ahead and halves the wake-ups
	 * per byte; the system's cap (pipe-max-size) may refuse: harmless.
	 */
	(void)pipe_grow(uo->fd, 1 << 20);
}

/* SIGINT/SIGTERM: abort the upload (unless --resume), exit 130/143. */
static void *
signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig = 0;

	if (sigwait(set, &sig) != 0)
		return NULL;
	__atomic_store_n(&opt.interrupted, 1, __ATOMIC_RELEASE);
	fprintf(stderr, "\n%s: %s, stopping\n", progname,
	    sig == SIGINT ? "interrupted" : "terminated");
	if (opt.up)
		upload_interrupt(opt.up);
	_exit(sig == SIGINT ? 130 : 143);
}

static void *
progress_thread(void *arg)
{
	char line[160];
	struct timespec ts = { 0, 250 * 1000 * 1000 };

	(void)arg;
	while (!opt.done) {
		nanosleep(&ts, NULL);
		progress_format(&opt.prog, line, sizeof(line), 0);
		fprintf(stderr, "\r%s\033[K", line);
	}
	return NULL;
}

static void
print_result(const struct upload_result *r, const char *bucket,
    const char *key, struct s3_client *cl, double secs,
    const struct upload_opts *uo)
{
	struct s3_totals t;
	char hex[33];

	if (!opt.json) {
		printf("%s  %llu  %u  s3://%s/%s\n", r->etag,
		    (unsigned long long)r->size, r->parts, bucket, key);
		return;
	}
	s3_client_totals(cl, &t);
	printf("{\"etag\":\"%s\",\"size\":%llu,\"parts\":%u,\"url\":\"s3://%s/",
	    r->etag, (unsigned long long)r->size, r->parts, bucket);
	jsonout_chars(stdout, key);
	printf("\",\"etag_checked\":%s", r->etag_checked ? "true" : "false");
	if (uo->want_md5) {
		hex_encode(r->md5, 16, hex);
		printf(",\"md5\":\"%s\"", hex);
	}
	if (uo->checksum)
		printf(",\"checksum_algorithm\":\"%s\",\"checksum\":\"%s\","
		    "\"checksum_checked\":%s", uo->checksum, r->checksum,
		    r->checksum_checked ? "true" : "false");
	if (r->upload_id[0])
		printf(",\"upload_id\":\"%s\"", r->upload_id);
	printf(",\"request_id\":\"%s\",\"skipped_parts\":%u,\"requests\":%llu,"
	    "\"retries\":%llu,\"seconds\":%.3f}\n", r->request_id, r->skipped,
	    (unsigned long long)t.requests, (unsigned long long)t.retries,
	    secs);
}

int
main(int argc, char **argv)
{
	struct s3_opts so;
	struct upload_opts uo;
	struct upload_result res;
	struct url_s3 u;
	struct s3_client *cl;
	struct err e;
	struct timespec t0, t1;
	sigset_t sigs;
	pthread_t sigt, progt;
	char line[160];
	int rc;

	s3_opts_init(&so);
	memset(&uo, 0, sizeof(uo));
	uo.part_size = 8 * MIB;
	uo.max_parts = 10000;
	uo.jobs = 8;
	uo.max_memory = 1024 * MIB;
	parse_args(argc, argv, &so, &uo);
	if (url_parse_s3(argv[optind], &u, &e) != 0)
		die(2, e.msg);
	if (!u.bucket[0] || !u.key[0])
		die(2, "the URL must name a bucket and a key: s3://bucket/key");
	if (!opt.has_threshold)
		uo.threshold = uo.part_size;
	uo.bucket = u.bucket;
	uo.key = u.key;
	opt.meta[opt.nmeta] = NULL;
	uo.put.metadata = opt.meta;
	uo.put.checksum_algorithm = uo.checksum;
	if (so.insecure && !opt.quiet)
		fprintf(stderr, "%s: WARNING: --insecure: TLS certificates are "
		    "NOT verified\n", progname);
	if (opt.verbose) {
		so.log = log_line;
		uo.log = log_line;
	}
	open_input(&uo);
	if (opt.progress < 0)
		opt.progress = !opt.quiet && isatty(2);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((cl = s3_client_new(&so, &e)) == NULL)
		die(err_exit_status(&e), e.msg);
	progress_init(&opt.prog, uo.has_size ? uo.size : 0, NULL);
	uo.progress = &opt.prog;
	if ((opt.up = upload_new(cl, &uo, &e)) == NULL) {
		s3_client_free(cl);
		die(e.kind == ERR_USAGE ? 2 : 1, e.msg);
	}
	pthread_create(&sigt, NULL, signal_thread, &sigs);
	if (opt.progress)
		pthread_create(&progt, NULL, progress_thread, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = upload_run(opt.up, &res, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* a failure caused by the abort: the signal thread exits for us */
	if (__atomic_load_n(&opt.interrupted, __ATOMIC_ACQUIRE))
		pthread_join(sigt, NULL);
	if (opt.progress) {
		opt.done = 1;
		pthread_join(progt, NULL);
		progress_format(&opt.prog, line, sizeof(line), 1);
		fprintf(stderr, "\r%s\033[K\n", line);
	}
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		if (uo.resume_path && !opt.quiet)
			fprintf(stderr, "%s: state kept in %s: rerun with "
			    "--resume %s to continue\n", progname,
			    uo.resume_path, uo.resume_path);
		upload_free(opt.up);
		s3_client_free(cl);
		return err_exit_status(&e);
	}
	if (!res.etag_checked && !opt.quiet)
		fprintf(stderr, "%s: the ETag is not an MD5 (SSE-KMS or SSE-C) "
		    "and cannot be checked; the size was\n", progname);
	print_result(&res, u.bucket, u.key, cl, (double)(t1.tv_sec -
	    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, &uo);
	upload_free(opt.up);
	s3_client_free(cl);
	if (fflush(stdout) != 0)
		die(1, "write error on stdout");
	return 0;
}
