/*
 * mload.c: reading thread, batch queue and insert workers (mload.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mongoc/mongoc.h>

#include "arrow2bson.h"
#include "clock.h"
#include "mload.h"
#include "mload_int.h"

struct mbatch {
	bson_writer_t	*w;		/* writes documents into buf */
	uint8_t		*buf;
	size_t		len;
	size_t		cap;
	size_t		*off;		/* n + 1 offsets into buf */
	int64_t		*rows;
	size_t		n;
	size_t		capn;
	struct mbatch	*next;
};

struct mload {
	const struct mload_opts	*o;
	const char		*target;	/* collection written */
	mongoc_client_pool_t	*pool;
	mongoc_write_concern_t	*wc;
	pthread_mutex_t		mu;
	pthread_cond_t		cv_put;
	pthread_cond_t		cv_get;
	struct mbatch		*head;
	struct mbatch		*tail;
	int			queued;
	int			closed;
	int			stop;
	int64_t			inserted;
	int64_t			errors;
	int64_t			retries;
	struct err		fatal;		/* first worker failure */
	struct mbatch		*spare;		/* reusable batches */
	int			nspare;
	pthread_mutex_t		report;
};

static void
batch_free(struct mbatch *b)
{
	if (b == NULL)
		return;
	if (b->w != NULL)
		bson_writer_destroy(b->w);
	free(b->buf);
	free(b->off);
	free(b->rows);
	free(b);
}

/*
 * Give a batch back for reuse (its buffers keep their size, so steady
 * state allocates nothing); beyond workers + 2 spares it is freed.
 */
static void
batch_put(struct mload *m, struct mbatch *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	if (b->w != NULL) {
		bson_writer_destroy(b->w);
		b->w = NULL;
	}
	if (m->nspare < m->o->workers + 2) {
		b->n = 0;
		b->len = 0;
		b->next = m->spare;
		m->spare = b;
		m->nspare++;
		b = NULL;
	}
	pthread_mutex_unlock(&m->mu);
	batch_free(b);
}

static struct mbatch *
batch_get(struct mload *m)
{
	struct mbatch *b;

	pthread_mutex_lock(&m->mu);
	if ((b = m->spare) != NULL) {
		m->spare = b->next;
		m->nspare--;
	}
	pthread_mutex_unlock(&m->mu);
	return b != NULL ? b : calloc(1, sizeof(*b));
}

static void *
grow(void *p, size_t n, void *ctx)
{
	(void)ctx;
	return realloc(p, n);
}

/*
 * Start the next document of b: room for its offset and row index, and
 * a bson_t that libbson writes straight into b->buf (no second copy).
 */
static int
batch_begin_doc(struct mbatch *b, bson_t **doc, struct err *e)
{
	size_t nc;
	void *p;

	if (b->n + 2 > b->capn) {
		nc = b->capn ? b->capn * 2 : 1024;
		if ((p = realloc(b->off, nc * sizeof(*b->off))) == NULL)
			return err_set(e, ERR_NOMEM, "batch");
		b->off = p;
		if ((p = realloc(b->rows, nc * sizeof(*b->rows))) == NULL)
			return err_set(e, ERR_NOMEM, "batch");
		b->rows = p;
		b->capn = nc;
	}
	if (b->w == NULL) {
		b->len = 0;
		if ((b->w = bson_writer_new(&b->buf, &b->cap, 0, grow, NULL)) ==
		    NULL)
			return err_set(e, ERR_NOMEM, "batch");
	}
	if (!bson_writer_begin(b->w, doc))
		return err_set(e, ERR_NOMEM, "batch");
	return 0;
}

/* Keep the document just written as row `row`. */
static void
batch_end_doc(struct mbatch *b, const bson_t *doc, int64_t row)
{
	size_t len = doc->len;

	bson_writer_end(b->w);
	if (b->n == 0)
		b->off[0] = 0;
	b->len += len;
	b->rows[b->n++] = row;
	b->off[b->n] = b->len;
}

static void
doc_at(const struct mbatch *b, size_t i, bson_t *d)
{
	bson_init_static(d, b->buf + b->off[i], b->off[i + 1] - b->off[i]);
}

/* The document's _id as relaxed extended JSON (caller frees). */
static char *
id_json(const bson_t *d)
{
	bson_iter_t it;
	bson_t tmp = BSON_INITIALIZER;
	char *s = NULL;

	if (bson_iter_init_find(&it, d, "_id") &&
	    bson_append_iter(&tmp, "_id", 3, &it))
		s = bson_as_relaxed_extended_json(&tmp, NULL);
	bson_destroy(&tmp);
	return s;
}

static void
report(struct mload *m, const struct mbatch *b, ssize_t pos,
    const char *msg)
{
	bson_t d;
	char *id = NULL;

	if (m->o->on_error == NULL)
		return;
	if (pos >= 0) {
		doc_at(b, (size_t)pos, &d);
		id = id_json(&d);
	}
	pthread_mutex_lock(&m->report);
	m->o->on_error(m->o->ctx, pos >= 0 ? b->rows[pos] : -1,
	    id ? id : "", msg);
	pthread_mutex_unlock(&m->report);
	bson_free(id);
}

static void
count(struct mload *m, int64_t ins, int64_t errs, int64_t retries)
{
	pthread_mutex_lock(&m->mu);
	m->inserted += ins;
	m->errors += errs;
	m->retries += retries;
	if (errs > 0 && m->o->stop_on_error)
		m->stop = 1;
	pthread_mutex_unlock(&m->mu);
}

static void
set_fatal(struct mload *m, const struct err *e)
{
	pthread_mutex_lock(&m->mu);
	if (m->fatal.kind == ERR_NONE)
		m->fatal = *e;
	m->stop = 1;
	pthread_mutex_unlock(&m->mu);
}

static int
transient(const bson_error_t *be, const bson_t *reply, int *ambiguous)
{
	*ambiguous = 1;
	if (reply != NULL && mongoc_error_has_label(reply,
	    "RetryableWriteError"))
		return 1;
	if (be->domain == MONGOC_ERROR_SERVER_SELECTION) {
		*ambiguous = 0;
		return 1;
	}
	if (be->domain == MONGOC_ERROR_STREAM) {
		*ambiguous = be->code != MONGOC_ERROR_STREAM_CONNECT &&
		    be->code != MONGOC_ERROR_STREAM_NAME_RESOLUTION;
		return 1;
	}
	if (be->domain != MONGOC_ERROR_SERVER &&
	    be->domain != MONGOC_ERROR_QUERY)
		return 0;
	switch (be->code) {
	case 10107: case 13435: case 13436: case 189: case 11602:
	case 91: case 11600:
		*ambiguous = 0;
		return 1;
	case 262: case 50: case 89: case 9001: case 6: case 7:
		return 1;
	default:
		return 0;
	}
}

/* Full jitter: a random wait in (0, min(20 s, 100 ms × 2^attempt)]. */
static void
backoff(int attempt, unsigned *seed)
{
	unsigned cap = 100u << (attempt < 8 ? attempt : 8), ms;
	struct timespec ts;

	if (cap > 20000)
		cap = 20000;
	ms = (unsigned)(rand_r(seed) % (int)cap) + 1;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static int
same_value(const bson_iter_t *a, const bson_iter_t *b)
{
	bson_t x = BSON_INITIALIZER, y = BSON_INITIALIZER;
	int same;

	same = bson_append_iter(&x, "", 0, a) && bson_append_iter(&y, "", 0,
	    b) && x.len == y.len && memcmp(bson_get_data(&x),
	    bson_get_data(&y), x.len) == 0;
	bson_destroy(&x);
	bson_destroy(&y);
	return same;
}

/*
 * After an ambiguous failure: which pending documents are on the server?
 * Marks them done (counted as inserted). 0, or -1 (lookup failed).
 */
static int
recover(struct mload *m, mongoc_collection_t *c, const struct mbatch *b,
    size_t *pending, size_t *np, int64_t *recovered)
{
	bson_t filter = BSON_INITIALIZER, in, inner, opts = BSON_INITIALIZER;
	bson_t proj, d;
	bson_iter_t it, fit;
	mongoc_cursor_t *cur;
	const bson_t *found;
	uint8_t *hit;
	size_t i, k, n = *np;
	char key[16];
	const char *ks;
	int rc = 0;

	(void)m;
	if ((hit = calloc(n ? n : 1, 1)) == NULL)
		return -1;
	BSON_APPEND_DOCUMENT_BEGIN(&filter, "_id", &inner);
	BSON_APPEND_ARRAY_BEGIN(&inner, "$in", &in);
	for (i = 0; i < n; i++) {
		doc_at(b, pending[i], &d);
		bson_uint32_to_string((uint32_t)i, &ks, key, sizeof(key));
		if (bson_iter_init_find(&it, &d, "_id"))
			bson_append_iter(&in, ks, -1, &it);
	}
	bson_append_array_end(&inner, &in);
	bson_append_document_end(&filter, &inner);
	BSON_APPEND_DOCUMENT_BEGIN(&opts, "projection", &proj);
	BSON_APPEND_INT32(&proj, "_id", 1);
	bson_append_document_end(&opts, &proj);
	cur = mongoc_collection_find_with_opts(c, &filter, &opts, NULL);
	while (mongoc_cursor_next(cur, &found)) {
		if (!bson_iter_init_find(&fit, found, "_id"))
			continue;
		for (i = 0; i < n; i++) {
			if (hit[i])
				continue;
			doc_at(b, pending[i], &d);
			if (bson_iter_init_find(&it, &d, "_id") &&
			    same_value(&it, &fit)) {
				hit[i] = 1;
				break;
			}
		}
	}
	if (mongoc_cursor_error(cur, NULL))
		rc = -1;
	mongoc_cursor_destroy(cur);
	bson_destroy(&filter);
	bson_destroy(&opts);
	if (rc == 0) {
		for (i = k = 0; i < n; i++)
			if (hit[i])
				(*recovered)++;
			else
				pending[k++] = pending[i];
		*np = k;
	}
	free(hit);
	return rc;
}

static int64_t
reply_int(const bson_t *reply, const char *key)
{
	bson_iter_t it;

	if (bson_iter_init_find(&it, reply, key) &&
	    BSON_ITER_HOLDS_NUMBER(&it))
		return bson_iter_as_int64(&it);
	return 0;
}

/* writeErrors of the reply: report each, return how many. */
static int64_t
write_errors(struct mload *m, const bson_t *reply, const struct mbatch *b,
    const size_t *sent, size_t nsent)
{
	bson_iter_t it, ai, ei;
	int64_t n = 0, idx;
	char msg[600];
	const char *em;
	int32_t code;

	if (!bson_iter_init_find(&it, reply, "writeErrors") ||
	    !BSON_ITER_HOLDS_ARRAY(&it) || !bson_iter_recurse(&it, &ai))
		return 0;
	while (bson_iter_next(&ai)) {
		bson_t ed;
		const uint8_t *p;
		uint32_t l;

		if (!BSON_ITER_HOLDS_DOCUMENT(&ai))
			continue;
		bson_iter_document(&ai, &l, &p);
		if (!bson_init_static(&ed, p, l))
			continue;
		idx = reply_int(&ed, "index");
		code = (int32_t)reply_int(&ed, "code");
		em = bson_iter_init_find(&ei, &ed, "errmsg") &&
		    BSON_ITER_HOLDS_UTF8(&ei) ? bson_iter_utf8(&ei, NULL) : "";
		snprintf(msg, sizeof(msg), "write error %d: %s", (int)code, em);
		n++;
		report(m, b, idx >= 0 && (size_t)idx < nsent ?
		    (ssize_t)sent[idx] : -1, msg);
	}
	return n;
}

/* Insert one batch with retries; updates the shared counters. */
static void
insert_batch(struct mload *m, mongoc_collection_t *c, struct mbatch *b)
{
	bson_t opts = BSON_INITIALIZER, iopts = BSON_INITIALIZER, reply, d;
	bson_error_t be;
	mongoc_bulk_operation_t *bulk;
	size_t *pending, np = 0, i;
	int64_t ins = 0, errs = 0, rec = 0, tries = 0, nins, nwe;
	int attempt, amb, ok;
	char msg[700];
	struct err e = { 0 };
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)b;

	if ((pending = malloc((b->n ? b->n : 1) * sizeof(*pending))) == NULL) {
		err_set(&e, ERR_NOMEM, "batch");
		set_fatal(m, &e);
		return;
	}
	for (i = 0; i < b->n; i++)
		pending[np++] = i;
	BSON_APPEND_BOOL(&opts, "ordered", m->o->ordered != 0);
	mongoc_write_concern_append(m->wc, &opts);
	BSON_APPEND_BOOL(&iopts, "validate", false);
	for (attempt = 0; np > 0; attempt++) {
		bulk = mongoc_collection_create_bulk_operation_with_opts(c,
		    &opts);
		for (i = 0; i < np; i++) {
			doc_at(b, pending[i], &d);
			mongoc_bulk_operation_insert_with_opts(bulk, &d, &iopts,
			    NULL);
		}
		ok = mongoc_bulk_operation_execute(bulk, &reply, &be) != 0;
		mongoc_bulk_operation_destroy(bulk);
		if (ok && !mongoc_write_concern_is_acknowledged(m->wc)) {
			bson_destroy(&reply);
			break;
		}
		nins = reply_int(&reply, "nInserted");
		nwe = write_errors(m, &reply, b, pending, np);
		if (ok || nwe > 0 || be.domain == MONGOC_ERROR_WRITE_CONCERN) {
			ins += nins;
			errs += nwe;
			if (!ok && nwe == 0) {
				snprintf(msg, sizeof(msg), "rows %lld..%lld: "
				    "write concern error: %s",
				    (long long)b->rows[0],
				    (long long)b->rows[b->n - 1], be.message);
				report(m, b, -1, msg);
				errs += 1;
			} else if (m->o->ordered &&
			    (int64_t)np > nins + nwe) {
				/* Ordered: the rest was never attempted. */
				errs += (int64_t)np - nins - nwe;
				report(m, b, -1, "ordered bulk stopped at the "
				    "first write error; later rows not "
				    "inserted");
			}
			bson_destroy(&reply);
			break;
		}
		if (!transient(&be, &reply, &amb) ||
		    attempt >= m->o->retries) {
			ins += nins;
			errs += (int64_t)np - nins;
			snprintf(msg, sizeof(msg), "rows %lld..%lld (%zu "
			    "documents): %s%s (domain %u code %u)",
			    (long long)b->rows[pending[0]],
			    (long long)b->rows[pending[np - 1]], np,
			    attempt >= m->o->retries && transient(&be, &reply,
			    &amb) ? "retries exhausted: " : "", be.message,
			    be.domain, be.code);
			report(m, b, (ssize_t)pending[0], msg);
			if (transient(&be, &reply, &amb)) {
				err_set(&e, ERR_TRANSIENT, "%s", msg);
				set_fatal(m, &e);
			}
			bson_destroy(&reply);
			break;
		}
		bson_destroy(&reply);
		ins += nins;
		tries++;
		backoff(attempt, &seed);
		if (amb || nins > 0) {
			while (recover(m, c, b, pending, &np, &rec) != 0) {
				if (++attempt > m->o->retries)
					break;
				tries++;
				backoff(attempt, &seed);
			}
			if (attempt > m->o->retries) {
				errs += (int64_t)np;
				snprintf(msg, sizeof(msg), "rows %lld..%lld: "
				    "could not look up inserted _ids after "
				    "a failed insert", (long long)b->rows[0],
				    (long long)b->rows[b->n - 1]);
				report(m, b, -1, msg);
				err_set(&e, ERR_TRANSIENT, "%s", msg);
				set_fatal(m, &e);
				break;
			}
			/* Recovered rows replace this attempt's nInserted. */
			ins -= nins;
		}
	}
	count(m, ins + rec, errs, tries);
	free(pending);
	bson_destroy(&opts);
	bson_destroy(&iopts);
}

static void *
worker(void *arg)
{
	struct mload *m = arg;
	mongoc_client_t *cl = mongoc_client_pool_pop(m->pool);
	mongoc_collection_t *c = mongoc_client_get_collection(cl, m->o->db,
	    m->target);
	struct mbatch *b;

	for (;;) {
		pthread_mutex_lock(&m->mu);
		while (m->head == NULL && !m->closed)
			pthread_cond_wait(&m->cv_get, &m->mu);
		if ((b = m->head) == NULL) {
			pthread_mutex_unlock(&m->mu);
			break;
		}
		if ((m->head = b->next) == NULL)
			m->tail = NULL;
		m->queued--;
		pthread_cond_signal(&m->cv_put);
		if (m->stop) {
			pthread_mutex_unlock(&m->mu);
			batch_put(m, b);
			continue;
		}
		pthread_mutex_unlock(&m->mu);
		insert_batch(m, c, b);
		batch_put(m, b);
	}
	mongoc_collection_destroy(c);
	mongoc_client_pool_push(m->pool, cl);
	return NULL;
}

/* Queue a batch (blocks while the queue is full). 0, or -1 if stopped. */
static int
put(struct mload *m, struct mbatch *b)
{
	if (b->w != NULL) {
		bson_writer_destroy(b->w);
		b->w = NULL;
	}
	pthread_mutex_lock(&m->mu);
	while (m->queued >= m->o->workers && !m->stop)
		pthread_cond_wait(&m->cv_put, &m->mu);
	if (m->stop) {
		pthread_mutex_unlock(&m->mu);
		batch_put(m, b);
		return -1;
	}
	b->next = NULL;
	if (m->tail)
		m->tail->next = b;
	else
		m->head = b;
	m->tail = b;
	m->queued++;
	pthread_cond_signal(&m->cv_get);
	pthread_mutex_unlock(&m->mu);
	return 0;
}


static int
stopped(struct mload *m)
{
	int s;

	pthread_mutex_lock(&m->mu);
	s = m->stop;
	pthread_mutex_unlock(&m->mu);
	return s;
}

static void
row_error(struct mload *m, int64_t row, const char *msg)
{
	if (m->o->on_error != NULL) {
		pthread_mutex_lock(&m->report);
		m->o->on_error(m->o->ctx, row, "", msg);
		pthread_mutex_unlock(&m->report);
	}
	count(m, 0, 1, 0);
}

/* Convert and queue every row; 0 at a clean end, -1 with err. */
static int
read_rows(struct mload *m, struct ipcr *r, int id_col,
    struct mload_result *res, struct err *e)
{
	const struct ipcr_batch *ib;
	struct mbatch *cur = NULL;
	struct err re;
	bson_t *doc;
	int64_t i;
	int rc;
	char msg[600];

	while ((rc = ipcr_next(r, &ib, e)) == 1) {
		for (i = 0; i < ib->length; i++) {
			/* The lock is cheap, but not per row. */
			if ((i & 255) == 0 && stopped(m))
				break;
			if (cur == NULL && (cur = batch_get(m)) == NULL) {
				rc = err_set(e, ERR_NOMEM, "batch");
				break;
			}
			if (batch_begin_doc(cur, &doc, e) != 0) {
				rc = -1;
				break;
			}
			res->rows++;
			if (a2b_row(ib, i, id_col, m->o->keep_nulls, 1, doc,
			    &re) != 0) {
				bson_writer_rollback(cur->w);
				row_error(m, res->rows - 1, re.msg);
				continue;
			}
			if (doc->len > MLOAD_MAX_DOC) {
				snprintf(msg, sizeof(msg), "document of %u "
				    "bytes exceeds 16 MiB", doc->len);
				bson_writer_rollback(cur->w);
				row_error(m, res->rows - 1, msg);
				continue;
			}
			if (cur->n > 0 && cur->len + doc->len >
			    MLOAD_BATCH_BYTES) {
				/* Full: send it, convert this row again. */
				bson_writer_rollback(cur->w);
				put(m, cur);
				cur = NULL;
				res->rows--;
				i--;
				continue;
			}
			batch_end_doc(cur, doc, res->rows - 1);
			if (cur->n >= (size_t)m->o->batch_size) {
				put(m, cur);
				cur = NULL;
			}
		}
		if (rc < 0 || stopped(m))
			break;
		if (m->o->on_progress)
			m->o->on_progress(m->o->ctx, res->rows);
	}
	if (cur != NULL && cur->n > 0 && rc >= 0)
		put(m, cur);
	else
		batch_put(m, cur);
	if (rc == 0)
		res->complete = 1;
	return rc < 0 ? -1 : 0;
}

static int
setup(struct mload *m, const struct mload_opts *o, struct err *e)
{
	mongoc_uri_t *uri;
	bson_error_t be;
	long long w;
	char *end;

	if ((uri = mongoc_uri_new_with_error(o->uri, &be)) == NULL)
		return err_set(e, ERR_USAGE, "bad MongoDB URI: %s",
		    be.message);
	m->pool = mongoc_client_pool_new(uri);
	mongoc_uri_destroy(uri);
	if (m->pool == NULL)
		return err_set(e, ERR_USAGE, "bad MongoDB URI");
	mongoc_client_pool_set_error_api(m->pool, 2);
	mongoc_client_pool_set_appname(m->pool, "mongoload");
	mongoc_client_pool_max_size(m->pool, (uint32_t)o->workers + 1);
	m->wc = mongoc_write_concern_new();
	if (strcmp(o->w, "majority") == 0)
		mongoc_write_concern_set_w(m->wc,
		    MONGOC_WRITE_CONCERN_W_MAJORITY);
	else {
		w = strtoll(o->w, &end, 10);
		if (*o->w == '\0' || *end != '\0' || w < 0 || w > 1000)
			return err_set(e, ERR_USAGE, "bad write concern %s",
			    o->w);
		mongoc_write_concern_set_w(m->wc, (int32_t)w);
	}
	if (o->journal)
		mongoc_write_concern_set_journal(m->wc, true);
	return 0;
}

/* The checks that decide success, in order of importance. */
static int
verdict(struct mload *m, const struct mload_result *res, struct err *e)
{
	if (m->fatal.kind != ERR_NONE) {
		*e = m->fatal;
		return -1;
	}
	if (res->errors > 0)
		return err_set(e, ERR_REMOTE, "%lld of %lld rows failed",
		    (long long)res->errors, (long long)res->rows);
	if (!res->unverified && res->inserted != res->rows)
		return err_set(e, ERR_REMOTE, "count mismatch: read %lld rows, "
		    "server reported %lld inserted", (long long)res->rows,
		    (long long)res->inserted);
	if (m->o->expect_count >= 0 && res->rows != m->o->expect_count)
		return err_set(e, ERR_REMOTE, "count mismatch: expected %lld "
		    "rows, read %lld", (long long)m->o->expect_count,
		    (long long)res->rows);
	return 0;
}

int
mload_run(const struct mload_opts *o, ipcr_read_fn fn, void *rctx,
    struct mload_result *res, struct err *e)
{
	struct mload m;
	struct ipcr *r;
	mongoc_client_t *ctl = NULL;
	pthread_t th[MLOAD_MAX_WORKERS];
	char tmp[512], keep[ERR_MSG_MAX];
	const struct ipcr_field *f;
	struct err de;
	size_t nf;
	double t0 = clock_sec();
	int64_t before = 0, est;
	int id_col, nth = 0, rc = -1, created = 0, exists, i;

	memset(res, 0, sizeof(*res));
	memset(&m, 0, sizeof(m));
	res->estimated = -1;
	res->unverified = strcmp(o->w, "0") == 0;
	m.o = o;
	m.target = o->coll;
	pthread_mutex_init(&m.mu, NULL);
	pthread_mutex_init(&m.report, NULL);
	pthread_cond_init(&m.cv_put, NULL);
	pthread_cond_init(&m.cv_get, NULL);
	/* A stream whose schema is bad never touches the server. */
	if ((r = ipcr_open(fn, rctx, e)) == NULL)
		goto out;
	f = ipcr_fields(r, &nf);
	if (a2b_check_schema(f, nf, &id_col, e) != 0 || setup(&m, o, e) != 0)
		goto out;
	ctl = mongoc_client_pool_pop(m.pool);
	if (o->replace) {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.mongoload-tmp-%ld-"
		    "%lld", o->coll, (long)getpid(), (long long)time(NULL)) >=
		    sizeof(tmp)) {
			err_set(e, ERR_USAGE, "collection name too long");
			goto out;
		}
		if (mload_create_like(ctl, o->db, o->coll, tmp, &exists, e)
		    != 0)
			goto out;
		created = 1;
		m.target = tmp;
	} else if (o->verify_estimated &&
	    mload_estimated(ctl, o->db, o->coll, &before, e) != 0)
		goto out;
	for (i = 0; i < o->workers; i++) {
		if (pthread_create(&th[i], NULL, worker, &m) != 0)
			break;
		nth++;
	}
	if (nth == 0) {
		err_set(e, ERR_NOMEM, "cannot start worker threads");
		goto out;
	}
	rc = read_rows(&m, r, id_col, res, e);
	pthread_mutex_lock(&m.mu);
	m.closed = 1;
	pthread_cond_broadcast(&m.cv_get);
	pthread_mutex_unlock(&m.mu);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	res->inserted = m.inserted;
	res->errors = m.errors;
	res->retries = m.retries;
	if (rc == 0)
		rc = verdict(&m, res, e);
	if (rc == 0 && o->replace &&
	    (mload_copy_indexes(ctl, o->db, o->coll, tmp, e) != 0 ||
	    mload_rename(ctl, o->db, tmp, o->coll, e) != 0))
		rc = -1;
	if (rc == 0 && o->replace)
		created = 0;
	if (rc == 0 && o->verify_estimated) {
		if (mload_estimated(ctl, o->db, o->coll, &est, e) != 0)
			rc = -1;
		else if ((res->estimated = est - before) != res->inserted)
			rc = err_set(e, ERR_REMOTE, "count mismatch: "
			    "estimatedDocumentCount grew by %lld, inserted "
			    "%lld", (long long)res->estimated,
			    (long long)res->inserted);
	}
out:
	if (created && ctl != NULL && mload_drop(ctl, o->db, tmp, &de) != 0) {
		memcpy(keep, e->msg, sizeof(keep));
		err_set(e, e->kind, "%s; also failed to drop the temporary "
		    "collection %s: %s", keep, tmp, de.msg);
	}
	res->bytes_in = r ? ipcr_bytes_in(r) : 0;
	res->seconds = clock_sec() - t0;
	ipcr_free(r);
	if (ctl != NULL)
		mongoc_client_pool_push(m.pool, ctl);
	if (m.pool != NULL)
		mongoc_client_pool_destroy(m.pool);
	if (m.wc != NULL)
		mongoc_write_concern_destroy(m.wc);
	while (m.spare != NULL) {
		struct mbatch *b = m.spare;

		m.spare = b->next;
		batch_free(b);
	}
	pthread_mutex_destroy(&m.mu);
	pthread_mutex_destroy(&m.report);
	pthread_cond_destroy(&m.cv_put);
	pthread_cond_destroy(&m.cv_get);
	return rc;
}
