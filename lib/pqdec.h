/*
 * pqdec.h: private to the FileMetaData decoder (parquet.c, pqchunk.c,
 * pqdec.c). Not an API: use parquet.h.
 *
 * Each parquet.thrift struct we read is a table with one row (struct
 * pqdec_field) per field we keep, next to the code that owns the C
 * struct it fills in. pqdec_read() decodes one Thrift struct by its
 * table:
 *  - a field whose id has no row, or whose wire type is not the row's
 *    (integer widths interchange), is skipped, as Thrift-generated
 *    readers do, so files from writers that reused an id for another
 *    type still decode;
 *  - a field that comes again is read again into the same member:
 *    the later value or list wins, a nested struct is decoded over the
 *    earlier one;
 *  - a row's has bit is set in the struct's has mask once its field
 *    was read;
 *  - at STOP, a required row whose field was not read is ERR_FORMAT
 *    "required field <missing> missing" (struct pqdec_struct);
 *  - an error reading a field's value (not a field header, not a
 *    skipped field) gets the struct's prefix ("statistics: ..."); an
 *    error in element i of a list row with a name gets "name[i]: ".
 * Arrays come from the arena, sized by list counts thrift.h has bounded
 * by the bytes left; nesting is bounded by the reader's max_depth. All
 * functions return 0 or -1 with d->e filled in.
 */
#ifndef PQDEC_H
#define PQDEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "parquet.h"
#include "thrift.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct pqdec {
	struct thrift_reader r;
	struct arena	*a;
	struct err	*e;
};

/*
 * One field of a struct. Without a read function the member at off
 * holds, by the row's wire type:
 *	I8, I16, I32	int32_t, in the range of that type
 *	I64		int64_t
 *	BINARY		struct pq_bytes (zero-copy)
 *	TRUE		bool (a bool field)
 *	STRUCT		the struct sub describes
 *	LIST		a pointer to count elements (NULL when empty), the
 *			uint32_t count at n_off; each element, esize bytes,
 *			is of wire type elem and held as above.
 * A read function instead reads one value of wire type type into dst,
 * the member (for a list, each element), and returns 0 or -1.
 */
struct pqdec_field {
	int16_t		 id;		/* parquet.thrift field id */
	uint8_t		 type;		/* wire type */
	uint8_t		 elem;		/* LIST: element wire type */
	bool		 required;	/* error if absent at STOP */
	unsigned	 has;		/* bit for the has mask, or 0 */
	size_t		 off;		/* offsetof the member */
	size_t		 n_off;		/* LIST: offsetof the count */
	size_t		 esize;		/* LIST: bytes per element */
	const struct pqdec_struct *sub;	/* STRUCT (elements): the table */
	int		(*read)(struct pqdec *, uint8_t, void *);
	const char	*name;		/* LIST: for "name[i]: ", or NULL */
};

/* A struct: its rows, where its has mask lives, its error texts. */
struct pqdec_struct {
	const struct pqdec_field *fields;
	size_t		 n;		/* at most PQDEC_MAX_FIELDS rows */
	size_t		 has_off;	/* offsetof its `unsigned has` */
	const char	*prefix;	/* for value errors, or NULL */
	const char	*missing;	/* names the required fields */
};

#define PQDEC_MAX_FIELDS	32	/* bits of pqdec_read's seen mask */

/*
 * Row heads, completed by designated initializers (.has, .required,
 * .sub, ...). Field id_ of wire type type_ (I32, BINARY, TRUE for bool,
 * ...) into member m of S:
 */
#define PQDEC_AT(S, id_, type_, m)					\
	.id = (id_), .type = THRIFT_##type_, .off = offsetof(S, m)
/* list<elem_> field id_ into array m and count n of S: */
#define PQDEC_LIST_AT(S, id_, elem_, m, n)				\
	.id = (id_), .type = THRIFT_LIST, .elem = THRIFT_##elem_,	\
	.off = offsetof(S, m), .n_off = offsetof(S, n),			\
	.esize = sizeof(*((S *)0)->m)
/* Field id_ of wire type_ only noted by .has, its value skipped: */
#define PQDEC_PRESENT(id_, type_)					\
	.id = (id_), .type = THRIFT_##type_, .read = pqdec_skip
/*
 * The pqdec_struct of table fields; has_off is offsetof the has mask
 * (0 when no row has a has bit). A table longer than PQDEC_MAX_FIELDS
 * does not compile.
 */
#define PQDEC_STRUCT(fields, has_off, prefix, missing)			\
	{ (fields), NELEM(fields) +					\
	    0 * sizeof(char[NELEM(fields) <= PQDEC_MAX_FIELDS ? 1 : -1]), \
	    (has_off), (prefix), (missing) }

/* Decode one struct described by s into out. */
int	pqdec_read(struct pqdec *d, const struct pqdec_struct *s, void *out);

/*
 * Read functions for rows:
 * pqdec_physical_type	enum Type into int32_t (pqdec_enum);
 * pqdec_union_id	a union: int32_t id of its first member (0 if
 *			empty), every member skipped;
 * pqdec_skip		nothing stored, the value skipped (PQDEC_PRESENT).
 */
int	pqdec_physical_type(struct pqdec *d, uint8_t type, void *dst);
int	pqdec_union_id(struct pqdec *d, uint8_t type, void *dst);
int	pqdec_skip(struct pqdec *d, uint8_t type, void *dst);

/*
 * An enum whose unknown values make the file unreadable (physical type,
 * repetition): must lie in [0, max], else ERR_FORMAT naming what.
 */
int	pqdec_enum(struct pqdec *d, uint8_t type, int32_t max,
	    const char *what, int32_t *out);

/* Shared tables: KeyValue (pqdec.c), RowGroup (pqchunk.c). */
extern const struct pqdec_struct pqdec_kv;
extern const struct pqdec_struct pqdec_row_group;

#endif
