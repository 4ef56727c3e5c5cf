/*
 * download.c: range scheduler, worker threads, reorder window and the
 * in-order writer behind s3get (contract in download.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "download.h"
#include "fdio.h"
#include "pipew.h"
#include "s3ext.h"

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

#define DL_PIPE_MAX	(8 * 1024 * 1024)	/* pipe size asked for */

struct dl_slot {
	char		*buf;
	size_t		 len;
	int		 state;
};

struct dl_state {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	const struct dl_opts *o;
	char		 etag[S3_ETAG_MAX];
	uint64_t	 start;		/* first byte of part 0 */
	uint64_t	 last;		/* last byte wanted, inclusive */
	uint64_t	 part;
	uint64_t	 nparts;
	unsigned	 nslots;
	struct dl_slot	*slots;
	uint64_t	 next_claim;	/* next part a worker takes */
	uint64_t	 next_write;	/* next part the writer writes */
	int		 stop;		/* read by sinks without the lock */
	int		 failed;	/* err holds the first failure */
	struct err	 err;
	uint64_t	 requests;
	int		 changed;	/* the object changed under us */
	struct pipew	 out;		/* o->fd */
};

struct dl_sink {
	struct dl_state	*s;
	char		*buf;
	size_t		 cap;
	size_t		 len;
};

void
dl_opts_init(struct dl_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->part_size = DL_DEFAULT_PART;
	o->jobs = 8;
	o->end = UINT64_MAX;
	o->fd = 1;
}

/* --- ETag recomputation ---------------------------------------------- */

void
dl_verify_init(struct dl_verify *v, uint64_t part_size)
{
	memset(v, 0, sizeof(*v));
	v->part_size = part_size;
	md5_init(&v->cur);
	etag_init(&v->parts);
}

void
dl_verify_free(struct dl_verify *v)
{
	etag_free(&v->parts);
}

int
dl_verify_update(struct dl_verify *v, const void *buf, size_t len,
    struct err *e)
{
	const char *p = buf;
	uint8_t d[MD5_LEN];
	uint64_t room;
	size_t n;

	v->total += len;
	while (len > 0) {
		n = len;
		if (v->part_size > 0) {
			room = v->part_size - v->in_part;
			if ((uint64_t)n > room)
				n = (size_t)room;
		}
		md5_update(&v->cur, p, n);
		v->in_part += n;
		p += n;
		len -= n;
		if (v->part_size > 0 && v->in_part == v->part_size) {
			md5_final(&v->cur, d);
			md5_init(&v->cur);
			if (etag_set_part(&v->parts, v->index, d, e) != 0)
				return -1;
			v->index++;
			v->in_part = 0;
		}
	}
	return 0;
}

int
dl_verify_final(struct dl_verify *v, char out[ETAG_STR_MAX], struct err *e)
{
	uint8_t d[MD5_LEN];

	if (v->part_size == 0) {
		md5_final(&v->cur, d);
		etag_format_md5(d, out);
		return 0;
	}
	if (v->in_part > 0 || v->index == 0) {
		md5_final(&v->cur, d);
		if (etag_set_part(&v->parts, v->index, d, e) != 0)
			return -1;
		v->index++;
		v->in_part = 0;
	}
	return etag_format_multipart(&v->parts, out, e);
}

/* N from an ETag "hex-N" (quotes allowed), 0 when it has no suffix. */
static unsigned long
etag_parts(const char *etag)
{
	const char *dash = strrchr(etag, '-');
	unsigned long n = 0;

	if (dash == NULL)
		return 0;
	for (dash++; *dash >= '0' && *dash <= '9'; dash++) {
		n = n * 10 + (unsigned long)(*dash - '0');
		if (n > 1000000)
			return 0;
	}
	return n;
}

int
dl_verify_layout(struct s3_client *cl, const char *bucket, const char *key,
    struct s3_object *obj, uint64_t *part_size, char *why, size_t why_len,
    struct err *e)
{
	struct s3_object p1, pn;
	uint64_t size1, sizen, last;
	unsigned long n;
	int rc;

	*part_size = 0;
	if (s3_head(cl, bucket, key, obj, NULL, e) != 0)
		return -1;
	if (obj->etag_not_md5) {
		snprintf(why, why_len, "the ETag of an encrypted object is "
		    "not an MD5");
		return 0;
	}
	if ((n = etag_parts(obj->etag)) == 0)
		return 1;		/* one PUT: plain md5 */
	if ((rc = s3_head_part(cl, bucket, key, 1, &p1, &size1, NULL,
	    e)) < 0)
		return -1;
	if (rc == 0) {
		snprintf(why, why_len, "the server does not tell part sizes "
		    "(no 206 with x-amz-mp-parts-count for ?partNumber=1)");
		return 0;
	}
	if ((unsigned long)p1.parts != n || strcmp(p1.etag, obj->etag) != 0 ||
	    size1 == 0) {
		snprintf(why, why_len, "the part count (%d) or ETag of "
		    "?partNumber=1 does not match the object's", p1.parts);
		return 0;
	}
	if (n > 1) {
		last = obj->size - (uint64_t)(n - 1) * size1;
		if (size1 > obj->size / (n - 1) || last == 0 || last > size1) {
			snprintf(why, why_len, "parts are not of one size");
			return 0;
		}
		if ((rc = s3_head_part(cl, bucket, key, (unsigned)n, &pn,
		    &sizen, NULL, e)) < 0)
			return -1;
		if (rc == 0 || sizen != last) {
			snprintf(why, why_len, "parts are not of one size");
			return 0;
		}
	}
	*part_size = size1;
	return 1;
}

/* --- workers ----------------------------------------------------------- */

static int
sink_copy(void *arg, const void *buf, size_t len, struct err *e)
{
	struct dl_sink *k = arg;

	if (__atomic_load_n(&k->s->stop, __ATOMIC_RELAXED))
		return err_set(e, ERR_IO, "download cancelled");
	if (len > k->cap - k->len)
		return err_set(e, ERR_REMOTE, "server sent more bytes than "
		    "asked for");
	memcpy(k->buf + k->len, buf, len);
	k->len += len;
	if (k->s->o->progress)
		progress_add(k->s->o->progress, len);
	return 0;
}

/* Record the first failure and stop everyone. Lock held. */
static void
fail_locked(struct dl_state *s, const struct err *e)
{
	if (!s->failed && !s->stop) {
		s->err = *e;
		s->failed = 1;
	}
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&s->cv);
}

/*
 * GET [a, b] into buf with If-Match; map 412 and ETag changes to the
 * documented message. 0 or -1 with e.
 */
static int
get_range(struct dl_state *s, uint64_t a, uint64_t b, const char *if_match,
    struct dl_sink *k, struct s3_object *obj, struct err *e)
{
	const struct dl_opts *o = s->o;
	struct s3_status st;
	unsigned n;
	int rc;

	memset(&st, 0, sizeof(st));
	rc = s3_get(o->cl, o->bucket, o->key, a, b, if_match, sink_copy, k,
	    obj, &st, e);
	__atomic_add_fetch(&s->requests, st.attempts ? st.attempts : 1,
	    __ATOMIC_RELAXED);
	for (n = 1; o->progress && n < st.attempts; n++)
		progress_retry(o->progress);
	if (rc != 0) {
		if (__atomic_load_n(&s->stop, __ATOMIC_RELAXED))
			return -1;
		if (st.http_status == 412 || strstr(e->msg, "object changed"))
			__atomic_store_n(&s->changed, 1, __ATOMIC_RELAXED);
		if (st.http_status == 412)
			return err_set(e, ERR_REMOTE, "object changed during "
			    "download: s3://%s/%s no longer has ETag %s "
			    "(412 PreconditionFailed)", o->bucket, o->key,
			    if_match ? if_match : "");
		if (st.http_status == 416)
			return err_set(e, ERR_USAGE, "s3://%s/%s: range "
			    "starting at byte %" PRIu64 " not satisfiable",
			    o->bucket, o->key, a);
		return -1;
	}
	if (if_match && *if_match && strcmp(obj->etag, if_match) != 0) {
		__atomic_store_n(&s->changed, 1, __ATOMIC_RELAXED);
		return err_set(e, ERR_REMOTE, "object changed during "
		    "download: s3://%s/%s has ETag %s, expected %s",
		    o->bucket, o->key, obj->etag, if_match);
	}
	return 0;
}

static void *
worker(void *arg)
{
	struct dl_state *s = arg;
	struct s3_object obj;
	struct dl_slot *sl;
	struct dl_sink k;
	struct err e;
	uint64_t i, a, b;
	int ok;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->stop || s->next_claim >= s->nparts)
			break;
		i = s->next_claim++;
		while (!s->stop && i >= s->next_write + s->nslots)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->stop)
			break;
		sl = &s->slots[i % s->nslots];
		sl->state = SLOT_BUSY;
		if (sl->buf == NULL && (sl->buf = malloc(s->part)) == NULL) {
			err_set(&e, ERR_NOMEM, "out of memory (part buffer of "
			    "%" PRIu64 " bytes)", s->part);
			fail_locked(s, &e);
			break;
		}
		pthread_mutex_unlock(&s->mu);

		a = s->start + i * s->part;
		b = a + s->part - 1;
		if (b > s->last)
			b = s->last;
		k.s = s;
		k.buf = sl->buf;
		k.cap = (size_t)(b - a + 1);
		k.len = 0;
		ok = get_range(s, a, b, s->etag, &k, &obj, &e) == 0;
		if (ok && k.len != k.cap) {
			err_set(&e, ERR_TRANSIENT, "s3://%s/%s: short range "
			    "%" PRIu64 "-%" PRIu64 " (%zu bytes)",
			    s->o->bucket, s->o->key, a, b, k.len);
			ok = 0;
		}

		pthread_mutex_lock(&s->mu);
		if (!ok) {
			fail_locked(s, &e);
			break;
		}
		sl->len = k.len;
		sl->state = SLOT_DONE;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* --- writer ------------------------------------------------------------ */

static int
write_part(struct dl_state *s, const char *buf, size_t len,
    struct dl_result *res, struct err *e)
{
	const struct dl_opts *o = s->o;

	if (len == 0)
		return 0;
	if (pipew_write(&s->out, buf, len) != 0)
		return err_sys(e, errno, "write");
	res->written += len;
	if (o->verify && dl_verify_update(o->verify, buf, len, e) != 0)
		return -1;
	return 0;
}

static int
run_parts(struct dl_state *s, struct dl_result *res, struct err *e)
{
	pthread_t tid[DL_MAX_JOBS];
	unsigned nthreads, t;
	struct dl_slot *sl;
	uint64_t w;
	int rc = 0, ready;

	nthreads = s->o->jobs;
	if ((uint64_t)nthreads > s->nparts - 1)
		nthreads = (unsigned)(s->nparts - 1);
	for (t = 0; t < nthreads; t++) {
		if (pthread_create(&tid[t], NULL, worker, s) != 0) {
			pthread_mutex_lock(&s->mu);
			err_set(e, ERR_NOMEM, "cannot start a thread");
			fail_locked(s, e);
			pthread_mutex_unlock(&s->mu);
			break;
		}
	}
	nthreads = t;
	for (w = 0; w < s->nparts; w++) {
		sl = &s->slots[w % s->nslots];
		pthread_mutex_lock(&s->mu);
		while (!s->stop && sl->state != SLOT_DONE)
			pthread_cond_wait(&s->cv, &s->mu);
		ready = sl->state == SLOT_DONE;
		pthread_mutex_unlock(&s->mu);
		if (!ready)
			break;		/* stopped by a worker's failure */
		if (write_part(s, sl->buf, sl->len, res, e) != 0) {
			pthread_mutex_lock(&s->mu);
			__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
			pthread_cond_broadcast(&s->cv);
			pthread_mutex_unlock(&s->mu);
			rc = -1;
			break;
		}
		pthread_mutex_lock(&s->mu);
		sl->state = SLOT_FREE;
		s->next_write++;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	for (t = 0; t < nthreads; t++)
		pthread_join(tid[t], NULL);
	if (rc == 0 && s->failed) {
		*e = s->err;
		rc = -1;
	}
	return rc;
}

/* --- the download ------------------------------------------------------ */

static int
check_opts(const struct dl_opts *o, struct err *e)
{
	if (o->cl == NULL || o->bucket == NULL || o->key == NULL)
		return err_set(e, ERR_USAGE, "download: no client or object");
	if (o->part_size < DL_MIN_PART || o->part_size > DL_MAX_PART)
		return err_set(e, ERR_USAGE, "part size %" PRIu64 " outside "
		    "%" PRIu64 "..%" PRIu64, o->part_size, DL_MIN_PART,
		    DL_MAX_PART);
	if (o->jobs < 1 || o->jobs > DL_MAX_JOBS)
		return err_set(e, ERR_USAGE, "-j %u outside 1..%d", o->jobs,
		    DL_MAX_JOBS);
	if (o->end < o->start)
		return err_set(e, ERR_USAGE, "empty range %" PRIu64 "-%"
		    PRIu64, o->start, o->end);
	return 0;
}

int
dl_run(const struct dl_opts *o, struct dl_result *res, struct err *e)
{
	struct dl_result dummy;
	struct dl_state s;
	struct dl_sink k;
	uint64_t first_end;
	unsigned i;
	int rc;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (check_opts(o, e) != 0)
		return -1;
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.part = o->part_size;
	s.start = o->start;
	pipew_init(&s.out, o->fd, s.part < DL_PIPE_MAX ? (size_t)s.part :
	    DL_PIPE_MAX);
	if (o->if_match && *o->if_match)
		snprintf(s.etag, sizeof(s.etag), "%s", o->if_match);

	/* the first part: it tells size and ETag */
	first_end = o->start + (s.part - 1) < o->start ? UINT64_MAX :
	    o->start + (s.part - 1);
	if (first_end > o->end)
		first_end = o->end;
	memset(&k, 0, sizeof(k));
	k.s = &s;
	k.cap = (size_t)(first_end - o->start + 1);
	if ((k.buf = malloc(k.cap)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory (part buffer)");
	rc = get_range(&s, o->start, first_end, s.etag[0] ? s.etag : NULL, &k,
	    &res->obj, e);
	res->requests = s.requests;
	res->changed = s.changed;
	if (rc != 0) {
		free(k.buf);
		return -1;
	}
	snprintf(s.etag, sizeof(s.etag), "%s", res->obj.etag);
	if (o->on_object && o->on_object(o->on_object_arg, &res->obj,
	    e) != 0) {
		free(k.buf);
		return -1;
	}
	s.last = o->end;
	if (res->obj.size == 0 || s.last > res->obj.size - 1)
		s.last = res->obj.size == 0 ? 0 : res->obj.size - 1;
	if (res->obj.size == 0 || first_end >= s.last ||
	    k.len < k.cap) {
		/* all of it came with the first answer */
		if (res->obj.size > 0 && o->start + k.len != s.last + 1)
			rc = err_set(e, ERR_TRANSIENT, "s3://%s/%s: short "
			    "first range (%zu bytes)", o->bucket, o->key,
			    k.len);
		else
			rc = write_part(&s, k.buf, k.len, res, e);
		free(k.buf);
		return rc;
	}

	s.nparts = (s.last - s.start) / s.part + 1;
	s.nslots = o->jobs + 1;
	if ((uint64_t)s.nslots > s.nparts)
		s.nslots = (unsigned)s.nparts;
	if ((s.slots = calloc(s.nslots, sizeof(*s.slots))) == NULL) {
		free(k.buf);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	s.slots[0].buf = k.buf;
	s.slots[0].len = k.len;
	s.slots[0].state = SLOT_DONE;
	s.next_claim = 1;
	if (pthread_mutex_init(&s.mu, NULL) != 0 ||
	    pthread_cond_init(&s.cv, NULL) != 0) {
		free(k.buf);
		free(s.slots);
		return err_set(e, ERR_NOMEM, "cannot make a lock");
	}
	rc = run_parts(&s, res, e);
	res->requests = s.requests;
	res->changed = s.changed;
	for (i = 0; i < s.nslots; i++)
		free(s.slots[i].buf);
	free(s.slots);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	return rc;
}
