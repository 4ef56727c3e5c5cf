/*
 * b2a_col.c: the column tree of bson2arrow: buffers, batches, schema.
 */
#include <stdlib.h>
#include <string.h>

#include "b2a_col.h"
#include "dec128.h"

static int
nomem(struct err *e)
{
	return err_set(e, ERR_NOMEM, "bson2arrow: out of memory");
}

static int
vec_reserve(struct b2a_vec *v, size_t more, struct err *e)
{
	size_t ncap;
	uint8_t *np;

	if (more <= v->cap - v->len)
		return 0;
	if (more > SIZE_MAX / 4 - v->len)
		return err_set(e, ERR_LIMIT, "bson2arrow: column too large");
	ncap = v->cap ? v->cap : 64;
	while (ncap - v->len < more)
		ncap *= 2;
	if ((np = realloc(v->p, ncap)) == NULL)
		return nomem(e);
	v->p = np;
	v->cap = ncap;
	return 0;
}

static inline int
vec_put(struct b2a *b, struct b2a_vec *v, const void *p, size_t n,
    struct err *e)
{
	if (n > v->cap - v->len && vec_reserve(v, n, e) != 0)
		return -1;
	if (n)
		memcpy(v->p + v->len, p, n);
	v->len += n;
	b->bytes += n;
	return 0;
}

/* Set bit i of a bitmap vector; bits are appended in order. */
static inline int
bit_put(struct b2a *b, struct b2a_vec *v, int64_t i, int bit,
    struct err *e)
{
	size_t byte = (size_t)(i / 8);

	if (byte >= v->len) {
		if (vec_reserve(v, 1, e) != 0)
			return -1;
		v->p[v->len++] = 0;
		b->bytes++;
	}
	if (bit)
		v->p[byte] |= (uint8_t)(1u << (i % 8));
	return 0;
}

struct b2a_col *
b2a_col_new(struct b2a *b, struct b2a_col *parent, const char *name,
    struct err *e)
{
	struct b2a_col *c;

	if (b->ncols >= B2A_MAX_FIELDS) {
		err_set(e, ERR_LIMIT, "more than %d fields", B2A_MAX_FIELDS);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->name = strdup(name)) == NULL) {
		free(c);
		nomem(e);
		return NULL;
	}
	c->name_len = strlen(name);
	c->parent = parent;
	c->list_min = -1;
	c->list_max = -1;
	b->ncols++;
	return c;
}

struct b2a_col *
b2a_col_add(struct b2a *b, struct b2a_col *p, const char *key, size_t klen,
    struct err *e)
{
	struct b2a_col *c, **nk;
	char *name;

	if (p->nkids == p->capkids) {
		if (p->capkids > SIZE_MAX / 2 / sizeof(*nk) ||
		    (nk = realloc(p->kids, (p->capkids ? p->capkids * 2 : 4) *
		    sizeof(*nk))) == NULL) {
			nomem(e);
			return NULL;
		}
		p->kids = nk;
		p->capkids = p->capkids ? p->capkids * 2 : 4;
	}
	if ((name = strndup(key, klen)) == NULL) {
		nomem(e);
		return NULL;
	}
	c = b2a_col_new(b, p, name, e);
	free(name);
	if (c == NULL)
		return NULL;
	p->kids[p->nkids++] = c;
	return c;
}

struct b2a_col *
b2a_col_find_slow(struct b2a_col *p, const char *key, size_t klen)
{
	size_t i, j;
	struct b2a_col *c;

	/* Documents usually repeat the same field order: try the next. */
	for (j = 0; j < p->nkids; j++) {
		i = (p->hint + j) % p->nkids;
		c = p->kids[i];
		if (c->name_len == klen && memcmp(c->name, key, klen) == 0) {
			p->hint = i + 1;
			return c;
		}
	}
	return NULL;
}

void
b2a_col_drop_kids(struct b2a_col *c)
{
	size_t i;

	for (i = 0; i < c->nkids; i++)
		b2a_col_free(c->kids[i]);
	c->nkids = 0;
}

void
b2a_col_free(struct b2a_col *c)
{
	if (c == NULL)
		return;
	b2a_col_drop_kids(c);
	free(c->kids);
	free(c->name);
	free(c->afkids);
	free(c->typestr);
	free(c->pathstr);
	free(c->valid.p);
	free(c->values.p);
	free(c->offsets.p);
	free(c->data.p);
	free(c);
}

static void
ext(struct b2a *b, struct b2a_col *c, const char *name)
{
	if (b->plain_meta) {
		c->af.meta[0].key = B2A_META_TYPE;
		c->af.meta[0].value = name;
		c->af.nmeta = 1;
		return;
	}
	c->af.meta[0].key = "ARROW:extension:name";
	c->af.meta[0].value = name;
	c->af.meta[1].key = "ARROW:extension:metadata";
	c->af.meta[1].value = "";
	c->af.nmeta = 2;
}

int
b2a_col_schema(struct b2a *b, struct b2a_col *c, struct err *e)
{
	struct arrow_field *f = &c->af;
	char path[1024];
	size_t i, n;

	memset(f, 0, sizeof(*f));
	f->name = c->name;
	f->nullable = 1;
	switch (c->kind) {
	case B2A_NULL:	f->type = ARROW_NULL; break;
	case B2A_BOOL:	f->type = ARROW_BOOL; break;
	case B2A_INT32:	f->type = ARROW_INT; f->bit_width = 32;
			f->is_signed = 1; break;
	case B2A_INT64:	f->type = ARROW_INT; f->bit_width = 64;
			f->is_signed = 1; break;
	case B2A_DOUBLE: f->type = ARROW_FLOAT; f->precision = 2; break;
	case B2A_UTF8:	f->type = ARROW_UTF8; break;
	case B2A_BINARY: f->type = ARROW_BINARY; break;
	case B2A_OID:	f->type = ARROW_FIXED_BINARY; f->byte_width = 12;
			ext(b, c, B2A_EXT_OBJECTID); break;
	case B2A_DEC128: f->type = ARROW_FIXED_BINARY; f->byte_width = 16;
			ext(b, c, B2A_EXT_DECIMAL128); break;
	case B2A_DECIMAL: f->type = ARROW_DECIMAL; f->precision = 38;
			f->scale = c->scale; break;
	case B2A_DATETIME: f->type = ARROW_TIMESTAMP; f->unit = 1;
			f->timezone = "UTC"; break;
	case B2A_STRUCT: f->type = ARROW_STRUCT; break;
	case B2A_LIST:	f->type = ARROW_LIST; break;
	case B2A_EXTJSON: f->type = ARROW_UTF8; ext(b, c, B2A_EXT_EXTJSON);
			break;
	}
	if (c->kind == B2A_LIST && c->nkids == 0 &&
	    b2a_col_add(b, c, "item", 4, e) == NULL)
		return -1;
	free(c->afkids);
	if ((c->afkids = calloc(c->nkids + 1, sizeof(*c->afkids))) == NULL)
		return nomem(e);
	for (i = 0; i < c->nkids; i++) {
		if (b2a_col_schema(b, c->kids[i], e) != 0)
			return -1;
		c->afkids[i] = &c->kids[i]->af;
	}
	f->children = c->afkids;
	f->nchildren = c->nkids;
	/* Names for statistics: "list<item type>", dotted paths. */
	free(c->typestr);
	if (c->kind == B2A_LIST) {
		n = strlen(c->kids[0]->typestr) + 7;
		if ((c->typestr = malloc(n)) == NULL)
			return nomem(e);
		snprintf(c->typestr, n, "list<%s>", c->kids[0]->typestr);
	} else if (c->kind == B2A_DECIMAL) {
		if ((c->typestr = malloc(32)) == NULL)
			return nomem(e);
		snprintf(c->typestr, 32, "decimal128(38,%d)", c->scale);
	} else if ((c->typestr = strdup(b2a_kind_name(c->kind))) == NULL)
		return nomem(e);
	b2a_path(c, path, sizeof(path));
	free(c->pathstr);
	if ((c->pathstr = strdup(path)) == NULL)
		return nomem(e);
	return 0;
}

int
b2a_col_reset(struct b2a_col *c, struct err *e)
{
	static const int32_t zero;
	size_t i;

	/* bit_put zeroes each bitmap byte as it appends it. */
	c->valid.len = c->values.len = c->offsets.len = c->data.len = 0;
	c->len = c->nulls = 0;
	if (c->kind == B2A_UTF8 || c->kind == B2A_BINARY ||
	    c->kind == B2A_EXTJSON || c->kind == B2A_LIST) {
		if (vec_reserve(&c->offsets, 4, e) != 0)
			return -1;
		memcpy(c->offsets.p, &zero, 4);
		c->offsets.len = 4;
	}
	for (i = 0; i < c->nkids; i++)
		if (b2a_col_reset(c->kids[i], e) != 0)
			return -1;
	return 0;
}

/*
 * The validity bitmap is built lazily: while a batch has no null the
 * column has none (Arrow allows omitting it); the first null fills in
 * the bits of the rows before it.
 */
static int
materialize_validity(struct b2a *b, struct b2a_col *c, struct err *e)
{
	size_t full = (size_t)(c->len / 8), bytes = (size_t)(c->len + 7) / 8;

	if (vec_reserve(&c->valid, bytes + 1, e) != 0)
		return -1;
	memset(c->valid.p, 0xff, full);
	if (bytes > full)
		c->valid.p[full] = (uint8_t)((1u << (c->len % 8)) - 1);
	c->valid.len = bytes;
	b->bytes += bytes;
	return 0;
}

int
b2a_col_valid(struct b2a *b, struct b2a_col *c, int bit, struct err *e)
{
	if (c->kind != B2A_NULL && (c->nulls > 0 || !bit)) {
		if (c->nulls == 0 && materialize_validity(b, c, e) != 0)
			return -1;
		if (bit_put(b, &c->valid, c->len, bit, e) != 0)
			return -1;
	}
	c->len++;
	c->total_values++;
	if (!bit) {
		c->nulls++;
		c->total_nulls++;
	}
	return 0;
}

static size_t
fixed_width(enum b2a_kind k)
{
	switch (k) {
	case B2A_INT32:		return 4;
	case B2A_INT64:
	case B2A_DOUBLE:
	case B2A_DATETIME:	return 8;
	case B2A_OID:		return 12;
	case B2A_DEC128:
	case B2A_DECIMAL:	return 16;
	default:		return 0;
	}
}

static int
put_offset(struct b2a *b, struct b2a_col *c, size_t end, struct err *e)
{
	int32_t o;

	if (end > INT32_MAX)
		return err_set(e, ERR_LIMIT, "column %s: over 2 GiB in one "
		    "batch (lower --rows-per-batch)", c->pathstr);
	o = (int32_t)end;
	return vec_put(b, &c->offsets, &o, 4, e);
}

int
b2a_col_null(struct b2a *b, struct b2a_col *c, struct err *e)
{
	static const uint8_t zero[16];
	size_t i, w;

	if (b2a_col_valid(b, c, 0, e) != 0)
		return -1;
	switch (c->kind) {
	case B2A_BOOL:
		return bit_put(b, &c->values, c->len - 1, 0, e);
	case B2A_UTF8:
	case B2A_BINARY:
	case B2A_EXTJSON:
		return put_offset(b, c, c->data.len, e);
	case B2A_LIST:
		return put_offset(b, c, (size_t)c->kids[0]->len, e);
	case B2A_STRUCT:
		for (i = 0; i < c->nkids; i++)
			if (b2a_col_null(b, c->kids[i], e) != 0)
				return -1;
		return 0;
	default:
		w = fixed_width(c->kind);
		return w ? vec_put(b, &c->values, zero, w, e) : 0;
	}
}

int
b2a_put_fixed_slow(struct b2a *b, struct b2a_col *c, const void *p, size_t n,
    struct err *e)
{
	if (b2a_col_valid(b, c, 1, e) != 0)
		return -1;
	return vec_put(b, &c->values, p, n, e);
}

int
b2a_put_bool(struct b2a *b, struct b2a_col *c, int v, struct err *e)
{
	if (b2a_col_valid(b, c, 1, e) != 0)
		return -1;
	return bit_put(b, &c->values, c->len - 1, v, e);
}

int
b2a_put_bytes(struct b2a *b, struct b2a_col *c, const void *p, size_t n,
    struct err *e)
{
	if (b2a_col_valid(b, c, 1, e) != 0 ||
	    vec_put(b, &c->data, p, n, e) != 0)
		return -1;
	return put_offset(b, c, c->data.len, e);
}

char *
b2a_value_json(const bson_iter_t *it)
{
	bson_t tmp = BSON_INITIALIZER;
	char *s, *r = NULL;
	size_t n;

	/* {"v": value} in canonical extended JSON: `{ "v" : X }`. */
	if (bson_append_iter(&tmp, "v", 1, it) &&
	    (s = bson_as_canonical_extended_json(&tmp, &n)) != NULL) {
		if (n >= 10 && memcmp(s, "{ \"v\" : ", 8) == 0)
			r = bson_strndup(s + 8, n - 10);
		bson_free(s);
	}
	bson_destroy(&tmp);
	return r;
}

/* Decimal digits of v at p; returns the length (at most 10). */
static size_t
u32_dec(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Canonical extended JSON of the common scalar extjson values without
 * libbson's generic renderer (a bson_t, a string builder and printf per
 * value), byte for byte what bson_as_canonical_extended_json writes.
 * Returns the length, or 0 for other types.
 */
static size_t
quick_json(const bson_iter_t *it, char *out)
{
	static const char ts0[] = "{ \"$timestamp\" : { \"t\" : ";
	static const char ts1[] = ", \"i\" : ";
	static const char maxk[] = "{ \"$maxKey\" : 1 }";
	static const char mink[] = "{ \"$minKey\" : 1 }";
	uint32_t t, i;
	size_t n;

	switch (bson_iter_type(it)) {
	case BSON_TYPE_TIMESTAMP:
		bson_iter_timestamp(it, &t, &i);
		memcpy(out, ts0, sizeof(ts0) - 1);
		n = sizeof(ts0) - 1;
		n += u32_dec(out + n, t);
		memcpy(out + n, ts1, sizeof(ts1) - 1);
		n += sizeof(ts1) - 1;
		n += u32_dec(out + n, i);
		memcpy(out + n, " } }", 4);
		return n + 4;
	case BSON_TYPE_MAXKEY:
		memcpy(out, maxk, sizeof(maxk) - 1);
		return sizeof(maxk) - 1;
	case BSON_TYPE_MINKEY:
		memcpy(out, mink, sizeof(mink) - 1);
		return sizeof(mink) - 1;
	default:
		return 0;
	}
}

int
b2a_put_extjson(struct b2a *b, struct b2a_col *c, const bson_iter_t *it,
    struct err *e)
{
	char quick[B2A_QUICK_JSON_MAX], *s;
	size_t n;
	int rc;

	if ((n = quick_json(it, quick)) > 0)
		return b2a_put_bytes(b, c, quick, n, e);
	if ((s = b2a_value_json(it)) == NULL)
		return err_set(e, ERR_FORMAT, "document _id %s: field %s: "
		    "cannot render as extended JSON", b2a_cur_id(b),
		    c->pathstr);
	rc = b2a_put_bytes(b, c, s, strlen(s), e);
	bson_free(s);
	return rc;
}

int
b2a_put_dec128(struct b2a *b, struct b2a_col *c, const bson_iter_t *it,
    struct err *e)
{
	bson_decimal128_t d;
	uint8_t raw[16];
	int i;

	bson_iter_decimal128(it, &d);
	for (i = 0; i < 8; i++) {
		raw[i] = (uint8_t)(d.low >> (8 * i));
		raw[8 + i] = (uint8_t)(d.high >> (8 * i));
	}
	return b2a_put_fixed(b, c, raw, 16, e);
}

int
b2a_put_decimal(struct b2a *b, struct b2a_col *c, const bson_iter_t *it,
    struct err *e)
{
	bson_decimal128_t d;
	struct dec128_parts p;
	uint8_t out[16];

	bson_iter_decimal128(it, &d);
	dec128_split(d.high, d.low, &p);
	if (dec128_to_arrow(&p, c->scale, out) != 0)
		return 1;
	return b2a_put_fixed(b, c, out, 16, e);
}

int
b2a_put_list(struct b2a *b, struct b2a_col *c, uint32_t n, struct err *e)
{
	if (b2a_col_valid(b, c, 1, e) != 0 ||
	    put_offset(b, c, (size_t)c->kids[0]->len, e) != 0)
		return -1;
	if (c->list_min < 0 || n < c->list_min)
		c->list_min = n;
	if (n > c->list_max)
		c->list_max = n;
	return 0;
}

/* The double of a little-endian int32, as 8 little-endian bytes. */
static inline void
int32_to_double_le(uint8_t *dst, const uint8_t *src)
{
	int32_t v = (int32_t)((uint32_t)src[0] | (uint32_t)src[1] << 8 |
	    (uint32_t)src[2] << 16 | (uint32_t)src[3] << 24);
	double d = v;
	uint64_t bits;

	memcpy(&bits, &d, 8);
	dst[0] = (uint8_t)bits;
	dst[1] = (uint8_t)(bits >> 8);
	dst[2] = (uint8_t)(bits >> 16);
	dst[3] = (uint8_t)(bits >> 24);
	dst[4] = (uint8_t)(bits >> 32);
	dst[5] = (uint8_t)(bits >> 40);
	dst[6] = (uint8_t)(bits >> 48);
	dst[7] = (uint8_t)(bits >> 56);
}

/*
 * The usual array, keyed "0", "1", ...: element i is a type byte, a key
 * of as many bytes as i has digits, NUL, then 8 bytes (double) or 4
 * (int32). Where its key ends follows from i alone, so there is no key
 * scan whose loads chain every element on the last. Copies from *pos
 * while the elements are doubles or int32s whose key is that long (no
 * NUL inside, NUL after) and inside p[0, end); leaves *pos at the first
 * other element and returns how many were written to dst.
 */
static size_t
canonical_numbers(const uint8_t *p, size_t end, size_t *pos, uint8_t *dst)
{
	size_t at = *pos, i = 0, lim = 10, kl = 1, k;
	const uint8_t *el;

	for (;;) {
		while (i < lim && end - at >= 6 + kl) {
			el = p + at;
			if (el[1 + kl] != 0)
				goto out;
			for (k = 1; k <= kl; k++)
				if (el[k] == 0)
					goto out;
			if (el[0] == BSON_TYPE_DOUBLE) {
				if (end - at < 10 + kl)
					goto out;
				memcpy(dst + 8 * i, el + 2 + kl, 8);
				at += 10 + kl;
			} else if (el[0] == BSON_TYPE_INT32) {
				int32_to_double_le(dst + 8 * i, el + 2 + kl);
				at += 6 + kl;
			} else
				goto out;
			i++;
		}
		if (i < lim || kl == 9)
			break;
		lim *= 10;
		kl++;
	}
out:
	*pos = at;
	return i;
}

/*
 * Fast path for the common array of numbers into a list<double> column,
 * in one pass over the raw BSON array: every element must be a double
 * or an int32 (the lossless conversion; some servers store integral
 * doubles as int32) and lie inside the array; doubles' 8 little-endian
 * bytes are copied as they are (Arrow float64 is little-endian too),
 * int32s converted. Values are written past the column's end and only
 * committed when the whole array qualified. Returns 1 when it does not
 * (the caller takes the general path, nothing changed), 0, or -1 with
 * err.
 */
int
b2a_put_double_array(struct b2a *b, struct b2a_col *c, const uint8_t *p,
    uint32_t len, struct err *e)
{
	struct b2a_col *item = c->kids[0];
	size_t pos = 4, end, n;
	uint8_t *dst, t;

	if (item->kind != B2A_DOUBLE || item->nulls != 0 || len < 5 ||
	    p[len - 1] != 0)
		return 1;
	end = (size_t)len - 1;
	if (end == 4)
		return b2a_put_list(b, c, 0, e);
	/*
	 * Room for every element there can be: the smallest is 6 bytes
	 * (type, the NUL of an empty key, int32), each takes 8 here; one
	 * more so that the buffer exists.
	 */
	if (vec_reserve(&item->values, ((end - 4) / 6 + 1) * 8, e) != 0)
		return -1;
	dst = item->values.p + item->values.len;
	n = canonical_numbers(p, end, &pos, dst);
	dst += 8 * n;
	while (pos < end) {	/* other keys */
		t = p[pos++];
		while (p[pos] != 0)	/* the key; p[end] is 0 */
			pos++;
		if (++pos > end)
			return 1;
		if (t == BSON_TYPE_DOUBLE) {
			if (end - pos < 8)
				return 1;
			memcpy(dst, p + pos, 8);
			pos += 8;
		} else if (t == BSON_TYPE_INT32) {
			if (end - pos < 4)
				return 1;
			int32_to_double_le(dst, p + pos);
			pos += 4;
		} else
			return 1;
		dst += 8;
		n++;
	}
	if (n > UINT32_MAX)
		return 1;
	item->values.len += n * 8;
	b->bytes += n * 8;
	item->len += (int64_t)n;
	item->total_values += (int64_t)n;
	return b2a_put_list(b, c, (uint32_t)n, e);
}

/* ---- batches ---- */

static void
collect(struct b2a_col *c, struct arrow_node *nodes, size_t *nn,
    struct arrow_buf *bufs, size_t *nb)
{
	size_t i;

	nodes[*nn].length = c->len;
	nodes[*nn].null_count = c->nulls;
	(*nn)++;
	if (c->kind != B2A_NULL) {
		bufs[*nb].data = c->valid.p;
		bufs[*nb].len = c->nulls ? (size_t)(c->len + 7) / 8 : 0;
		(*nb)++;
	}
	switch (c->kind) {
	case B2A_NULL:
	case B2A_STRUCT:
		break;
	case B2A_UTF8:
	case B2A_BINARY:
	case B2A_EXTJSON:
		bufs[*nb].data = c->offsets.p;
		bufs[(*nb)++].len = c->offsets.len;
		bufs[*nb].data = c->data.p;
		bufs[(*nb)++].len = c->data.len;
		break;
	case B2A_LIST:
		bufs[*nb].data = c->offsets.p;
		bufs[(*nb)++].len = c->offsets.len;
		break;
	case B2A_BOOL:
		bufs[*nb].data = c->values.p;
		bufs[(*nb)++].len = (size_t)(c->len + 7) / 8;
		break;
	default:
		bufs[*nb].data = c->values.p;
		bufs[(*nb)++].len = c->values.len;
		break;
	}
	for (i = 0; i < c->nkids; i++)
		collect(c->kids[i], nodes, nn, bufs, nb);
}

int
b2a_flush(struct b2a *b, struct arrow_writer *w, struct err *e)
{
	size_t i, nn = 0, nb = 0;

	if (b->rows == 0)
		return 0;
	if (b->nodes == NULL) {
		if ((b->nodes = calloc(b->ncols + 1, sizeof(*b->nodes))) ==
		    NULL || (b->bufs = calloc(3 * b->ncols + 1,
		    sizeof(*b->bufs))) == NULL)
			return nomem(e);
	}
	for (i = 0; i < b->root->nkids; i++)
		collect(b->root->kids[i], b->nodes, &nn, b->bufs, &nb);
	if (arrow_write_batch(w, b->rows, b->nodes, nn, b->bufs, nb, e) != 0)
		return -1;
	b->rows = 0;
	b->bytes = 0;
	return b2a_col_reset(b->root, e);
}

static void
stat_walk(struct b2a_col *c, struct b2a_field_stat *s, size_t *n)
{
	size_t i;

	s[*n].path = c->pathstr;
	s[*n].type = c->typestr;
	s[*n].nulls = c->total_nulls;
	s[*n].values = c->total_values;
	s[*n].is_list = c->kind == B2A_LIST;
	s[*n].list_min = c->list_min;
	s[*n].list_max = c->list_max;
	(*n)++;
	for (i = 0; i < c->nkids; i++)
		stat_walk(c->kids[i], s, n);
}

const struct b2a_field_stat *
b2a_field_stats(struct b2a *b, size_t *n)
{
	size_t i;

	*n = 0;
	free(b->stats);
	if ((b->stats = calloc(b->ncols + 1, sizeof(*b->stats))) == NULL)
		return NULL;
	for (i = 0; i < b->root->nkids; i++)
		stat_walk(b->root->kids[i], b->stats, n);
	return b->stats;
}
