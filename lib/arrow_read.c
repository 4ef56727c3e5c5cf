/*
 * arrow_read.c: verify and decode Arrow IPC stream messages.
 */
#include <stdlib.h>
#include <string.h>

#include "arrow_read.h"

static int
bad(struct err *e, const char *what)
{
	return err_set(e, ERR_FORMAT, "arrow: %s", what);
}

static int32_t
ld_i32(const uint8_t *p)
{
	return (int32_t)fb_load_u32(p);
}

int
arrow_msg_parse(const uint8_t *buf, size_t len, struct arrow_msg *m,
    struct err *e)
{
	size_t pre = 4, mlen;
	int32_t n;
	int64_t body;
	uint8_t type;
	struct fb_table root;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len < 4)
		return -2;
	n = ld_i32(buf);
	if (n == -1) {			/* continuation marker */
		if (len < 8)
			return -2;
		n = ld_i32(buf + 4);
		pre = 8;
	}
	if (n == 0) {
		m->type = ARROW_MSG_EOS;
		m->size = pre;
		return 0;
	}
	if (n < 0)
		return bad(e, "negative metadata length");
	if ((uint32_t)n > ARROW_MAX_META_LEN)
		return err_set(e, ERR_LIMIT, "arrow: metadata length %d over "
		    "the limit", n);
	mlen = (size_t)n;
	if (len - pre < mlen)
		return -2;
	if (fb_root(buf + pre, mlen, &root, e) != 0 ||
	    fb_i16(&root, 0, 0, &m->version, e) != 0 ||
	    fb_u8(&root, 1, 0, &type, e) != 0 ||
	    fb_i64(&root, 3, 0, &body, e) != 0)
		return -1;
	if (m->version < 3 || m->version > 4)
		return bad(e, "unsupported metadata version");
	if (type < 1 || type > 3)
		return bad(e, "unsupported message header type");
	if ((rc = fb_table(&root, 2, &m->header, e)) < 0)
		return -1;
	if (rc == 0)
		return bad(e, "message without header");
	if (body < 0 || body > ARROW_MAX_BODY)
		return bad(e, "bad body length");
	if ((type == ARROW_MSG_SCHEMA && body != 0))
		return bad(e, "schema message with a body");
	if ((uint64_t)body > len - pre - mlen)
		return -2;
	m->type = (enum arrow_msg_type)type;
	m->body = buf + pre + mlen;
	m->body_len = body;
	m->size = pre + mlen + (size_t)body;
	return 0;
}

/* ---- schema ---- */

static int
count_fields(const struct fb_table *t, int depth, size_t *n, struct err *e)
{
	struct fb_vec kids;
	struct fb_table k;
	uint32_t i;
	int rc;

	if (depth > ARROW_MAX_DEPTH)
		return err_set(e, ERR_LIMIT, "arrow: fields nested deeper "
		    "than %d", ARROW_MAX_DEPTH);
	if ((rc = fb_vector(t, depth == 0 ? 1 : 5, 4, &kids, e)) < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (kids.n > ARROW_MAX_FIELDS - *n)
		return err_set(e, ERR_LIMIT, "arrow: more than %d fields",
		    ARROW_MAX_FIELDS);
	*n += kids.n;
	for (i = 0; i < kids.n; i++)
		if (fb_vec_table(&kids, i, &k, e) != 0 ||
		    count_fields(&k, depth + 1, n, e) != 0)
			return -1;
	return 0;
}

static int
type_params(const struct fb_table *f, struct arrow_rfield *r, struct err *e)
{
	struct fb_table t;
	int16_t prec;
	uint8_t b;
	int rc;

	if ((rc = fb_table(f, 3, &t, e)) < 0)
		return -1;
	if (rc == 0)
		return r->type == ARROW_NULL ? 0 : bad(e, "field type missing");
	switch (r->type) {
	case ARROW_INT:
		if (fb_i32(&t, 0, 0, &r->bit_width, e) != 0 ||
		    fb_u8(&t, 1, 0, &b, e) != 0)
			return -1;
		r->is_signed = b != 0;
		if (r->bit_width != 8 && r->bit_width != 16 &&
		    r->bit_width != 32 && r->bit_width != 64)
			return bad(e, "bad integer width");
		return 0;
	case ARROW_FLOAT:
		if (fb_i16(&t, 0, 0, &prec, e) != 0)
			return -1;
		r->precision = prec;
		return prec < 0 || prec > 2 ? bad(e, "bad float precision") : 0;
	case ARROW_DECIMAL:
		return fb_i32(&t, 0, 0, &r->precision, e) ||
		    fb_i32(&t, 1, 0, &r->scale, e) ||
		    fb_i32(&t, 2, 128, &r->bit_width, e) ? -1 : 0;
	case ARROW_DATE:
	case ARROW_TIME:
	case ARROW_DURATION:
	case ARROW_INTERVAL:
		return fb_i16(&t, 0, 1, &r->unit, e) != 0 ? -1 : 0;
	case ARROW_TIMESTAMP:
		if (fb_i16(&t, 0, 0, &r->unit, e) != 0 ||
		    fb_str(&t, 1, &r->timezone, &r->timezone_len, e) < 0)
			return -1;
		return 0;
	case ARROW_FIXED_BINARY:
	case ARROW_FIXED_LIST:
		if (fb_i32(&t, 0, 0, &r->byte_width, e) != 0)
			return -1;
		return r->byte_width < 0 ? bad(e, "negative width") : 0;
	default:
		return 0;
	}
}

static int
field_meta(const struct fb_table *f, struct arrow_rfield *r, struct err *e)
{
	struct fb_vec kv;
	struct fb_table t;
	const char *k, *v;
	size_t kn, vn;
	uint32_t i;
	int rc;

	if ((rc = fb_vector(f, 6, 4, &kv, e)) <= 0)
		return rc;
	for (i = 0; i < kv.n; i++) {
		k = v = NULL;
		kn = vn = 0;
		if (fb_vec_table(&kv, i, &t, e) != 0 ||
		    fb_str(&t, 0, &k, &kn, e) < 0 ||
		    fb_str(&t, 1, &v, &vn, e) < 0)
			return -1;
		if (k != NULL && v != NULL && kn == 20 &&
		    memcmp(k, "ARROW:extension:name", 20) == 0) {
			r->ext_name = v;
			r->ext_name_len = vn;
		}
	}
	return 0;
}

static int
fill_fields(const struct fb_table *t, int depth, struct arrow_schema *s,
    struct arrow_rfield **out, size_t *nout, struct err *e)
{
	struct fb_vec kids;
	struct fb_table f, d;
	struct arrow_rfield *r;
	uint8_t b;
	uint32_t i;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = fb_vector(t, depth == 0 ? 1 : 5, 4, &kids, e)) <= 0)
		return rc;
	*out = s->pool + s->total;
	*nout = kids.n;
	s->total += kids.n;
	for (i = 0; i < kids.n; i++) {
		r = *out + i;
		if (fb_vec_table(&kids, i, &f, e) != 0 ||
		    fb_str(&f, 0, &r->name, &r->name_len, e) < 0 ||
		    fb_u8(&f, 1, 0, &b, e) != 0)
			return -1;
		r->nullable = b != 0;
		if (fb_u8(&f, 2, 0, &b, e) != 0)
			return -1;
		if (b < ARROW_NULL || b > ARROW_LARGE_LIST)
			return bad(e, "unsupported field type");
		r->type = (enum arrow_type)b;
		if (type_params(&f, r, e) != 0 || field_meta(&f, r, e) != 0)
			return -1;
		if ((rc = fb_table(&f, 4, &d, e)) < 0)
			return -1;
		if (rc == 1) {
			r->dictionary = 1;
			if (fb_i64(&d, 0, 0, &r->dict_id, e) != 0)
				return -1;
		}
		if (fill_fields(&f, depth + 1, s, &r->children,
		    &r->nchildren, e) != 0)
			return -1;
	}
	return 0;
}

int
arrow_schema_decode(const struct arrow_msg *m, struct arrow_schema *s,
    struct err *e)
{
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	if (m->type != ARROW_MSG_SCHEMA)
		return bad(e, "expected a schema message");
	if (count_fields(&m->header, 0, &n, e) != 0)
		return -1;
	if ((s->pool = calloc(n ? n : 1, sizeof(*s->pool))) == NULL)
		return err_set(e, ERR_NOMEM, "arrow: out of memory");
	if (fill_fields(&m->header, 0, s, &s->fields, &s->nfields, e) != 0) {
		arrow_schema_free(s);
		return -1;
	}
	return 0;
}

void
arrow_schema_free(struct arrow_schema *s)
{
	free(s->pool);
	memset(s, 0, sizeof(*s));
}

/* ---- record batches ---- */

int
arrow_batch_decode(const struct arrow_msg *m, struct arrow_batch *b,
    struct err *e)
{
	struct fb_table rb, comp;
	int64_t off, len, nl, nn;
	uint32_t i;
	uint8_t codec;
	int rc;

	memset(b, 0, sizeof(*b));
	b->codec = -1;
	rb = m->header;
	if (m->type == ARROW_MSG_DICTIONARY) {
		if ((rc = fb_table(&m->header, 1, &rb, e)) < 0)
			return -1;
		if (rc == 0)
			return bad(e, "dictionary batch without data");
	} else if (m->type != ARROW_MSG_BATCH)
		return bad(e, "expected a record batch");
	if (fb_i64(&rb, 0, 0, &b->length, e) != 0)
		return -1;
	if (b->length < 0)
		return bad(e, "negative batch length");
	/* Absent vectors stay empty (b was zeroed). */
	if (fb_vector(&rb, 1, 16, &b->nodes, e) < 0 ||
	    fb_vector(&rb, 2, 16, &b->buffers, e) < 0)
		return -1;
	for (i = 0; i < b->nodes.n; i++) {
		arrow_batch_node(b, i, &nl, &nn);
		if (nl < 0 || nn < 0 || nn > nl)
			return bad(e, "bad field node");
	}
	for (i = 0; i < b->buffers.n; i++) {
		arrow_batch_buffer(b, i, &off, &len);
		if (off < 0 || len < 0 || off > m->body_len ||
		    len > m->body_len - off)
			return bad(e, "buffer outside the message body");
	}
	if ((rc = fb_table(&rb, 3, &comp, e)) < 0)
		return -1;
	if (rc == 1) {
		if (fb_u8(&comp, 0, 0, &codec, e) != 0)
			return -1;
		if (codec > 1)
			return bad(e, "unknown compression codec");
		b->codec = codec;
	}
	return 0;
}

void
arrow_batch_node(const struct arrow_batch *b, uint32_t i, int64_t *length,
    int64_t *null_count)
{
	const uint8_t *p = fb_vec_at(&b->nodes, i);

	*length = fb_load_i64(p);
	*null_count = fb_load_i64(p + 8);
}

void
arrow_batch_buffer(const struct arrow_batch *b, uint32_t i, int64_t *offset,
    int64_t *length)
{
	const uint8_t *p = fb_vec_at(&b->buffers, i);

	*offset = fb_load_i64(p);
	*length = fb_load_i64(p + 8);
}
