/*
 * parquet.c: decode FileMetaData (parquet.thrift) from compact Thrift:
 * the top-level struct, the schema with its logical types, and the
 * schema tree; row groups and columns are in pqchunk.c. Decoder
 * conventions: pqdec.h.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parquet.h"
#include "pqdec.h"
#include "thrift.h"

static const uint8_t time_types[] = { 0, THRIFT_TRUE, THRIFT_STRUCT };
static const uint8_t se_types[] = { 0, THRIFT_I32, THRIFT_I32, THRIFT_I32,
	THRIFT_BINARY, THRIFT_I32, THRIFT_I32, THRIFT_I32, THRIFT_I32,
	THRIFT_I32, THRIFT_STRUCT };
static const uint8_t fm_types[] = { 0, THRIFT_I32, THRIFT_LIST, THRIFT_I64,
	THRIFT_LIST, THRIFT_LIST, THRIFT_BINARY, THRIFT_LIST, THRIFT_STRUCT,
	THRIFT_BINARY };

/* TimeType / TimestampType: isAdjustedToUTC and a TimeUnit union. */
static int
dec_time(struct pqdec *d, struct pq_logical *lt)
{
	struct thrift_field f;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, time_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.id == 1)
			rc = thrift_field_bool(&d->r, &f, &lt->utc);
		else if (f.id == 2)
			rc = pqdec_union_id(d, &lt->unit);
		else
			rc = thrift_skip_field(&d->r, &f);
		if (rc != 0)
			return -1;
	}
	return rc;
}

/* Field types of the LogicalType members that carry parameters. */
static const uint8_t decimal_types[] = { 0, THRIFT_I32, THRIFT_I32 };
static const uint8_t integer_types[] = { 0, THRIFT_I8, THRIFT_TRUE };
static const uint8_t variant_types[] = { 0, THRIFT_I8 };
static const uint8_t geometry_types[] = { 0, THRIFT_BINARY };
static const uint8_t geography_types[] = { 0, THRIFT_BINARY, THRIFT_I32 };

/* Members of the LogicalType union that carry parameters. */
static int
dec_logical_member(struct pqdec *d, struct pq_logical *lt)
{
	const uint8_t *types = NULL;
	struct thrift_field f;
	int64_t v = 0;
	size_t n = 0;
	int rc;

	switch (lt->kind) {
	case PQ_LT_TIME:
	case PQ_LT_TIMESTAMP:
		return dec_time(d, lt);
	case PQ_LT_DECIMAL:
		types = decimal_types, n = NELEM(decimal_types);
		break;
	case PQ_LT_INTEGER:
		types = integer_types, n = NELEM(integer_types);
		break;
	case PQ_LT_VARIANT:
		types = variant_types, n = NELEM(variant_types);
		break;
	case PQ_LT_GEOMETRY:
		types = geometry_types, n = NELEM(geometry_types);
		break;
	case PQ_LT_GEOGRAPHY:
		types = geography_types, n = NELEM(geography_types);
		break;
	}
	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = pqdec_known(d, &f, types, n)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		switch (lt->kind * 100 + f.id) {
		case PQ_LT_DECIMAL * 100 + 1:
			rc = pqdec_i32(d, &f, &lt->scale);
			break;
		case PQ_LT_DECIMAL * 100 + 2:
			rc = pqdec_i32(d, &f, &lt->precision);
			break;
		case PQ_LT_INTEGER * 100 + 1:
			rc = pqdec_int(d, &f, INT8_MIN, INT8_MAX, &v);
			lt->bit_width = (int32_t)v;
			break;
		case PQ_LT_INTEGER * 100 + 2:
			rc = thrift_field_bool(&d->r, &f, &lt->is_signed);
			break;
		case PQ_LT_VARIANT * 100 + 1:
			rc = pqdec_int(d, &f, INT8_MIN, INT8_MAX, &v);
			lt->spec_version = (int32_t)v;
			lt->has |= PQ_LT_HAS_SPEC;
			break;
		case PQ_LT_GEOMETRY * 100 + 1:
		case PQ_LT_GEOGRAPHY * 100 + 1:
			rc = pqdec_bin(d, &f, &lt->crs);
			lt->has |= PQ_LT_HAS_CRS;
			break;
		case PQ_LT_GEOGRAPHY * 100 + 2:
			rc = pqdec_i32(d, &f, &lt->algorithm);
			lt->has |= PQ_LT_HAS_ALGORITHM;
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return -1;
	}
	return rc;
}

static int
dec_logical(struct pqdec *d, struct pq_logical *lt)
{
	struct thrift_field f;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if (lt->kind != 0 || f.type != THRIFT_STRUCT) {
			/* A union has one member; ignore anything else. */
			if (thrift_skip_field(&d->r, &f) != 0)
				return -1;
			continue;
		}
		lt->kind = f.id;
		if (dec_logical_member(d, lt) != 0)
			return err_prefix(d->e, "logicalType");
	}
	return rc;
}

static int
dec_schema_elem(struct pqdec *d, struct pq_schema_elem *se)
{
	struct thrift_field f;
	int rc, seen = 0;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, se_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		switch (f.id) {
		case 1:
			rc = pqdec_enum(d, &f, PQ_FIXED_LEN_BYTE_ARRAY,
			    "physical type", &se->type);
			se->has |= PQ_SE_TYPE;
			break;
		case 2:
			rc = pqdec_i32(d, &f, &se->type_length);
			se->has |= PQ_SE_TYPE_LENGTH;
			break;
		case 3:
			rc = pqdec_enum(d, &f, 2, "repetition type",
			    &se->repetition);
			se->has |= PQ_SE_REPETITION;
			break;
		case 4:
			rc = pqdec_bin(d, &f, &se->name);
			seen = 1;
			break;
		case 5:
			rc = pqdec_i32(d, &f, &se->num_children);
			se->has |= PQ_SE_NUM_CHILDREN;
			break;
		case 6:
			rc = pqdec_i32(d, &f, &se->converted_type);
			se->has |= PQ_SE_CONVERTED;
			break;
		case 7:
			rc = pqdec_i32(d, &f, &se->scale);
			se->has |= PQ_SE_SCALE;
			break;
		case 8:
			rc = pqdec_i32(d, &f, &se->precision);
			se->has |= PQ_SE_PRECISION;
			break;
		case 9:
			rc = pqdec_i32(d, &f, &se->field_id);
			se->has |= PQ_SE_FIELD_ID;
			break;
		case 10:
			rc = dec_logical(d, &se->logical);
			se->has |= PQ_SE_LOGICAL;
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return -1;
	}
	if (rc == 0 && !seen)
		return pqdec_missing(d, "name");
	return rc;
}

static int
dec_union_list(struct pqdec *d, const struct thrift_field *f, int32_t **out,
    uint32_t *n)
{
	uint32_t i;

	if (pqdec_list(d, f, THRIFT_STRUCT, sizeof(**out), (void **)out, n,
	    NULL) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (pqdec_union_id(d, &(*out)[i]) != 0)
			return -1;
	thrift_list_end(&d->r);
	return 0;
}

static int
dec_file_meta(struct pqdec *d, struct pq_meta *m)
{
	struct thrift_field f;
	unsigned seen = 0;
	uint32_t i;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, fm_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.id >= 1 && f.id <= 4)
			seen |= 1u << (f.id - 1);
		switch (f.id) {
		case 1:
			rc = pqdec_i32(d, &f, &m->version);
			break;
		case 2:
			if (pqdec_list(d, &f, THRIFT_STRUCT, sizeof(*m->schema),
			    (void **)&m->schema, &m->n_schema, NULL) != 0)
				return -1;
			for (i = 0; i < m->n_schema; i++)
				if (dec_schema_elem(d, &m->schema[i]) != 0)
					return err_prefix(d->e, "schema[%u]",
					    i);
			thrift_list_end(&d->r);
			rc = 0;
			break;
		case 3:
			rc = pqdec_i64(d, &f, &m->num_rows);
			break;
		case 4:
			if (pqdec_list(d, &f, THRIFT_STRUCT,
			    sizeof(*m->row_groups), (void **)&m->row_groups,
			    &m->n_row_groups, NULL) != 0)
				return -1;
			for (i = 0; i < m->n_row_groups; i++)
				if (pqdec_row_group(d, &m->row_groups[i]) != 0)
					return err_prefix(d->e,
					    "row_groups[%u]", i);
			thrift_list_end(&d->r);
			rc = 0;
			break;
		case 5:
			rc = pqdec_kv_list(d, &f, &m->kv, &m->n_kv);
			m->has |= PQ_FM_KEY_VALUE_METADATA;
			break;
		case 6:
			rc = pqdec_bin(d, &f, &m->created_by);
			m->has |= PQ_FM_CREATED_BY;
			break;
		case 7:
			rc = dec_union_list(d, &f, &m->column_orders,
			    &m->n_column_orders);
			m->has |= PQ_FM_COLUMN_ORDERS;
			break;
		case 8:
			rc = pqdec_union_id(d, &m->encryption_algorithm);
			m->has |= PQ_FM_ENCRYPTION;
			break;
		case 9:
			rc = thrift_skip_field(&d->r, &f);
			m->has |= PQ_FM_SIGNING_KEY;
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return -1;
	}
	if (rc == 0 && seen != 15)
		return pqdec_missing(d, "in FileMetaData (version, schema, "
		    "num_rows, row_groups)");
	return rc;
}

/*
 * Derive depth, parent and leaf index from the pre-order list and each
 * element's num_children, without recursion.
 */
static int
build_tree(struct pq_meta *m, struct arena *a, struct err *e)
{
	struct {
		uint32_t idx;
		int64_t	 left;
	} stack[PQ_MAX_SCHEMA_DEPTH];
	struct pq_schema_elem *se;
	uint32_t i, top = 0, leaves = 0;

	if (m->n_schema == 0)
		return err_set(e, ERR_FORMAT, "schema is empty");
	if (m->schema[0].num_children < 0)
		return err_set(e, ERR_FORMAT, "schema root: negative "
		    "num_children");
	stack[top].idx = 0;
	stack[top].left = m->schema[0].num_children;
	top = 1;
	m->schema[0].leaf = -1;
	for (i = 1; i < m->n_schema; i++) {
		while (top > 0 && stack[top - 1].left == 0)
			top--;
		if (top == 0)
			return err_set(e, ERR_FORMAT, "schema has %u elements "
			    "after the root's children", m->n_schema - i);
		se = &m->schema[i];
		se->parent = stack[top - 1].idx;
		se->depth = top;
		stack[top - 1].left--;
		if (se->num_children < 0)
			return err_set(e, ERR_FORMAT, "schema[%u]: negative "
			    "num_children", i);
		if (se->num_children == 0) {
			se->leaf = (int32_t)leaves++;
			continue;
		}
		se->leaf = -1;
		if (top >= PQ_MAX_SCHEMA_DEPTH)
			return err_set(e, ERR_LIMIT, "schema nested deeper "
			    "than %d levels", PQ_MAX_SCHEMA_DEPTH);
		stack[top].idx = i;
		stack[top].left = se->num_children;
		top++;
	}
	while (top > 0 && stack[top - 1].left == 0)
		top--;
	if (top != 0)
		return err_set(e, ERR_FORMAT, "schema truncated: element %u "
		    "misses %lld children", stack[top - 1].idx,
		    (long long)stack[top - 1].left);
	m->n_leaves = leaves;
	if (leaves == 0)
		return 0;
	if ((m->leaves = arena_alloc(a, leaves, sizeof(*m->leaves), e)) ==
	    NULL)
		return -1;
	for (i = 1; i < m->n_schema; i++)
		if (m->schema[i].leaf >= 0)
			m->leaves[m->schema[i].leaf] = i;
	return 0;
}

struct pq_limits
pq_limits_resolve(const struct pq_limits *lim)
{
	struct pq_limits l = { 0, 0, 0 };

	if (lim != NULL)
		l = *lim;
	if (l.max_footer == 0)
		l.max_footer = PQ_DEFAULT_MAX_FOOTER;
	if (l.max_memory == 0)
		l.max_memory = PQ_DEFAULT_MAX_MEMORY;
	if (l.max_depth == 0)
		l.max_depth = PQ_DEFAULT_DEPTH;
	return l;
}

int
pq_meta_decode(const uint8_t *footer, size_t len, const struct pq_limits *lim,
    struct pq_meta **out, struct err *e)
{
	struct pq_limits l = pq_limits_resolve(lim);
	struct arena *a;
	struct pq_meta *m;
	struct pqdec d;

	*out = NULL;
	if ((a = arena_new(l.max_memory)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	if ((m = arena_alloc(a, 1, sizeof(*m), e)) == NULL) {
		arena_free(a);
		return -1;
	}
	m->arena = a;
	m->footer_len = len;
	thrift_init(&d.r, footer, len, e);
	d.r.max_depth = l.max_depth;
	d.a = a;
	d.e = e;
	if (dec_file_meta(&d, m) != 0 || build_tree(m, a, e) != 0) {
		arena_free(a);
		return -1;
	}
	*out = m;
	return 0;
}

void
pq_meta_free(struct pq_meta *m)
{
	void *owned;

	if (m == NULL)
		return;
	owned = m->owned;
	arena_free(m->arena);
	free(owned);
}

const struct pq_schema_elem *
pq_meta_leaf(const struct pq_meta *m, uint32_t col)
{
	if (col >= m->n_leaves)
		return NULL;
	return &m->schema[m->leaves[col]];
}

static int64_t
sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static int64_t
total(const struct pq_meta *m, int compressed)
{
	const struct pq_column_chunk *cc;
	int64_t sum = 0;
	uint32_t i, j;

	for (i = 0; i < m->n_row_groups; i++)
		for (j = 0; j < m->row_groups[i].n_columns; j++) {
			cc = &m->row_groups[i].columns[j];
			if (!(cc->has & PQ_CC_META))
				continue;
			sum = sat_add(sum, compressed ?
			    cc->meta.total_compressed_size :
			    cc->meta.total_uncompressed_size);
		}
	return sum;
}

int64_t
pq_meta_total_compressed(const struct pq_meta *m)
{
	return total(m, 1);
}

int64_t
pq_meta_total_uncompressed(const struct pq_meta *m)
{
	return total(m, 0);
}
