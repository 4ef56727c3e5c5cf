/*
 * thrift.h: Thrift compact-protocol reader over a byte span.
 *
 * A struct thrift_reader is a cursor over memory the caller owns; it
 * never allocates and never reads outside [buf, buf + len). Values are
 * read in document order: open a struct, iterate its fields, read or
 * skip each value, until thrift_field_next() reports the STOP byte.
 * Unknown fields are skipped with thrift_skip_field(), so schemas that
 * grew new fields still decode.
 *
 * Limits, enforced before anything is trusted:
 *  - nesting of structs, lists, sets and maps: at most max_depth
 *    (THRIFT_DEFAULT_DEPTH unless changed after thrift_init);
 *  - a list/set/map count is rejected when count times the smallest
 *    encoding of one element exceeds the bytes left, so a caller may
 *    size an allocation by the count without trusting it further;
 *  - a binary/string length is checked against the bytes left before
 *    the (zero-copy) pointer is returned;
 *  - varints longer than their type allows, and values out of range of
 *    the requested integer type, are errors.
 *
 * Every function returns 0 (thrift_field_next: 1 field, 0 STOP) or -1
 * with the reader's struct err filled in (ERR_FORMAT for malformed
 * input, ERR_LIMIT for a limit), the message naming the byte offset.
 * After an error the reader must not be used further.
 */
#ifndef THRIFT_H
#define THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define THRIFT_DEFAULT_DEPTH	32

/* Compact-protocol type codes (as they appear on the wire). */
enum thrift_type {
	THRIFT_STOP = 0,
	THRIFT_TRUE = 1,	/* bool field, value true (field header only) */
	THRIFT_FALSE = 2,	/* bool field, value false / bool element */
	THRIFT_I8 = 3,
	THRIFT_I16 = 4,
	THRIFT_I32 = 5,
	THRIFT_I64 = 6,
	THRIFT_DOUBLE = 7,
	THRIFT_BINARY = 8,	/* also string */
	THRIFT_LIST = 9,
	THRIFT_SET = 10,
	THRIFT_MAP = 11,
	THRIFT_STRUCT = 12,	/* also union */
	THRIFT_UUID = 13
};

struct thrift_reader {
	const uint8_t	*start;
	const uint8_t	*p;
	const uint8_t	*end;
	unsigned	 depth;
	unsigned	 max_depth;
	struct err	*err;
};

/* One struct field header. id is the field id, type its wire type. */
struct thrift_field {
	int16_t		 id;
	uint8_t		 type;
	bool		 bool_value;	/* for THRIFT_TRUE / THRIFT_FALSE */
};

/* A list or set header: element wire type and element count. */
struct thrift_list {
	uint8_t		 elem_type;
	uint32_t	 count;
};

/* Point r at buf[0..len); errors go to e. Does not copy buf. */
void	thrift_init(struct thrift_reader *r, const void *buf, size_t len,
	    struct err *e);

/* Bytes consumed so far (offset of the cursor from buf). */
size_t	thrift_offset(const struct thrift_reader *r);

/*
 * Enter a struct (the value of a THRIFT_STRUCT field or element, or the
 * top-level struct). Initialises *f for thrift_field_next. Counts one
 * nesting level; the level ends when thrift_field_next returns 0.
 */
int	thrift_struct_begin(struct thrift_reader *r, struct thrift_field *f);

/*
 * Read the next field header of the current struct into *f (which must
 * hold the previous header: field ids may be sent as deltas). Returns 1
 * for a field (its value must then be read or skipped), 0 at STOP (the
 * struct is finished), -1 on error.
 */
int	thrift_field_next(struct thrift_reader *r, struct thrift_field *f);

/* Skip the value of field f (any type, nested to max_depth). */
int	thrift_skip_field(struct thrift_reader *r,
	    const struct thrift_field *f);

/* Skip one value of wire type type (a list element, map key, ...). */
int	thrift_skip(struct thrift_reader *r, uint8_t type);

/*
 * Read an integer value of wire type type (I8, I16, I32 or I64) and
 * check it lies in [min, max]. Fails on other types.
 */
int	thrift_read_int(struct thrift_reader *r, uint8_t type, int64_t min,
	    int64_t max, int64_t *out);

/* Field f must be a bool field; its value is in the header. */
int	thrift_field_bool(struct thrift_reader *r, const struct thrift_field *f,
	    bool *out);

/* Read a bool list element (one byte: 1 true, 0 or 2 false). */
int	thrift_read_bool_elem(struct thrift_reader *r, bool *out);

/* Read an 8-byte little-endian double. */
int	thrift_read_double(struct thrift_reader *r, double *out);

/*
 * Read a binary/string value: *ptr points into the reader's buffer
 * (valid while that buffer is), *len its length. No copy is made.
 */
int	thrift_read_binary(struct thrift_reader *r, const uint8_t **ptr,
	    size_t *len);

/*
 * Enter a list or set: fills *l. The count is bounded by the bytes left
 * (see above). One nesting level until thrift_list_end().
 */
int	thrift_list_begin(struct thrift_reader *r, struct thrift_list *l);
void	thrift_list_end(struct thrift_reader *r);

/*
 * Check that field f has wire type want (bool fields: want THRIFT_TRUE
 * for either bool code); -1 with a message naming what, otherwise.
 */
int	thrift_expect(struct thrift_reader *r, const struct thrift_field *f,
	    uint8_t want, const char *what);

#endif
