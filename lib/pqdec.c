/*
 * pqdec.c: helpers shared by the FileMetaData decoders (pqdec.h).
 */
#include "arena.h"
#include "pqdec.h"

/* Integer wire types are interchangeable; bool fields have one code. */
int
pqdec_known(struct pqdec *d, const struct thrift_field *f,
    const uint8_t *types, size_t n)
{
	uint8_t want;

	if (f->id < 0 || (size_t)f->id >= n || (want = types[f->id]) == 0 ||
	    !(f->type == want || (want >= THRIFT_I8 && want <= THRIFT_I64 &&
	    f->type >= THRIFT_I8 && f->type <= THRIFT_I64)))
		return thrift_skip_field(&d->r, f) == 0 ? 0 : -1;
	return 1;
}

int
pqdec_int(struct pqdec *d, const struct thrift_field *f, int64_t min,
    int64_t max, int64_t *out)
{
	return thrift_read_int(&d->r, f->type, min, max, out);
}

int
pqdec_i32(struct pqdec *d, const struct thrift_field *f, int32_t *out)
{
	int64_t v;

	if (pqdec_int(d, f, INT32_MIN, INT32_MAX, &v) != 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

int
pqdec_i64(struct pqdec *d, const struct thrift_field *f, int64_t *out)
{
	return pqdec_int(d, f, INT64_MIN, INT64_MAX, out);
}

int
pqdec_enum(struct pqdec *d, const struct thrift_field *f, int32_t max,
    const char *what, int32_t *out)
{
	int64_t v;

	if (thrift_read_int(&d->r, f->type, INT32_MIN, INT32_MAX, &v) != 0)
		return -1;
	if (v < 0 || v > max)
		return err_set(d->e, ERR_FORMAT, "invalid %s %lld at byte %zu",
		    what, (long long)v, thrift_offset(&d->r));
	*out = (int32_t)v;
	return 0;
}

int
pqdec_bin(struct pqdec *d, const struct thrift_field *f, struct pq_bytes *out)
{
	if (thrift_expect(&d->r, f, THRIFT_BINARY, "binary field") != 0)
		return -1;
	return thrift_read_binary(&d->r, &out->ptr, &out->len);
}

int
pqdec_missing(struct pqdec *d, const char *what)
{
	return err_set(d->e, ERR_FORMAT, "required field %s missing", what);
}

/*
 * Enter a list-valued field and allocate count elements of size. Lists
 * of integers may use any integer wire type; *et (if not NULL) gets the
 * element type for the caller's reads.
 */
int
pqdec_list(struct pqdec *d, const struct thrift_field *f, uint8_t elem,
    size_t size, void **arr, uint32_t *n, uint8_t *et)
{
	struct thrift_list l;

	if (thrift_expect(&d->r, f, THRIFT_LIST, "list field") != 0 ||
	    thrift_list_begin(&d->r, &l) != 0)
		return -1;
	if (l.elem_type != elem && !(elem == THRIFT_I32 &&
	    l.elem_type >= THRIFT_I8 && l.elem_type <= THRIFT_I64))
		return err_set(d->e, ERR_FORMAT, "list of wire type %u where "
		    "%u was expected", (unsigned)l.elem_type, (unsigned)elem);
	*n = l.count;
	*arr = NULL;
	if (l.count > 0 && (*arr = arena_alloc(d->a, l.count, size, d->e)) ==
	    NULL)
		return -1;
	if (et != NULL)
		*et = l.elem_type;
	return 0;
}

int
pqdec_i32_list(struct pqdec *d, const struct thrift_field *f, int32_t **out,
    uint32_t *n)
{
	uint8_t et;
	uint32_t i;
	int64_t v;

	if (pqdec_list(d, f, THRIFT_I32, sizeof(**out), (void **)out, n, &et)
	    != 0)
		return -1;
	for (i = 0; i < *n; i++) {
		if (thrift_read_int(&d->r, et, INT32_MIN, INT32_MAX, &v) != 0)
			return -1;
		(*out)[i] = (int32_t)v;
	}
	thrift_list_end(&d->r);
	return 0;
}

int
pqdec_str_list(struct pqdec *d, const struct thrift_field *f,
    struct pq_bytes **out, uint32_t *n)
{
	uint32_t i;

	if (pqdec_list(d, f, THRIFT_BINARY, sizeof(**out), (void **)out, n,
	    NULL) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (thrift_read_binary(&d->r, &(*out)[i].ptr, &(*out)[i].len)
		    != 0)
			return -1;
	thrift_list_end(&d->r);
	return 0;
}

static const uint8_t kv_types[] = { 0, THRIFT_BINARY, THRIFT_BINARY };

static int
dec_kv(struct pqdec *d, struct pq_kv *kv)
{
	struct thrift_field f;
	int rc, seen = 0;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, kv_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.id == 1) {
			if (pqdec_bin(d, &f, &kv->key) != 0)
				return -1;
			seen = 1;
		} else if (f.id == 2) {
			if (pqdec_bin(d, &f, &kv->value) != 0)
				return -1;
		} else if (thrift_skip_field(&d->r, &f) != 0)
			return -1;
	}
	if (rc == 0 && !seen)
		return pqdec_missing(d, "key");
	return rc;
}

int
pqdec_kv_list(struct pqdec *d, const struct thrift_field *f, struct pq_kv **out,
    uint32_t *n)
{
	uint32_t i;

	if (pqdec_list(d, f, THRIFT_STRUCT, sizeof(**out), (void **)out, n,
	    NULL) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (dec_kv(d, &(*out)[i]) != 0)
			return err_prefix(d->e, "key_value_metadata[%u]", i);
	thrift_list_end(&d->r);
	return 0;
}

/* Read a union; *id gets the id of its (first) member, which is skipped. */
int
pqdec_union_id(struct pqdec *d, int32_t *id)
{
	struct thrift_field f;
	int rc;

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
