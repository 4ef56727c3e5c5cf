/*
 * pqchunk.c: the tables for RowGroup, ColumnChunk, ColumnMetaData,
 * Statistics and SortingColumn (parquet.thrift) that parquet.c's
 * FileMetaData decodes through (pqdec.h).
 */
#include "pqdec.h"

#define ST(id, type, m)		PQDEC_AT(struct pq_stats, id, type, m)
#define CM(id, type, m)		PQDEC_AT(struct pq_column_meta, id, type, m)
#define CM_LIST(id, elem, m, n)						\
	PQDEC_LIST_AT(struct pq_column_meta, id, elem, m, n)
#define CC(id, type, m)		PQDEC_AT(struct pq_column_chunk, id, type, m)
#define SC(id, type, m)		PQDEC_AT(struct pq_sorting_column, id, type, m)
#define RG(id, type, m)		PQDEC_AT(struct pq_row_group, id, type, m)
#define RG_LIST(id, elem, m, n)						\
	PQDEC_LIST_AT(struct pq_row_group, id, elem, m, n)

/* Statistics. */
static const struct pqdec_field stats_fields[] = {
	{ ST(1, BINARY, max), .has = PQ_ST_MAX },
	{ ST(2, BINARY, min), .has = PQ_ST_MIN },
	{ ST(3, I64, null_count), .has = PQ_ST_NULL_COUNT },
	{ ST(4, I64, distinct_count), .has = PQ_ST_DISTINCT_COUNT },
	{ ST(5, BINARY, max_value), .has = PQ_ST_MAX_VALUE },
	{ ST(6, BINARY, min_value), .has = PQ_ST_MIN_VALUE },
	{ ST(7, TRUE, is_max_value_exact), .has = PQ_ST_MAX_EXACT },
	{ ST(8, TRUE, is_min_value_exact), .has = PQ_ST_MIN_EXACT },
	{ ST(9, I64, nan_count), .has = PQ_ST_NAN_COUNT },
};

static const struct pqdec_struct stats_dec = PQDEC_STRUCT(stats_fields,
    offsetof(struct pq_stats, has), "statistics", NULL);

/*
 * ColumnMetaData. Members named otherwise in parquet.thrift: path
 * (path_in_schema), kv (key_value_metadata), stats (statistics).
 */
static const struct pqdec_field cm_fields[] = {
	{ CM(1, I32, type), .required = true, .read = pqdec_physical_type },
	{ CM_LIST(2, I32, encodings, n_encodings), .required = true },
	{ CM_LIST(3, BINARY, path, n_path), .required = true },
	{ CM(4, I32, codec), .required = true },
	{ CM(5, I64, num_values), .required = true },
	{ CM(6, I64, total_uncompressed_size), .required = true },
	{ CM(7, I64, total_compressed_size), .required = true },
	{ CM_LIST(8, STRUCT, kv, n_kv), .has = PQ_CM_KEY_VALUE_METADATA,
	    .sub = &pqdec_kv, .name = "key_value_metadata" },
	{ CM(9, I64, data_page_offset), .required = true },
	{ CM(10, I64, index_page_offset), .has = PQ_CM_INDEX_PAGE_OFFSET },
	{ CM(11, I64, dictionary_page_offset),
	    .has = PQ_CM_DICTIONARY_PAGE_OFFSET },
	{ CM(12, STRUCT, stats), .has = PQ_CM_STATISTICS, .sub = &stats_dec },
	{ CM(14, I64, bloom_filter_offset), .has = PQ_CM_BLOOM_FILTER_OFFSET },
	{ CM(15, I32, bloom_filter_length), .has = PQ_CM_BLOOM_FILTER_LENGTH },
};

static const struct pqdec_struct cm_dec = PQDEC_STRUCT(cm_fields,
    offsetof(struct pq_column_meta, has), "meta_data", "in meta_data");

/*
 * ColumnChunk. file_offset is required but has a default (0): accept
 * absence. meta is meta_data; encrypted columns (8 crypto_metadata, 9
 * encrypted_column_metadata) are only noted.
 */
static const struct pqdec_field cc_fields[] = {
	{ CC(1, BINARY, file_path), .has = PQ_CC_FILE_PATH },
	{ CC(2, I64, file_offset) },
	{ CC(3, STRUCT, meta), .has = PQ_CC_META, .sub = &cm_dec },
	{ CC(4, I64, offset_index_offset), .has = PQ_CC_OFFSET_INDEX },
	{ CC(5, I32, offset_index_length) },
	{ CC(6, I64, column_index_offset), .has = PQ_CC_COLUMN_INDEX },
	{ CC(7, I32, column_index_length) },
	{ PQDEC_PRESENT(8, STRUCT), .has = PQ_CC_ENCRYPTED },
	{ PQDEC_PRESENT(9, BINARY), .has = PQ_CC_ENCRYPTED },
};

static const struct pqdec_struct cc_dec = PQDEC_STRUCT(cc_fields,
    offsetof(struct pq_column_chunk, has), NULL, NULL);

/* SortingColumn. */
static const struct pqdec_field sc_fields[] = {
	{ SC(1, I32, column_idx), .required = true },
	{ SC(2, TRUE, descending), .required = true },
	{ SC(3, TRUE, nulls_first), .required = true },
};

static const struct pqdec_struct sc_dec = PQDEC_STRUCT(sc_fields, 0, NULL,
    "in sorting_columns");

/* RowGroup. sorting is sorting_columns. */
static const struct pqdec_field rg_fields[] = {
	{ RG_LIST(1, STRUCT, columns, n_columns), .required = true,
	    .sub = &cc_dec, .name = "columns" },
	{ RG(2, I64, total_byte_size), .required = true },
	{ RG(3, I64, num_rows), .required = true },
	{ RG_LIST(4, STRUCT, sorting, n_sorting), .sub = &sc_dec,
	    .has = PQ_RG_SORTING_COLUMNS },
	{ RG(5, I64, file_offset), .has = PQ_RG_FILE_OFFSET },
	{ RG(6, I64, total_compressed_size),
	    .has = PQ_RG_TOTAL_COMPRESSED_SIZE },
	{ RG(7, I16, ordinal), .has = PQ_RG_ORDINAL },
};

const struct pqdec_struct pqdec_row_group = PQDEC_STRUCT(rg_fields,
    offsetof(struct pq_row_group, has), NULL,
    "in row group (columns, total_byte_size, num_rows)");
