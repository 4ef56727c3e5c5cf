/*
 * arrow_read.h: verifying parser for Arrow IPC stream messages.
 *
 * Stateless over a byte span: arrow_msg_parse frames one message (the
 * continuation marker 0xFFFFFFFF + int32 length, or the pre-1.0 bare
 * int32 length), verifies the flatbuffer Message root, and bounds the
 * body. arrow_schema_decode and arrow_batch_decode then read a Schema
 * or RecordBatch header, checking every table, offset and vector
 * against the metadata span and every buffer/node against the body,
 * before the caller touches anything. Nothing is trusted: every error
 * is -1 with err (ERR_FORMAT, ERR_LIMIT), never a crash.
 *
 * Limits: metadata at most ARROW_MAX_META_LEN, body at most
 * ARROW_MAX_BODY, ARROW_MAX_DEPTH levels of nested fields,
 * ARROW_MAX_FIELDS fields in a schema.
 */
#ifndef ARROW_READ_H
#define ARROW_READ_H

#include <stddef.h>
#include <stdint.h>

#include "arrow.h"
#include "err.h"
#include "fb.h"

#define ARROW_MAX_META_LEN	(16u * 1024 * 1024)
#define ARROW_MAX_BODY		(INT64_C(1) << 40)
#define ARROW_MAX_FIELDS	100000

enum arrow_msg_type {
	ARROW_MSG_EOS = 0,
	ARROW_MSG_SCHEMA = 1,
	ARROW_MSG_DICTIONARY = 2,
	ARROW_MSG_BATCH = 3
};

struct arrow_msg {
	enum arrow_msg_type type;
	int16_t		version;	/* MetadataVersion, V5 = 4 */
	struct fb_table	header;		/* Schema / RecordBatch / Dict... */
	const uint8_t	*body;
	int64_t		body_len;
	size_t		size;		/* bytes of buf this message used */
};

/*
 * One message from buf[0, len). 0 with *msg (type ARROW_MSG_EOS for the
 * end-of-stream marker), -2 when len is too short for the whole message
 * (body included), -1 with err when malformed.
 */
int	arrow_msg_parse(const uint8_t *buf, size_t len, struct arrow_msg *,
	    struct err *);

/* A decoded field; strings point into the message (not terminated). */
struct arrow_rfield {
	const char	*name;
	size_t		name_len;
	enum arrow_type	type;
	int		nullable;
	int32_t		bit_width;	/* Int; Decimal */
	int		is_signed;
	int32_t		precision;	/* FloatingPoint; Decimal */
	int32_t		scale;
	int16_t		unit;		/* Timestamp, Time, Duration, Date */
	int32_t		byte_width;	/* FixedSizeBinary; FixedSizeList */
	const char	*timezone;
	size_t		timezone_len;
	const char	*ext_name;	/* ARROW:extension:name or NULL */
	size_t		ext_name_len;
	int		dictionary;	/* dictionary-encoded */
	int64_t		dict_id;
	struct arrow_rfield *children;
	size_t		nchildren;
};

struct arrow_schema {
	struct arrow_rfield *fields;	/* top level */
	size_t		nfields;
	size_t		total;		/* fields at every level */
	struct arrow_rfield *pool;	/* owns all fields */
};

/* Decode a Schema message. 0 or -1 with err. Free with arrow_schema_free. */
int	arrow_schema_decode(const struct arrow_msg *, struct arrow_schema *,
	    struct err *);
void	arrow_schema_free(struct arrow_schema *);

struct arrow_batch {
	int64_t		length;
	struct fb_vec	nodes;		/* FieldNode {length, null_count} */
	struct fb_vec	buffers;	/* Buffer {offset, length} */
	int		codec;		/* -1 none, 0 LZ4_FRAME, 1 ZSTD */
};

/*
 * Decode a RecordBatch (or a DictionaryBatch's inner batch) header:
 * every node has 0 <= null_count <= length, every buffer lies inside
 * the body. 0 or -1 with err.
 */
int	arrow_batch_decode(const struct arrow_msg *, struct arrow_batch *,
	    struct err *);
void	arrow_batch_node(const struct arrow_batch *, uint32_t i,
	    int64_t *length, int64_t *null_count);
void	arrow_batch_buffer(const struct arrow_batch *, uint32_t i,
	    int64_t *offset, int64_t *length);

#endif
