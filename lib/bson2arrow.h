/*
 * bson2arrow.h: BSON documents → Arrow columns, with schema inference.
 *
 * Use: b2a_new, b2a_sample for each of the first N documents (they are
 * only looked at), b2a_finish_schema, then b2a_append for every
 * document (the sampled ones too, in order) and b2a_flush whenever
 * b2a_rows/b2a_bytes reach the caller's batch limits, and once at the
 * end. The Arrow schema (b2a_fields) is valid after b2a_finish_schema.
 *
 * Type map (the man page documents it for users):
 *   double → float64          int32 → int32          int64 → int64
 *   string → utf8             bool → bool            binary → binary
 *   date → timestamp[ms, "UTC"]
 *   ObjectId → fixed_size_binary(12), extension "s3pipe.bson.objectid"
 *   Decimal128 → fixed_size_binary(16), extension "s3pipe.bson.decimal128"
 *     (the 16 BSON bytes, exact), or with B2A_DECIMAL_ARROW decimal128(38,s)
 *     when every sampled value is finite and fits one scale s
 *   document → struct (fields in first-seen order over the sample)
 *   array → list<item> (element type widened over all sampled elements)
 *   null/undefined only → null
 *   regex, code, symbol, timestamp, dbpointer, minKey, maxKey, and any
 *     field whose sampled values disagree under B2A_MISMATCH_STRING →
 *     utf8 of canonical extended JSON, extension "s3pipe.bson.extjson"
 * Numbers widen over the sample: int32 → int64 → double. After the
 * sample a value that differs from its column converts when lossless
 * (int32 into int64; int32, or int64 within ±2^53, into double; any
 * value into an extjson column; decimals that rescale exactly);
 * otherwise the mismatch policy applies. A field absent from the
 * sampled schema is a mismatch too (B2A_MISMATCH_NULL drops it).
 * Missing fields and nulls are Arrow nulls.
 *
 * Limits: nesting depth B2A_MAX_DEPTH, B2A_MAX_FIELDS columns in all.
 * Errors carry the document's _id, the dotted field path, the expected
 * and the found type.
 */
#ifndef BSON2ARROW_H
#define BSON2ARROW_H

#include <stddef.h>
#include <stdint.h>

#include <bson/bson.h>

#include "arrow.h"
#include "err.h"

#define B2A_MAX_DEPTH	32
#define B2A_MAX_FIELDS	100000

#define B2A_EXT_OBJECTID	"s3pipe.bson.objectid"
#define B2A_EXT_DECIMAL128	"s3pipe.bson.decimal128"
#define B2A_EXT_EXTJSON		"s3pipe.bson.extjson"
#define B2A_META_TYPE		"s3pipe.bson.type"

enum b2a_mismatch {
	B2A_MISMATCH_ERROR = 0,
	B2A_MISMATCH_NULL,
	B2A_MISMATCH_STRING
};

enum b2a_decimal {
	B2A_DECIMAL_EXT = 0,
	B2A_DECIMAL_ARROW
};

struct b2a;

/* Statistics of one column, in pre-order (see b2a_field_stats). */
struct b2a_field_stat {
	const char	*path;		/* dotted; list elements add ".[]" */
	const char	*type;		/* e.g. "int64", "list<float64>" */
	int64_t		nulls;		/* over all appended rows */
	int64_t		values;		/* rows seen by this column */
	int		is_list;
	int64_t		list_min;	/* -1 when no non-null list */
	int64_t		list_max;
};

struct b2a *b2a_new(enum b2a_mismatch, enum b2a_decimal, struct err *);
/*
 * Name the ObjectId, Decimal128 and extjson columns with the plain field
 * metadata key B2A_META_TYPE instead of ARROW:extension:name, for
 * readers that reject unknown extension types (polars). Before
 * b2a_finish_schema.
 */
void	b2a_set_plain_metadata(struct b2a *, int);
void	b2a_free(struct b2a *);

/* Learn types from one sampled document. 0 or -1 with err. */
int	b2a_sample(struct b2a *, const bson_t *, struct err *);
/* Fix the schema. 0 or -1 with err. */
int	b2a_finish_schema(struct b2a *, struct err *);

/* Top-level Arrow fields (valid until b2a_free). */
const struct arrow_field *const *b2a_fields(const struct b2a *, size_t *n);

/* Append one document as a row. 0 or -1 with err (the row is lost). */
int	b2a_append(struct b2a *, const bson_t *, struct err *);
/* Rows and approximate buffer bytes in the current batch. */
int64_t	b2a_rows(const struct b2a *);
size_t	b2a_bytes(const struct b2a *);
/* Write the current batch (if any rows) and start a new one. */
int	b2a_flush(struct b2a *, struct arrow_writer *, struct err *);

/* Values that did not fit and became null (B2A_MISMATCH_NULL). */
int64_t	b2a_mismatches(const struct b2a *);
/* Column statistics: n entries, valid until b2a_free or next call. */
const struct b2a_field_stat *b2a_field_stats(struct b2a *, size_t *n);

#endif
