#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "fdio.h"
#include "hash/crc.h"
#include "hash/md5.h"
#include "hash/md5x.h"
#include "hash/sha256.h"
#include "md5side.h"
#include "sum.h"

#define MAX_WORKERS	8
/* CRC segments of a regular file, joined with crc*_combine. */
#define CRC_SEGMENT	(64u << 20)

static const char *const alg_names[] = {
	"md5", "etag", "crc32c", "crc64nvme", "sha256"
};

int
sum_alg_parse(const char *s, enum sum_alg *out)
{
	size_t i;

	for (i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++)
		if (strcmp(s, alg_names[i]) == 0) {
			*out = (enum sum_alg)i;
			return 0;
		}
	return -1;
}

const char *
sum_alg_name(enum sum_alg a)
{
	return alg_names[a];
}

void
sum_opts_init(struct sum_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->alg = SUM_MD5;
	o->tee_fd = -1;
}

/* One running hash of any algorithm (etag parts use md5). */
struct hasher {
	enum sum_alg	alg;
	union {
		struct md5	md5;
		struct sha256	sha;
		uint32_t	c32;
		uint64_t	c64;
	} u;
};

static void
hasher_init(struct hasher *h, enum sum_alg alg)
{
	h->alg = alg;
	switch (alg) {
	case SUM_MD5:
	case SUM_ETAG:
		md5_init(&h->u.md5);
		break;
	case SUM_SHA256:
		sha256_init(&h->u.sha);
		break;
	case SUM_CRC32C:
		h->u.c32 = 0;
		break;
	case SUM_CRC64NVME:
		h->u.c64 = 0;
		break;
	}
}

static void
hasher_update(struct hasher *h, const void *p, size_t n)
{
	switch (h->alg) {
	case SUM_MD5:
	case SUM_ETAG:
		md5_update(&h->u.md5, p, n);
		break;
	case SUM_SHA256:
		sha256_update(&h->u.sha, p, n);
		break;
	case SUM_CRC32C:
		h->u.c32 = crc32c_update(h->u.c32, p, n);
		break;
	case SUM_CRC64NVME:
		h->u.c64 = crc64nvme_update(h->u.c64, p, n);
		break;
	}
}

static void
put_be(uint8_t *out, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		out[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

/* Final digest of a non-etag hasher into r (digest, len, text). */
static void
hasher_final(struct hasher *h, struct sum_result *r)
{
	switch (h->alg) {
	case SUM_MD5:
	case SUM_ETAG:
		md5_final(&h->u.md5, r->digest);
		r->digest_len = MD5_LEN;
		break;
	case SUM_SHA256:
		sha256_final(&h->u.sha, r->digest);
		r->digest_len = SHA256_LEN;
		break;
	case SUM_CRC32C:
		put_be(r->digest, h->u.c32, 4);
		r->digest_len = 4;
		break;
	case SUM_CRC64NVME:
		put_be(r->digest, h->u.c64, 8);
		r->digest_len = 8;
		break;
	}
	hex_encode(r->digest, r->digest_len, r->text);
}

/* Shared state of one sum_fd call. */
struct job {
	int			fd;
	const struct sum_opts	*o;
	size_t			chunk;
	uint64_t		part;		/* etag part or CRC segment */
	pthread_mutex_t		mu;
	pthread_cond_t		cv;
	int			failed;
	struct err		err;
	struct etag		etag;		/* part md5s */
	/* parallel file mode */
	uint64_t		size;
	uint64_t		nunits;
	uint64_t		next_unit;
	uint64_t		*crcs;		/* per CRC segment */
	/* stream mode */
	struct chunk		*free_list;
	struct chunk		*queue[MAX_WORKERS], *tail[MAX_WORKERS];
	int			eof;
	unsigned		nworkers;
	struct hasher		whole;		/* non-etag stream hash */
};

struct chunk {
	uint8_t		*buf;
	size_t		len;
	uint64_t	part;
	int		first, last;
	struct chunk	*next;
};

static void
job_fail(struct job *j, const struct err *e)
{
	pthread_mutex_lock(&j->mu);
	if (!j->failed) {
		j->failed = 1;
		j->err = *e;
	}
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static int
job_store_md5(struct job *j, uint64_t part, const uint8_t d[MD5_LEN])
{
	struct err e;
	int rc;

	pthread_mutex_lock(&j->mu);
	rc = etag_set_part(&j->etag, part, d, &e);
	pthread_mutex_unlock(&j->mu);
	if (rc != 0)
		job_fail(j, &e);
	return rc;
}

/* --- parallel file mode: each worker preads whole units -------------- */

/*
 * ETag parts first .. first + n - 1 hashed side by side (md5side), read
 * in steps that share buf (the chunk size: n steps of chunk / n bytes).
 * 0; -1 with err on a read error; -2 when storing a digest failed the
 * job.
 */
static int
etag_batch(struct job *j, uint8_t *buf, uint64_t first, unsigned n,
    struct err *e)
{
	struct md5side_range r[MD5X_MAX];
	uint64_t start, end;
	unsigned i, bad;

	for (i = 0; i < n; i++) {
		start = (first + i) * j->part;
		end = start + j->part < j->size ? start + j->part : j->size;
		r[i].mem = NULL;
		r[i].fd = j->fd;
		r[i].off = (off_t)start;
		r[i].len = start < end ? end - start : 0;
	}
	if (md5side(r, n, buf, j->chunk / n & ~(size_t)(MD5_BLOCK - 1), NULL,
	    NULL, &bad, e) != 0)
		return err_prefix(e, "part %llu",
		    (unsigned long long)(first + bad + 1));
	for (i = 0; i < n; i++)
		if (job_store_md5(j, first + i, r[i].md5) != 0)
			return -2;
	return 0;
}

/*
 * Units the next worker takes (caller holds mu): ETag parts go in
 * batches of up to the lanes md5x hashes at once, shared out so every
 * worker gets some; other units one at a time.
 */
static unsigned
batch_size(const struct job *j)
{
	uint64_t left = j->nunits - j->next_unit, fair;
	unsigned lanes = md5x_lanes();

	/* steps of at least 64 KiB each */
	while (lanes > 1 && j->chunk / lanes < (64u << 10))
		lanes /= 2;
	if (j->o->alg != SUM_ETAG || lanes == 1 || left < 2)
		return left > 0 ? 1 : 0;
	fair = (left + j->nworkers - 1) / j->nworkers;
	if (fair > lanes)
		fair = lanes;
	return fair < 1 ? 1 : (unsigned)fair;
}

static void *
file_worker(void *arg)
{
	struct job *j = arg;
	struct hasher h;
	struct err e;
	uint8_t *buf, d[MD5_LEN];
	uint64_t u, off, end;
	unsigned k;
	size_t n;
	ssize_t got;
	int rc;

	if ((buf = malloc(j->chunk)) == NULL) {
		err_set(&e, ERR_NOMEM, "out of memory");
		job_fail(j, &e);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&j->mu);
		u = j->next_unit;
		k = batch_size(j);
		j->next_unit += k;
		if (j->failed)
			u = j->nunits;
		pthread_mutex_unlock(&j->mu);
		if (u >= j->nunits)
			break;
		if (k > 1) {
			if ((rc = etag_batch(j, buf, u, k, &e)) == -1)
				goto fail;
			if (rc != 0)
				break;
			continue;
		}
		hasher_init(&h, j->o->alg);
		off = u * j->part;
		end = off + j->part < j->size ? off + j->part : j->size;
		for (; off < end; off += n) {
			n = end - off < j->chunk ? (size_t)(end - off) : j->chunk;
			got = fd_pread_full(j->fd, buf, n, (off_t)off);
			if (got < 0) {
				err_sys(&e, errno, "read");
				goto fail;
			}
			if ((size_t)got != n) {
				err_set(&e, ERR_IO, "file shrank while reading");
				goto fail;
			}
			hasher_update(&h, buf, n);
		}
		if (j->o->alg == SUM_ETAG) {
			md5_final(&h.u.md5, d);
			if (job_store_md5(j, u, d) != 0)
				break;
		} else if (j->o->alg == SUM_CRC32C)
			j->crcs[u] = h.u.c32;
		else
			j->crcs[u] = h.u.c64;
	}
	free(buf);
	return NULL;
fail:
	job_fail(j, &e);
	free(buf);
	return NULL;
}

static int
run_workers(struct job *j, void *(*fn)(void *), unsigned n, int with_reader,
    void (*reader)(struct job *))
{
	pthread_t t[MAX_WORKERS];
	unsigned i, started = 0;
	struct err e;

	for (i = 0; i < n; i++) {
		if (pthread_create(&t[i], NULL, fn, j) != 0) {
			err_set(&e, ERR_NOMEM, "cannot start a thread");
			job_fail(j, &e);
			break;
		}
		started++;
	}
	if (with_reader && started == n)
		reader(j);
	else if (with_reader) {
		pthread_mutex_lock(&j->mu);
		j->eof = 1;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	return j->failed ? -1 : 0;
}

static int
sum_file_parallel(struct job *j, unsigned nworkers, struct sum_result *r)
{
	uint64_t i, c = 0, len;

	j->nunits = etag_part_count(j->size, j->part);
	if (j->o->alg != SUM_ETAG) {
		j->crcs = calloc(j->nunits, sizeof(*j->crcs));
		if (j->crcs == NULL)
			return err_set(&j->err, ERR_NOMEM, "out of memory");
	}
	if (nworkers > j->nunits)
		nworkers = (unsigned)j->nunits;
	j->nworkers = nworkers;
	if (run_workers(j, file_worker, nworkers, 0, NULL) != 0)
		return -1;
	r->size = j->size;
	if (j->o->alg == SUM_ETAG)
		return 0;
	for (i = 0; i < j->nunits; i++) {
		len = i + 1 < j->nunits ? j->part : j->size - i * j->part;
		if (j->o->alg == SUM_CRC32C)
			c = crc32c_combine((uint32_t)c, (uint32_t)j->crcs[i], len);
		else
			c = crc64nvme_combine(c, j->crcs[i], len);
	}
	put_be(r->digest, c, j->o->alg == SUM_CRC32C ? 4 : 8);
	r->digest_len = j->o->alg == SUM_CRC32C ? 4 : 8;
	hex_encode(r->digest, r->digest_len, r->text);
	return 0;
}

/* --- stream mode: one reader, workers fed through queues ------------- */

static void *
stream_worker_main(struct job *j, unsigned w)
{
	struct hasher h;
	struct chunk *c;
	uint8_t d[MD5_LEN];

	for (;;) {
		pthread_mutex_lock(&j->mu);
		while (j->queue[w] == NULL && !j->eof && !j->failed)
			pthread_cond_wait(&j->cv, &j->mu);
		if (j->failed || (j->queue[w] == NULL && j->eof)) {
			pthread_mutex_unlock(&j->mu);
			return NULL;
		}
		c = j->queue[w];
		j->queue[w] = c->next;
		if (j->queue[w] == NULL)
			j->tail[w] = NULL;
		pthread_mutex_unlock(&j->mu);

		if (j->o->alg == SUM_ETAG) {
			if (c->first)
				hasher_init(&h, SUM_ETAG);
			hasher_update(&h, c->buf, c->len);
			if (c->last) {
				md5_final(&h.u.md5, d);
				job_store_md5(j, c->part, d);
			}
		} else
			hasher_update(&j->whole, c->buf, c->len);

		pthread_mutex_lock(&j->mu);
		c->next = j->free_list;
		j->free_list = c;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
}

static void *
stream_worker0(void *arg)
{
	struct job *j = arg;
	unsigned w;

	/* next_unit numbers the stream workers 0, 1, ... */
	pthread_mutex_lock(&j->mu);
	w = (unsigned)j->next_unit++;
	pthread_mutex_unlock(&j->mu);
	return stream_worker_main(j, w);
}

static void
enqueue(struct job *j, struct chunk *c)
{
	unsigned w = (unsigned)(c->part % j->nworkers);

	pthread_mutex_lock(&j->mu);
	c->next = NULL;
	if (j->tail[w])
		j->tail[w]->next = c;
	else
		j->queue[w] = c;
	j->tail[w] = c;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static struct chunk *
take_free(struct job *j)
{
	struct chunk *c;

	pthread_mutex_lock(&j->mu);
	while (j->free_list == NULL && !j->failed)
		pthread_cond_wait(&j->cv, &j->mu);
	c = j->failed ? NULL : j->free_list;
	if (c)
		j->free_list = c->next;
	pthread_mutex_unlock(&j->mu);
	return c;
}

/*
 * Reader: chunks never straddle a part boundary, and each is queued only
 * after the next read, so its "last of part" flag is known.
 */
static void
stream_reader(struct job *j)
{
	struct chunk *cur = NULL, *next;
	uint64_t off = 0, part_end = j->part;
	size_t want;
	ssize_t got;
	struct err e;
	int first = 1;

	for (;;) {
		if ((next = take_free(j)) == NULL)
			break;
		want = part_end - off < j->chunk ? (size_t)(part_end - off) :
		    j->chunk;
		got = fd_read_full(j->fd, next->buf, want);
		if (got < 0) {
			err_sys(&e, errno, "read");
			job_fail(j, &e);
			break;
		}
		if (got > 0 && j->o->tee_fd >= 0 &&
		    fd_write_full(j->o->tee_fd, next->buf, (size_t)got) != 0) {
			err_sys(&e, errno, "write");
			job_fail(j, &e);
			break;
		}
		if (cur != NULL) {
			cur->last = got == 0 || off == cur->part * j->part +
			    j->part;
			enqueue(j, cur);
			cur = NULL;
		}
		if (got == 0) {
			pthread_mutex_lock(&j->mu);
			next->next = j->free_list;
			j->free_list = next;
			pthread_mutex_unlock(&j->mu);
			break;
		}
		next->len = (size_t)got;
		next->part = off / j->part;
		next->first = first;
		off += (uint64_t)got;
		first = off == part_end;
		if (first)
			part_end += j->part;
		cur = next;
	}
	j->size = off;
	pthread_mutex_lock(&j->mu);
	if (cur) {
		cur->next = j->free_list;
		j->free_list = cur;
	}
	j->eof = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static int
sum_stream(struct job *j, unsigned nworkers, struct sum_result *r)
{
	struct chunk chunks[SUM_MAX_BUFFERS];
	unsigned i, nbuf, per_part;
	int rc;

	per_part = (unsigned)((j->part + j->chunk - 1) / j->chunk);
	/* let the reader run a part ahead so the other worker has work */
	nbuf = nworkers > 1 ? 2 * per_part + 2 : 3;
	if (nbuf < 4)
		nbuf = 4;
	if (nbuf > SUM_MAX_BUFFERS)
		nbuf = SUM_MAX_BUFFERS;
	memset(chunks, 0, sizeof(chunks));
	for (i = 0; i < nbuf; i++) {
		if ((chunks[i].buf = malloc(j->chunk)) == NULL) {
			rc = err_set(&j->err, ERR_NOMEM, "out of memory");
			goto out;
		}
		chunks[i].next = j->free_list;
		j->free_list = &chunks[i];
	}
	j->nworkers = nworkers;
	j->next_unit = 0;
	hasher_init(&j->whole, j->o->alg);
	rc = run_workers(j, stream_worker0, nworkers, 1, stream_reader);
	if (rc == 0) {
		r->size = j->size;
		if (j->o->alg != SUM_ETAG)
			hasher_final(&j->whole, r);
	}
out:
	for (i = 0; i < nbuf; i++)
		free(chunks[i].buf);
	return rc;
}

static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

static int
finish_etag(struct job *j, struct sum_result *r)
{
	uint8_t none[MD5_LEN];

	if (j->etag.nparts == 0) {	/* empty input: md5 of nothing */
		md5(NULL, 0, none);
		if (etag_set_part(&j->etag, 0, none, &j->err) != 0)
			return -1;
	}
	if (!j->o->force_multipart &&
	    !etag_is_multipart(r->size, j->part)) {
		memcpy(r->digest, j->etag.md5s, MD5_LEN);
		r->digest_len = MD5_LEN;
		r->parts = 0;
		etag_format_md5(r->digest, r->text);
		return 0;
	}
	if (etag_format_multipart(&j->etag, r->text, &j->err) != 0)
		return -1;
	md5(j->etag.md5s, j->etag.nparts * MD5_LEN, r->digest);
	r->digest_len = MD5_LEN;
	r->parts = j->etag.nparts;
	return 0;
}

int
sum_fd(int fd, const struct sum_opts *o, struct sum_result *r,
    struct err *e)
{
	struct job j;
	struct stat st;
	unsigned threads = o->threads ? o->threads : default_threads();
	int rc, parallel_alg;

	memset(r, 0, sizeof(*r));
	memset(&j, 0, sizeof(j));
	j.fd = fd;
	j.o = o;
	j.chunk = o->chunk_size ? o->chunk_size : SUM_DEFAULT_CHUNK;
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.cv, NULL);
	etag_init(&j.etag);
	if (threads > MAX_WORKERS)
		threads = MAX_WORKERS;

	parallel_alg = o->alg == SUM_ETAG || o->alg == SUM_CRC32C ||
	    o->alg == SUM_CRC64NVME;
	if (o->alg == SUM_ETAG)
		j.part = o->part_size ? o->part_size : SUM_DEFAULT_PART;
	else
		j.part = UINT64_MAX / 2;	/* one part: the whole stream */

	/* one worker still hashes ETag parts side by side */
	if (parallel_alg && o->tee_fd < 0 && (threads > 1 ||
	    (o->alg == SUM_ETAG && md5x_lanes() > 1)) &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > j.chunk &&
	    (o->alg != SUM_ETAG || etag_is_multipart((uint64_t)st.st_size,
	    j.part))) {
		j.size = (uint64_t)st.st_size;
		if (o->alg != SUM_ETAG)
			j.part = CRC_SEGMENT;
		rc = sum_file_parallel(&j, threads, r);
	} else
		rc = sum_stream(&j, o->alg == SUM_ETAG ? (threads > 1 ? 2 : 1) :
		    1, r);
	if (rc == 0 && o->alg == SUM_ETAG)
		rc = finish_etag(&j, r);
	if (rc != 0)
		*e = j.err;
	free(j.crcs);
	etag_free(&j.etag);
	pthread_mutex_destroy(&j.mu);
	pthread_cond_destroy(&j.cv);
	return rc;
}

void
sum_base64(const struct sum_result *r, char *out)
{
	base64_encode(r->digest, r->digest_len, out);
}
