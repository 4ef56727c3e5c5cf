/*
 * arrow2bson.c: Arrow row → BSON document (see arrow2bson.h).
 */
#include <math.h>
#include <string.h>

#include "arrow2bson.h"
#include "bson2arrow.h"
#include "fb.h"

__extension__ typedef unsigned __int128 u128;

struct a2b {
	int		keep_nulls;
	struct err	*e;
};

static int append(struct a2b *, bson_t *, const char *, size_t,
    const struct ipcr_array *, int64_t, int in_array, int depth);

static int
fail(struct a2b *c, const struct ipcr_array *a, const char *what)
{
	return err_set(c->e, ERR_FORMAT, "column %s: %s", a->field->name,
	    what);
}


static double
half_to_double(uint16_t h)
{
	int ex = (h >> 10) & 0x1f;
	double m = h & 0x3ff, v;

	if (ex == 0)
		v = ldexp(m, -24);
	else if (ex == 31)
		v = m != 0 ? NAN : INFINITY;
	else
		v = ldexp(m + 1024, ex - 25);
	return (h & 0x8000) ? -v : v;
}

/* Unsigned 128-bit magnitude, divided by 10 in place; returns remainder. */
static unsigned
div10(uint64_t *hi, uint64_t *lo)
{
	u128 v = ((u128)*hi << 64) | *lo;
	unsigned r = (unsigned)(v % 10);

	v /= 10;
	*hi = (uint64_t)(v >> 64);
	*lo = (uint64_t)v;
	return r;
}

/* Arrow decimal128 (LE two's complement, scale) → BSON Decimal128. */
static int
decimal(const uint8_t *p, int scale, bson_decimal128_t *out)
{
	u128 v, lim;
	uint64_t hi, lo;
	int neg, exp = -scale;

	hi = (uint64_t)fb_load_i64(p + 8);
	lo = (uint64_t)fb_load_i64(p);
	v = ((u128)hi << 64) | lo;
	if ((neg = (hi >> 63) != 0))
		v = ~v + 1;
	hi = (uint64_t)(v >> 64);
	lo = (uint64_t)v;
	lim = 1;
	for (int i = 0; i < 34; i++)
		lim *= 10;
	while ((((u128)hi << 64) | lo) >= lim) {
		uint64_t h2 = hi, l2 = lo;

		if (div10(&h2, &l2) != 0)
			return -1;
		hi = h2;
		lo = l2;
		exp++;
	}
	if (exp < -6176 || exp > 6111)
		return -1;
	out->low = lo;
	out->high = ((uint64_t)neg << 63) | ((uint64_t)(exp + 6176) << 49) |
	    hi;
	return 0;
}

static int
append_extjson(struct a2b *c, bson_t *d, const char *k, size_t kn,
    const struct ipcr_array *a, const uint8_t *s, size_t n)
{
	bson_t tmp;
	bson_error_t be;
	bson_iter_t it;
	char *json;
	size_t jn = n + 8;
	int ok;

	if ((json = bson_malloc(jn + 1)) == NULL)
		return err_set(c->e, ERR_NOMEM, "extended JSON");
	memcpy(json, "{\"v\": ", 6);
	memcpy(json + 6, s, n);
	memcpy(json + 6 + n, " }", 3);
	ok = bson_init_from_json(&tmp, json, (ssize_t)jn, &be);
	bson_free(json);
	if (!ok)
		return fail(c, a, "bad extended JSON value");
	ok = bson_iter_init_find(&it, &tmp, "v") &&
	    bson_append_iter(d, k, (int)kn, &it);
	bson_destroy(&tmp);
	return ok ? 0 : fail(c, a, "bad extended JSON value");
}

static int
append_int(struct a2b *c, bson_t *d, const char *k, int kn,
    const struct ipcr_array *a, int64_t i)
{
	const struct ipcr_field *f = a->field;
	const uint8_t *p = a->values;
	bson_decimal128_t dec;
	char s[32];
	uint64_t u;

	switch (f->bit_width) {
	case 8:
		return bson_append_int32(d, k, kn, f->is_signed ?
		    (int8_t)p[i] : p[i]) ? 0 : -1;
	case 16: {
		uint16_t v = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);

		return bson_append_int32(d, k, kn, f->is_signed ?
		    (int16_t)v : v) ? 0 : -1;
	}
	case 32:
		if (f->is_signed)
			return bson_append_int32(d, k, kn,
			    (int32_t)fb_load_u32(p + 4 * i)) ? 0 : -1;
		return bson_append_int64(d, k, kn,
		    fb_load_u32(p + 4 * i)) ? 0 : -1;
	default:
		u = (uint64_t)fb_load_i64(p + 8 * i);
		if (f->is_signed || u <= INT64_MAX)
			return bson_append_int64(d, k, kn, (int64_t)u) ? 0 : -1;
		snprintf(s, sizeof(s), "%llu", (unsigned long long)u);
		if (!bson_decimal128_from_string(s, &dec))
			return fail(c, a, "uint64 value");
		return bson_append_decimal128(d, k, kn, &dec) ? 0 : -1;
	}
}

static int
append_fixed(bson_t *d, const char *k, int kn, const struct ipcr_array *a,
    int64_t i)
{
	const struct ipcr_field *f = a->field;
	const uint8_t *p = a->values + (size_t)i * (size_t)f->byte_width;
	bson_oid_t oid;
	bson_decimal128_t dec;

	if (f->byte_width == 12 && f->ext == IPCR_EXT_OBJECTID) {
		memcpy(oid.bytes, p, 12);
		return bson_append_oid(d, k, kn, &oid) ? 0 : -1;
	}
	if (f->byte_width == 16 && f->ext == IPCR_EXT_DECIMAL128) {
		dec.low = (uint64_t)fb_load_i64(p);
		dec.high = (uint64_t)fb_load_i64(p + 8);
		return bson_append_decimal128(d, k, kn, &dec) ? 0 : -1;
	}
	return bson_append_binary(d, k, kn, f->byte_width == 16 &&
	    f->ext == IPCR_EXT_UUID ? BSON_SUBTYPE_UUID : BSON_SUBTYPE_BINARY,
	    p, (uint32_t)f->byte_width) ? 0 : -1;
}

/* Timestamp in unit → ms (floored). -1 when seconds overflow. */
static int
to_ms(int64_t v, int unit, int64_t *ms)
{
	switch (unit) {
	case 0:
		return __builtin_mul_overflow(v, 1000, ms) ? -1 : 0;
	case 1:
		*ms = v;
		return 0;
	case 2:
		*ms = v / 1000 - (v % 1000 < 0);
		return 0;
	default:
		*ms = v / 1000000 - (v % 1000000 < 0);
		return 0;
	}
}

/* UTF-8 check with an ASCII fast path (libbson's is per character). */
static int
utf8_ok(const uint8_t *s, size_t n, int allow_nul)
{
	uint64_t w, acc = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= s[i];
	if ((acc & 0x8080808080808080ull) == 0 &&
	    (allow_nul || memchr(s, 0, n) == NULL))
		return 1;
	return bson_utf8_validate((const char *)s, n, allow_nul);
}

static int
append_varlen(struct a2b *c, bson_t *d, const char *k, int kn,
    const struct ipcr_array *a, int64_t i)
{
	int64_t o = ipcr_offset(a, i), end = ipcr_offset(a, i + 1);
	const uint8_t *s = a->values + o;
	size_t n = (size_t)(end - o);

	if (n > INT32_MAX - 64)
		return fail(c, a, "value too large for BSON");
	if (a->field->type == ARROW_BINARY ||
	    a->field->type == ARROW_LARGE_BINARY)
		return bson_append_binary(d, k, kn, BSON_SUBTYPE_BINARY, s,
		    (uint32_t)n) ? 0 : -1;
	if (a->field->ext == IPCR_EXT_EXTJSON)
		return append_extjson(c, d, k, (size_t)kn, a, s, n);
	if (!utf8_ok(s, n, 1))
		return fail(c, a, "invalid UTF-8");
	return bson_append_utf8(d, k, kn, (const char *)s, (int)n) ? 0 : -1;
}

/*
 * Fast path for arrays of non-null float64, int32 or int64 (feature
 * vectors): the BSON array is written into one buffer and appended with
 * a single copy instead of one append per element. 1 done, 0 not
 * applicable, -1 error.
 */
static int
append_prim_array(bson_t *d, const char *k, int kn,
    const struct ipcr_array *a, int64_t from, int64_t to)
{
	const struct ipcr_field *f = a->field;
	uint8_t stack[8192], *buf = stack, *p;
	char kb[16];
	const char *key;
	size_t w, need, kl, i, n = (size_t)(to - from);
	uint8_t type;
	int32_t len;
	bson_t arr;
	int ok;

	if (a->dict != NULL || a->validity != NULL || n > 1000000)
		return 0;
	if (f->type == ARROW_FLOAT && f->bit_width == 64)
		type = BSON_TYPE_DOUBLE, w = 8;
	else if (f->type == ARROW_INT && f->is_signed && f->bit_width == 64)
		type = BSON_TYPE_INT64, w = 8;
	else if (f->type == ARROW_INT && f->is_signed && f->bit_width == 32)
		type = BSON_TYPE_INT32, w = 4;
	else
		return 0;
	/* Keys are at most 7 digits here. */
	need = 5 + n * (w + 9);
	if (need > sizeof(stack) && (buf = malloc(need)) == NULL)
		return -1;
	p = buf + 4;
	for (i = 0; i < n; i++) {
		kl = bson_uint32_to_string((uint32_t)i, &key, kb, sizeof(kb));
		*p++ = type;
		memcpy(p, key, kl + 1);
		p += kl + 1;
		memcpy(p, a->values + (size_t)(from + (int64_t)i) * w, w);
		p += w;
	}
	*p++ = 0;
	len = (int32_t)(p - buf);
	buf[0] = (uint8_t)len;
	buf[1] = (uint8_t)(len >> 8);
	buf[2] = (uint8_t)(len >> 16);
	buf[3] = (uint8_t)(len >> 24);
	ok = bson_init_static(&arr, buf, (size_t)len) &&
	    bson_append_array(d, k, kn, &arr);
	if (buf != stack)
		free(buf);
	return ok ? 1 : -1;
}

/* Elements [from, to) of child as a BSON array. */
static int
append_array(struct a2b *c, bson_t *d, const char *k, int kn,
    const struct ipcr_array *child, int64_t from, int64_t to, int depth)
{
	bson_t sub;
	char buf[16];
	const char *key;
	size_t n;
	int64_t j;
	int rc;

	if ((rc = append_prim_array(d, k, kn, child, from, to)) != 0)
		return rc > 0 ? 0 : -1;
	if (!bson_append_array_begin(d, k, kn, &sub))
		return -1;
	for (j = from; j < to; j++) {
		n = bson_uint32_to_string((uint32_t)(j - from), &key, buf,
		    sizeof(buf));
		if (append(c, &sub, key, n, child, j, 1, depth + 1) != 0)
			return -1;
	}
	return bson_append_array_end(d, &sub) ? 0 : -1;
}

static int
append_map(struct a2b *c, bson_t *d, const char *k, int kn,
    const struct ipcr_array *a, int64_t i, int depth)
{
	const struct ipcr_array *ent = &a->children[0];
	const struct ipcr_array *key = &ent->children[0];
	const struct ipcr_array *val = &ent->children[1];
	int64_t j, from = ipcr_offset(a, i), to = ipcr_offset(a, i + 1);
	int64_t o, n;
	bson_t sub;

	if (key->dict != NULL || (key->field->type != ARROW_UTF8 &&
	    key->field->type != ARROW_LARGE_UTF8) || key->field->ext_name)
		return append_array(c, d, k, kn, ent, from, to, depth);
	if (!bson_append_document_begin(d, k, kn, &sub))
		return -1;
	for (j = from; j < to; j++) {
		if (!ipcr_valid(key, j))
			return fail(c, a, "null map key");
		o = ipcr_offset(key, j);
		n = ipcr_offset(key, j + 1) - o;
		if (n > 65536 || memchr(key->values + o, 0, (size_t)n) ||
		    !bson_utf8_validate((const char *)key->values + o,
		    (size_t)n, false))
			return fail(c, a, "map key not usable as a BSON key");
		if (append(c, &sub, (const char *)key->values + o, (size_t)n,
		    val, j, 0, depth + 1) != 0)
			return -1;
	}
	return bson_append_document_end(d, &sub) ? 0 : -1;
}

static int
append_struct(struct a2b *c, bson_t *d, const char *k, int kn,
    const struct ipcr_array *a, int64_t i, int depth)
{
	const struct ipcr_field *f = a->field;
	bson_t sub;
	size_t j;

	if (!bson_append_document_begin(d, k, kn, &sub))
		return -1;
	for (j = 0; j < f->nchildren; j++)
		if (append(c, &sub, f->children[j].name,
		    f->children[j].name_len, &a->children[j], i, 0,
		    depth + 1) != 0)
			return -1;
	return bson_append_document_end(d, &sub) ? 0 : -1;
}

static int
append(struct a2b *c, bson_t *d, const char *k, size_t kl,
    const struct ipcr_array *a, int64_t i, int in_array, int depth)
{
	const struct ipcr_field *f = a->field;
	const uint8_t *p = a->values;
	bson_decimal128_t dec;
	int kn = (int)kl, rc;
	int64_t ms;
	float fl;
	double db;

	if (depth > 2 * IPCR_MAX_DEPTH)
		return fail(c, a, "nesting too deep");
	if (!ipcr_valid(a, i) || (f->type == ARROW_NULL && a->dict == NULL)) {
		if (!in_array && !c->keep_nulls)
			return 0;
		return bson_append_null(d, k, kn) ? 0 : -1;
	}
	if (a->dict != NULL)
		return append(c, d, k, kl, a->dict, ipcr_dict_index(a, i),
		    in_array, depth + 1);
	switch (f->type) {
	case ARROW_INT:
		rc = append_int(c, d, k, kn, a, i);
		break;
	case ARROW_FLOAT:
		if (f->bit_width == 16)
			db = half_to_double((uint16_t)(p[2 * i] |
			    p[2 * i + 1] << 8));
		else if (f->bit_width == 32) {
			memcpy(&fl, p + 4 * i, 4);
			db = fl;
		} else
			memcpy(&db, p + 8 * i, 8);
		rc = bson_append_double(d, k, kn, db) ? 0 : -1;
		break;
	case ARROW_BOOL:
		rc = bson_append_bool(d, k, kn, (p[i >> 3] >> (i & 7)) & 1) ?
		    0 : -1;
		break;
	case ARROW_UTF8: case ARROW_LARGE_UTF8:
	case ARROW_BINARY: case ARROW_LARGE_BINARY:
		rc = append_varlen(c, d, k, kn, a, i);
		break;
	case ARROW_FIXED_BINARY:
		rc = append_fixed(d, k, kn, a, i);
		break;
	case ARROW_DATE:
		rc = bson_append_date_time(d, k, kn, f->unit == 0 ?
		    (int64_t)(int32_t)fb_load_u32(p + 4 * i) * 86400000 :
		    fb_load_i64(p + 8 * i)) ? 0 : -1;
		break;
	case ARROW_TIMESTAMP:
		if (to_ms(fb_load_i64(p + 8 * i), f->unit, &ms) != 0)
			return fail(c, a, "timestamp out of the date range");
		rc = bson_append_date_time(d, k, kn, ms) ? 0 : -1;
		break;
	case ARROW_TIME:
		rc = (f->bit_width == 32 ? bson_append_int32(d, k, kn,
		    (int32_t)fb_load_u32(p + 4 * i)) :
		    bson_append_int64(d, k, kn, fb_load_i64(p + 8 * i))) ?
		    0 : -1;
		break;
	case ARROW_DURATION:
		rc = bson_append_int64(d, k, kn, fb_load_i64(p + 8 * i)) ?
		    0 : -1;
		break;
	case ARROW_DECIMAL:
		if (decimal(p + 16 * i, f->scale, &dec) != 0)
			return fail(c, a, "decimal does not fit Decimal128");
		rc = bson_append_decimal128(d, k, kn, &dec) ? 0 : -1;
		break;
	case ARROW_LIST: case ARROW_LARGE_LIST:
		rc = append_array(c, d, k, kn, &a->children[0],
		    ipcr_offset(a, i), ipcr_offset(a, i + 1), depth);
		break;
	case ARROW_FIXED_LIST:
		rc = append_array(c, d, k, kn, &a->children[0],
		    i * f->list_size, (i + 1) * f->list_size, depth);
		break;
	case ARROW_STRUCT:
		rc = append_struct(c, d, k, kn, a, i, depth);
		break;
	case ARROW_MAP:
		rc = append_map(c, d, k, kn, a, i, depth);
		break;
	default:
		return fail(c, a, "unsupported type");
	}
	if (rc != 0 && c->e->kind == ERR_NONE)
		return err_set(c->e, ERR_LIMIT, "column %s: document too large "
		    "for BSON", f->name);
	return rc;
}

static int
check_names(const struct ipcr_field *f, size_t n, struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!bson_utf8_validate(f[i].name, strlen(f[i].name), false))
			return err_set(e, ERR_FORMAT, "column name is not "
			    "UTF-8");
		if (check_names(f[i].children, f[i].nchildren, e) != 0)
			return -1;
	}
	return 0;
}

int
a2b_check_schema(const struct ipcr_field *f, size_t n, int *id_col,
    struct err *e)
{
	size_t i;

	*id_col = -1;
	for (i = 0; i < n && i < INT32_MAX; i++)
		if (strcmp(f[i].name, "_id") == 0 && *id_col < 0)
			*id_col = (int)i;
	return check_names(f, n, e);
}

/*
 * Fast path for flat rows: runs of top-level columns of simple types are
 * encoded as raw BSON elements in a scratch buffer and added to the
 * document with one bson_concat, instead of one libbson append each.
 */
struct run {
	size_t	len;		/* bytes used, the 4-byte length included */
	uint8_t	buf[4096];
};

static int
run_flush(bson_t *doc, struct run *r)
{
	bson_t tmp;
	uint32_t n;

	if (r->len == 4)
		return 0;
	r->buf[r->len] = 0;
	n = (uint32_t)r->len + 1;
	r->buf[0] = (uint8_t)n;
	r->buf[1] = (uint8_t)(n >> 8);
	r->buf[2] = (uint8_t)(n >> 16);
	r->buf[3] = (uint8_t)(n >> 24);
	r->len = 4;
	return bson_init_static(&tmp, r->buf, n) && bson_concat(doc, &tmp) ?
	    0 : -1;
}

static uint8_t *
run_elem(struct run *r, uint8_t type, const struct ipcr_field *f,
    size_t vlen)
{
	uint8_t *p;

	if (f->name_len + vlen + 3 > sizeof(r->buf) - 1 - r->len)
		return NULL;
	p = r->buf + r->len;
	*p++ = type;
	memcpy(p, f->name, f->name_len + 1);
	p += f->name_len + 1;
	r->len += 2 + f->name_len + vlen;
	return p;
}

/* Row i of a as a raw element: 1 done, 0 not a simple case (or full). */
static int
raw_elem(struct run *r, const struct ipcr_array *a, int64_t i, int keep)
{
	const struct ipcr_field *f = a->field;
	const uint8_t *v = a->values;
	uint8_t *p;
	int64_t o, n;
	int32_t x;

	if (a->dict != NULL)
		return 0;
	if (!ipcr_valid(a, i)) {
		if (!keep)
			return 1;
		return run_elem(r, BSON_TYPE_NULL, f, 0) != NULL;
	}
	switch (f->type) {
	case ARROW_INT:
		if (f->bit_width == 64 && f->is_signed) {
			if ((p = run_elem(r, BSON_TYPE_INT64, f, 8)) == NULL)
				return 0;
			memcpy(p, v + 8 * i, 8);
			return 1;
		}
		if (f->bit_width != 32 || !f->is_signed)
			return 0;
		if ((p = run_elem(r, BSON_TYPE_INT32, f, 4)) == NULL)
			return 0;
		memcpy(p, v + 4 * i, 4);
		return 1;
	case ARROW_FLOAT:
		if (f->bit_width != 64 ||
		    (p = run_elem(r, BSON_TYPE_DOUBLE, f, 8)) == NULL)
			return 0;
		memcpy(p, v + 8 * i, 8);
		return 1;
	case ARROW_BOOL:
		if ((p = run_elem(r, BSON_TYPE_BOOL, f, 1)) == NULL)
			return 0;
		*p = (v[i >> 3] >> (i & 7)) & 1;
		return 1;
	case ARROW_TIMESTAMP:
	case ARROW_DATE:
		if (f->unit != 1 ||
		    (p = run_elem(r, BSON_TYPE_DATE_TIME, f, 8)) == NULL)
			return 0;
		memcpy(p, v + 8 * i, 8);
		return 1;
	case ARROW_FIXED_BINARY:
		if (f->ext != IPCR_EXT_OBJECTID || f->byte_width != 12 ||
		    (p = run_elem(r, BSON_TYPE_OID, f, 12)) == NULL)
			return 0;
		memcpy(p, v + 12 * i, 12);
		return 1;
	case ARROW_UTF8: case ARROW_LARGE_UTF8:
		o = ipcr_offset(a, i);
		n = ipcr_offset(a, i + 1) - o;
		if (f->ext != IPCR_EXT_NONE || n > 1024 ||
		    !utf8_ok(v + o, (size_t)n, 1) ||
		    (p = run_elem(r, BSON_TYPE_UTF8, f, (size_t)n + 5)) == NULL)
			return 0;
		x = (int32_t)n + 1;
		memcpy(p, &x, 4);
		memcpy(p + 4, v + o, (size_t)n);
		p[4 + n] = 0;
		return 1;
	default:
		return 0;
	}
}

int
a2b_row(const struct ipcr_batch *b, int64_t row, int id_col, int keep_nulls,
    int gen_id, bson_t *doc, struct err *e)
{
	struct a2b c = { keep_nulls, e };
	const struct ipcr_array *col;
	struct run r;
	bson_oid_t oid;
	size_t i;

	e->kind = ERR_NONE;
	if (gen_id && (id_col < 0 ||
	    !ipcr_valid(&b->columns[id_col], row) ||
	    (b->columns[id_col].field->type == ARROW_NULL &&
	    b->columns[id_col].dict == NULL))) {
		bson_oid_init(&oid, NULL);
		if (!bson_append_oid(doc, "_id", 3, &oid))
			return err_set(e, ERR_LIMIT, "document too large");
	}
	r.len = 4;
	for (i = 0; i < b->ncolumns; i++) {
		col = &b->columns[i];
		if (raw_elem(&r, col, row, keep_nulls))
			continue;
		if (run_flush(doc, &r) != 0)
			return err_set(e, ERR_LIMIT, "row %lld: document too "
			    "large", (long long)row);
		if (append(&c, doc, col->field->name, col->field->name_len,
		    col, row, 0, 0) != 0)
			return err_prefix(e, "row %lld", (long long)row);
	}
	if (run_flush(doc, &r) != 0)
		return err_set(e, ERR_LIMIT, "row %lld: document too large",
		    (long long)row);
	return 0;
}
