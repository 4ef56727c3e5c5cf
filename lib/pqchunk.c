/*
 * pqchunk.c: decode RowGroup, ColumnChunk, ColumnMetaData and
 * Statistics (parquet.thrift) for parquet.c.
 */
#include "pqdec.h"

#define CM_REQUIRED	0x17f	/* ColumnMetaData fields 1-7 and 9 */

static const uint8_t stats_types[] = { 0, THRIFT_BINARY, THRIFT_BINARY,
	THRIFT_I64, THRIFT_I64, THRIFT_BINARY, THRIFT_BINARY, THRIFT_TRUE,
	THRIFT_TRUE, THRIFT_I64 };

static int
dec_stats(struct pqdec *d, struct pq_stats *st)
{
	struct thrift_field f;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, stats_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		switch (f.id) {
		case 1:
			rc = pqdec_bin(d, &f, &st->max);
			st->has |= PQ_ST_MAX;
			break;
		case 2:
			rc = pqdec_bin(d, &f, &st->min);
			st->has |= PQ_ST_MIN;
			break;
		case 3:
			rc = pqdec_i64(d, &f, &st->null_count);
			st->has |= PQ_ST_NULL_COUNT;
			break;
		case 4:
			rc = pqdec_i64(d, &f, &st->distinct_count);
			st->has |= PQ_ST_DISTINCT_COUNT;
			break;
		case 5:
			rc = pqdec_bin(d, &f, &st->max_value);
			st->has |= PQ_ST_MAX_VALUE;
			break;
		case 6:
			rc = pqdec_bin(d, &f, &st->min_value);
			st->has |= PQ_ST_MIN_VALUE;
			break;
		case 7:
			rc = thrift_field_bool(&d->r, &f,
			    &st->is_max_value_exact);
			st->has |= PQ_ST_MAX_EXACT;
			break;
		case 8:
			rc = thrift_field_bool(&d->r, &f,
			    &st->is_min_value_exact);
			st->has |= PQ_ST_MIN_EXACT;
			break;
		case 9:
			rc = pqdec_i64(d, &f, &st->nan_count);
			st->has |= PQ_ST_NAN_COUNT;
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return err_prefix(d->e, "statistics");
	}
	return rc;
}

static const uint8_t cm_types[] = { 0, THRIFT_I32, THRIFT_LIST,
	THRIFT_LIST, THRIFT_I32, THRIFT_I64, THRIFT_I64, THRIFT_I64,
	THRIFT_LIST, THRIFT_I64, THRIFT_I64, THRIFT_I64, THRIFT_STRUCT, 0,
	THRIFT_I64, THRIFT_I32 };

static int
dec_column_meta(struct pqdec *d, struct pq_column_meta *cm)
{
	struct thrift_field f;
	unsigned seen = 0;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, cm_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.id >= 1 && f.id <= 9)
			seen |= 1u << (f.id - 1);
		switch (f.id) {
		case 1:
			rc = pqdec_enum(d, &f, PQ_FIXED_LEN_BYTE_ARRAY,
			    "physical type", &cm->type);
			break;
		case 2:
			rc = pqdec_i32_list(d, &f, &cm->encodings,
			    &cm->n_encodings);
			break;
		case 3:
			rc = pqdec_str_list(d, &f, &cm->path, &cm->n_path);
			break;
		case 4:
			rc = pqdec_i32(d, &f, &cm->codec);
			break;
		case 5:
			rc = pqdec_i64(d, &f, &cm->num_values);
			break;
		case 6:
			rc = pqdec_i64(d, &f, &cm->total_uncompressed_size);
			break;
		case 7:
			rc = pqdec_i64(d, &f, &cm->total_compressed_size);
			break;
		case 8:
			rc = pqdec_kv_list(d, &f, &cm->kv, &cm->n_kv);
			cm->has |= PQ_CM_KEY_VALUE_METADATA;
			break;
		case 9:
			rc = pqdec_i64(d, &f, &cm->data_page_offset);
			break;
		case 10:
			rc = pqdec_i64(d, &f, &cm->index_page_offset);
			cm->has |= PQ_CM_INDEX_PAGE_OFFSET;
			break;
		case 11:
			rc = pqdec_i64(d, &f, &cm->dictionary_page_offset);
			cm->has |= PQ_CM_DICTIONARY_PAGE_OFFSET;
			break;
		case 12:
			rc = dec_stats(d, &cm->stats);
			cm->has |= PQ_CM_STATISTICS;
			break;
		case 14:
			rc = pqdec_i64(d, &f, &cm->bloom_filter_offset);
			cm->has |= PQ_CM_BLOOM_FILTER_OFFSET;
			break;
		case 15:
			rc = pqdec_i32(d, &f, &cm->bloom_filter_length);
			cm->has |= PQ_CM_BLOOM_FILTER_LENGTH;
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return err_prefix(d->e, "meta_data");
	}
	if (rc == 0 && (seen & CM_REQUIRED) != CM_REQUIRED)
		return pqdec_missing(d, "in meta_data");
	return rc;
}

static const uint8_t cc_types[] = { 0, THRIFT_BINARY, THRIFT_I64,
	THRIFT_STRUCT, THRIFT_I64, THRIFT_I32, THRIFT_I64, THRIFT_I32,
	THRIFT_STRUCT, THRIFT_BINARY };

static int
dec_column_chunk(struct pqdec *d, struct pq_column_chunk *cc)
{
	struct thrift_field f;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, cc_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		switch (f.id) {
		case 1:
			rc = pqdec_bin(d, &f, &cc->file_path);
			cc->has |= PQ_CC_FILE_PATH;
			break;
		case 2:
			rc = pqdec_i64(d, &f, &cc->file_offset);
			break;
		case 3:
			rc = dec_column_meta(d, &cc->meta);
			cc->has |= PQ_CC_META;
			break;
		case 4:
			rc = pqdec_i64(d, &f, &cc->offset_index_offset);
			cc->has |= PQ_CC_OFFSET_INDEX;
			break;
		case 5:
			rc = pqdec_i32(d, &f, &cc->offset_index_length);
			break;
		case 6:
			rc = pqdec_i64(d, &f, &cc->column_index_offset);
			cc->has |= PQ_CC_COLUMN_INDEX;
			break;
		case 7:
			rc = pqdec_i32(d, &f, &cc->column_index_length);
			break;
		case 8:
		case 9:
			cc->has |= PQ_CC_ENCRYPTED;
			rc = thrift_skip_field(&d->r, &f);
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return -1;
	}
	/* file_offset is required but has a default (0); accept absence. */
	return rc;
}

static const uint8_t sc_types[] = { 0, THRIFT_I32, THRIFT_TRUE,
	THRIFT_TRUE };

static int
dec_sorting(struct pqdec *d, struct pq_sorting_column *sc)
{
	struct thrift_field f;
	unsigned seen = 0;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, sc_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.id >= 1 && f.id <= 3)
			seen |= 1u << (f.id - 1);
		if (f.id == 1)
			rc = pqdec_i32(d, &f, &sc->column_idx);
		else if (f.id == 2)
			rc = thrift_field_bool(&d->r, &f, &sc->descending);
		else if (f.id == 3)
			rc = thrift_field_bool(&d->r, &f, &sc->nulls_first);
		else
			rc = thrift_skip_field(&d->r, &f);
		if (rc != 0)
			return -1;
	}
	if (rc == 0 && seen != 7)
		return pqdec_missing(d, "in sorting_columns");
	return rc;
}

static const uint8_t rg_types[] = { 0, THRIFT_LIST, THRIFT_I64,
	THRIFT_I64, THRIFT_LIST, THRIFT_I64, THRIFT_I64, THRIFT_I16 };

int
pqdec_row_group(struct pqdec *d, struct pq_row_group *rg)
{
	struct thrift_field f;
	unsigned seen = 0;
	uint32_t i;
	int64_t v;
	int rc;

	if (thrift_struct_begin(&d->r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&d->r, &f)) == 1) {
		if ((rc = PQDEC_KNOWN(d, &f, rg_types)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.id >= 1 && f.id <= 3)
			seen |= 1u << (f.id - 1);
		switch (f.id) {
		case 1:
			if (pqdec_list(d, &f, THRIFT_STRUCT,
			    sizeof(*rg->columns), (void **)&rg->columns,
			    &rg->n_columns, NULL) != 0)
				return -1;
			for (i = 0; i < rg->n_columns; i++)
				if (dec_column_chunk(d, &rg->columns[i]) != 0)
					return err_prefix(d->e, "columns[%u]",
					    i);
			thrift_list_end(&d->r);
			rc = 0;
			break;
		case 2:
			rc = pqdec_i64(d, &f, &rg->total_byte_size);
			break;
		case 3:
			rc = pqdec_i64(d, &f, &rg->num_rows);
			break;
		case 4:
			if (pqdec_list(d, &f, THRIFT_STRUCT,
			    sizeof(*rg->sorting), (void **)&rg->sorting,
			    &rg->n_sorting, NULL) != 0)
				return -1;
			for (i = 0; i < rg->n_sorting; i++)
				if (dec_sorting(d, &rg->sorting[i]) != 0)
					return -1;
			thrift_list_end(&d->r);
			rc = 0;
			rg->has |= PQ_RG_SORTING_COLUMNS;
			break;
		case 5:
			rc = pqdec_i64(d, &f, &rg->file_offset);
			rg->has |= PQ_RG_FILE_OFFSET;
			break;
		case 6:
			rc = pqdec_i64(d, &f, &rg->total_compressed_size);
			rg->has |= PQ_RG_TOTAL_COMPRESSED_SIZE;
			break;
		case 7:
			rc = pqdec_int(d, &f, INT16_MIN, INT16_MAX, &v);
			rg->ordinal = (int32_t)v;
			rg->has |= PQ_RG_ORDINAL;
			break;
		default:
			rc = thrift_skip_field(&d->r, &f);
		}
		if (rc != 0)
			return -1;
	}
	if (rc == 0 && seen != 7)
		return pqdec_missing(d, "in row group (columns, "
		    "total_byte_size, num_rows)");
	return rc;
}
