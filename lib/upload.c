/*
 * upload.c: the s3put engine's reader and workers (see upload.h).
 * Finishing (Complete, HEAD, resume checks, checksums) is upload_end.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "upload_int.h"


void
up_log(struct upload *u, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (u->o.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	u->o.log(u->o.log_arg, line);
}

int
up_fail(struct upload *u, const struct err *e)
{
	pthread_mutex_lock(&u->mu);
	if (!u->failed) {
		u->failed = 1;
		u->err = *e;
	}
	pthread_cond_broadcast(&u->cv_free);
	pthread_cond_broadcast(&u->cv_job);
	pthread_mutex_unlock(&u->mu);
	return -1;
}

int
up_cancelled(struct upload *u)
{
	int f;

	if (__atomic_load_n(&u->cancel, __ATOMIC_ACQUIRE))
		return 1;
	pthread_mutex_lock(&u->mu);
	f = u->failed;
	pthread_mutex_unlock(&u->mu);
	return f;
}

struct upload *
upload_new(struct s3_client *cl, const struct upload_opts *o, struct err *e)
{
	struct upload *u;
	int alg = 0;

	if (o->checksum == NULL)
		alg = 0;
	else if (strcmp(o->checksum, "crc32c") == 0)
		alg = 1;
	else if (strcmp(o->checksum, "crc64nvme") == 0)
		alg = 2;
	else if (strcmp(o->checksum, "sha256") == 0)
		alg = 3;
	else {
		err_set(e, ERR_USAGE, "unknown checksum '%s' (crc32c, "
		    "crc64nvme, sha256)", o->checksum);
		return NULL;
	}
	if (o->jobs < 1 || o->jobs > 1024) {
		err_set(e, ERR_USAGE, "-j %u out of range (1 to 1024)", o->jobs);
		return NULL;
	}
	if (o->threshold > o->part_size) {
		err_set(e, ERR_USAGE, "--threshold must not exceed --part-size");
		return NULL;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		err_set(e, ERR_NOMEM, "upload");
		return NULL;
	}
	u->cl = cl;
	u->o = *o;
	u->alg = alg;
	u->group.size = up_group_size(o);
	resume_state_init(&u->rs);
	if (partplan_init(&u->plan, o->part_size, o->max_parts, o->has_size,
	    o->size, e) != 0) {
		free(u);
		return NULL;
	}
	pthread_mutex_init(&u->mu, NULL);
	pthread_cond_init(&u->cv_job, NULL);
	pthread_cond_init(&u->cv_free, NULL);
	return u;
}

static void
free_bufs(struct upload *u)
{
	struct up_buf *b;

	while ((b = u->free_bufs) != NULL) {
		u->free_bufs = b->next;
		u->mem_used -= b->cap;
		u->nbufs--;
		free(b->p);
		free(b);
	}
}

void
upload_free(struct upload *u)
{
	if (u == NULL)
		return;
	free_bufs(u);
	free(u->parts);
	free(u->threads);
	free(u->rscratch);
	free(u->gscratch);
	resume_state_free(&u->rs);
	resume_close(u->rf);
	pthread_mutex_destroy(&u->mu);
	pthread_cond_destroy(&u->cv_job);
	pthread_cond_destroy(&u->cv_free);
	free(u);
}

/* --- the buffer pool -------------------------------------------------- */

/*
 * Wait for a free job slot (inflight < limit) and take it. -1: stopped.
 * Called with mu held.
 */
static int
slot_wait(struct upload *u, unsigned limit)
{
	while (u->inflight >= limit) {
		if (u->failed || __atomic_load_n(&u->cancel, __ATOMIC_ACQUIRE))
			return -1;
		pthread_cond_wait(&u->cv_free, &u->mu);
	}
	if (u->failed || __atomic_load_n(&u->cancel, __ATOMIC_ACQUIRE))
		return -1;
	u->inflight++;
	return 0;
}

/*
 * A buffer of at least size bytes (*out), waiting while the pool is
 * full, and a job slot. Returns 0; 1 when not even one part of this
 * size fits the memory budget (spool it; the slot is taken); 2 when the
 * pool is full and nothing but the held jobs (the reader's group) is in
 * flight, so waiting would wait for nothing; -1 when stopped or out of
 * memory (err recorded).
 */
static int
buf_get(struct upload *u, uint64_t size, unsigned held, struct up_buf **out)
{
	struct up_buf *b, **pp;
	unsigned maxbufs = u->o.jobs + 1;
	struct err e;

	*out = NULL;
	pthread_mutex_lock(&u->mu);
	if (size > u->o.max_memory) {
		int r = slot_wait(u, maxbufs);

		pthread_mutex_unlock(&u->mu);
		return r == 0 ? 1 : -1;
	}
	for (;;) {
		if (u->failed || __atomic_load_n(&u->cancel, __ATOMIC_ACQUIRE))
			break;
		for (pp = &u->free_bufs; (b = *pp) != NULL; pp = &b->next)
			if (b->cap >= size) {
				*pp = b->next;
				goto got;
			}
		/* parts never shrink: smaller free buffers are dead weight */
		free_bufs(u);
		if (u->nbufs < maxbufs && u->mem_used + size <=
		    u->o.max_memory) {
			if ((b = calloc(1, sizeof(*b))) == NULL ||
			    size > SIZE_MAX ||
			    (b->p = malloc((size_t)size)) == NULL) {
				free(b);
				pthread_mutex_unlock(&u->mu);
				err_set(&e, ERR_NOMEM, "part buffer of %llu bytes",
				    (unsigned long long)size);
				return up_fail(u, &e);
			}
			b->cap = size;
			u->nbufs++;
			u->mem_used += size;
			goto got;
		}
		if (held > 0 && u->inflight <= held) {
			pthread_mutex_unlock(&u->mu);
			return 2;
		}
		pthread_cond_wait(&u->cv_free, &u->mu);
	}
	pthread_mutex_unlock(&u->mu);
	return -1;
got:
	u->inflight++;
	pthread_mutex_unlock(&u->mu);
	*out = b;
	return 0;
}

/* Give a job's resources back (caller holds mu). */
static void
job_release(struct upload *u, struct up_job *j)
{
	if (j->buf) {
		j->buf->next = u->free_bufs;
		u->free_bufs = j->buf;
	}
	if (j->own_fd)
		close(j->fd);
	u->inflight--;
	pthread_cond_broadcast(&u->cv_free);
	free(j);
}

static void
job_push(struct upload *u, struct up_job *j)
{
	pthread_mutex_lock(&u->mu);
	if (u->tail)
		u->tail->next = j;
	else
		u->head = j;
	u->tail = j;
	pthread_cond_signal(&u->cv_job);
	pthread_mutex_unlock(&u->mu);
}

/* --- workers ------------------------------------------------------------ */

/* Hash, skip (resume) or send one part and record it. */
static int
job_run(struct upload *u, struct up_job *j, uint8_t *scratch, struct err *e)
{
	struct up_part p;
	struct s3_body body;
	struct s3_status st;
	struct resume_part *rp;
	int rc;

	memset(&p, 0, sizeof(p));
	p.size = j->len;
	if (up_job_hash(u, j, scratch, e) != 0)
		return -1;
	memcpy(p.md5, j->md5, sizeof(p.md5));
	memcpy(p.cksum, j->cksum, sizeof(p.cksum));
	rp = u->resuming ? &u->rs.parts[j->n - 1] : NULL;
	if (rp && rp->done) {
		if (rp->size != p.size || memcmp(rp->md5, p.md5, 16) != 0) {
			pthread_mutex_lock(&u->mu);
			u->refused = 1;
			pthread_mutex_unlock(&u->mu);
			return err_set(e, ERR_USAGE, "input differs from the "
			    "interrupted upload at part %u (MD5 or size); "
			    "refusing to resume with it", j->n);
		}
		snprintf(p.etag, sizeof(p.etag), "%s", rp->etag);
		p.done = 1;
		pthread_mutex_lock(&u->mu);
		u->parts[j->n - 1] = p;
		u->skipped++;
		pthread_mutex_unlock(&u->mu);
		if (u->o.progress)
			progress_add(u->o.progress, p.size);
		return 0;
	}
	memset(&body, 0, sizeof(body));
	body.data = j->buf ? j->buf->p : NULL;
	body.fd = j->fd;
	body.off = j->off;
	body.len = j->len;
	rc = s3_upload_part(u->cl, u->o.bucket, u->o.key, u->upload_id, j->n,
	    &body, p.md5, u->o.checksum, p.cksum[0] ? p.cksum : NULL, p.etag,
	    &st, e);
	if (u->o.progress)
		while (st.attempts-- > 1)
			progress_retry(u->o.progress);
	if (rc != 0)
		return -1;
	if (!up_etag_is_md5(p.etag, p.md5) && !(u->o.put.sse &&
	    strcmp(u->o.put.sse, "AES256") != 0))
		return err_set(e, ERR_REMOTE, "part %u: the server's ETag %s "
		    "is not the MD5 of the bytes sent", j->n, p.etag);
	p.done = 1;
	pthread_mutex_lock(&u->mu);
	u->parts[j->n - 1] = p;
	rc = up_resume_note(u, j->n, e);
	pthread_mutex_unlock(&u->mu);
	if (u->o.progress)
		progress_add(u->o.progress, p.size);
	up_log(u, "part %u: %llu bytes", j->n, (unsigned long long)p.size);
	return rc;
}

static void *
worker(void *arg)
{
	struct upload *u = arg;
	struct up_job *j;
	struct err e;
	uint8_t *scratch = malloc(UP_SCRATCH);

	for (;;) {
		pthread_mutex_lock(&u->mu);
		while (u->head == NULL && !u->no_more)
			pthread_cond_wait(&u->cv_job, &u->mu);
		if ((j = u->head) == NULL) {
			pthread_mutex_unlock(&u->mu);
			break;
		}
		if ((u->head = j->next) == NULL)
			u->tail = NULL;
		pthread_mutex_unlock(&u->mu);
		if (scratch == NULL) {
			err_set(&e, ERR_NOMEM, "hash buffer");
			up_fail(u, &e);
		} else if (!up_cancelled(u) && job_run(u, j, scratch, &e) != 0)
			up_fail(u, &e);
		pthread_mutex_lock(&u->mu);
		job_release(u, j);
		pthread_mutex_unlock(&u->mu);
	}
	free(scratch);
	return NULL;
}

/* --- the reader --------------------------------------------------------- */

struct reader {
	int		carry_ok;	/* one byte read ahead */
	uint8_t		carry;
	int		eof;
	struct md5	whole;
};

/* Up to want bytes of the stream into dst; bytes got, or -1. */
static int64_t
in_read(struct upload *u, struct reader *r, uint8_t *dst, uint64_t want,
    struct err *e)
{
	uint64_t got = 0;
	ssize_t n;

	if (want > 0 && r->carry_ok) {
		dst[0] = r->carry;
		r->carry_ok = 0;
		got = 1;
	}
	if (got < want && !r->eof) {
		if ((n = fd_read_full(u->o.fd, dst + got, (size_t)(want - got)))
		    < 0)
			return err_sys(e, errno, "read input");
		got += (uint64_t)n;
	}
	if (got < want)
		r->eof = 1;
	if (u->o.want_md5)
		md5_update(&r->whole, dst, (size_t)got);
	return (int64_t)got;
}

/* After a full part: is there more? Reads one byte ahead. */
static int
in_peek(struct upload *u, struct reader *r, struct err *e)
{
	ssize_t n;

	if (r->eof || r->carry_ok)
		return 0;
	if ((n = fd_read_full(u->o.fd, &r->carry, 1)) < 0)
		return err_sys(e, errno, "read input");
	if (n == 0)
		r->eof = 1;
	else
		r->carry_ok = 1;
	return 0;
}

/* An unlinked temporary file in the spool directory. */
static int
spool_open(struct upload *u, struct err *e)
{
	const char *dir = u->o.spool_dir;
	char path[4096];
	int fd;

	if (dir == NULL && (dir = getenv("TMPDIR")) == NULL)
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
	if (snprintf(path, sizeof(path), "%s/s3put.XXXXXX", dir) >=
	    (int)sizeof(path))
		return err_set(e, ERR_USAGE, "spool directory name too long");
	if ((fd = mkstemp(path)) < 0)
		return err_sys(e, errno, "spool file in %s", dir);
	unlink(path);
	return fd;
}

/* Read part j (size bytes at most) into its buffer or a spool file. */
static int
read_part(struct upload *u, struct reader *r, struct up_job *j,
    uint64_t size, struct err *e)
{
	int64_t got;
	uint64_t chunk;

	if (j->buf) {
		if ((got = in_read(u, r, j->buf->p, size, e)) < 0)
			return -1;
		j->len = (uint64_t)got;
		return 0;
	}
	if ((j->fd = spool_open(u, e)) < 0)
		return -1;
	j->own_fd = 1;
	up_log(u, "part %u: %llu bytes exceed --max-memory, spooled", j->n,
	    (unsigned long long)size);
	while (j->len < size && !r->eof) {
		chunk = size - j->len < UP_SCRATCH ? size - j->len : UP_SCRATCH;
		if ((got = in_read(u, r, u->rscratch, chunk, e)) < 0)
			return -1;
		if (fd_write_full(j->fd, u->rscratch, (size_t)got) != 0)
			return err_sys(e, errno, "spool write");
		j->len += (uint64_t)got;
	}
	return 0;
}

/* CreateMultipartUpload (or the resumed one) and the state file. */
static int
start_multipart(struct upload *u, struct err *e)
{
	char id[S3_UPLOAD_ID_MAX];

	if (u->resuming) {
		pthread_mutex_lock(&u->mu);
		u->have_upload = 1;
		pthread_mutex_unlock(&u->mu);
		return 0;
	}
	if (s3_create_multipart(u->cl, u->o.bucket, u->o.key, &u->o.put, id,
	    NULL, e) != 0)
		return -1;
	pthread_mutex_lock(&u->mu);
	memcpy(u->upload_id, id, sizeof(id));
	u->have_upload = 1;
	pthread_mutex_unlock(&u->mu);
	up_log(u, "multipart upload %s", id);
	return u->o.resume_path ? up_resume_start(u, e) : 0;
}

/* One PutObject of the whole input (memory, or the file by pread). */
static int
single_put(struct upload *u, struct up_job *j, struct upload_result *res,
    struct err *e)
{
	struct s3_body body;
	struct s3_status st;
	char etag[S3_ETAG_MAX];

	if (u->resuming)
		return err_set(e, ERR_USAGE, "input (%llu bytes) is not the "
		    "interrupted multipart upload; refusing to resume with "
		    "it", (unsigned long long)j->len);
	if (up_job_hash(u, j, u->rscratch, e) != 0)
		return -1;
	memset(&body, 0, sizeof(body));
	body.data = j->buf ? j->buf->p : NULL;
	body.fd = j->fd;
	body.off = j->off;
	body.len = j->len;
	if (s3_put_object(u->cl, u->o.bucket, u->o.key, &body, j->md5,
	    j->cksum[0] ? j->cksum : NULL, &u->o.put, etag, &st, e) != 0)
		return -1;
	snprintf(res->request_id, sizeof(res->request_id), "%s",
	    st.request_id);
	snprintf(res->checksum, sizeof(res->checksum), "%s", j->cksum);
	res->parts = 0;
	etag_format_md5(j->md5, res->etag);
	if (u->o.progress)
		progress_add(u->o.progress, j->len);
	return up_verify(u, res->etag, j->len, res, e);
}

static int
too_big(struct upload *u, struct err *e)
{
	return err_set(e, ERR_LIMIT, "input is larger than %u parts can hold "
	    "(%llu bytes); raise --max-parts or --part-size, or give "
	    "--expected-size", u->plan.max_parts,
	    (unsigned long long)u->plan.capacity);
}

/*
 * Queue the reader's group for sending, hashed side by side first
 * unless the upload has stopped (then the workers just release the
 * jobs). 0, or -1 with err after a read error: the upload is then
 * failed and the jobs released all the same.
 */
static int
group_flush(struct upload *u, struct err *e)
{
	unsigned i;
	int rc = 0;

	if (u->group.n == 0)
		return 0;
	if (u->group.n > 1 && !up_cancelled(u) &&
	    up_group_hash(u, u->gscratch, e) != 0)
		rc = up_fail(u, e);
	for (i = 0; i < u->group.n; i++)
		job_push(u, u->group.job[i]);
	u->group.n = 0;
	return rc;
}

/* Record the failure, then let the workers release the group. */
static int
stop_reading(struct upload *u, const struct err *e)
{
	struct err ignored;

	up_fail(u, e);
	group_flush(u, &ignored);
	return -1;
}

static int
run_stream(struct upload *u, struct reader *r, struct upload_result *res,
    int *single, struct err *e)
{
	struct up_job *j;
	uint64_t size;
	unsigned n;
	int rc, last;

	for (n = 1;; n++) {
		if ((size = partplan_size(&u->plan, n)) == 0) {
			too_big(u, e);
			return stop_reading(u, e);
		}
		if ((j = calloc(1, sizeof(*j))) == NULL) {
			err_set(e, ERR_NOMEM, "job");
			return stop_reading(u, e);
		}
		j->n = n;
		j->fd = -1;
		/* spooled parts go alone; a failed flush took no slot */
		if (size > u->o.max_memory && group_flush(u, e) != 0) {
			free(j);
			return -1;
		}
		while ((rc = buf_get(u, size, u->group.n, &j->buf)) == 2)
			if (group_flush(u, e) != 0) {
				free(j);
				return -1;
			}
		if (rc < 0) {
			free(j);
			*e = u->err;
			return stop_reading(u, e);
		}
		if (read_part(u, r, j, size, e) != 0 ||
		    (j->len == size && in_peek(u, r, e) != 0))
			goto fail;
		last = r->eof && !r->carry_ok;
		if (n == 1 && last && j->len <= u->o.threshold) {
			*single = 1;
			rc = single_put(u, j, res, e);
			pthread_mutex_lock(&u->mu);
			job_release(u, j);
			pthread_mutex_unlock(&u->mu);
			return rc;
		}
		if (n == 1 && start_multipart(u, e) != 0)
			goto fail;
		u->nparts = n;
		u->total += j->len;
		if (j->buf != NULL && u->group.size > 1) {
			u->group.job[u->group.n++] = j;
			if ((u->group.n == u->group.size || last) &&
			    group_flush(u, e) != 0)
				return -1;
		} else {
			if (group_flush(u, e) != 0) {
				job_push(u, j);	/* released by a worker */
				return -1;
			}
			job_push(u, j);
		}
		if (last)
			return 0;
	}
fail:
	stop_reading(u, e);
	pthread_mutex_lock(&u->mu);
	job_release(u, j);
	pthread_mutex_unlock(&u->mu);
	return -1;
}

static int
run_file(struct upload *u, struct reader *r, struct upload_result *res,
    int *single, struct err *e)
{
	struct up_job *j, one;
	uint64_t off, left;
	unsigned n, count;
	int64_t got;
	int rc;

	memset(&one, 0, sizeof(one));
	one.fd = u->o.fd;
	one.len = u->o.size;
	if (u->o.size <= u->o.threshold) {
		*single = 1;
		if (u->o.want_md5)
			for (off = 0; off < u->o.size; off += (uint64_t)got) {
				left = u->o.size - off;
				left = left < UP_SCRATCH ? left : UP_SCRATCH;
				got = fd_pread_full(u->o.fd, u->rscratch,
				    (size_t)left, (off_t)off);
				if (got <= 0)
					return err_sys(e, got ? errno : EIO,
					    "read input");
				md5_update(&r->whole, u->rscratch, (size_t)got);
			}
		return single_put(u, &one, res, e);
	}
	if ((count = partplan_count(&u->plan, u->o.size)) == 0)
		return too_big(u, e);
	if (u->group.size > 1 && (u->gscratch = malloc((size_t)MD5X_MAX *
	    UP_GROUP_STEP)) == NULL)
		return err_set(e, ERR_NOMEM, "hash buffers");
	if (start_multipart(u, e) != 0)
		return -1;
	for (n = 1; n <= count; n++) {
		pthread_mutex_lock(&u->mu);
		rc = slot_wait(u, 2 * u->o.jobs);
		pthread_mutex_unlock(&u->mu);
		if (rc != 0) {
			*e = u->err;
			return stop_reading(u, e);
		}
		if ((j = calloc(1, sizeof(*j))) == NULL) {
			pthread_mutex_lock(&u->mu);
			u->inflight--;
			pthread_mutex_unlock(&u->mu);
			err_set(e, ERR_NOMEM, "job");
			return stop_reading(u, e);
		}
		j->n = n;
		j->fd = u->o.fd;
		j->off = (off_t)partplan_offset(&u->plan, n);
		left = u->o.size - (uint64_t)j->off;
		j->len = left < partplan_size(&u->plan, n) ? left :
		    partplan_size(&u->plan, n);
		for (off = 0; u->o.want_md5 && off < j->len;
		    off += (uint64_t)got) {
			left = j->len - off < UP_SCRATCH ? j->len - off : UP_SCRATCH;
			got = fd_pread_full(u->o.fd, u->rscratch, (size_t)left,
			    j->off + (off_t)off);
			if (got <= 0) {
				pthread_mutex_lock(&u->mu);
				job_release(u, j);
				pthread_mutex_unlock(&u->mu);
				err_sys(e, got ? errno : EIO, "read input");
				return stop_reading(u, e);
			}
			md5_update(&r->whole, u->rscratch, (size_t)got);
		}
		u->nparts = n;
		u->total += j->len;
		if (u->group.size > 1) {
			u->group.job[u->group.n++] = j;
			if ((u->group.n == u->group.size || n == count) &&
			    group_flush(u, e) != 0)
				return -1;
		} else
			job_push(u, j);
	}
	return 0;
}

int
upload_run(struct upload *u, struct upload_result *res, struct err *e)
{
	struct reader r;
	unsigned i;
	int rc, single = 0;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	md5_init(&r.whole);
	if ((u->parts = calloc(u->plan.max_parts, sizeof(*u->parts))) ==
	    NULL || (u->rscratch = malloc(UP_SCRATCH)) == NULL ||
	    (u->threads = calloc(u->o.jobs, sizeof(*u->threads))) == NULL)
		return err_set(e, ERR_NOMEM, "upload state");
	if (u->o.resume_path && up_resume_load(u, e) != 0)
		return -1;
	if (u->o.progress && u->o.has_size)
		progress_set_total(u->o.progress, u->o.size);
	for (i = 0; i < u->o.jobs; i++, u->nthreads++)
		if (pthread_create(&u->threads[i], NULL, worker, u) != 0)
			break;
	if (u->nthreads == 0)
		rc = err_set(e, ERR_NOMEM, "no worker threads");
	else if (u->o.seekable)
		rc = run_file(u, &r, res, &single, e);
	else
		rc = run_stream(u, &r, res, &single, e);
	if (rc != 0)
		up_fail(u, e);
	pthread_mutex_lock(&u->mu);
	u->no_more = 1;
	pthread_cond_broadcast(&u->cv_job);
	pthread_mutex_unlock(&u->mu);
	for (i = 0; i < u->nthreads; i++)
		pthread_join(u->threads[i], NULL);
	if (u->failed) {
		*e = u->err;
		if (!single)
			up_abort(u);
		return -1;
	}
	if (!single && up_complete(u, res, e) != 0) {
		up_abort(u);
		return -1;
	}
	if (u->o.want_md5)
		md5_final(&r.whole, res->md5);
	res->skipped = u->skipped;
	if (u->o.resume_path && !single) {
		resume_close(u->rf);
		u->rf = NULL;
		if (resume_remove(u->o.resume_path, e) != 0)
			return -1;
	}
	return 0;
}

void
upload_interrupt(struct upload *u)
{
	__atomic_store_n(&u->cancel, 1, __ATOMIC_RELEASE);
	pthread_mutex_lock(&u->mu);
	pthread_cond_broadcast(&u->cv_free);
	pthread_cond_broadcast(&u->cv_job);
	pthread_mutex_unlock(&u->mu);
	up_abort(u);
}
