/*
 * s3list.c: the paginated listings of s3.h: ListObjectsV2, ListBuckets,
 * ListMultipartUploads and ListParts. Each page is one call; its
 * document is parsed by s3xml, which streams records to the caller.
 */
#include <stdio.h>
#include <string.h>

#include "s3int.h"
#include "s3xml.h"

/* Upper bound on pages, so a server that never ends cannot loop us. */
#define MAX_PAGES	1000000

struct list_ctx {
	s3_entry_fn	 fn;
	void		*arg;
	struct s3xml_list	 page;
	struct s3xml_uploads	 upage;
	struct s3xml_parts	 ppage;
	int		(*part_fn)(void *, const struct s3_part *, struct err *);
};

static int
error_doc(const struct s3xml_error *xe, char *code, size_t n, char *msg,
    size_t mn)
{
	s3_copy(code, n, xe->code);
	s3_copy(msg, mn, xe->message);
	return 1;
}

static int
on_object(void *arg, const struct s3xml_object *o, struct err *e)
{
	struct list_ctx *l = arg;
	struct s3_entry en;

	memset(&en, 0, sizeof(en));
	en.key = o->key;
	en.size = o->size;
	en.etag = o->etag;
	en.last_modified = o->last_modified;
	en.storage_class = o->storage_class;
	return l->fn(l->arg, &en, e);
}

static int
on_prefix(void *arg, const char *prefix, struct err *e)
{
	struct list_ctx *l = arg;
	struct s3_entry en;

	memset(&en, 0, sizeof(en));
	en.key = prefix;
	en.is_prefix = 1;
	return l->fn(l->arg, &en, e);
}

static int
objects_check(struct s3_call *c, char *code, size_t n, char *msg, size_t mn,
    struct err *e)
{
	struct list_ctx *l = c->arg;
	struct s3xml_list_cb cb = { on_object, on_prefix, l };
	struct s3xml_error xe;
	int r;

	r = s3xml_list_objects(c->doc.data ? c->doc.data : "", c->doc.len,
	    &cb, &l->page, &xe, e);
	return r == 1 ? error_doc(&xe, code, n, msg, mn) : r;
}

int
s3_list_objects(struct s3_client *cl, const char *bucket, const char *prefix,
    const char *delimiter, unsigned page_size, s3_entry_fn fn, void *arg,
    struct s3_status *st, struct err *e)
{
	struct list_ctx l;
	struct s3_call c;
	struct strbuf q;
	char num[16];
	int rc = 0, pages;

	memset(&l, 0, sizeof(l));
	l.fn = fn;
	l.arg = arg;
	sb_init(&q, 0);
	for (pages = 0; pages < MAX_PAGES; pages++) {
		sb_reset(&q);
		url_query_add(&q, "list-type", "2");
		if (l.page.next_token[0])
			url_query_add(&q, "continuation-token",
			    l.page.next_token);
		if (delimiter && *delimiter)
			url_query_add(&q, "delimiter", delimiter);
		if (page_size) {
			snprintf(num, sizeof(num), "%u", page_size);
			url_query_add(&q, "max-keys", num);
		}
		if (prefix && *prefix)
			url_query_add(&q, "prefix", prefix);
		if ((rc = sb_error(&q, "query", e)) != 0)
			break;
		s3_call_init(&c, "ListObjectsV2", "GET", bucket, NULL);
		c.query = sb_cstr(&q);
		c.check_doc = objects_check;
		c.arg = &l;
		l.page.is_truncated = 0;
		rc = s3_call_run(cl, &c, e);
		if (st)
			*st = c.st;
		s3_call_free(&c);
		if (rc != 0 || !l.page.is_truncated)
			break;
		if (l.page.next_token[0] == '\0') {
			rc = err_set(e, ERR_FORMAT, "ListObjectsV2 s3://%s: "
			    "truncated page without a continuation token",
			    bucket);
			break;
		}
	}
	sb_free(&q);
	return rc;
}

static int
on_bucket(void *arg, const struct s3xml_bucket *b, struct err *e)
{
	struct list_ctx *l = arg;
	struct s3_entry en;

	memset(&en, 0, sizeof(en));
	en.key = b->name;
	en.last_modified = b->creation_date;
	return l->fn(l->arg, &en, e);
}

static int
buckets_check(struct s3_call *c, char *code, size_t n, char *msg, size_t mn,
    struct err *e)
{
	struct s3xml_error xe;
	int r;

	r = s3xml_list_buckets(c->doc.data ? c->doc.data : "", c->doc.len,
	    on_bucket, c->arg, &xe, e);
	return r == 1 ? error_doc(&xe, code, n, msg, mn) : r;
}

int
s3_list_buckets(struct s3_client *cl, s3_entry_fn fn, void *arg,
    struct s3_status *st, struct err *e)
{
	struct list_ctx l;
	struct s3_call c;
	int rc;

	memset(&l, 0, sizeof(l));
	l.fn = fn;
	l.arg = arg;
	s3_call_init(&c, "ListBuckets", "GET", "", NULL);
	c.check_doc = buckets_check;
	c.arg = &l;
	rc = s3_call_run(cl, &c, e);
	if (st)
		*st = c.st;
	s3_call_free(&c);
	return rc;
}

static int
on_upload(void *arg, const struct s3xml_upload *u, struct err *e)
{
	struct list_ctx *l = arg;
	struct s3_entry en;

	memset(&en, 0, sizeof(en));
	en.key = u->key;
	en.upload_id = u->upload_id;
	en.initiated = u->initiated;
	en.storage_class = u->storage_class;
	return l->fn(l->arg, &en, e);
}

static int
uploads_check(struct s3_call *c, char *code, size_t n, char *msg, size_t mn,
    struct err *e)
{
	struct list_ctx *l = c->arg;
	struct s3xml_error xe;
	int r;

	r = s3xml_list_uploads(c->doc.data ? c->doc.data : "", c->doc.len,
	    on_upload, l, &l->upage, &xe, e);
	return r == 1 ? error_doc(&xe, code, n, msg, mn) : r;
}

int
s3_list_uploads(struct s3_client *cl, const char *bucket, const char *prefix,
    s3_entry_fn fn, void *arg, struct s3_status *st, struct err *e)
{
	struct list_ctx l;
	struct s3_call c;
	struct strbuf q;
	char key_marker[S3XML_KEY], id_marker[S3XML_ID];
	int rc = 0, pages;

	memset(&l, 0, sizeof(l));
	l.fn = fn;
	l.arg = arg;
	key_marker[0] = id_marker[0] = '\0';
	sb_init(&q, 0);
	for (pages = 0; pages < MAX_PAGES; pages++) {
		sb_reset(&q);
		url_query_add(&q, "uploads", "");
		if (key_marker[0])
			url_query_add(&q, "key-marker", key_marker);
		if (prefix && *prefix)
			url_query_add(&q, "prefix", prefix);
		if (id_marker[0])
			url_query_add(&q, "upload-id-marker", id_marker);
		if ((rc = sb_error(&q, "query", e)) != 0)
			break;
		s3_call_init(&c, "ListMultipartUploads", "GET", bucket, NULL);
		c.query = sb_cstr(&q);
		c.check_doc = uploads_check;
		c.arg = &l;
		memset(&l.upage, 0, sizeof(l.upage));
		rc = s3_call_run(cl, &c, e);
		if (st)
			*st = c.st;
		s3_call_free(&c);
		if (rc != 0 || !l.upage.is_truncated)
			break;
		if (strcmp(key_marker, l.upage.next_key_marker) == 0 &&
		    strcmp(id_marker, l.upage.next_upload_id_marker) == 0) {
			rc = err_set(e, ERR_FORMAT, "ListMultipartUploads "
			    "s3://%s: truncated page without progress", bucket);
			break;
		}
		s3_copy(key_marker, sizeof(key_marker), l.upage.next_key_marker);
		s3_copy(id_marker, sizeof(id_marker), l.upage.next_upload_id_marker);
	}
	sb_free(&q);
	return rc;
}

static int
on_part(void *arg, const struct s3xml_part *p, struct err *e)
{
	struct list_ctx *l = arg;
	struct s3_part sp;

	memset(&sp, 0, sizeof(sp));
	if (p->part_number < 1 || p->part_number > S3_MAX_PARTS)
		return err_set(e, ERR_FORMAT, "ListParts: part number %llu",
		    (unsigned long long)p->part_number);
	sp.number = (unsigned)p->part_number;
	s3_copy(sp.etag, sizeof(sp.etag), p->etag);
	sp.size = p->size;
	return l->part_fn(l->arg, &sp, e);
}

static int
parts_check(struct s3_call *c, char *code, size_t n, char *msg, size_t mn,
    struct err *e)
{
	struct list_ctx *l = c->arg;
	struct s3xml_error xe;
	int r;

	r = s3xml_list_parts(c->doc.data ? c->doc.data : "", c->doc.len,
	    on_part, l, &l->ppage, &xe, e);
	return r == 1 ? error_doc(&xe, code, n, msg, mn) : r;
}

int
s3_list_parts(struct s3_client *cl, const char *bucket, const char *key,
    const char *upload_id,
    int (*fn)(void *, const struct s3_part *, struct err *), void *arg,
    struct s3_status *st, struct err *e)
{
	struct list_ctx l;
	struct s3_call c;
	struct strbuf q;
	char num[24];
	uint64_t marker = 0;
	int rc = 0, pages;

	memset(&l, 0, sizeof(l));
	l.part_fn = fn;
	l.arg = arg;
	sb_init(&q, 0);
	for (pages = 0; pages < MAX_PAGES; pages++) {
		sb_reset(&q);
		if (marker) {
			snprintf(num, sizeof(num), "%llu",
			    (unsigned long long)marker);
			url_query_add(&q, "part-number-marker", num);
		}
		url_query_add(&q, "uploadId", upload_id);
		if ((rc = sb_error(&q, "query", e)) != 0)
			break;
		s3_call_init(&c, "ListParts", "GET", bucket, key);
		c.query = sb_cstr(&q);
		c.check_doc = parts_check;
		c.arg = &l;
		memset(&l.ppage, 0, sizeof(l.ppage));
		rc = s3_call_run(cl, &c, e);
		if (st)
			*st = c.st;
		s3_call_free(&c);
		if (rc != 0 || !l.ppage.is_truncated)
			break;
		if (l.ppage.next_part_number_marker <= marker) {
			rc = err_set(e, ERR_FORMAT, "ListParts: truncated page "
			    "without progress");
			break;
		}
		marker = l.ppage.next_part_number_marker;
	}
	sb_free(&q);
	return rc;
}
