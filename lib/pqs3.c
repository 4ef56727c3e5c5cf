#include <stdlib.h>
#include <string.h>

#include "pqs3.h"
#include "s3ext.h"

struct membuf {
	uint8_t		*p;
	size_t		 len, cap, max;
};

static int
mem_sink(void *arg, const void *buf, size_t len, struct err *e)
{
	struct membuf *m = arg;
	size_t ncap;
	uint8_t *np;

	if (len > m->max - m->len)
		return err_set(e, ERR_LIMIT, "footer larger than %zu bytes",
		    m->max);
	if (m->len + len > m->cap) {
		ncap = m->cap ? m->cap : 65536;
		while (ncap < m->len + len)
			ncap *= 2;
		if ((np = realloc(m->p, ncap)) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		m->p = np;
		m->cap = ncap;
	}
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return 0;
}

int
pq_read_s3(struct s3_client *cl, const char *bucket, const char *key,
    const struct pq_limits *lim, struct pq_s3 *out, struct err *e)
{
	struct pq_limits l = pq_limits_resolve(lim);
	struct membuf tail = { NULL, 0, 0, 0 }, front = { NULL, 0, 0, 0 };
	struct s3_object obj;
	uint64_t need = 0;
	uint8_t *joined;
	int rc;

	memset(out, 0, sizeof(*out));
	tail.max = PQ_TAIL_READ;
	if (s3_get_suffix(cl, bucket, key, PQ_TAIL_READ, NULL, mem_sink, &tail,
	    &obj, NULL, NULL, e) != 0)
		goto fail;
	out->st.file_size = obj.size;
	out->st.bytes_read = tail.len;
	out->st.reads = 1;
	memcpy(out->etag, obj.etag, sizeof(out->etag));
	rc = pq_parse_tail(tail.p, tail.len, obj.size, &l, &out->meta, &need,
	    e);
	if (rc == 0) {
		out->buf = tail.p;
		out->len = tail.len;
		return 0;
	}
	if (rc != -2)
		goto fail;
	/* the footer starts before the tail: fetch the front part */
	if (need >= obj.size - tail.len ||
	    obj.size - tail.len - need > l.max_footer) {
		err_set(e, ERR_FORMAT, "footer offset %llu out of range",
		    (unsigned long long)need);
		goto fail;
	}
	front.max = (size_t)(obj.size - tail.len - need);
	if (s3_get(cl, bucket, key, need, obj.size - tail.len - 1, obj.etag,
	    mem_sink, &front, NULL, NULL, e) != 0)
		goto fail;
	out->st.bytes_read += front.len;
	out->st.reads = 2;
	if (front.len != front.max) {
		err_set(e, ERR_TRANSIENT, "short read of the footer");
		goto fail;
	}
	if ((joined = realloc(front.p, front.len + tail.len)) == NULL) {
		err_set(e, ERR_NOMEM, "out of memory");
		goto fail;
	}
	front.p = joined;
	memcpy(joined + front.len, tail.p, tail.len);
	free(tail.p);
	tail.p = NULL;
	out->buf = joined;
	out->len = front.len + tail.len;
	front.p = NULL;
	if (pq_parse_tail(out->buf, out->len, obj.size, &l, &out->meta, &need,
	    e) != 0) {
		if (e->kind == ERR_NONE)
			err_set(e, ERR_FORMAT, "footer still incomplete");
		goto fail;
	}
	return 0;
fail:
	free(tail.p);
	free(front.p);
	free(out->buf);
	out->buf = NULL;
	return -1;
}

void
pq_s3_free(struct pq_s3 *p)
{
	pq_meta_free(p->meta);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}
