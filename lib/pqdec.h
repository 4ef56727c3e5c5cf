/*
 * pqdec.h: private to the FileMetaData decoder (parquet.c, pqchunk.c,
 * pqdec.c). Not an API: use parquet.h.
 *
 * Each decoder reads one Thrift struct with a struct pqdec: it checks
 * every field against a table of expected wire types indexed by field
 * id (pqdec_known: unknown ids and mismatched types are skipped, as
 * Thrift-generated readers do, so files from writers that reused an id
 * still decode), reads the fields it knows, checks required fields at
 * STOP, and prefixes errors with where it was. Arrays come from the
 * arena, sized by list counts thrift.h has bounded by the bytes left.
 * All functions return 0 or -1 with d->e filled in, unless noted.
 */
#ifndef PQDEC_H
#define PQDEC_H

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
 * 1 when field f is in types[] (by id) with a compatible wire type
 * (integer widths interchange); otherwise skip its value and return 0.
 */
int	pqdec_known(struct pqdec *d, const struct thrift_field *f,
	    const uint8_t *types, size_t n);
#define PQDEC_KNOWN(d, f, types) pqdec_known(d, f, types, NELEM(types))

/* Integer field value in [min, max]. */
int	pqdec_int(struct pqdec *d, const struct thrift_field *f, int64_t min,
	    int64_t max, int64_t *out);
int	pqdec_i32(struct pqdec *d, const struct thrift_field *f,
	    int32_t *out);
int	pqdec_i64(struct pqdec *d, const struct thrift_field *f,
	    int64_t *out);
/*
 * An enum whose unknown values make the file unreadable (physical type,
 * repetition): must lie in [0, max], else ERR_FORMAT naming what.
 */
int	pqdec_enum(struct pqdec *d, const struct thrift_field *f, int32_t max,
	    const char *what, int32_t *out);
/* Binary/string field, zero-copy. */
int	pqdec_bin(struct pqdec *d, const struct thrift_field *f,
	    struct pq_bytes *out);
/* ERR_FORMAT "required field <what> missing"; returns -1. */
int	pqdec_missing(struct pqdec *d, const char *what);

/*
 * Enter list field f whose elements must have wire type elem (any
 * integer type when elem is THRIFT_I32) and allocate *n elements of
 * size bytes in *arr (NULL when empty); *et gets the element type if
 * et is not NULL. The caller reads the elements, then thrift_list_end.
 */
int	pqdec_list(struct pqdec *d, const struct thrift_field *f, uint8_t elem,
	    size_t size, void **arr, uint32_t *n, uint8_t *et);

/* Whole list fields: list<i32>, list<binary>, list<KeyValue>. */
int	pqdec_i32_list(struct pqdec *d, const struct thrift_field *f,
	    int32_t **out, uint32_t *n);
int	pqdec_str_list(struct pqdec *d, const struct thrift_field *f,
	    struct pq_bytes **out, uint32_t *n);
int	pqdec_kv_list(struct pqdec *d, const struct thrift_field *f,
	    struct pq_kv **out, uint32_t *n);

/* A union value: *id = id of its first member (0 if empty), skipped. */
int	pqdec_union_id(struct pqdec *d, int32_t *id);

/* A RowGroup struct (pqchunk.c). */
int	pqdec_row_group(struct pqdec *d, struct pq_row_group *rg);

#endif
