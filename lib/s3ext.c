/*
 * s3ext.c: HEAD ?partNumber=N and the suffix-range GET (s3ext.h), on
 * the request engine of s3req.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3ext.h"
#include "s3int.h"

/* --- HEAD ?partNumber=N ------------------------------------------------ */

struct part_ctx {
	struct s3_object *obj;
	uint64_t	 part_size;
	int		 supported;
};

static int
part_on_head(struct s3_call *c, const struct http_response *r,
    struct err *e)
{
	struct part_ctx *p = c->arg;
	uint64_t a, b, total;
	char cr[128];

	(void)e;
	s3_fill_object(p->obj, r);
	p->part_size = p->obj->size;
	http_get(r, "Content-Range", cr, sizeof(cr));
	if (r->status == 206 && p->obj->parts > 0 &&
	    s3_content_range(cr, &a, &b, &total) == 0 &&
	    total != UINT64_MAX) {
		p->supported = 1;
		p->obj->size = total;
	} else
		p->obj->parts = 0;	/* a 200 says nothing about parts */
	return 0;
}

int
s3_head_part(struct s3_client *cl, const char *bucket, const char *key,
    unsigned part, struct s3_object *obj, uint64_t *part_size,
    struct s3_status *st, struct err *e)
{
	struct part_ctx p;
	struct s3_call c;
	char query[32];
	int rc;

	if (part < 1 || part > S3_MAX_PARTS)
		return err_set(e, ERR_USAGE, "part number %u outside 1..%d",
		    part, S3_MAX_PARTS);
	memset(&p, 0, sizeof(p));
	memset(obj, 0, sizeof(*obj));
	p.obj = obj;
	snprintf(query, sizeof(query), "partNumber=%u", part);
	s3_call_init(&c, "HeadObject", "HEAD", bucket, key);
	c.head = 1;
	c.query = query;
	c.part = (int)part;
	c.on_head = part_on_head;
	c.arg = &p;
	rc = s3_call_run(cl, &c, e);
	if (st)
		*st = c.st;
	if (rc != 0 && (c.st.http_status == 400 || c.st.http_status == 405 ||
	    c.st.http_status == 501)) {
		/* the parameter refused: not supported, not a failure */
		rc = 0;
		p.supported = 0;
	}
	s3_call_free(&c);
	if (rc != 0)
		return -1;
	if (part_size)
		*part_size = p.part_size;
	return p.supported;
}

/* --- GET bytes=-N --------------------------------------------------- */

struct suffix_ctx {
	struct s3_getw	 w;		/* first: the call's arg */
	uint64_t	 n;
	uint64_t	 first;		/* offset of the first byte wanted */
	uint64_t	 total;		/* object size, once w.known */
};

static int
suffix_prepare(struct s3_call *c, struct err *e)
{
	struct suffix_ctx *g = c->arg;
	struct s3_getw *w = &g->w;

	(void)e;
	c->nfields = 0;
	if (w->known)
		snprintf(w->range, sizeof(w->range), "bytes=%" PRIu64 "-%"
		    PRIu64, g->first + w->delivered, g->total - 1);
	else
		snprintf(w->range, sizeof(w->range), "bytes=-%" PRIu64, g->n);
	s3_call_field(c, "Range", w->range);
	if (w->known && w->obj.etag[0])
		s3_call_field(c, "If-Match", w->obj.etag);
	else if (w->if_match && *w->if_match)
		s3_call_field(c, "If-Match", w->if_match);
	return 0;
}

static int
suffix_on_head(struct s3_call *c, const struct http_response *r,
    struct err *e)
{
	struct suffix_ctx *g = c->arg;
	struct s3_getw *w = &g->w;
	struct s3_object obj;
	uint64_t a, b, total, from;
	char cr[128];

	if (s3_getw_head(w, r, &obj, cr, sizeof(cr), e) != 0)
		return -1;
	if (r->status == 206) {
		if (s3_content_range(cr, &a, &b, &total) != 0 ||
		    total == UINT64_MAX)
			return err_set(e, ERR_TRANSIENT, "bad Content-Range "
			    "'%s'", cr);
		if (!w->known) {
			g->first = a;
			g->total = total;
		} else if (a != g->first + w->delivered || total != g->total)
			return err_set(e, ERR_TRANSIENT, "range %" PRIu64 "-%"
			    PRIu64 "/%" PRIu64 " is not the one asked for",
			    a, b, total);
		w->skip = 0;
		w->limit = b - a + 1;
	} else {
		/* 200: the whole object */
		total = obj.size;
		if (!w->known) {
			g->first = total > g->n ? total - g->n : 0;
			g->total = total;
		}
		from = g->first + w->delivered;
		w->skip = from;
		w->limit = total - from;
	}
	if (!w->known) {
		w->obj = obj;
		w->known = 1;
	}
	w->obj.size = g->total;
	return 0;
}

int
s3_get_suffix(struct s3_client *cl, const char *bucket, const char *key,
    uint64_t n, const char *if_match,
    int (*sink)(void *, const void *, size_t, struct err *), void *arg,
    struct s3_object *obj, uint64_t *first, struct s3_status *st,
    struct err *e)
{
	struct suffix_ctx g;
	struct s3_call c;
	int rc;

	if (n == 0)
		return err_set(e, ERR_USAGE, "suffix range of 0 bytes");
	memset(&g, 0, sizeof(g));
	g.n = n;
	s3_getw_init(&g.w, &c, bucket, key, if_match, sink, arg);
	c.prepare = suffix_prepare;
	c.on_head = suffix_on_head;
	rc = s3_call_run(cl, &c, e);
	if (st)
		*st = c.st;
	if (rc != 0 && c.st.http_status == 416 && !g.w.known) {
		/* an empty object has no last byte: ask HEAD what it is */
		s3_call_free(&c);
		rc = s3_getw_empty(cl, &g.w, bucket, key, st, e);
		if (obj)
			*obj = g.w.obj;
		if (first)
			*first = 0;
		return rc;
	}
	if (rc == 0 && g.first + g.w.delivered < g.total)
		rc = s3_getw_short(e, bucket, key, g.w.delivered,
		    g.total - g.first);
	if (obj)
		*obj = g.w.obj;
	if (first)
		*first = g.first;
	s3_call_free(&c);
	return rc;
}
