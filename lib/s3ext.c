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
	uint64_t	 n;
	uint64_t	 first;		/* offset of the first byte wanted */
	uint64_t	 total;		/* object size, once known */
	int		 known;		/* first and total are known */
	uint64_t	 delivered;
	uint64_t	 skip;		/* leading bytes to drop (a 200) */
	uint64_t	 limit;		/* bytes still taken this attempt */
	const char	*if_match;
	char		 range[64];
	struct s3_object obj;
	int		(*sink)(void *, const void *, size_t, struct err *);
	void		*arg;
};

static int
suffix_prepare(struct s3_call *c, struct err *e)
{
	struct suffix_ctx *g = c->arg;

	(void)e;
	c->nfields = 0;
	if (g->known)
		snprintf(g->range, sizeof(g->range), "bytes=%" PRIu64 "-%"
		    PRIu64, g->first + g->delivered, g->total - 1);
	else
		snprintf(g->range, sizeof(g->range), "bytes=-%" PRIu64, g->n);
	s3_call_field(c, "Range", g->range);
	if (g->known && g->obj.etag[0])
		s3_call_field(c, "If-Match", g->obj.etag);
	else if (g->if_match && *g->if_match)
		s3_call_field(c, "If-Match", g->if_match);
	return 0;
}

static int
suffix_on_head(struct s3_call *c, const struct http_response *r,
    struct err *e)
{
	struct suffix_ctx *g = c->arg;
	struct s3_object obj;
	uint64_t a, b, total, from;
	char cr[128];

	s3_fill_object(&obj, r);
	if (g->known && strcmp(obj.etag, g->obj.etag) != 0)
		return err_set(e, ERR_REMOTE, "object changed during download "
		    "(ETag %s, was %s)", obj.etag, g->obj.etag);
	http_get(r, "Content-Range", cr, sizeof(cr));
	if (r->status == 206) {
		if (s3_content_range(cr, &a, &b, &total) != 0 ||
		    total == UINT64_MAX)
			return err_set(e, ERR_TRANSIENT, "bad Content-Range "
			    "'%s'", cr);
		if (!g->known) {
			g->first = a;
			g->total = total;
		} else if (a != g->first + g->delivered || total != g->total)
			return err_set(e, ERR_TRANSIENT, "range %" PRIu64 "-%"
			    PRIu64 "/%" PRIu64 " is not the one asked for",
			    a, b, total);
		g->skip = 0;
		g->limit = b - a + 1;
	} else {
		/* 200: the whole object */
		total = obj.size;
		if (!g->known) {
			g->first = total > g->n ? total - g->n : 0;
			g->total = total;
		}
		from = g->first + g->delivered;
		g->skip = from;
		g->limit = total - from;
	}
	if (!g->known) {
		g->obj = obj;
		g->known = 1;
	}
	g->obj.size = g->total;
	return 0;
}

static int
suffix_sink(void *arg, const void *buf, size_t len, struct err *e)
{
	struct suffix_ctx *g = arg;
	const char *p = buf;
	size_t n;

	if (g->skip > 0) {
		n = g->skip < len ? (size_t)g->skip : len;
		g->skip -= n;
		p += n;
		len -= n;
	}
	if ((uint64_t)len > g->limit)
		len = (size_t)g->limit;
	if (len == 0)
		return 0;
	g->limit -= len;
	g->delivered += len;
	return g->sink(g->arg, p, len, e);
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
	g.if_match = if_match;
	g.sink = sink;
	g.arg = arg;
	s3_call_init(&c, "GetObject", "GET", bucket, key);
	c.prepare = suffix_prepare;
	c.on_head = suffix_on_head;
	c.sink = suffix_sink;
	c.arg = &g;
	rc = s3_call_run(cl, &c, e);
	if (st)
		*st = c.st;
	if (rc != 0 && c.st.http_status == 416 && !g.known) {
		/* an empty object has no last byte: ask HEAD what it is */
		s3_call_free(&c);
		rc = s3_head(cl, bucket, key, &g.obj, st, e);
		if (rc == 0 && g.obj.size != 0)
			rc = err_set(e, ERR_REMOTE, "GetObject s3://%s/%s: 416 "
			    "for an object of %" PRIu64 " bytes", bucket, key,
			    g.obj.size);
		if (obj)
			*obj = g.obj;
		if (first)
			*first = 0;
		return rc;
	}
	if (rc == 0 && g.first + g.delivered < g.total)
		rc = err_set(e, ERR_TRANSIENT, "GetObject s3://%s/%s: short "
		    "body (%" PRIu64 " of %" PRIu64 " bytes)", bucket, key,
		    g.delivered, g.total - g.first);
	if (obj)
		*obj = g.obj;
	if (first)
		*first = g.first;
	s3_call_free(&c);
	return rc;
}
