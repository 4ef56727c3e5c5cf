/*
 * arrow2bson.h: one row of a verified Arrow batch (ipcread.h) → one BSON
 * document. The inverse of bson2arrow.h's type map:
 *
 *   int8/16/32, uint8/16 → int32     int64, uint32 → int64
 *   uint64 → int64, or Decimal128 (exact) above 2^63 - 1
 *   float16/32/64 → double           bool → bool
 *   utf8, large_utf8 → string (UTF-8 checked; NUL bytes allowed)
 *   binary, large_binary, fixed_size_binary → binary subtype 0
 *   fixed_size_binary(12) "s3pipe.bson.objectid" → ObjectId
 *   fixed_size_binary(16) "s3pipe.bson.decimal128" → Decimal128 (the 16
 *     BSON bytes, exact); "arrow.uuid" → binary subtype 4
 *   utf8 "s3pipe.bson.extjson" → the value parsed from extended JSON
 *   decimal128(p, s) → Decimal128 (exact; error when more than 34 digits
 *     remain after removing trailing zeros)
 *   date32 → date (days × 86400000)   date64 → date
 *   timestamp[s|ms|us|ns, any tz] → date in ms (us and ns floored)
 *   time32/time64, duration → int32/int64 in the column's unit
 *   list, large_list, fixed_size_list → array (null elements kept)
 *   struct → document        map<utf8, V> → document; other keys →
 *     array of {key, value} documents
 *   dictionary-encoded → the dictionary's value      null type → null
 *
 * Nulls in documents (top level and struct fields) become absent fields
 * unless keep_nulls; nulls inside arrays stay null. Field order is the
 * schema's. Nothing here allocates except through the bson_t.
 */
#ifndef ARROW2BSON_H
#define ARROW2BSON_H

#include <stdint.h>

#include <bson/bson.h>

#include "err.h"
#include "ipcread.h"

/*
 * Check the schema once: names usable as BSON keys. Returns the index
 * of the top-level "_id" column in *id_col (-1 if none). 0 or -1 + err.
 */
int	a2b_check_schema(const struct ipcr_field *, size_t n, int *id_col,
	    struct err *);

/*
 * Append row `row` of b to doc (initialised, empty). When gen_id and the
 * row has no non-null _id (id_col from a2b_check_schema), a new ObjectId
 * is written first. 0, or -1 with err (ERR_FORMAT: naming the column).
 */
int	a2b_row(const struct ipcr_batch *b, int64_t row, int id_col,
	    int keep_nulls, int gen_id, bson_t *doc, struct err *);

#endif
