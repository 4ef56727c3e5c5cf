/*
 * pqdec.c: the table-driven struct decoder behind the FileMetaData
 * decoders, and what they share (pqdec.h).
 */
#include "arena.h"
#include "pqdec.h"

static int
is_int(uint8_t type)
{
	return type >= THRIFT_I8 && type <= THRIFT_I64;
}

/* Wire type got may stand for want (bool fields have one code). */
static int
compatible(uint8_t want, uint8_t got)
{
	return got == want || (is_int(want) && is_int(got));
}

/* The row for field f; NULL (skip f) for no row or another wire type. */
static const struct pqdec_field *
find(const struct pqdec_struct *s, const struct thrift_field *f)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->fields[i].id == f->id)
			return compatible(s->fields[i].type, f->type) ?
			    &s->fields[i] : NULL;
	return NULL;
}

/* One value of wire type type into dst, held as the row type want says. */
static int
read_value(struct pqdec *d, const struct pqdec_field *row, uint8_t want,
    uint8_t type, void *dst)
{
	struct pq_bytes *b = dst;
	int64_t v, min = INT32_MIN, max = INT32_MAX;

	if (row->read != NULL)
		return row->read(d, type, dst);
	switch (want) {
	case THRIFT_I8:
		min = INT8_MIN, max = INT8_MAX;
		break;
	case THRIFT_I16:
		min = INT16_MIN, max = INT16_MAX;
		break;
	case THRIFT_I32:
		break;
	case THRIFT_I64:
		return thrift_read_int(&d->r, type, INT64_MIN, INT64_MAX, dst);
	case THRIFT_BINARY:
		return thrift_read_binary(&d->r, &b->ptr, &b->len);
	case THRIFT_STRUCT:
		if (row->sub != NULL)
			return pqdec_read(d, row->sub, dst);
		/* FALLTHROUGH */
	default:
		return err_set(d->e, ERR_USAGE, "pqdec: no reader for field %d",
		    row->id);
	}
	if (thrift_read_int(&d->r, type, min, max, &v) != 0)
		return -1;
	*(int32_t *)dst = (int32_t)v;
	return 0;
}

/* A list field: allocate the array, read each element. */
static int
read_list(struct pqdec *d, const struct pqdec_field *row, char *out)
{
	void **arr = (void **)(out + row->off);
	uint32_t *n = (uint32_t *)(out + row->n_off);
	struct thrift_list l;
	uint32_t i;

	if (thrift_list_begin(&d->r, &l) != 0)
		return -1;
	if (!compatible(row->elem, l.elem_type))
		return err_set(d->e, ERR_FORMAT, "list of wire type %u where "
		    "%u was expected", (unsigned)l.elem_type,
		    (unsigned)row->elem);
	*n = l.count;
	*arr = NULL;
	if (l.count > 0 && (*arr = arena_alloc(d->a, l.count, row->esize,
	    d->e)) == NULL)
		return -1;
	for (i = 0; i < l.count; i++)
		if (read_value(d, row, row->elem, l.elem_type,
		    (char *)*arr + (size_t)i * row->esize) != 0)
			return row->name == NULL ? -1 :
			    err_prefix(d->e, "%s[%u]", row->name, i);
	thrift_list_end(&d->r);
	return 0;
}

static int
read_field(struct pqdec *d, const struct pqdec_field *row,
    const struct thrift_field *f, char *out)
{
	if (row->type == THRIFT_LIST)
		return read_list(d, row, out);
	if (row->type == THRIFT_TRUE && row->read == NULL) {
		*(bool *)(out + row->off) = f->bool_value;
		return 0;
	}
	return read_value(d, row, row->type, f->type, out + row->off);
}

int
pqdec_read(struct pqdec *d, const struct pqdec_struct *s, void *out)
{
	const struct pqdec_field *row;
	struct thrift_field f;
	uint32_t seen = 0;
	size_t i;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((row = find(s, &f)) == NULL) {
			if (thrift_skip_field(&d->r, &f) != 0)
				return -1;
			continue;
		}
		if (read_field(d, row, &f, out) != 0)
			return s->prefix == NULL ? -1 :
			    err_prefix(d->e, "%s", s->prefix);
		seen |= UINT32_C(1) << (row - s->fields);
		if (row->has != 0)
			*(unsigned *)((char *)out + s->has_off) |= row->has;
	}
	if (rc != 0)
		return -1;
	for (i = 0; i < s->n; i++)
		if (s->fields[i].required && !(seen & UINT32_C(1) << i))
			return err_set(d->e, ERR_FORMAT, "required field %s "
			    "missing", s->missing);
	return 0;
}

int
pqdec_enum(struct pqdec *d, uint8_t type, int32_t max, const char *what,
    int32_t *out)
{
	int64_t v;

	if (thrift_read_int(&d->r, type, INT32_MIN, INT32_MAX, &v) != 0)
		return -1;
	if (v < 0 || v > max)
		return err_set(d->e, ERR_FORMAT, "invalid %s %lld at byte %zu",
		    what, (long long)v, thrift_offset(&d->r));
	*out = (int32_t)v;
	return 0;
}

int
pqdec_physical_type(struct pqdec *d, uint8_t type, void *dst)
{
	return pqdec_enum(d, type, PQ_FIXED_LEN_BYTE_ARRAY, "physical type",
	    dst);
}

int
pqdec_union_id(struct pqdec *d, uint8_t type, void *dst)
{
	struct thrift_field f;
	int32_t *id = dst;
	int rc;

	(void)type;
	*id = 0;
	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if (*id == 0)
			*id = f.id;
		if (thrift_skip_field(&d->r, &f) != 0)
			return -1;
	}
	return rc;
}

int
pqdec_skip(struct pqdec *d, uint8_t type, void *dst)
{
	(void)dst;
	if (type == THRIFT_TRUE)
		return 0;	/* a bool field's value is in its header */
	return thrift_skip(&d->r, type);
}

#define KV(id, type, m)		PQDEC_AT(struct pq_kv, id, type, m)

/* KeyValue. */
static const struct pqdec_field kv_fields[] = {
	{ KV(1, BINARY, key), .required = true },
	{ KV(2, BINARY, value) },
};

const struct pqdec_struct pqdec_kv = PQDEC_STRUCT(kv_fields, 0, NULL, "key");
