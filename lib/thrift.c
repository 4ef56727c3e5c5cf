/*
 * thrift.c: Thrift compact-protocol reader (see thrift.h for limits).
 *
 * Wire format summary: integers are zigzag ULEB128 varints; a field
 * header is one byte, field-id delta (1..15) in the high nibble and
 * type in the low nibble, or delta 0 followed by a zigzag i16 id; bools
 * in fields live in the header type; lists start with one byte (size
 * 0..14 in the high nibble, 15 = varint size follows) and the element
 * type; maps with a varint size and, when non-empty, one byte of key
 * and value types; binary is a varint length and the bytes.
 */
#include <stdio.h>
#include <string.h>

#include "thrift.h"

static int
fail(struct thrift_reader *r, enum err_kind kind, const char *what)
{
	return err_set(r->err, kind, "%s at byte %zu", what, thrift_offset(r));
}

void
thrift_init(struct thrift_reader *r, const void *buf, size_t len,
    struct err *e)
{
	r->start = buf;
	r->p = buf;
	r->end = r->start + len;
	r->depth = 0;
	r->max_depth = THRIFT_DEFAULT_DEPTH;
	r->err = e;
}

size_t
thrift_offset(const struct thrift_reader *r)
{
	return (size_t)(r->p - r->start);
}

static size_t
left(const struct thrift_reader *r)
{
	return (size_t)(r->end - r->p);
}

/* Unsigned varint of at most maxbits bits. */
static int
read_varint(struct thrift_reader *r, unsigned maxbits, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	for (;;) {
		if (r->p >= r->end)
			return fail(r, ERR_FORMAT, "truncated varint");
		b = *r->p++;
		if (shift >= maxbits || (shift > 0 && maxbits - shift < 7 &&
		    (b & 0x7f) >> (maxbits - shift) != 0))
			return fail(r, ERR_FORMAT, "varint too long");
		v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			break;
		shift += 7;
	}
	*out = v;
	return 0;
}

static int64_t
unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static int
enter(struct thrift_reader *r)
{
	if (r->depth >= r->max_depth)
		return fail(r, ERR_LIMIT, "nesting deeper than the limit");
	r->depth++;
	return 0;
}

int
thrift_struct_begin(struct thrift_reader *r, struct thrift_field *f)
{
	f->id = 0;
	f->type = THRIFT_STOP;
	f->bool_value = false;
	return enter(r);
}

int
thrift_field_next(struct thrift_reader *r, struct thrift_field *f)
{
	uint64_t v;
	int64_t id;
	uint8_t b, delta;

	if (r->p >= r->end)
		return fail(r, ERR_FORMAT, "truncated struct");
	b = *r->p++;
	if (b == THRIFT_STOP) {
		r->depth--;
		return 0;
	}
	f->type = b & 0x0f;
	delta = b >> 4;
	if (f->type > THRIFT_UUID || f->type == THRIFT_STOP)
		return fail(r, ERR_FORMAT, "invalid field type");
	if (delta != 0) {
		id = (int64_t)f->id + delta;
	} else {
		if (read_varint(r, 16, &v) != 0)
			return -1;
		id = unzigzag(v);
	}
	if (id <= 0 || id > INT16_MAX)
		return fail(r, ERR_FORMAT, "invalid field id");
	f->id = (int16_t)id;
	f->bool_value = f->type == THRIFT_TRUE;
	if (f->type == THRIFT_FALSE)
		f->type = THRIFT_TRUE;	/* one code for "bool field" */
	return 1;
}

int
thrift_expect(struct thrift_reader *r, const struct thrift_field *f,
    uint8_t want, const char *what)
{
	char msg[128];

	if (f->type == want)
		return 0;
	snprintf(msg, sizeof(msg), "%s: unexpected wire type %u", what,
	    (unsigned)f->type);
	return fail(r, ERR_FORMAT, msg);
}

/* Smallest encoding of one value of wire type t, 0 if t is invalid. */
static size_t
min_size(uint8_t t)
{
	switch (t) {
	case THRIFT_TRUE:
	case THRIFT_FALSE:
	case THRIFT_I8:
	case THRIFT_I16:
	case THRIFT_I32:
	case THRIFT_I64:
	case THRIFT_BINARY:
	case THRIFT_LIST:
	case THRIFT_SET:
	case THRIFT_MAP:
	case THRIFT_STRUCT:
		return 1;
	case THRIFT_DOUBLE:
		return 8;
	case THRIFT_UUID:
		return 16;
	default:
		return 0;
	}
}

int
thrift_list_begin(struct thrift_reader *r, struct thrift_list *l)
{
	uint64_t n;
	size_t sz;
	uint8_t b;

	if (r->p >= r->end)
		return fail(r, ERR_FORMAT, "truncated list header");
	b = *r->p++;
	l->elem_type = b & 0x0f;
	n = b >> 4;
	if (n == 15 && read_varint(r, 32, &n) != 0)
		return -1;
	if ((sz = min_size(l->elem_type)) == 0)
		return fail(r, ERR_FORMAT, "invalid list element type");
	if (n > left(r) / sz)
		return fail(r, ERR_FORMAT,
		    "list count exceeds remaining bytes");
	l->count = (uint32_t)n;
	return enter(r);
}

void
thrift_list_end(struct thrift_reader *r)
{
	r->depth--;
}

int
thrift_read_int(struct thrift_reader *r, uint8_t type, int64_t min,
    int64_t max, int64_t *out)
{
	uint64_t u;
	int64_t v;

	switch (type) {
	case THRIFT_I8:
		if (r->p >= r->end)
			return fail(r, ERR_FORMAT, "truncated i8");
		v = (int8_t)*r->p++;
		break;
	case THRIFT_I16:
	case THRIFT_I32:
	case THRIFT_I64:
		if (read_varint(r, type == THRIFT_I16 ? 16 :
		    type == THRIFT_I32 ? 32 : 64, &u) != 0)
			return -1;
		v = unzigzag(u);
		break;
	default:
		return fail(r, ERR_FORMAT, "integer expected");
	}
	if (v < min || v > max)
		return fail(r, ERR_FORMAT, "integer out of range");
	*out = v;
	return 0;
}

int
thrift_field_bool(struct thrift_reader *r, const struct thrift_field *f,
    bool *out)
{
	if (f->type != THRIFT_TRUE)
		return fail(r, ERR_FORMAT, "bool expected");
	*out = f->bool_value;
	return 0;
}

int
thrift_read_bool_elem(struct thrift_reader *r, bool *out)
{
	if (r->p >= r->end)
		return fail(r, ERR_FORMAT, "truncated bool");
	switch (*r->p++) {
	case 1:
		*out = true;
		return 0;
	case 0:
	case 2:
		*out = false;
		return 0;
	default:
		r->p--;
		return fail(r, ERR_FORMAT, "invalid bool");
	}
}

int
thrift_read_double(struct thrift_reader *r, double *out)
{
	uint64_t u = 0;
	int i;

	if (left(r) < 8)
		return fail(r, ERR_FORMAT, "truncated double");
	for (i = 7; i >= 0; i--)
		u = u << 8 | r->p[i];
	r->p += 8;
	memcpy(out, &u, sizeof(*out));
	return 0;
}

int
thrift_read_binary(struct thrift_reader *r, const uint8_t **ptr, size_t *len)
{
	uint64_t n;

	if (read_varint(r, 32, &n) != 0)
		return -1;
	if (n > left(r))
		return fail(r, ERR_FORMAT, "binary length exceeds remaining"
		    " bytes");
	*ptr = r->p;
	*len = (size_t)n;
	r->p += n;
	return 0;
}

static int
skip_map(struct thrift_reader *r)
{
	uint64_t n, i;
	uint8_t kt = 0, vt = 0;
	size_t sz;

	if (read_varint(r, 32, &n) != 0)
		return -1;
	if (n > 0) {
		if (r->p >= r->end)
			return fail(r, ERR_FORMAT, "truncated map header");
		kt = *r->p >> 4;
		vt = *r->p & 0x0f;
		r->p++;
		if (min_size(kt) == 0 || min_size(vt) == 0)
			return fail(r, ERR_FORMAT, "invalid map types");
		sz = min_size(kt) + min_size(vt);
		if (n > left(r) / sz)
			return fail(r, ERR_FORMAT,
			    "map count exceeds remaining bytes");
	}
	if (enter(r) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (thrift_skip(r, kt) != 0 || thrift_skip(r, vt) != 0)
			return -1;
	r->depth--;
	return 0;
}

int
thrift_skip(struct thrift_reader *r, uint8_t type)
{
	struct thrift_field f;
	struct thrift_list l;
	const uint8_t *ptr;
	uint64_t u;
	uint32_t i;
	size_t len;
	bool b;
	int rc;

	switch (type) {
	case THRIFT_TRUE:
	case THRIFT_FALSE:
		return thrift_read_bool_elem(r, &b);
	case THRIFT_I8:
		if (r->p >= r->end)
			return fail(r, ERR_FORMAT, "truncated i8");
		r->p++;
		return 0;
	case THRIFT_I16:
		return read_varint(r, 16, &u);
	case THRIFT_I32:
		return read_varint(r, 32, &u);
	case THRIFT_I64:
		return read_varint(r, 64, &u);
	case THRIFT_DOUBLE:
	case THRIFT_UUID:
		len = type == THRIFT_DOUBLE ? 8 : 16;
		if (left(r) < len)
			return fail(r, ERR_FORMAT, "truncated value");
		r->p += len;
		return 0;
	case THRIFT_BINARY:
		return thrift_read_binary(r, &ptr, &len);
	case THRIFT_LIST:
	case THRIFT_SET:
		if (thrift_list_begin(r, &l) != 0)
			return -1;
		for (i = 0; i < l.count; i++)
			if (thrift_skip(r, l.elem_type) != 0)
				return -1;
		thrift_list_end(r);
		return 0;
	case THRIFT_MAP:
		return skip_map(r);
	case THRIFT_STRUCT:
		if (thrift_struct_begin(r, &f) != 0)
			return -1;
		while ((rc = thrift_field_next(r, &f)) == 1)
			if (thrift_skip_field(r, &f) != 0)
				return -1;
		return rc;
	default:
		return fail(r, ERR_FORMAT, "invalid type");
	}
}

int
thrift_skip_field(struct thrift_reader *r, const struct thrift_field *f)
{
	if (f->type == THRIFT_TRUE)
		return 0;	/* the value was in the header */
	return thrift_skip(r, f->type);
}
