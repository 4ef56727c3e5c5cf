/*
 * ipcread.h: Arrow IPC stream reader (untrusted input).
 *
 * A stream is a Schema message, then DictionaryBatch and RecordBatch
 * messages, then the end-of-stream marker. Each message is framed as
 * 0xFFFFFFFF + int32 LE metadata length (or, before Arrow 0.15, a bare
 * int32 length), the flatbuffer Message, then bodyLength bytes of body.
 * A length of 0 is the end-of-stream marker. A stream that ends without
 * it is truncated and reported as an error, so a consumer never takes a
 * cut stream for a complete one.
 *
 * Verification: every flatbuffer access goes through fb.h's verifying
 * reader; every FieldNode and Buffer is checked against the body before
 * use (offset + length inside the body, enough bytes for the length and
 * type, offsets monotonic and inside their data, child lengths, list
 * sizes, dictionary indices inside their dictionary). After a batch is
 * returned, its arrays can be read without further bounds checks.
 *
 * Body compression: ZSTD (each buffer is an int64 LE uncompressed length
 * then a ZSTD frame, or -1 then the raw bytes). LZ4_FRAME is refused
 * with ERR_UNSUPPORTED. Big-endian streams, unions, views, decimal256,
 * intervals and delta dictionaries are refused with ERR_UNSUPPORTED.
 *
 * Limits (IPCR_*): metadata size, body size, total decompressed bytes per
 * batch, field count and nesting depth, dictionary count, rows per batch.
 * Exceeding one is ERR_LIMIT. Memory is bounded by the largest message
 * plus its decompressed buffers plus the live dictionaries.
 */
#ifndef IPCREAD_H
#define IPCREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arrow.h"
#include "err.h"

#define IPCR_MAX_META	(16u * 1024 * 1024)	/* flatbuffer Message bytes */
#define IPCR_MAX_BODY	(1ull << 30)		/* body bytes of one message */
#define IPCR_MAX_INFLATE (2ull << 30)		/* decompressed per message */
#define IPCR_MAX_FIELDS	10000			/* fields, pre-order, total */
#define IPCR_MAX_DEPTH	64			/* field nesting */
#define IPCR_MAX_DICTS	1024			/* dictionary ids */
#define IPCR_MAX_ROWS	(1ll << 31)		/* rows in one batch */

/*
 * Read up to len bytes into buf: bytes read (> 0), 0 at end of input,
 * or -1 with err filled in.
 */
typedef ssize_t (*ipcr_read_fn)(void *ctx, void *buf, size_t len,
    struct err *);

/* Extension names the BSON mapping knows (see bson2arrow.h). */
enum ipcr_ext {
	IPCR_EXT_NONE = 0,
	IPCR_EXT_OTHER,
	IPCR_EXT_OBJECTID,	/* s3pipe.bson.objectid */
	IPCR_EXT_DECIMAL128,	/* s3pipe.bson.decimal128 */
	IPCR_EXT_EXTJSON,	/* s3pipe.bson.extjson */
	IPCR_EXT_UUID		/* arrow.uuid */
};

/* Arrow logical type of a field, after resolving its parameters. */
struct ipcr_field {
	char			*name;
	size_t			name_len;	/* strlen(name) */
	enum arrow_type		type;
	int			nullable;
	int			bit_width;	/* INT, TIME, DECIMAL; FLOAT: 16 32 64 */
	int			is_signed;	/* INT */
	int			precision;	/* DECIMAL */
	int			scale;		/* DECIMAL */
	int			unit;		/* DATE: 0 day 1 ms; TIME, TIMESTAMP,
						   DURATION: 0 s 1 ms 2 us 3 ns */
	int			byte_width;	/* FIXED_BINARY */
	int			list_size;	/* FIXED_LIST */
	char			*timezone;	/* TIMESTAMP, or NULL */
	char			*ext_name;	/* ARROW:extension:name or
						   s3pipe.bson.type, or NULL */
	enum ipcr_ext		ext;		/* ext_name, classified */
	int			is_dict;	/* dictionary-encoded */
	int64_t			dict_id;
	int			index_width;	/* dictionary index bits */
	int			index_signed;
	struct ipcr_field	*children;
	size_t			nchildren;
};

/*
 * One column of a batch. Buffers point into the reader's message (or a
 * decompressed copy) and stay valid until the next ipcr_next. validity
 * is NULL when no value is null. For a dictionary-encoded field, values
 * holds the indices (index_width bits) and dict the dictionary's array.
 * offsets are int32 or int64 (LARGE_* types) with length + 1 entries.
 */
struct ipcr_array {
	const struct ipcr_field	*field;
	int64_t			length;
	int64_t			null_count;
	const uint8_t		*validity;
	const uint8_t		*offsets;
	const uint8_t		*values;
	size_t			values_len;
	struct ipcr_array	*children;
	const struct ipcr_array	*dict;
};

struct ipcr_batch {
	int64_t			length;
	const struct ipcr_array	*columns;	/* one per top-level field */
	size_t			ncolumns;
};

struct ipcr;

/*
 * Create a reader pulling bytes through fn. Reads and verifies the
 * Schema message. Returns the reader, or NULL with err.
 */
struct ipcr	*ipcr_open(ipcr_read_fn fn, void *ctx, struct err *);
void		ipcr_free(struct ipcr *);

/* The top-level fields (valid until ipcr_free). */
const struct ipcr_field *ipcr_fields(const struct ipcr *, size_t *n);

/*
 * Next record batch: 1 with *out (valid until the next call), 0 at the
 * end-of-stream marker, -1 with err (truncated input: ERR_FORMAT with
 * "truncated" in the message). Dictionary batches are consumed here.
 */
int		ipcr_next(struct ipcr *, const struct ipcr_batch **out,
		    struct err *);

/* Bytes consumed from the input so far. */
uint64_t	ipcr_bytes_in(const struct ipcr *);

/* Validity bit i of a (1 when valid). */
static inline int
ipcr_valid(const struct ipcr_array *a, int64_t i)
{
	return a->validity == NULL ||
	    ((a->validity[i >> 3] >> (i & 7)) & 1) != 0;
}

/* Offset i of a variable-size array (binary, utf8, list kinds). */
int64_t		ipcr_offset(const struct ipcr_array *, int64_t i);
/* Dictionary index of row i of a dictionary-encoded array. */
int64_t		ipcr_dict_index(const struct ipcr_array *, int64_t i);

#endif
