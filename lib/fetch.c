/*
 * fetch.c: object pieces into memory (fetch.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "s3ext.h"

struct grow {
	struct fetch_buf *b;
	size_t		 cap;
	size_t		 max;
};

static int
grow_sink(void *arg, const void *buf, size_t len, struct err *e)
{
	struct grow *g = arg;
	unsigned char *p;
	size_t ncap;

	if (len > g->max - g->b->len)
		return err_set(e, ERR_LIMIT, "object piece larger than %zu "
		    "bytes", g->max);
	if (g->b->len + len > g->cap) {
		ncap = g->cap ? g->cap : 65536;
		while (ncap < g->b->len + len)
			ncap = ncap > SIZE_MAX / 2 ? SIZE_MAX : ncap * 2;
		if (ncap > g->max)
			ncap = g->max;
		if ((p = realloc(g->b->data, ncap)) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		g->b->data = p;
		g->cap = ncap;
	}
	memcpy(g->b->data + g->b->len, buf, len);
	g->b->len += len;
	return 0;
}

static void
grow_init(struct grow *g, struct fetch_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	g->b = b;
	g->cap = 0;
	g->max = max;
}

static int
done(struct fetch_buf *b, int rc, const struct s3_status *st,
    const char *bucket, const char *key, uint64_t a, struct err *e)
{
	if (rc != 0) {
		if (st->http_status == 412)
			err_set(e, ERR_REMOTE, "object changed: s3://%s/%s no "
			    "longer has the expected ETag", bucket, key);
		else if (st->http_status == 416)
			err_set(e, ERR_USAGE, "s3://%s/%s: byte %" PRIu64
			    " is beyond the end of the object", bucket, key,
			    a);
		fetch_free(b);
		return -1;
	}
	return 0;
}

int
fetch_tail(struct s3_client *cl, const char *bucket, const char *key,
    uint64_t n, const char *if_match, size_t max, struct fetch_buf *b,
    struct err *e)
{
	struct s3_status st;
	struct grow g;
	int rc;

	grow_init(&g, b, max);
	memset(&st, 0, sizeof(st));
	rc = s3_get_suffix(cl, bucket, key, n, if_match, grow_sink, &g,
	    &b->obj, &b->offset, &st, e);
	return done(b, rc, &st, bucket, key, 0, e);
}

int
fetch_range(struct s3_client *cl, const char *bucket, const char *key,
    uint64_t a, uint64_t b_end, const char *if_match, size_t max,
    struct fetch_buf *b, struct err *e)
{
	struct s3_status st;
	struct grow g;
	int rc;

	if (b_end < a)
		return err_set(e, ERR_USAGE, "empty range %" PRIu64 "-%"
		    PRIu64, a, b_end);
	grow_init(&g, b, max);
	memset(&st, 0, sizeof(st));
	b->offset = a;
	rc = s3_get(cl, bucket, key, a, b_end, if_match, grow_sink, &g,
	    &b->obj, &st, e);
	return done(b, rc, &st, bucket, key, a, e);
}

int
fetch_all(struct s3_client *cl, const char *bucket, const char *key,
    size_t max, struct fetch_buf *b, struct err *e)
{
	return fetch_range(cl, bucket, key, 0, UINT64_MAX, NULL, max, b, e);
}

void
fetch_free(struct fetch_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
