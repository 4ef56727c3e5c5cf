/*
 * b2a_col.h: internals of bson2arrow shared by bson2arrow.c (inference,
 * document walking) and b2a_col.c (column tree, buffers, batches).
 * Not a public interface: use bson2arrow.h.
 */
#ifndef B2A_COL_H
#define B2A_COL_H

#include <string.h>

#include "bson2arrow.h"

/* Order matters: numbers widen towards larger values. */
enum b2a_kind {
	B2A_NULL = 0,
	B2A_BOOL,
	B2A_INT32,
	B2A_INT64,
	B2A_DOUBLE,
	B2A_UTF8,
	B2A_BINARY,
	B2A_OID,
	B2A_DEC128,
	B2A_DECIMAL,
	B2A_DATETIME,
	B2A_STRUCT,
	B2A_LIST,
	B2A_EXTJSON
};

/* A growable byte vector; new bytes are zeroed. */
struct b2a_vec {
	uint8_t	*p;
	size_t	len;
	size_t	cap;
};

struct b2a_col {
	struct b2a_col	*parent;
	char		*name;
	size_t		name_len;
	enum b2a_kind	kind;
	struct b2a_col	**kids;		/* struct fields, or the list item */
	size_t		nkids;
	size_t		capkids;
	size_t		hint;		/* next kid to try in find */
	int		dec_ok;		/* decimals: all finite so far */
	int		scale;
	int		int_digits;
	uint64_t	gen;		/* document stamp while appending */
	struct arrow_field af;
	const struct arrow_field **afkids;
	char		*typestr;
	char		*pathstr;
	struct b2a_vec	valid;
	struct b2a_vec	values;
	struct b2a_vec	offsets;
	struct b2a_vec	data;
	int64_t		len;		/* rows in this batch */
	int64_t		nulls;
	int64_t		total_nulls;
	int64_t		total_values;
	int64_t		list_min;
	int64_t		list_max;
};

struct b2a {
	struct b2a_col	*root;
	enum b2a_mismatch mismatch;
	enum b2a_decimal decimal;
	int		ready;
	int		plain_meta;
	int		no_fast;	/* tests: general path only */
	uint64_t	gen;
	int64_t		rows;
	size_t		bytes;
	int64_t		mismatches;
	size_t		ncols;
	const bson_t	*cur_doc;	/* while appending it */
	char		cur_id[128];
	struct b2a_field_stat *stats;
	const struct arrow_field **top;
	struct arrow_node *nodes;
	struct arrow_buf *bufs;
};

const char *b2a_kind_name(enum b2a_kind);
/* The _id of the document being appended, rendered for a message. */
const char *b2a_cur_id(struct b2a *);
void	b2a_path(const struct b2a_col *, char *, size_t);
/* Longest value b2a_put_extjson renders without libbson (a timestamp). */
#define B2A_QUICK_JSON_MAX	64

/* Canonical extended JSON of one value; bson_free it. NULL on failure. */
char	*b2a_value_json(const bson_iter_t *);

struct b2a_col *b2a_col_new(struct b2a *, struct b2a_col *parent,
	    const char *name, struct err *);
struct b2a_col *b2a_col_add(struct b2a *, struct b2a_col *parent,
	    const char *key, size_t klen, struct err *);
struct b2a_col *b2a_col_find_slow(struct b2a_col *, const char *key,
	    size_t klen);

/*
 * The kid named key, or NULL. Documents usually repeat the same field
 * order: the kid after the last one found is tried first, inline.
 */
static inline struct b2a_col *
b2a_col_find(struct b2a_col *p, const char *key, size_t klen)
{
	struct b2a_col *c;
	size_t i, j;

	if (p->nkids == 0)
		return NULL;
	i = p->hint < p->nkids ? p->hint : 0;
	c = p->kids[i];
	if (c->name_len != klen)
		return b2a_col_find_slow(p, key, klen);
	for (j = 0; j < klen; j++)
		if (c->name[j] != key[j])
			return b2a_col_find_slow(p, key, klen);
	p->hint = i + 1;
	return c;
}
void	b2a_col_free(struct b2a_col *);
void	b2a_col_drop_kids(struct b2a_col *);
int	b2a_col_schema(struct b2a *, struct b2a_col *, struct err *);
int	b2a_col_reset(struct b2a_col *, struct err *);

/* Appending one value (or null) to a column; 0 or -1 with err. */
int	b2a_col_null(struct b2a *, struct b2a_col *, struct err *);
int	b2a_col_valid(struct b2a *, struct b2a_col *, int bit, struct err *);
int	b2a_put_fixed_slow(struct b2a *, struct b2a_col *, const void *,
	    size_t, struct err *);

/* Hot path: no null in the batch yet and room for the value. */
static inline int
b2a_put_fixed(struct b2a *b, struct b2a_col *c, const void *p, size_t n,
    struct err *e)
{
	if (c->nulls == 0 && n <= c->values.cap - c->values.len) {
		memcpy(c->values.p + c->values.len, p, n);
		c->values.len += n;
		b->bytes += n;
		c->len++;
		c->total_values++;
		return 0;
	}
	return b2a_put_fixed_slow(b, c, p, n, e);
}
int	b2a_put_bool(struct b2a *, struct b2a_col *, int, struct err *);
int	b2a_put_bytes(struct b2a *, struct b2a_col *, const void *, size_t,
	    struct err *);
int	b2a_put_extjson(struct b2a *, struct b2a_col *, const bson_iter_t *,
	    struct err *);
int	b2a_put_dec128(struct b2a *, struct b2a_col *, const bson_iter_t *,
	    struct err *);
/* Rescaled decimal; 1 when the value does not fit the column's scale. */
int	b2a_put_decimal(struct b2a *, struct b2a_col *, const bson_iter_t *,
	    struct err *);
/* A raw BSON array of doubles in one go; 1: not applicable. */
int	b2a_put_double_array(struct b2a *, struct b2a_col *, const uint8_t *,
	    uint32_t, struct err *);
/* Close a list whose n elements were appended to its item column. */
int	b2a_put_list(struct b2a *, struct b2a_col *, uint32_t n, struct err *);

#endif
