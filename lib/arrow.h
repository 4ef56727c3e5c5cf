/*
 * arrow.h: Arrow IPC stream writer (columnar format version 5).
 *
 * A stream is: one Schema message, RecordBatch messages, then the
 * end-of-stream marker. Each message is framed as the continuation
 * marker 0xFFFFFFFF, an int32 LE metadata length (padded so the body
 * starts 8-byte aligned), the flatbuffer Message, then the body whose
 * buffers are each padded to 8 bytes.
 *
 * With ARROW_ZSTD, every buffer in the body is written as an int64 LE
 * uncompressed length followed by the ZSTD frame, or -1 followed by the
 * raw bytes when compression would not make it smaller (Arrow's
 * BodyCompression, codec ZSTD, method BUFFER). Empty buffers stay empty.
 *
 * The writer never writes on its own: every byte goes through the sink
 * callback. arrow_write_eos is separate so a caller writes it only after
 * a complete, successful read; a stream without it is truncated.
 */
#ifndef ARROW_H
#define ARROW_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fb.h"

/* Type ids of the Schema.fbs Type union. */
enum arrow_type {
	ARROW_NULL = 1,
	ARROW_INT = 2,
	ARROW_FLOAT = 3,
	ARROW_BINARY = 4,
	ARROW_UTF8 = 5,
	ARROW_BOOL = 6,
	ARROW_DECIMAL = 7,
	ARROW_DATE = 8,
	ARROW_TIME = 9,
	ARROW_TIMESTAMP = 10,
	ARROW_INTERVAL = 11,
	ARROW_LIST = 12,
	ARROW_STRUCT = 13,
	ARROW_UNION = 14,
	ARROW_FIXED_BINARY = 15,
	ARROW_FIXED_LIST = 16,
	ARROW_MAP = 17,
	ARROW_DURATION = 18,
	ARROW_LARGE_BINARY = 19,
	ARROW_LARGE_UTF8 = 20,
	ARROW_LARGE_LIST = 21
};

enum arrow_compression {
	ARROW_NONE = 0,
	ARROW_ZSTD = 1
};

#define ARROW_MAX_DEPTH	64	/* nesting of struct/list fields */
#define ARROW_MAX_META	4	/* key/value pairs per field */

struct arrow_kv {
	const char	*key;
	const char	*value;
};

/*
 * One field of a schema. Parameters used by type:
 *   ARROW_INT: bit_width, is_signed      ARROW_FLOAT: precision (0 1 2)
 *   ARROW_DECIMAL: precision, scale (bitWidth 128)
 *   ARROW_TIMESTAMP: unit (0 s, 1 ms, 2 us, 3 ns), timezone (or NULL)
 *   ARROW_FIXED_BINARY: byte_width      ARROW_LIST: one child
 *   ARROW_STRUCT: children
 * The writer borrows every pointer for the duration of the call.
 */
struct arrow_field {
	const char		*name;
	enum arrow_type		type;
	int			nullable;
	int			bit_width;
	int			is_signed;
	int			precision;
	int			scale;
	int			unit;
	int			byte_width;
	const char		*timezone;
	struct arrow_kv		meta[ARROW_MAX_META];
	size_t			nmeta;
	const struct arrow_field *const *children;
	size_t			nchildren;
};

/* Record batch pieces: one node per field in pre-order, buffers in order. */
struct arrow_node {
	int64_t	length;
	int64_t	null_count;
};

struct arrow_buf {
	const void	*data;
	size_t		len;
};

typedef int (*arrow_sink_fn)(void *ctx, const void *, size_t, struct err *);

struct arrow_writer {
	arrow_sink_fn		sink;
	void			*ctx;
	enum arrow_compression	compression;
	int			zstd_level;
	struct fb_builder	fb;
	void			*zctx;		/* ZSTD_CCtx */
	uint8_t			*body;		/* compressed body scratch */
	size_t			body_cap;
	uint64_t		bytes_out;	/* everything written so far */
	uint64_t		raw_body;	/* body bytes before compression */
};

/* Set up; nothing is written. 0, or -1 with err (ERR_NOMEM). */
int	arrow_writer_init(struct arrow_writer *, arrow_sink_fn, void *ctx,
	    enum arrow_compression, int zstd_level, struct err *);
void	arrow_writer_free(struct arrow_writer *);

/* Write the Schema message for n top-level fields. 0 or -1 with err. */
int	arrow_write_schema(struct arrow_writer *,
	    const struct arrow_field *const *fields, size_t n, struct err *);

/*
 * Write one RecordBatch of `length` rows. nodes/buffers follow the IPC
 * order (pre-order over fields; per field its buffers: validity, then
 * offsets and/or values). A buffer with len 0 is written empty. The
 * writer compresses into its own scratch; inputs are not modified.
 */
int	arrow_write_batch(struct arrow_writer *, int64_t length,
	    const struct arrow_node *, size_t nnodes,
	    const struct arrow_buf *, size_t nbufs, struct err *);

/* The end-of-stream marker: 0xFFFFFFFF then int32 0. */
int	arrow_write_eos(struct arrow_writer *, struct err *);

#endif
