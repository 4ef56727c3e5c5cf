/*
 * s3get: parallel ranged download of an S3 object to stdout or a file,
 * resumable; -r downloads every key under a prefix into a directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlfile.h"
#include "dlsync.h"
#include "download.h"
#include "fdio.h"
#include "num.h"
#include "progress.h"
#include "s3.h"
#include "s3opt.h"
#include "url.h"

static const char *progname = "s3get";

static struct {
	int		 quiet, verbose, resume, verify, recursive, progress;
	const char	*out;
	uint64_t	 start, end;
	int		 have_range;
	uint64_t	 part;
	unsigned	 jobs;
	struct progress	 prog;
	int		 prog_stop;
	pthread_mutex_t	 prog_mu;
	pthread_cond_t	 prog_cv;
} opt;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: s3get [-qv] [-j n] [-o file [--resume]] [--part-size size]"
	    " [--range a-b]\n"
	    "             [--verify] [--progress | --no-progress] "
	    "[common options]\n"
	    "             s3://bucket/key\n"
	    "       s3get -r [-qv] [-j n] [--part-size size] [common options]\n"
	    "             s3://bucket/prefix dir\n");
	exit(status);
}

static void
note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A warning on stderr, unless -q. */
static void
note(const char *fmt, ...)
{
	va_list ap;

	if (opt.quiet)
		return;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", progname, line);
}

/* --- progress line ------------------------------------------------------ */

static void *
progress_thread(void *arg)
{
	struct timespec ts;
	char line[160];

	(void)arg;
	pthread_mutex_lock(&opt.prog_mu);
	while (!opt.prog_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&opt.prog_cv, &opt.prog_mu, &ts);
		if (opt.prog_stop)
			break;
		progress_format(&opt.prog, line, sizeof(line), 0);
		fprintf(stderr, "\r%s\033[K", line);
	}
	pthread_mutex_unlock(&opt.prog_mu);
	progress_format(&opt.prog, line, sizeof(line), 1);
	fprintf(stderr, "\r%s\033[K\n", line);
	return NULL;
}

static int
progress_start(pthread_t *t)
{
	progress_init(&opt.prog, 0, NULL);
	if (!opt.progress)
		return 0;
	pthread_mutex_init(&opt.prog_mu, NULL);
	pthread_cond_init(&opt.prog_cv, NULL);
	return pthread_create(t, NULL, progress_thread, NULL) == 0;
}

static void
progress_stop(pthread_t t, int running)
{
	if (!running)
		return;
	pthread_mutex_lock(&opt.prog_mu);
	opt.prog_stop = 1;
	pthread_cond_signal(&opt.prog_cv);
	pthread_mutex_unlock(&opt.prog_mu);
	pthread_join(t, NULL);
}

/* --- one object ------------------------------------------------------- */

struct one {
	const char	*url;
	struct dlfile	 f;
	int		 have_file;
};

static int
on_object(void *arg, const struct s3_object *obj, struct err *e)
{
	struct one *o = arg;
	uint64_t last = opt.end;

	if (obj->size > 0 && last > obj->size - 1)
		last = obj->size - 1;
	progress_set_total(&opt.prog, obj->size == 0 || last < opt.start ? 0 :
	    last - opt.start + 1);
	if (o->have_file && o->f.have == 0)
		return dlfile_record(&o->f, o->url, opt.start, obj, e);
	return 0;
}

/* Hash the kept bytes of a resumed file into v. */
static int
verify_prefix(struct dlfile *f, struct dl_verify *v, struct err *e)
{
	static char buf[1 << 16];
	uint64_t off;
	ssize_t n;

	for (off = 0; off < f->have; off += (uint64_t)n) {
		n = fd_pread_full(f->fd, buf, sizeof(buf), (off_t)off);
		if (n <= 0)
			return err_sys(e, n < 0 ? errno : EIO, "%s", f->part);
		if (dl_verify_update(v, buf, (size_t)n, e) != 0)
			return -1;
	}
	return 0;
}

/*
 * Resume: is the kept part still the same object? Moves opt.start.
 * Returns 1 when the file is already complete.
 */
static int
resume_check(struct s3_client *cl, struct url_s3 *u, struct one *o,
    struct s3_object *obj, int have_obj, struct err *e)
{
	if (o->f.have == 0)
		return 0;
	if (!have_obj && s3_head(cl, u->bucket, u->key, obj, NULL, e) != 0)
		return -1;
	if (strcmp(obj->etag, o->f.etag) != 0 || obj->size != o->f.size) {
		note("%s: object changed since the partial download (ETag "
		    "%s); starting over", o->f.part, obj->etag);
		return dlfile_restart(&o->f, e);
	}
	/* longer than the wanted bytes: not ours to trust */
	if (opt.start > obj->size || o->f.have > obj->size - opt.start ||
	    (opt.end != UINT64_MAX &&
	    o->f.have > opt.end - opt.start + 1)) {
		note("%s: longer than the object; starting over", o->f.part);
		return dlfile_restart(&o->f, e);
	}
	opt.start += o->f.have;
	if (opt.start >= obj->size || opt.start > opt.end)
		return 1;
	return 0;
}

static int
get_one(struct s3_client *cl, struct url_s3 *u, const char *url,
    struct err *e)
{
	struct dl_opts d;
	struct dl_result res;
	struct dl_verify v;
	struct s3_object obj;
	struct one o;
	uint64_t vpart = 0;
	char why[200], got[ETAG_STR_MAX];
	int have_obj = 0, verifying = 0, rc, done = 0;

	memset(&o, 0, sizeof(o));
	memset(&obj, 0, sizeof(obj));
	o.url = url;
	dl_opts_init(&d);
	if (opt.verify) {
		rc = dl_verify_layout(cl, u->bucket, u->key, &obj, &vpart, why,
		    sizeof(why), e);
		if (rc < 0)
			return -1;
		have_obj = 1;
		if (rc == 0)
			note("cannot verify %s: %s", url, why);
		else {
			dl_verify_init(&v, vpart);
			verifying = 1;
		}
		d.if_match = obj.etag;
	}
	if (opt.out) {
		if (dlfile_open(&o.f, opt.out, url, opt.start, opt.resume,
		    e) != 0)
			goto fail;
		o.have_file = 1;
		if ((done = resume_check(cl, u, &o, &obj, have_obj, e)) < 0)
			goto fail;
		if (o.f.have > 0)
			d.if_match = o.f.etag;
		if (verifying && o.f.have > 0 && verify_prefix(&o.f, &v,
		    e) != 0)
			goto fail;
		d.fd = o.f.fd;
	}
	d.cl = cl;
	d.bucket = u->bucket;
	d.key = u->key;
	d.part_size = opt.part;
	d.jobs = opt.jobs;
	d.start = opt.start;
	d.end = opt.end;
	d.progress = &opt.prog;
	d.on_object = on_object;
	d.on_object_arg = &o;
	d.verify = verifying ? &v : NULL;
	memset(&res, 0, sizeof(res));
	if (!done && dl_run(&d, &res, e) != 0) {
		if (o.have_file && res.changed)
			dlfile_discard(&o.f);
		else if (o.have_file) {
			dlfile_keep(&o.f);
			if (e->errnum != EPIPE)
				note("partial download kept in %s.part; rerun "
				    "with --resume", opt.out);
		}
		o.have_file = 0;
		goto fail;
	}
	if (verifying) {
		if (dl_verify_final(&v, got, e) != 0)
			goto fail;
		/* compare without the quotes S3 puts around ETags */
		if (strlen(obj.etag) != strlen(got) + 2 ||
		    strncmp(obj.etag + 1, got, strlen(got)) != 0) {
			err_set(e, ERR_REMOTE, "%s: ETag mismatch: computed "
			    "\"%s\", object has %s", url, got, obj.etag);
			if (o.have_file)
				dlfile_discard(&o.f);
			o.have_file = 0;
			goto fail;
		}
		if (opt.verbose)
			note("verified ETag \"%s\"", got);
		dl_verify_free(&v);
		verifying = 0;
	}
	if (o.have_file && dlfile_commit(&o.f, e) != 0)
		return -1;
	return 0;
fail:
	if (verifying)
		dl_verify_free(&v);
	if (o.have_file)
		dlfile_keep(&o.f);
	return -1;
}

/* --- arguments ---------------------------------------------------------- */

static int
parse_range(const char *s, struct err *e)
{
	char a[32], b[32];
	const char *dash = strchr(s, '-');
	size_t n;

	if (dash == NULL || (n = (size_t)(dash - s)) == 0 || n >= sizeof(a) ||
	    strlen(dash + 1) >= sizeof(b))
		return err_set(e, ERR_USAGE, "--range: expected A-B or A-, "
		    "got '%s'", s);
	memcpy(a, s, n);
	a[n] = '\0';
	snprintf(b, sizeof(b), "%s", dash + 1);
	if (num_parse_size(a, 0, UINT64_MAX - 1, &opt.start, e) != 0)
		return -1;
	opt.end = UINT64_MAX;
	if (b[0] && num_parse_size(b, opt.start, UINT64_MAX - 1, &opt.end,
	    e) != 0)
		return err_prefix(e, "--range end");
	opt.have_range = 1;
	return 0;
}

static void
parse_args(int argc, char **argv, struct s3_opts *so)
{
	static const struct option longopts[] = {
		{ "resume", no_argument, NULL, 'R' },
		{ "range", required_argument, NULL, 'G' },
		{ "verify", no_argument, NULL, 'V' },
		{ "part-size", required_argument, NULL, 'P' },
		{ "progress", no_argument, NULL, 'p' },
		{ "no-progress", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		S3OPT_LONGOPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct err e;
	long long n;
	int c, r;

	opt.progress = isatty(2);
	opt.part = DL_DEFAULT_PART;
	opt.jobs = 8;
	opt.end = UINT64_MAX;
	while ((c = getopt_long(argc, argv, "j:o:qrvh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'j':
			if (num_parse(optarg, 1, DL_MAX_JOBS, &n, &e) != 0)
				goto bad;
			opt.jobs = (unsigned)n;
			break;
		case 'o': opt.out = optarg; break;
		case 'q': opt.quiet = 1; break;
		case 'r': opt.recursive = 1; break;
		case 'v': opt.verbose = 1; break;
		case 'R': opt.resume = 1; break;
		case 'V': opt.verify = 1; break;
		case 'p': opt.progress = 1; break;
		case 'n': opt.progress = 0; break;
		case 'h': usage(0); break;
		case 'G':
			if (parse_range(optarg, &e) != 0)
				goto bad;
			break;
		case 'P':
			if (num_parse_size(optarg, DL_MIN_PART, DL_MAX_PART,
			    &opt.part, &e) != 0)
				goto bad;
			break;
		default:
			if ((r = s3opt_apply(so, c, optarg, &e)) < 0)
				goto bad;
			if (r == 0)
				usage(2);
		}
	}
	if (opt.quiet)
		opt.progress = 0;
	if (optind != argc - 1 - opt.recursive || (opt.resume && !opt.out) ||
	    (opt.recursive && (opt.out || opt.have_range || opt.resume ||
	    opt.verify)))
		usage(2);
	if (opt.verify && opt.have_range) {
		fprintf(stderr, "%s: --verify needs the whole object, not "
		    "--range\n", progname);
		exit(2);
	}
	return;
bad:
	fprintf(stderr, "%s: %s\n", progname, e.msg);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct s3_opts so;
	struct s3_client *cl;
	struct dlsync_stats ss;
	struct url_s3 u;
	struct err e;
	pthread_t pt;
	int rc, prog;

	s3_opts_init(&so);
	parse_args(argc, argv, &so);
	if (url_parse_s3(argv[optind], &u, &e) != 0 || (!opt.recursive &&
	    (!u.key[0] || !u.bucket[0])) || !u.bucket[0]) {
		fprintf(stderr, "%s: %s: expected s3://bucket/%s\n", progname,
		    argv[optind], opt.recursive ? "prefix" : "key");
		return 2;
	}
	if (opt.verbose)
		so.log = log_line;
	signal(SIGPIPE, SIG_IGN);
	if ((cl = s3_client_new(&so, &e)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return err_exit_status(&e);
	}
	prog = progress_start(&pt);
	if (opt.recursive) {
		rc = dlsync_run(cl, u.bucket, u.key, argv[optind + 1],
		    opt.jobs, opt.part, &opt.prog, opt.quiet ? NULL : log_line,
		    NULL, &ss, &e);
		if (rc == 0 && !opt.quiet)
			fprintf(stderr, "%s: %" PRIu64 " downloaded, %" PRIu64
			    " up to date, %" PRIu64 " failed\n", progname,
			    ss.downloaded, ss.skipped, ss.failed);
	} else
		rc = get_one(cl, &u, argv[optind], &e);
	progress_stop(pt, prog);
	s3_client_free(cl);
	if (rc != 0 && e.kind == ERR_IO && e.errnum == EPIPE) {
		/* the reader went away: end as cat(1) would, quietly */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return e.kind == ERR_USAGE ? 2 : err_exit_status(&e);
	}
	return 0;
}
