/*
 * fb.h: a small FlatBuffers builder and a verifying reader.
 *
 * Builder: objects are built back to front (children before the tables
 * that point at them), as in the reference implementation. References
 * (fb_ref) are distances from the end of the buffer; 0 is "no object".
 * Every call is checked: on allocation failure or a size over FB_MAX
 * the builder keeps a sticky error, later calls do nothing, and
 * fb_finish reports it once.
 *
 * Reader: verify before use. Every accessor checks the table, its
 * vtable, the field's slot and size, and any offset, string or vector
 * bound against the byte span before reading, so a hostile buffer can
 * only make an accessor return -1. The reader never allocates and
 * never recurses; callers that walk nested tables bound their depth.
 * Scalars are read little-endian with memcpy (no alignment needed).
 */
#ifndef FB_H
#define FB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define FB_MAX		(64u * 1024 * 1024)	/* largest buffer built or read */
#define FB_MAX_FIELDS	32			/* fields per table (builder) */

typedef uint32_t fb_ref;

struct fb_field_stage {
	uint16_t	id;
	uint8_t		size;		/* bytes inline */
	uint8_t		align;
	uint8_t		is_ref;
	uint8_t		bytes[24];	/* scalar or struct bytes, LE */
};

struct fb_builder {
	uint8_t		*buf;		/* data lives at buf[cap - size, cap) */
	size_t		cap;
	size_t		size;
	size_t		max_align;
	int		failed;		/* sticky: ERR_NOMEM or ERR_LIMIT */
	int		in_table;
	size_t		nstage;
	struct fb_field_stage stage[FB_MAX_FIELDS];
};

void	fb_init(struct fb_builder *);
/* Forget the contents but keep the memory for the next message. */
void	fb_reset(struct fb_builder *);
void	fb_free(struct fb_builder *);

/* A string (need not be NUL-terminated; a NUL is appended). */
fb_ref	fb_string(struct fb_builder *, const char *s, size_t len);
/* A vector of n structs or scalars of elem_size bytes each, LE, aligned. */
fb_ref	fb_vec_raw(struct fb_builder *, const void *elems, size_t n,
	    size_t elem_size, size_t align);
/* A vector of references to tables or strings. */
fb_ref	fb_vec_refs(struct fb_builder *, const fb_ref *refs, size_t n);

/*
 * Tables: fb_start, then fields by id (each id at most once, in any
 * order), then fb_end returns the table's reference. Tables do not
 * nest: build children first.
 */
void	fb_start(struct fb_builder *);
void	fb_add_u8(struct fb_builder *, unsigned id, uint8_t);
void	fb_add_i16(struct fb_builder *, unsigned id, int16_t);
void	fb_add_i32(struct fb_builder *, unsigned id, int32_t);
void	fb_add_i64(struct fb_builder *, unsigned id, int64_t);
void	fb_add_ref(struct fb_builder *, unsigned id, fb_ref);
/* An inline struct of size bytes (at most 24) with the given alignment. */
void	fb_add_struct(struct fb_builder *, unsigned id, const void *,
	    size_t size, size_t align);
fb_ref	fb_end(struct fb_builder *);

/*
 * Finish with root table `root`, padding the total to a multiple of 8.
 * On success *out points into the builder (valid until the next call)
 * and *len is a multiple of 8. 0, or -1 with err.
 */
int	fb_finish(struct fb_builder *, fb_ref root, const uint8_t **out,
	    size_t *len, struct err *);

/* ---- reader ---- */

struct fb_table {
	const uint8_t	*buf;
	size_t		len;
	size_t		pos;		/* table start */
	size_t		vt;		/* vtable start */
	uint16_t	vtsize;
	uint16_t	tsize;
};

struct fb_vec {
	const uint8_t	*buf;
	size_t		len;
	size_t		pos;		/* first element */
	uint32_t	n;
	size_t		elem_size;
};

/* Root table of buf[0, len). 0, or -1 with err (ERR_FORMAT). */
int	fb_root(const uint8_t *buf, size_t len, struct fb_table *,
	    struct err *);

/*
 * Scalars: field id of the table, or def when the field is absent.
 * -1 with err when the field is present but out of bounds.
 */
int	fb_u8(const struct fb_table *, unsigned id, uint8_t def, uint8_t *,
	    struct err *);
int	fb_i16(const struct fb_table *, unsigned id, int16_t def, int16_t *,
	    struct err *);
int	fb_i32(const struct fb_table *, unsigned id, int32_t def, int32_t *,
	    struct err *);
int	fb_i64(const struct fb_table *, unsigned id, int64_t def, int64_t *,
	    struct err *);
/* Inline struct of size bytes copied to out. 1 present, 0 absent, -1. */
int	fb_struct(const struct fb_table *, unsigned id, void *out, size_t size,
	    struct err *);

/* Sub-table: 1 and *sub when present, 0 when absent, -1 with err. */
int	fb_table(const struct fb_table *, unsigned id, struct fb_table *sub,
	    struct err *);
/* String: 1 with *s (NUL-terminated in the buffer) and *n, 0, or -1. */
int	fb_str(const struct fb_table *, unsigned id, const char **s,
	    size_t *n, struct err *);
/* Vector of elem_size-byte elements: 1 with *v, 0 absent, -1. */
int	fb_vector(const struct fb_table *, unsigned id, size_t elem_size,
	    struct fb_vec *v, struct err *);
/* Element i of a vector of tables (elem_size 4). 0 or -1 with err. */
int	fb_vec_table(const struct fb_vec *, uint32_t i, struct fb_table *,
	    struct err *);
/* Element i of a vector of strings. 0 or -1 with err. */
int	fb_vec_str(const struct fb_vec *, uint32_t i, const char **s,
	    size_t *n, struct err *);
/* Pointer to element i of a scalar/struct vector (bounds already known). */
const uint8_t *fb_vec_at(const struct fb_vec *, uint32_t i);

/* Little-endian loads for struct bytes. */
int64_t	fb_load_i64(const uint8_t *);
uint32_t fb_load_u32(const uint8_t *);

#endif
