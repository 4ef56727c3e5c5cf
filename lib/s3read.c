/*
 * s3read.c: GetObject with ranges, If-Match, and retries that resume at
 * the first byte not yet delivered.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3int.h"

struct get_ctx {
	uint64_t	 start, end;	/* requested, end inclusive */
	uint64_t	 delivered;	/* bytes handed to the sink */
	uint64_t	 skip;		/* leading bytes to drop this attempt */
	uint64_t	 limit;		/* bytes still wanted this attempt */
	const char	*if_match;
	char		 range[64];
	int		(*sink)(void *, const void *, size_t, struct err *);
	void		*arg;
	struct s3_object obj;
	int		 have_etag;
};

static int
get_prepare(struct s3_call *c, struct err *e)
{
	struct get_ctx *g = c->arg;
	uint64_t from = g->start + g->delivered;

	(void)e;
	c->nfields = 0;
	if (from > 0 || g->end != UINT64_MAX) {
		if (g->end != UINT64_MAX)
			snprintf(g->range, sizeof(g->range), "bytes=%" PRIu64
			    "-%" PRIu64, from, g->end);
		else
			snprintf(g->range, sizeof(g->range), "bytes=%" PRIu64
			    "-", from);
		s3_call_field(c, "Range", g->range);
	}
	if (g->if_match && *g->if_match)
		s3_call_field(c, "If-Match", g->if_match);
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
	struct s3_object obj;
	uint64_t from = g->start + g->delivered, a, b, total;
	char cr[128];

	s3_fill_object(&obj, r);
	if (g->have_etag && strcmp(obj.etag, g->obj.etag) != 0)
		return err_set(e, ERR_REMOTE, "object changed during download "
		    "(ETag %s, was %s)", obj.etag, g->obj.etag);
	http_get(r, "Content-Range", cr, sizeof(cr));
	if (r->status == 206) {
		if (s3_content_range(cr, &a, &b, &total) != 0)
			return err_set(e, ERR_TRANSIENT, "bad Content-Range "
			    "'%s'", cr);
		if (a != from)
			return err_set(e, ERR_TRANSIENT, "range starts at %"
			    PRIu64 ", asked for %" PRIu64, a, from);
		obj.size = total;
		g->skip = 0;
		g->limit = b - a + 1;
	} else {
		/* 200: the whole object, Range ignored or not sent */
		g->skip = from;
		g->limit = g->end == UINT64_MAX ? UINT64_MAX :
		    g->end - from + 1;
	}
	if (!g->have_etag) {
		g->obj = obj;
		g->have_etag = 1;
	} else
		g->obj.size = obj.size;
	return 0;
}

static int
get_sink(void *arg, const void *buf, size_t len, struct err *e)
{
	struct get_ctx *g = arg;
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
	g.if_match = if_match;
	g.sink = sink;
	g.arg = arg;
	s3_call_init(&c, "GetObject", "GET", bucket, key);
	c.prepare = get_prepare;
	c.on_head = get_on_head;
	c.sink = get_sink;
	c.arg = &g;
	rc = s3_call_run(cl, &c, e);
	if (rc != 0 && c.st.http_status == 416 && start == 0) {
		/* an empty object has no byte 0: ask HEAD what it is */
		s3_call_free(&c);
		rc = s3_head(cl, bucket, key, &g.obj, st, e);
		if (rc == 0 && g.obj.size != 0)
			rc = err_set(e, ERR_REMOTE, "GetObject s3://%s/%s: 416 "
			    "for an object of %" PRIu64 " bytes", bucket, key,
			    g.obj.size);
		if (rc == 0 && obj)
			*obj = g.obj;
		return rc;
	}
	if (rc == 0 && g.end != UINT64_MAX && g.start + g.delivered <= g.end &&
	    g.start + g.delivered < g.obj.size)
		rc = err_set(e, ERR_TRANSIENT, "GetObject s3://%s/%s: short "
		    "body (%" PRIu64 " of %" PRIu64 " bytes)", bucket, key,
		    g.delivered, g.end - g.start + 1);
	if (obj)
		*obj = g.obj;
	if (st)
		*st = c.st;
	s3_call_free(&c);
	return rc;
}
