/*
 * parquet.h: Parquet FileMetaData decoded from a footer (parquet.thrift,
 * Thrift compact protocol), on top of thrift.h.
 *
 * pq_meta_decode() turns the footer bytes (the Thrift FileMetaData, i.e.
 * what sits between the data and the trailing 4-byte length + "PAR1")
 * into a struct pq_meta. Strings and binary values (names, min/max,
 * key-value pairs) are not copied: struct pq_bytes points into the
 * footer buffer, which must outlive the pq_meta (pqfile.h's readers hand
 * the buffer to the pq_meta so it is freed with it).
 *
 * Fields this layer does not know are skipped, so newer writers decode.
 * Optional fields have a bit in the struct's `has` mask; a value
 * without its bit set is 0. Enum values are kept as the numbers on the
 * wire (unknown numbers included); pqnames.h turns them into names.
 *
 * Limits (struct pq_limits, zero members mean the defaults):
 *  - thrift nesting depth (PQ_DEFAULT_DEPTH);
 *  - memory: everything decoded lives in one arena of at most
 *    max_memory bytes (PQ_DEFAULT_MAX_MEMORY); the check happens before
 *    each allocation, and element counts are bounded by the bytes left
 *    in the footer (thrift.h), so hostile counts fail early;
 *  - schema tree depth (PQ_MAX_SCHEMA_DEPTH);
 *  - footer length (used by pqfile.h): max_footer (PQ_DEFAULT_MAX_FOOTER).
 */
#ifndef PARQUET_H
#define PARQUET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define PQ_DEFAULT_MAX_FOOTER	(64u << 20)
#define PQ_DEFAULT_MAX_MEMORY	(1024u << 20)
#define PQ_DEFAULT_DEPTH	24
#define PQ_MAX_SCHEMA_DEPTH	256

struct pq_limits {
	uint64_t	max_footer;	/* bytes of Thrift footer accepted */
	uint64_t	max_memory;	/* bytes of decoded metadata */
	unsigned	max_depth;	/* Thrift nesting */
};

/* A span inside the footer buffer; ptr is NULL when the field is absent. */
struct pq_bytes {
	const uint8_t	*ptr;
	size_t		 len;
};

struct pq_kv {
	struct pq_bytes	 key;
	struct pq_bytes	 value;		/* ptr NULL: no value */
};

/* Physical types (parquet.thrift Type). */
enum pq_type {
	PQ_BOOLEAN = 0, PQ_INT32, PQ_INT64, PQ_INT96, PQ_FLOAT, PQ_DOUBLE,
	PQ_BYTE_ARRAY, PQ_FIXED_LEN_BYTE_ARRAY
};

/* LogicalType union member ids (0: no logical type). */
enum pq_logical_kind {
	PQ_LT_NONE = 0, PQ_LT_STRING = 1, PQ_LT_MAP = 2, PQ_LT_LIST = 3,
	PQ_LT_ENUM = 4, PQ_LT_DECIMAL = 5, PQ_LT_DATE = 6, PQ_LT_TIME = 7,
	PQ_LT_TIMESTAMP = 8, PQ_LT_INTEGER = 10, PQ_LT_UNKNOWN = 11,
	PQ_LT_JSON = 12, PQ_LT_BSON = 13, PQ_LT_UUID = 14,
	PQ_LT_FLOAT16 = 15, PQ_LT_VARIANT = 16, PQ_LT_GEOMETRY = 17,
	PQ_LT_GEOGRAPHY = 18
};

/* TimeUnit union member ids (0: absent). */
enum pq_time_unit {
	PQ_UNIT_NONE = 0, PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2,
	PQ_UNIT_NANOS = 3
};

/* ConvertedType values used for typed rendering. */
enum pq_converted {
	PQ_CT_UTF8 = 0, PQ_CT_MAP = 1, PQ_CT_MAP_KEY_VALUE = 2, PQ_CT_LIST = 3,
	PQ_CT_ENUM = 4, PQ_CT_DECIMAL = 5, PQ_CT_DATE = 6,
	PQ_CT_TIME_MILLIS = 7, PQ_CT_TIME_MICROS = 8,
	PQ_CT_TIMESTAMP_MILLIS = 9, PQ_CT_TIMESTAMP_MICROS = 10,
	PQ_CT_UINT_8 = 11, PQ_CT_UINT_16 = 12, PQ_CT_UINT_32 = 13,
	PQ_CT_UINT_64 = 14, PQ_CT_INT_8 = 15, PQ_CT_INT_16 = 16,
	PQ_CT_INT_32 = 17, PQ_CT_INT_64 = 18, PQ_CT_JSON = 19, PQ_CT_BSON = 20,
	PQ_CT_INTERVAL = 21
};

#define PQ_LT_HAS_SPEC		0x01	/* variant specification_version */
#define PQ_LT_HAS_CRS		0x02	/* geometry/geography crs */
#define PQ_LT_HAS_ALGORITHM	0x04	/* geography algorithm */

struct pq_logical {
	int32_t		 kind;		/* enum pq_logical_kind or unknown id */
	unsigned	 has;		/* PQ_LT_HAS_* */
	int32_t		 scale;		/* DECIMAL */
	int32_t		 precision;	/* DECIMAL */
	bool		 utc;		/* TIME, TIMESTAMP: isAdjustedToUTC */
	int32_t		 unit;		/* TIME, TIMESTAMP: enum pq_time_unit */
	int32_t		 bit_width;	/* INTEGER */
	bool		 is_signed;	/* INTEGER */
	int32_t		 spec_version;	/* VARIANT */
	struct pq_bytes	 crs;		/* GEOMETRY, GEOGRAPHY */
	int32_t		 algorithm;	/* GEOGRAPHY */
};

#define PQ_SE_TYPE		0x001
#define PQ_SE_TYPE_LENGTH	0x002
#define PQ_SE_REPETITION	0x004
#define PQ_SE_NUM_CHILDREN	0x008
#define PQ_SE_CONVERTED		0x010
#define PQ_SE_SCALE		0x020
#define PQ_SE_PRECISION		0x040
#define PQ_SE_FIELD_ID		0x080
#define PQ_SE_LOGICAL		0x100

struct pq_schema_elem {
	unsigned	 has;		/* PQ_SE_* */
	int32_t		 type;		/* enum pq_type */
	int32_t		 type_length;
	int32_t		 repetition;	/* 0 REQUIRED, 1 OPTIONAL, 2 REPEATED */
	struct pq_bytes	 name;
	int32_t		 num_children;
	int32_t		 converted_type; /* enum pq_converted */
	int32_t		 scale;
	int32_t		 precision;
	int32_t		 field_id;
	struct pq_logical logical;
	/* Derived by pq_meta_decode from num_children: */
	uint32_t	 depth;		/* 0 for the root */
	uint32_t	 parent;	/* index of the parent; root: 0 */
	int32_t		 leaf;		/* leaf column index, -1 for groups */
};

#define PQ_ST_MAX		0x001
#define PQ_ST_MIN		0x002
#define PQ_ST_NULL_COUNT	0x004
#define PQ_ST_DISTINCT_COUNT	0x008
#define PQ_ST_MAX_VALUE		0x010
#define PQ_ST_MIN_VALUE		0x020
#define PQ_ST_MAX_EXACT		0x040
#define PQ_ST_MIN_EXACT		0x080
#define PQ_ST_NAN_COUNT		0x100

struct pq_stats {
	unsigned	 has;		/* PQ_ST_* */
	struct pq_bytes	 max;		/* deprecated, signed order */
	struct pq_bytes	 min;
	int64_t		 null_count;
	int64_t		 distinct_count;
	struct pq_bytes	 max_value;
	struct pq_bytes	 min_value;
	bool		 is_max_value_exact;
	bool		 is_min_value_exact;
	int64_t		 nan_count;
};

#define PQ_CM_INDEX_PAGE_OFFSET		0x01
#define PQ_CM_DICTIONARY_PAGE_OFFSET	0x02
#define PQ_CM_STATISTICS		0x04
#define PQ_CM_BLOOM_FILTER_OFFSET	0x08
#define PQ_CM_BLOOM_FILTER_LENGTH	0x10
#define PQ_CM_KEY_VALUE_METADATA	0x20

struct pq_column_meta {
	unsigned	 has;		/* PQ_CM_* */
	int32_t		 type;
	int32_t		*encodings;
	uint32_t	 n_encodings;
	struct pq_bytes	*path;		/* path_in_schema */
	uint32_t	 n_path;
	int32_t		 codec;
	int64_t		 num_values;
	int64_t		 total_uncompressed_size;
	int64_t		 total_compressed_size;
	struct pq_kv	*kv;
	uint32_t	 n_kv;
	int64_t		 data_page_offset;
	int64_t		 index_page_offset;
	int64_t		 dictionary_page_offset;
	struct pq_stats	 stats;
	int64_t		 bloom_filter_offset;
	int32_t		 bloom_filter_length;
};

#define PQ_CC_FILE_PATH			0x01
#define PQ_CC_META			0x02
#define PQ_CC_OFFSET_INDEX		0x04	/* offset and length */
#define PQ_CC_COLUMN_INDEX		0x08
#define PQ_CC_ENCRYPTED			0x10	/* crypto metadata present */

struct pq_column_chunk {
	unsigned	 has;		/* PQ_CC_* */
	struct pq_bytes	 file_path;
	int64_t		 file_offset;
	struct pq_column_meta meta;	/* valid with PQ_CC_META */
	int64_t		 offset_index_offset;
	int32_t		 offset_index_length;
	int64_t		 column_index_offset;
	int32_t		 column_index_length;
};

struct pq_sorting_column {
	int32_t		 column_idx;
	bool		 descending;
	bool		 nulls_first;
};

#define PQ_RG_FILE_OFFSET		0x01
#define PQ_RG_TOTAL_COMPRESSED_SIZE	0x02
#define PQ_RG_ORDINAL			0x04
#define PQ_RG_SORTING_COLUMNS		0x08

struct pq_row_group {
	unsigned	 has;		/* PQ_RG_* */
	struct pq_column_chunk *columns;
	uint32_t	 n_columns;
	int64_t		 total_byte_size;
	int64_t		 num_rows;
	struct pq_sorting_column *sorting;
	uint32_t	 n_sorting;
	int64_t		 file_offset;
	int64_t		 total_compressed_size;
	int32_t		 ordinal;
};

#define PQ_FM_KEY_VALUE_METADATA	0x01
#define PQ_FM_CREATED_BY		0x02
#define PQ_FM_COLUMN_ORDERS		0x04
#define PQ_FM_ENCRYPTION		0x08
#define PQ_FM_SIGNING_KEY		0x10

struct pq_meta {
	unsigned	 has;		/* PQ_FM_* */
	int32_t		 version;
	struct pq_schema_elem *schema;	/* schema[0] is the root */
	uint32_t	 n_schema;
	int64_t		 num_rows;
	struct pq_row_group *row_groups;
	uint32_t	 n_row_groups;
	struct pq_kv	*kv;
	uint32_t	 n_kv;
	struct pq_bytes	 created_by;
	int32_t		*column_orders;	/* ColumnOrder union ids */
	uint32_t	 n_column_orders;
	int32_t		 encryption_algorithm; /* 1 AES_GCM_V1, 2 ..CTR_V1 */
	/* Derived: */
	uint32_t	 n_leaves;	/* leaf (primitive) columns */
	uint32_t	*leaves;	/* schema index of each leaf column */
	uint64_t	 footer_len;	/* bytes of Thrift decoded */
	/* Private: */
	void		*arena;
	void		*owned;		/* buffer freed with the meta */
};

/*
 * Decode the Thrift FileMetaData in footer[0..len). On success returns
 * 0 and stores a new pq_meta in *out (free with pq_meta_free); strings
 * point into footer. lim may be NULL (defaults). On failure returns -1
 * with e filled in: ERR_FORMAT (corrupt Thrift or inconsistent schema),
 * ERR_LIMIT (a limit), ERR_NOMEM. Required fields that are missing
 * (e.g. schema, num_rows) are ERR_FORMAT. Trailing bytes after the
 * struct are ignored, as other readers do.
 */
int	pq_meta_decode(const uint8_t *footer, size_t len,
	    const struct pq_limits *lim, struct pq_meta **out, struct err *e);

/* Free a pq_meta and the buffer it owns (if any). NULL is ignored. */
void	pq_meta_free(struct pq_meta *m);

/*
 * Leaf schema element for column index col of a row group, or NULL when
 * the schema has fewer leaves (files from broken writers).
 */
const struct pq_schema_elem *pq_meta_leaf(const struct pq_meta *m,
	    uint32_t col);

/* Sums over all row groups and column chunks (chunks without meta: 0). */
int64_t	pq_meta_total_compressed(const struct pq_meta *m);
int64_t	pq_meta_total_uncompressed(const struct pq_meta *m);

/* Effective limits: each zero member of lim (or lim NULL) -> default. */
struct pq_limits pq_limits_resolve(const struct pq_limits *lim);

#endif
