/*
 * parquet.c: decode FileMetaData (parquet.thrift) from compact Thrift:
 * the tables of FileMetaData, SchemaElement and LogicalType, and the
 * schema tree; row groups and columns are in pqchunk.c, the decoder
 * and its conventions in pqdec.h.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parquet.h"
#include "pqdec.h"
#include "thrift.h"

#define LT(id, type, m)		PQDEC_AT(struct pq_logical, id, type, m)
#define SE(id, type, m)		PQDEC_AT(struct pq_schema_elem, id, type, m)
#define FM(id, type, m)		PQDEC_AT(struct pq_meta, id, type, m)
#define FM_LIST(id, elem, m, n)	PQDEC_LIST_AT(struct pq_meta, id, elem, m, n)

/*
 * The LogicalType members that carry parameters, all into struct
 * pq_logical: TimeType and TimestampType (utc is isAdjustedToUTC, unit
 * a TimeUnit union), DecimalType, IntType (bitWidth, isSigned),
 * VariantType (specification_version), GeometryType, GeographyType.
 */
static const struct pqdec_field time_fields[] = {
	{ LT(1, TRUE, utc) },
	{ LT(2, STRUCT, unit), .read = pqdec_union_id },
};
static const struct pqdec_field decimal_fields[] = {
	{ LT(1, I32, scale) },
	{ LT(2, I32, precision) },
};
static const struct pqdec_field integer_fields[] = {
	{ LT(1, I8, bit_width) },
	{ LT(2, TRUE, is_signed) },
};
static const struct pqdec_field variant_fields[] = {
	{ LT(1, I8, spec_version), .has = PQ_LT_HAS_SPEC },
};
static const struct pqdec_field geometry_fields[] = {
	{ LT(1, BINARY, crs), .has = PQ_LT_HAS_CRS },
};
static const struct pqdec_field geography_fields[] = {
	{ LT(1, BINARY, crs), .has = PQ_LT_HAS_CRS },
	{ LT(2, I32, algorithm), .has = PQ_LT_HAS_ALGORITHM },
};

#define LT_STRUCT(fields)						\
	PQDEC_STRUCT(fields, offsetof(struct pq_logical, has), NULL, NULL)

static const struct pqdec_struct time_dec = LT_STRUCT(time_fields);
static const struct pqdec_struct decimal_dec = LT_STRUCT(decimal_fields);
static const struct pqdec_struct integer_dec = LT_STRUCT(integer_fields);
static const struct pqdec_struct variant_dec = LT_STRUCT(variant_fields);
static const struct pqdec_struct geometry_dec = LT_STRUCT(geometry_fields);
static const struct pqdec_struct geography_dec =
    LT_STRUCT(geography_fields);
/* The other members: their fields are skipped. */
static const struct pqdec_struct no_params = { NULL, 0, 0, NULL, NULL };

static const struct pqdec_struct *
logical_member(int32_t kind)
{
	switch (kind) {
	case PQ_LT_TIME:
	case PQ_LT_TIMESTAMP:
		return &time_dec;
	case PQ_LT_DECIMAL:
		return &decimal_dec;
	case PQ_LT_INTEGER:
		return &integer_dec;
	case PQ_LT_VARIANT:
		return &variant_dec;
	case PQ_LT_GEOMETRY:
		return &geometry_dec;
	case PQ_LT_GEOGRAPHY:
		return &geography_dec;
	default:
		return &no_params;
	}
}

/* LogicalType, a union: its first struct member sets the kind. */
static int
dec_logical(struct pqdec *d, uint8_t type, void *dst)
{
	struct pq_logical *lt = dst;
	struct thrift_field f;
	int rc;

	(void)type;
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
		if (pqdec_read(d, logical_member(lt->kind), lt) != 0)
			return err_prefix(d->e, "logicalType");
	}
	return rc;
}

static int
dec_repetition(struct pqdec *d, uint8_t type, void *dst)
{
	return pqdec_enum(d, type, 2, "repetition type", dst);
}

/* SchemaElement. repetition is repetition_type, logical logicalType. */
static const struct pqdec_field se_fields[] = {
	{ SE(1, I32, type), .has = PQ_SE_TYPE, .read = pqdec_physical_type },
	{ SE(2, I32, type_length), .has = PQ_SE_TYPE_LENGTH },
	{ SE(3, I32, repetition), .has = PQ_SE_REPETITION,
	    .read = dec_repetition },
	{ SE(4, BINARY, name), .required = true },
	{ SE(5, I32, num_children), .has = PQ_SE_NUM_CHILDREN },
	{ SE(6, I32, converted_type), .has = PQ_SE_CONVERTED },
	{ SE(7, I32, scale), .has = PQ_SE_SCALE },
	{ SE(8, I32, precision), .has = PQ_SE_PRECISION },
	{ SE(9, I32, field_id), .has = PQ_SE_FIELD_ID },
	{ SE(10, STRUCT, logical), .has = PQ_SE_LOGICAL,
	    .read = dec_logical },
};

static const struct pqdec_struct se_dec = PQDEC_STRUCT(se_fields,
    offsetof(struct pq_schema_elem, has), NULL, "name");

/*
 * FileMetaData. kv is key_value_metadata; 9 is
 * footer_signing_key_metadata.
 */
static const struct pqdec_field fm_fields[] = {
	{ FM(1, I32, version), .required = true },
	{ FM_LIST(2, STRUCT, schema, n_schema), .required = true,
	    .sub = &se_dec, .name = "schema" },
	{ FM(3, I64, num_rows), .required = true },
	{ FM_LIST(4, STRUCT, row_groups, n_row_groups), .required = true,
	    .sub = &pqdec_row_group, .name = "row_groups" },
	{ FM_LIST(5, STRUCT, kv, n_kv), .has = PQ_FM_KEY_VALUE_METADATA,
	    .sub = &pqdec_kv, .name = "key_value_metadata" },
	{ FM(6, BINARY, created_by), .has = PQ_FM_CREATED_BY },
	{ FM_LIST(7, STRUCT, column_orders, n_column_orders),
	    .has = PQ_FM_COLUMN_ORDERS, .read = pqdec_union_id },
	{ FM(8, STRUCT, encryption_algorithm), .has = PQ_FM_ENCRYPTION,
	    .read = pqdec_union_id },
	{ PQDEC_PRESENT(9, BINARY), .has = PQ_FM_SIGNING_KEY },
};

static const struct pqdec_struct fm_dec = PQDEC_STRUCT(fm_fields,
    offsetof(struct pq_meta, has), NULL,
    "in FileMetaData (version, schema, num_rows, row_groups)");

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
	if (pqdec_read(&d, &fm_dec, m) != 0 || build_tree(m, a, e) != 0) {
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
