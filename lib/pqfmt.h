/*
 * pqfmt.h: names and typed values for Parquet metadata, for display.
 *
 * Pure functions over parquet.h values: enum names as spelled in
 * parquet.thrift, a compact logical-type string, and the typed
 * rendering of statistics (min/max) bytes. Nothing here allocates or
 * does I/O.
 */
#ifndef PQFMT_H
#define PQFMT_H

#include <stddef.h>
#include <stdint.h>

#include "parquet.h"

/*
 * Enum names ("INT32", "OPTIONAL", "SNAPPY", ...). Numbers unknown to
 * this version give NULL; callers print the number instead.
 */
const char	*pq_type_name(int32_t type);
const char	*pq_repetition_name(int32_t rep);
const char	*pq_converted_name(int32_t ct);
const char	*pq_codec_name(int32_t codec);
const char	*pq_encoding_name(int32_t enc);
const char	*pq_logical_name(int32_t kind);		/* "DECIMAL" */
const char	*pq_unit_name(int32_t unit);		/* "MICROS" */
const char	*pq_column_order_name(int32_t id);	/* "TYPE_ORDER" */
const char	*pq_encryption_name(int32_t id);	/* "AES_GCM_V1" */
const char	*pq_edge_algorithm_name(int32_t id);	/* "SPHERICAL" */

/*
 * Logical type as one token: "STRING", "DECIMAL(10,2)",
 * "TIMESTAMP(MICROS,UTC)", "TIME(MILLIS,local)", "INTEGER(8,unsigned)",
 * "UNKNOWN_LOGICAL(42)". Writes at most cap bytes (NUL included) and
 * returns buf.
 */
char		*pq_logical_format(const struct pq_logical *lt, char *buf,
		    size_t cap);

/* How a statistics value was rendered by pq_value_format(). */
enum pq_vkind {
	PQ_V_NUMBER,	/* buf holds a JSON number (integer or finite float) */
	PQ_V_BOOL,	/* buf holds "true" or "false" */
	PQ_V_TEXT,	/* buf holds text: date, time, timestamp, decimal,
			   UUID, "NaN", "Infinity" */
	PQ_V_STRING,	/* the value's own bytes are valid UTF-8 text */
	PQ_V_BINARY	/* show the value's bytes (hex) */
};

#define PQ_VALUE_MAX	96	/* buffer size for pq_value_format */

/*
 * Render a min/max value of physical type type for the column whose
 * leaf schema element is leaf (NULL when unknown: physical type only).
 * Uses the logical type, else the converted type: decimals (any width
 * up to 32 bytes) as exact decimal text, DATE as YYYY-MM-DD, TIME and
 * TIMESTAMP (incl. INT96) as ISO 8601 with the unit's fraction digits
 * ("Z" when adjusted to UTC), unsigned integers, FLOAT16, UUID;
 * FLOAT/DOUBLE as the shortest text that reads back to the same value.
 * A value of the wrong length for its type is PQ_V_BINARY.
 */
enum pq_vkind	 pq_value_format(const struct pq_schema_elem *leaf,
		    int32_t type, struct pq_bytes v, char buf[PQ_VALUE_MAX]);

/* Whether p[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int		 pq_utf8_valid(const uint8_t *p, size_t len);

#endif
