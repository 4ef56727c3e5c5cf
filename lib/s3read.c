/*
 * s3read.c: GetObject with ranges, If-Match, and retries that resume at
 * the first byte not yet delivered; the resuming window (struct s3_getw,
 * s3int.h) is shared with the suffix-range GET of s3ext.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3int.h"

struct get_ctx {
	struct s3_getw	 w;		/* first: the call's arg */
	uint64_t	 start, end;	/* requested, end inclusive */
};

static int
get_prepare(struct s3_call *c, struct err *e)
{
	struct get_ctx *g = c->arg;
	struct s3_getw *w = &g->w;
	uint64_t from = g->start + w->delivered;

	(void)e;
	c->nfields = 0;
	if (from > 0 || g->end != UINT64_MAX) {
		if (g->end != UINT64_MAX)
			snprintf(w->range, sizeof(w->range), "bytes=%" PRIu64
			    "-%" PRIu64, from, g->end);
		else
			snprintf(w->range, sizeof(w->range), "bytes=%" PRIu64
			    "-", from);
		s3_call_field(c, "Range", w->range);
	}
	if (w->if_match && *w->if_match)
		s3_call_field(c, "If-Match", w->if_match);
	return 0;
}

int
s3_content_range(const char *s, uint64_t *a, uint64_t *b, uint64_t *total)
{
	char *end;

	if (strncmp(s, "bytes ", 6) != 0 || s[6] < '0' || s[6] > '9')
		return -1;
	s += 6;
	*a = strtoull(s, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	s = end + 1;
	*b = strtoull(s, &end, 10);
	if (*end != '/' || *b < *a)
		return -1;
	s = end + 1;
	if (s[0] == '*' && s[1] == '\0') {
		*total = UINT64_MAX;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	*total = strtoull(s, &end, 10);
	return *end != '\0' || *total <= *b ? -1 : 0;
}

static int
get_on_head(struct s3_call *c, const struct http_response *r, struct err *e)
{
	struct get_ctx *g = c->arg;
	struct s3_getw *w = &g->w;
	struct s3_object obj;
	uint64_t from = g->start + w->delivered, a, b, total;
	char cr[128];

	if (s3_getw_head(w, r, &obj, cr, sizeof(cr), e) != 0)
		return -1;
	if (r->status == 206) {
		if (s3_content_range(cr, &a, &b, &total) != 0)
			return err_set(e, ERR_TRANSIENT, "bad Content-Range "
			    "'%s'", cr);
		if (a != from)
			return err_set(e, ERR_TRANSIENT, "range starts at %"
			    PRIu64 ", asked for %" PRIu64, a, from);
		obj.size = total;
		w->skip = 0;
		w->limit = b - a + 1;
	} else {
		/* 200: the whole object, Range ignored or not sent */
		w->skip = from;
		w->limit = g->end == UINT64_MAX ? UINT64_MAX :
		    g->end - from + 1;
	}
	if (!w->known) {
		w->obj = obj;
		w->known = 1;
	} else
		w->obj.size = obj.size;
	return 0;
}

/* --- the resuming GET shared with s3ext.c (s3int.h) ------------------ */

void
s3_getw_init(struct s3_getw *w, struct s3_call *c, const char *bucket,
    const char *key, const char *if_match,
    int (*sink)(void *, const void *, size_t, struct err *), void *arg)
{
	memset(w, 0, sizeof(*w));
	w->if_match = if_match;
	w->sink = sink;
	w->arg = arg;
	s3_call_init(c, "GetObject", "GET", bucket, key);
	c->sink = s3_getw_sink;
	c->arg = w;
}

int
s3_getw_head(const struct s3_getw *w, const struct http_response *r,
    struct s3_object *now, char *cr, size_t n, struct err *e)
{
	s3_fill_object(now, r);
	if (w->known && strcmp(now->etag, w->obj.etag) != 0)
		return err_set(e, ERR_REMOTE, "object changed during download "
		    "(ETag %s, was %s)", now->etag, w->obj.etag);
	http_get(r, "Content-Range", cr, n);
	return 0;
}

int
s3_getw_sink(void *arg, const void *buf, size_t len, struct err *e)
{
	struct s3_getw *w = arg;
	const char *p = buf;
	size_t n;

	if (w->skip > 0) {
		n = w->skip < len ? (size_t)w->skip : len;
		w->skip -= n;
		p += n;
		len -= n;
	}
	if ((uint64_t)len > w->limit)
		len = (size_t)w->limit;
	if (len == 0)
		return 0;
	w->limit -= len;
	w->delivered += len;
	return w->sink(w->arg, p, len, e);
}

int
s3_getw_empty(struct s3_client *cl, struct s3_getw *w, const char *bucket,
    const char *key, struct s3_status *st, struct err *e)
{
	if (s3_head(cl, bucket, key, &w->obj, st, e) != 0)
		return -1;
	if (w->obj.size != 0)
		return err_set(e, ERR_REMOTE, "GetObject s3://%s/%s: 416 for "
		    "an object of %" PRIu64 " bytes", bucket, key,
		    w->obj.size);
	return 0;
}

int
s3_getw_short(struct err *e, const char *bucket, const char *key,
    uint64_t got, uint64_t want)
{
	return err_set(e, ERR_TRANSIENT, "GetObject s3://%s/%s: short body "
	    "(%" PRIu64 " of %" PRIu64 " bytes)", bucket, key, got, want);
}

/* --- s3_get ------------------------------------------------------------- */

int
s3_get(struct s3_client *cl, const char *bucket, const char *key,
    uint64_t start, uint64_t end, const char *if_match,
    int (*sink)(void *, const void *, size_t, struct err *), void *arg,
    struct s3_object *obj, struct s3_status *st, struct err *e)
{
	struct get_ctx g;
	struct s3_call c;
	int rc;

	if (end < start)
		return err_set(e, ERR_USAGE, "empty range %" PRIu64 "-%" PRIu64,
		    start, end);
	memset(&g, 0, sizeof(g));
	g.start = start;
	g.end = end;
	s3_getw_init(&g.w, &c, bucket, key, if_match, sink, arg);
	c.prepare = get_prepare;
	c.on_head = get_on_head;
	rc = s3_call_run(cl, &c, e);
	if (rc != 0 && c.st.http_status == 416 && start == 0) {
		/* an empty object has no byte 0: ask HEAD what it is */
		s3_call_free(&c);
		rc = s3_getw_empty(cl, &g.w, bucket, key, st, e);
		if (rc == 0 && obj)
			*obj = g.w.obj;
		return rc;
	}
	if (rc == 0 && g.end != UINT64_MAX &&
	    g.start + g.w.delivered <= g.end &&
	    g.start + g.w.delivered < g.w.obj.size)
		rc = s3_getw_short(e, bucket, key, g.w.delivered,
		    g.end - g.start + 1);
	if (obj)
		*obj = g.w.obj;
	if (st)
		*st = c.st;
	s3_call_free(&c);
	return rc;
}
