/*
 * pqout.h: write decoded Parquet metadata to a caller's stdio stream.
 *
 * The serialiser behind pqmeta -j, and the value/string writers its
 * text output shares. These functions only write to the FILE * they are
 * given (never to stdout/stderr on their own); stream errors are left
 * in the stream (ferror) for the caller.
 */
#ifndef PQOUT_H
#define PQOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parquet.h"

/*
 * One JSON object and a newline for file name (size bytes, metadata m):
 * summary members (file, file_size, footer_length, version, num_rows,
 * num_row_groups, num_columns, created_by, total_compressed_size,
 * total_uncompressed_size[, encryption_algorithm]); with details also
 * schema, row_groups, key_value_metadata[, column_orders]. The layout
 * is documented in pqmeta(1). Returns 0, or -1 if the stream has an
 * error.
 */
int	pq_out_json(FILE *out, const char *name, uint64_t size,
	    const struct pq_meta *m, int details);

/* p[0..len) as a JSON string literal (quotes included). */
void	pq_out_json_str(FILE *out, const uint8_t *p, size_t len);

/* p[0..len) for text output: control bytes and '\' as \xHH. */
void	pq_out_text_str(FILE *out, const uint8_t *p, size_t len);

/* An enum: its name (quoted when json), or the number if name is NULL. */
void	pq_out_enum(FILE *out, int json, const char *name, int32_t v);

/*
 * A typed statistics value (pqfmt.h pq_value_format): numbers and bools
 * bare; text and strings quoted in JSON (text output: strings quoted,
 * other text bare); binary as hex, "0x"-prefixed in text output.
 */
void	pq_out_value(FILE *out, int json, const struct pq_schema_elem *leaf,
	    int32_t type, struct pq_bytes v);

#endif
