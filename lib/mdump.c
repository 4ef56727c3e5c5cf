/*
 * mdump.c: cursor loop, schema sample, batches, resume after errors.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mongoc/mongoc.h>

#include "clock.h"
#include "mdump.h"

struct run {
	const struct mdump_opts *o;
	mongoc_client_t		*client;
	mongoc_collection_t	*coll;
	struct arrow_writer	w;
	int			w_ok;
	struct b2a		*b;
	struct stats		*st;
	bson_t			**sample;
	size_t			nsample;
	size_t			sample_bytes;
	int			streaming;
	bson_value_t		last_id;
	int			have_last;
	int			sort_dir;	/* 1, -1, or 0: cannot resume */
	int64_t			batches;
	double			t0;
	double			last_progress;
	uint64_t		rnd;
};

static void
default_sleep(void *ctx, unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	(void)ctx;
	nanosleep(&ts, NULL);
}

static int
flush(struct run *r, struct err *e)
{
	if (b2a_rows(r->b) == 0)
		return 0;
	if (b2a_flush(r->b, &r->w, e) != 0)
		return -1;
	r->batches++;
	return 0;
}

static int
append_row(struct run *r, const bson_t *doc, struct err *e)
{
	if (b2a_append(r->b, doc, e) != 0)
		return -1;
	if (b2a_rows(r->b) >= r->o->rows_per_batch ||
	    b2a_bytes(r->b) >= r->o->batch_bytes)
		return flush(r, e);
	return 0;
}

/* The sample is complete: fix the schema, write it, replay the sample. */
static int
start_stream(struct run *r, struct err *e)
{
	const struct arrow_field *const *f;
	size_t i, n;
	int rc = 0;

	r->streaming = 1;
	if (b2a_finish_schema(r->b, e) != 0)
		return -1;
	f = b2a_fields(r->b, &n);
	if (arrow_write_schema(&r->w, f, n, e) != 0)
		return -1;
	for (i = 0; i < r->nsample; i++) {
		if (rc == 0)
			rc = append_row(r, r->sample[i], e);
		bson_destroy(r->sample[i]);
	}
	r->nsample = 0;
	return rc;
}

static int
consume(struct run *r, const bson_t *doc, struct err *e)
{
	bson_iter_t it;

	if (stats_doc(r->st, doc, e) != 0)
		return -1;
	if (r->sort_dir != 0) {
		if (r->have_last)
			bson_value_destroy(&r->last_id);
		r->have_last = 0;
		if (bson_iter_init_find(&it, doc, "_id")) {
			bson_value_copy(bson_iter_value(&it), &r->last_id);
			r->have_last = 1;
		}
	}
	if (r->streaming)
		return append_row(r, doc, e);
	if ((r->sample[r->nsample] = bson_copy(doc)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	r->nsample++;
	r->sample_bytes += doc->len;
	if (b2a_sample(r->b, doc, e) != 0)
		return -1;
	/* The sample is bounded in bytes too: batch_bytes of documents. */
	if ((long)r->nsample >= r->o->schema_sample ||
	    r->sample_bytes >= r->o->batch_bytes)
		return start_stream(r, e);
	return 0;
}

/* Can a find be resumed after the last _id? Sets r->sort_dir. */
static void
resumable(struct run *r)
{
	bson_iter_t it;

	r->sort_dir = 1;
	if (r->o->sort != NULL && !bson_empty(r->o->sort)) {
		r->sort_dir = 0;
		if (bson_count_keys(r->o->sort) == 1 &&
		    bson_iter_init_find(&it, r->o->sort, "_id") &&
		    BSON_ITER_HOLDS_NUMBER(&it))
			r->sort_dir = bson_iter_as_int64(&it) < 0 ? -1 : 1;
	}
	if (r->o->projection != NULL &&
	    bson_iter_init_find(&it, r->o->projection, "_id") &&
	    !bson_iter_as_bool(&it))
		r->sort_dir = 0;
}

static int
is_transient(const bson_error_t *be, int had_data)
{
	static const uint32_t codes[] = { 6, 7, 43, 89, 91, 189, 262, 9001,
	    10107, 11600, 11602, 13435, 13436 };
	size_t i;

	if (be->domain == MONGOC_ERROR_STREAM)
		return 1;
	if (be->domain == MONGOC_ERROR_SERVER_SELECTION)
		return had_data;
	if (be->domain == MONGOC_ERROR_SERVER ||
	    be->domain == MONGOC_ERROR_QUERY)
		for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
			if (be->code == codes[i])
				return 1;
	return 0;
}

static void
build_find(struct run *r, bson_t *filter, bson_t *opts)
{
	const struct mdump_opts *o = r->o;
	int64_t left;
	bson_t and, q, id, empty = BSON_INITIALIZER;

	bson_init(filter);
	if (!r->have_last) {
		if (o->query != NULL)
			bson_concat(filter, o->query);
	} else {
		bson_append_array_begin(filter, "$and", 4, &and);
		bson_append_document(&and, "0", 1, o->query ? o->query :
		    &empty);
		bson_append_document_begin(&and, "1", 1, &q);
		bson_append_document_begin(&q, "_id", 3, &id);
		bson_append_value(&id, r->sort_dir < 0 ? "$lt" : "$gt", 3,
		    &r->last_id);
		bson_append_document_end(&q, &id);
		bson_append_document_end(&and, &q);
		bson_append_array_end(filter, &and);
	}
	bson_init(opts);
	if (o->projection != NULL)
		BSON_APPEND_DOCUMENT(opts, "projection", o->projection);
	if (o->sort != NULL && !bson_empty(o->sort))
		BSON_APPEND_DOCUMENT(opts, "sort", o->sort);
	else {
		bson_append_document_begin(opts, "sort", 4, &q);
		BSON_APPEND_INT32(&q, "_id", 1);
		bson_append_document_end(opts, &q);
	}
	if (o->limit > 0) {
		left = o->limit - stats_docs(r->st);
		BSON_APPEND_INT64(opts, "limit", left > 0 ? left : 1);
	}
	if (o->batch_size > 0)
		BSON_APPEND_INT32(opts, "batchSize", o->batch_size);
}

static void
notice(struct run *r, const char *msg)
{
	if (r->o->notice != NULL)
		r->o->notice(r->o->cb_ctx, msg);
}

static unsigned
backoff_ms(struct run *r, int attempt)
{
	uint64_t cap = 100ULL << (attempt < 8 ? attempt : 8);

	if (cap > 20000)
		cap = 20000;
	r->rnd ^= r->rnd << 13;
	r->rnd ^= r->rnd >> 7;
	r->rnd ^= r->rnd << 17;
	return (unsigned)(r->rnd % (cap + 1));
}

/* Read the whole collection. */
static int
read_all(struct run *r, struct mdump_result *res, struct err *e)
{
	const struct mdump_opts *o = r->o;
	mongoc_cursor_t *cur;
	const bson_t *doc;
	bson_error_t be;
	bson_t filter, opts;
	int attempt = 0, failed, had;
	int64_t before;
	char msg[700];

	for (;;) {
		if (o->limit > 0 && stats_docs(r->st) >= o->limit)
			return 0;
		build_find(r, &filter, &opts);
		cur = mongoc_collection_find_with_opts(r->coll, &filter, &opts,
		    NULL);
		bson_destroy(&filter);
		bson_destroy(&opts);
		before = stats_docs(r->st);
		failed = 0;
		while (!failed && mongoc_cursor_next(cur, &doc)) {
			if (consume(r, doc, e) != 0)
				failed = 1;
			if (o->progress != NULL && clock_sec() - r->last_progress >=
			    1.0) {
				r->last_progress = clock_sec();
				o->progress(o->cb_ctx, stats_docs(r->st),
				    stats_bytes(r->st));
			}
		}
		if (failed) {
			mongoc_cursor_destroy(cur);
			return -1;
		}
		if (!mongoc_cursor_error(cur, &be)) {
			mongoc_cursor_destroy(cur);
			return 0;
		}
		mongoc_cursor_destroy(cur);
		had = stats_docs(r->st) > 0 || res->extra.retries > 0;
		if (stats_docs(r->st) > before)
			attempt = 0;	/* progress since the last error */
		if (!is_transient(&be, had))
			return err_set(e, ERR_REMOTE, "find on %s.%s: %s "
			    "(error %u, domain %u)", o->db, o->coll,
			    be.message, be.code, be.domain);
		if (r->sort_dir == 0)
			return err_set(e, ERR_TRANSIENT, "find on %s.%s: %s; "
			    "cannot resume: the sort is not by _id alone or "
			    "_id is not projected", o->db, o->coll,
			    be.message);
		if (attempt >= o->retries)
			return err_set(e, ERR_TRANSIENT, "find on %s.%s: %s "
			    "(gave up after %d retries)", o->db, o->coll,
			    be.message, attempt);
		res->extra.retries++;
		snprintf(msg, sizeof(msg), "retry %d/%d after %lld documents: "
		    "%s (error %u, domain %u)", attempt + 1, o->retries,
		    (long long)stats_docs(r->st), be.message, be.code,
		    be.domain);
		notice(r, msg);
		(o->sleep_ms ? o->sleep_ms : default_sleep)(o->cb_ctx,
		    backoff_ms(r, attempt));
		attempt++;
	}
}

static int
open_client(struct run *r, struct err *e)
{
	const struct mdump_opts *o = r->o;
	mongoc_uri_t *uri;
	bson_error_t be;

	if ((uri = mongoc_uri_new_with_error(o->uri, &be)) == NULL)
		return err_set(e, ERR_USAGE, "bad MongoDB URI: %s",
		    be.message);
	/* Finite defaults even if libmongoc's change. */
	if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri,
		    MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 30000);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri,
		    MONGOC_URI_CONNECTTIMEOUTMS, 10000);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_SOCKETTIMEOUTMS))
		mongoc_uri_set_option_as_int32(uri,
		    MONGOC_URI_SOCKETTIMEOUTMS, 300000);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_APPNAME))
		mongoc_uri_set_appname(uri, "mongodump-arrow");
	r->client = mongoc_client_new_from_uri_with_error(uri, &be);
	mongoc_uri_destroy(uri);
	if (r->client == NULL)
		return err_set(e, ERR_USAGE, "MongoDB client: %s", be.message);
	mongoc_client_set_error_api(r->client, MONGOC_ERROR_API_VERSION_2);
	r->coll = mongoc_client_get_collection(r->client, o->db, o->coll);
	return 0;
}

int
mdump_run(const struct mdump_opts *o, struct mdump_result *res,
    struct err *e)
{
	struct run r;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.t0 = clock_sec();
	r.last_progress = r.t0;
	r.rnd = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	r.rnd |= 1;
	if (o->schema_sample < 1 || o->rows_per_batch < 1)
		return err_set(e, ERR_USAGE, "schema sample and rows per "
		    "batch must be positive");
	mongoc_init();
	resumable(&r);
	if ((r.sample = calloc((size_t)o->schema_sample,
	    sizeof(*r.sample))) == NULL) {
		err_set(e, ERR_NOMEM, "out of memory for the schema sample");
		goto done;
	}
	if ((res->stats = r.st = stats_new(o->group_by, e)) == NULL ||
	    (res->b2a = r.b = b2a_new(o->mismatch, o->decimal, e)) == NULL)
		goto done;
	b2a_set_plain_metadata(r.b, o->plain_meta);
	if (arrow_writer_init(&r.w, o->sink, o->sink_ctx, o->compression,
	    o->zstd_level, e) != 0)
		goto done;
	r.w_ok = 1;
	if (open_client(&r, e) != 0 || read_all(&r, res, e) != 0)
		goto done;
	if (stats_docs(r.st) == 0 && !o->allow_empty) {
		err_set(e, ERR_REMOTE, "no documents: %s.%s is empty or does "
		    "not exist, or the query matched nothing (--allow-empty "
		    "writes an empty stream)", o->db, o->coll);
		goto done;
	}
	if (!r.streaming && start_stream(&r, e) != 0)
		goto done;
	if (flush(&r, e) != 0 || arrow_write_eos(&r.w, e) != 0)
		goto done;
	rc = 0;
done:
	for (i = 0; i < r.nsample; i++)
		bson_destroy(r.sample[i]);
	free(r.sample);
	if (r.have_last)
		bson_value_destroy(&r.last_id);
	res->extra.seconds = clock_sec() - r.t0;
	res->extra.batches = r.batches;
	res->extra.arrow_bytes = r.w.bytes_out;
	res->extra.mismatches = r.b ? b2a_mismatches(r.b) : 0;
	if (r.w_ok)
		arrow_writer_free(&r.w);
	mongoc_collection_destroy(r.coll);
	mongoc_client_destroy(r.client);
	mongoc_cleanup();
	return rc;
}

void
mdump_result_free(struct mdump_result *res)
{
	stats_free(res->stats);
	b2a_free(res->b2a);
	memset(res, 0, sizeof(*res));
}
