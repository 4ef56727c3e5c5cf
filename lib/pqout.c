/*
 * pqout.c: write Parquet metadata to a stdio stream (pqout.h).
 *
 * JSON member names follow parquet.thrift in snake_case; optional
 * members appear only when the footer has them. Strings that are not
 * UTF-8 get U+FFFD for each bad byte, so the output is valid JSON.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pqfmt.h"
#include "pqout.h"

/* JSON string: escapes, and U+FFFD for bytes that are not UTF-8. */
void
pq_out_json_str(FILE *out, const uint8_t *p, size_t len)
{
	size_t i = 0, n;

	putc('"', out);
	while (i < len) {
		if (p[i] == '"' || p[i] == '\\') {
			fprintf(out, "\\%c", p[i++]);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i++]);
		} else if (p[i] < 0x80) {
			putc(p[i++], out);
		} else {
			n = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
			if (n <= len - i && pq_utf8_valid(p + i, n)) {
				fwrite(p + i, 1, n, out);
				i += n;
			} else {
				fputs("\\ufffd", out);
				i++;
			}
		}
	}
	putc('"', out);
}

static void
json_cstr(FILE *out, const char *s)
{
	pq_out_json_str(out, (const uint8_t *)s, strlen(s));
}

/* Text: bytes as they are, control characters as \xHH. */
void
pq_out_text_str(FILE *out, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
			fprintf(out, "\\x%02x", p[i]);
		else
			putc(p[i], out);
	}
}

static void
hex(FILE *out, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(out, "%02x", p[i]);
}

/* An enum as its name, or its number when unknown. */
void
pq_out_enum(FILE *out, int json, const char *name, int32_t v)
{
	if (name == NULL)
		fprintf(out, "%" PRId32, v);
	else if (json)
		fprintf(out, "\"%s\"", name);
	else
		fputs(name, out);
}

/* A typed statistics value. */
void
pq_out_value(FILE *out, int json, const struct pq_schema_elem *leaf,
    int32_t type, struct pq_bytes v)
{
	char buf[PQ_VALUE_MAX];

	switch (pq_value_format(leaf, type, v, buf)) {
	case PQ_V_NUMBER:
	case PQ_V_BOOL:
		fputs(buf, out);
		break;
	case PQ_V_TEXT:
		if (json)
			json_cstr(out, buf);
		else
			fputs(buf, out);
		break;
	case PQ_V_STRING:
		if (json) {
			pq_out_json_str(out, v.ptr, v.len);
		} else {
			putc('"', out);
			pq_out_text_str(out, v.ptr, v.len);
			putc('"', out);
		}
		break;
	case PQ_V_BINARY:
		fputs(json ? "\"" : "0x", out);
		hex(out, v.ptr, v.len);
		if (json)
			putc('"', out);
		break;
	}
}

/* Comma-separated members: "sep" is "" before the first member. */
#define JKEY(out, sep, k)	fprintf(out, "%s\"%s\":", sep, k), sep = ","

static void
json_i64(FILE *out, const char **sep, const char *k, int64_t v)
{
	fprintf(out, "%s\"%s\":%" PRId64, *sep, k, v);
	*sep = ",";
}

static void
json_kv(FILE *out, const struct pq_kv *kv, uint32_t n)
{
	uint32_t i;

	putc('[', out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s{\"key\":", i ? "," : "");
		pq_out_json_str(out, kv[i].key.ptr, kv[i].key.len);
		if (kv[i].value.ptr != NULL) {
			fputs(",\"value\":", out);
			pq_out_json_str(out, kv[i].value.ptr, kv[i].value.len);
		}
		putc('}', out);
	}
	putc(']', out);
}

static void
json_logical(FILE *out, const struct pq_logical *lt)
{
	const char *sep = "";

	fputs("{\"type\":", out);
	pq_out_enum(out, 1, pq_logical_name(lt->kind), lt->kind);
	sep = ",";
	switch (lt->kind) {
	case PQ_LT_DECIMAL:
		json_i64(out, &sep, "scale", lt->scale);
		json_i64(out, &sep, "precision", lt->precision);
		break;
	case PQ_LT_TIME:
	case PQ_LT_TIMESTAMP:
		fprintf(out, ",\"is_adjusted_to_utc\":%s,\"unit\":",
		    lt->utc ? "true" : "false");
		pq_out_enum(out, 1, pq_unit_name(lt->unit), lt->unit);
		break;
	case PQ_LT_INTEGER:
		json_i64(out, &sep, "bit_width", lt->bit_width);
		fprintf(out, ",\"is_signed\":%s", lt->is_signed ? "true" :
		    "false");
		break;
	}
	if (lt->has & PQ_LT_HAS_SPEC)
		json_i64(out, &sep, "specification_version", lt->spec_version);
	if (lt->has & PQ_LT_HAS_CRS) {
		fputs(",\"crs\":", out);
		pq_out_json_str(out, lt->crs.ptr, lt->crs.len);
	}
	if (lt->has & PQ_LT_HAS_ALGORITHM) {
		fputs(",\"algorithm\":", out);
		pq_out_enum(out, 1, pq_edge_algorithm_name(lt->algorithm),
		    lt->algorithm);
	}
	putc('}', out);
}

static void
json_schema(FILE *out, const struct pq_meta *m)
{
	const struct pq_schema_elem *se;
	const char *sep;
	uint32_t i;

	fputs(",\"schema\":[", out);
	for (i = 0; i < m->n_schema; i++) {
		se = &m->schema[i];
		fprintf(out, "%s{\"name\":", i ? "," : "");
		pq_out_json_str(out, se->name.ptr, se->name.len);
		sep = ",";
		if (se->has & PQ_SE_TYPE) {
			JKEY(out, sep, "type");
			pq_out_enum(out, 1, pq_type_name(se->type), se->type);
		}
		if (se->has & PQ_SE_TYPE_LENGTH)
			json_i64(out, &sep, "type_length", se->type_length);
		if (se->has & PQ_SE_REPETITION) {
			JKEY(out, sep, "repetition_type");
			pq_out_enum(out, 1, pq_repetition_name(se->repetition),
			    se->repetition);
		}
		if (se->has & PQ_SE_NUM_CHILDREN)
			json_i64(out, &sep, "num_children", se->num_children);
		if (se->has & PQ_SE_CONVERTED) {
			JKEY(out, sep, "converted_type");
			pq_out_enum(out, 1,
			    pq_converted_name(se->converted_type),
			    se->converted_type);
		}
		if (se->has & PQ_SE_SCALE)
			json_i64(out, &sep, "scale", se->scale);
		if (se->has & PQ_SE_PRECISION)
			json_i64(out, &sep, "precision", se->precision);
		if (se->has & PQ_SE_FIELD_ID)
			json_i64(out, &sep, "field_id", se->field_id);
		if ((se->has & PQ_SE_LOGICAL) && se->logical.kind != 0) {
			JKEY(out, sep, "logical_type");
			json_logical(out, &se->logical);
		}
		putc('}', out);
	}
	putc(']', out);
}

static void
json_stats(FILE *out, const struct pq_stats *st,
    const struct pq_schema_elem *leaf, int32_t type)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
		size_t		 off;
	} vals[] = {
		{ PQ_ST_MAX, "max", offsetof(struct pq_stats, max) },
		{ PQ_ST_MIN, "min", offsetof(struct pq_stats, min) },
		{ PQ_ST_MAX_VALUE, "max_value",
		    offsetof(struct pq_stats, max_value) },
		{ PQ_ST_MIN_VALUE, "min_value",
		    offsetof(struct pq_stats, min_value) },
	};
	const char *sep = "";
	size_t i;

	fputs(",\"statistics\":{", out);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		if (!(st->has & vals[i].bit))
			continue;
		JKEY(out, sep, vals[i].name);
		pq_out_value(out, 1, leaf, type, *(const struct pq_bytes *)
		    ((const char *)st + vals[i].off));
	}
	if (st->has & PQ_ST_NULL_COUNT)
		json_i64(out, &sep, "null_count", st->null_count);
	if (st->has & PQ_ST_DISTINCT_COUNT)
		json_i64(out, &sep, "distinct_count", st->distinct_count);
	if (st->has & PQ_ST_NAN_COUNT)
		json_i64(out, &sep, "nan_count", st->nan_count);
	if (st->has & PQ_ST_MAX_EXACT) {
		JKEY(out, sep, "is_max_value_exact");
		fputs(st->is_max_value_exact ? "true" : "false", out);
	}
	if (st->has & PQ_ST_MIN_EXACT) {
		JKEY(out, sep, "is_min_value_exact");
		fputs(st->is_min_value_exact ? "true" : "false", out);
	}
	putc('}', out);
}

static void
json_column_meta(FILE *out, const struct pq_column_meta *cm,
    const struct pq_schema_elem *leaf)
{
	const char *sep = ",";
	uint32_t i;

	fputs(",\"meta_data\":{\"type\":", out);
	pq_out_enum(out, 1, pq_type_name(cm->type), cm->type);
	fputs(",\"encodings\":[", out);
	for (i = 0; i < cm->n_encodings; i++) {
		if (i > 0)
			putc(',', out);
		pq_out_enum(out, 1, pq_encoding_name(cm->encodings[i]),
		    cm->encodings[i]);
	}
	fputs("],\"path_in_schema\":[", out);
	for (i = 0; i < cm->n_path; i++) {
		if (i > 0)
			putc(',', out);
		pq_out_json_str(out, cm->path[i].ptr, cm->path[i].len);
	}
	fputs("],\"codec\":", out);
	pq_out_enum(out, 1, pq_codec_name(cm->codec), cm->codec);
	json_i64(out, &sep, "num_values", cm->num_values);
	json_i64(out, &sep, "total_uncompressed_size",
	    cm->total_uncompressed_size);
	json_i64(out, &sep, "total_compressed_size",
	    cm->total_compressed_size);
	if (cm->has & PQ_CM_KEY_VALUE_METADATA) {
		JKEY(out, sep, "key_value_metadata");
		json_kv(out, cm->kv, cm->n_kv);
	}
	json_i64(out, &sep, "data_page_offset", cm->data_page_offset);
	if (cm->has & PQ_CM_INDEX_PAGE_OFFSET)
		json_i64(out, &sep, "index_page_offset", cm->index_page_offset);
	if (cm->has & PQ_CM_DICTIONARY_PAGE_OFFSET)
		json_i64(out, &sep, "dictionary_page_offset",
		    cm->dictionary_page_offset);
	if (cm->has & PQ_CM_STATISTICS)
		json_stats(out, &cm->stats, leaf, cm->type);
	if (cm->has & PQ_CM_BLOOM_FILTER_OFFSET)
		json_i64(out, &sep, "bloom_filter_offset",
		    cm->bloom_filter_offset);
	if (cm->has & PQ_CM_BLOOM_FILTER_LENGTH)
		json_i64(out, &sep, "bloom_filter_length",
		    cm->bloom_filter_length);
	putc('}', out);
}

static void
json_row_group(FILE *out, const struct pq_meta *m,
    const struct pq_row_group *rg)
{
	const struct pq_column_chunk *cc;
	const char *sep = "";
	uint32_t j;

	putc('{', out);
	json_i64(out, &sep, "num_rows", rg->num_rows);
	json_i64(out, &sep, "total_byte_size", rg->total_byte_size);
	if (rg->has & PQ_RG_FILE_OFFSET)
		json_i64(out, &sep, "file_offset", rg->file_offset);
	if (rg->has & PQ_RG_TOTAL_COMPRESSED_SIZE)
		json_i64(out, &sep, "total_compressed_size",
		    rg->total_compressed_size);
	if (rg->has & PQ_RG_ORDINAL)
		json_i64(out, &sep, "ordinal", rg->ordinal);
	if (rg->has & PQ_RG_SORTING_COLUMNS) {
		fputs(",\"sorting_columns\":[", out);
		for (j = 0; j < rg->n_sorting; j++)
			fprintf(out, "%s{\"column_idx\":%" PRId32
			    ",\"descending\":%s,\"nulls_first\":%s}",
			    j ? "," : "",
			    rg->sorting[j].column_idx,
			    rg->sorting[j].descending ? "true" : "false",
			    rg->sorting[j].nulls_first ? "true" : "false");
		putc(']', out);
	}
	fputs(",\"columns\":[", out);
	for (j = 0; j < rg->n_columns; j++) {
		cc = &rg->columns[j];
		sep = "";
		fputs(j ? ",{" : "{", out);
		if (cc->has & PQ_CC_FILE_PATH) {
			JKEY(out, sep, "file_path");
			pq_out_json_str(out, cc->file_path.ptr,
			    cc->file_path.len);
		}
		json_i64(out, &sep, "file_offset", cc->file_offset);
		if (cc->has & PQ_CC_META)
			json_column_meta(out, &cc->meta, pq_meta_leaf(m, j));
		if (cc->has & PQ_CC_OFFSET_INDEX) {
			json_i64(out, &sep, "offset_index_offset",
			    cc->offset_index_offset);
			json_i64(out, &sep, "offset_index_length",
			    cc->offset_index_length);
		}
		if (cc->has & PQ_CC_COLUMN_INDEX) {
			json_i64(out, &sep, "column_index_offset",
			    cc->column_index_offset);
			json_i64(out, &sep, "column_index_length",
			    cc->column_index_length);
		}
		if (cc->has & PQ_CC_ENCRYPTED)
			fputs(",\"encrypted\":true", out);
		putc('}', out);
	}
	fputs("]}", out);
}

int
pq_out_json(FILE *out, const char *name, uint64_t size,
    const struct pq_meta *m, int details)
{
	const char *sep = ",";
	uint32_t i;

	fputs("{\"file\":", out);
	json_cstr(out, name);
	json_i64(out, &sep, "file_size", (int64_t)size);
	json_i64(out, &sep, "footer_length", (int64_t)m->footer_len);
	json_i64(out, &sep, "version", m->version);
	json_i64(out, &sep, "num_rows", m->num_rows);
	json_i64(out, &sep, "num_row_groups", m->n_row_groups);
	json_i64(out, &sep, "num_columns", m->n_leaves);
	fputs(",\"created_by\":", out);
	if (m->has & PQ_FM_CREATED_BY)
		pq_out_json_str(out, m->created_by.ptr, m->created_by.len);
	else
		fputs("null", out);
	json_i64(out, &sep, "total_compressed_size",
	    pq_meta_total_compressed(m));
	json_i64(out, &sep, "total_uncompressed_size",
	    pq_meta_total_uncompressed(m));
	if (m->has & PQ_FM_ENCRYPTION) {
		fputs(",\"encryption_algorithm\":", out);
		pq_out_enum(out, 1, pq_encryption_name(m->encryption_algorithm),
		    m->encryption_algorithm);
	}
	if (details) {
		json_schema(out, m);
		fputs(",\"row_groups\":[", out);
		for (i = 0; i < m->n_row_groups; i++) {
			if (i > 0)
				putc(',', out);
			json_row_group(out, m, &m->row_groups[i]);
		}
		fputs("],\"key_value_metadata\":", out);
		json_kv(out, m->kv, m->n_kv);
		if (m->has & PQ_FM_COLUMN_ORDERS) {
			fputs(",\"column_orders\":[", out);
			for (i = 0; i < m->n_column_orders; i++) {
				if (i > 0)
					putc(',', out);
				pq_out_enum(out, 1, pq_column_order_name(
				    m->column_orders[i]), m->column_orders[i]);
			}
			putc(']', out);
		}
	}
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}
