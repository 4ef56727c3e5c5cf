/*
 * bson2arrow.c: schema inference and column builders for BSON → Arrow.
 */
#include <stdlib.h>
#include <string.h>

#include "b2a_col.h"
#include "bson2arrow.h"
#include "dec128.h"

static const char *kind_names[] = {
	"null", "bool", "int32", "int64", "double", "string", "binary",
	"objectId", "decimal128", "decimal128", "date", "document", "array",
	"extjson"
};

const char *
b2a_kind_name(enum b2a_kind k)
{
	return kind_names[k];
}

/* The kind a BSON value asks for; B2A_NULL for null and undefined. */
static enum b2a_kind
kind_of(bson_type_t t)
{
	switch (t) {
	case BSON_TYPE_DOUBLE:		return B2A_DOUBLE;
	case BSON_TYPE_UTF8:		return B2A_UTF8;
	case BSON_TYPE_DOCUMENT:	return B2A_STRUCT;
	case BSON_TYPE_ARRAY:		return B2A_LIST;
	case BSON_TYPE_BINARY:		return B2A_BINARY;
	case BSON_TYPE_OID:		return B2A_OID;
	case BSON_TYPE_BOOL:		return B2A_BOOL;
	case BSON_TYPE_DATE_TIME:	return B2A_DATETIME;
	case BSON_TYPE_INT32:		return B2A_INT32;
	case BSON_TYPE_INT64:		return B2A_INT64;
	case BSON_TYPE_DECIMAL128:	return B2A_DEC128;
	case BSON_TYPE_NULL:
	case BSON_TYPE_UNDEFINED:	return B2A_NULL;
	default:			return B2A_EXTJSON;
	}
}

static const char *
bson_type_name(bson_type_t t)
{
	enum b2a_kind k = kind_of(t);

	if (k != B2A_EXTJSON)
		return kind_names[k];
	switch (t) {
	case BSON_TYPE_REGEX:		return "regex";
	case BSON_TYPE_CODE:		return "javascript";
	case BSON_TYPE_CODEWSCOPE:	return "javascriptWithScope";
	case BSON_TYPE_SYMBOL:		return "symbol";
	case BSON_TYPE_TIMESTAMP:	return "timestamp";
	case BSON_TYPE_DBPOINTER:	return "dbPointer";
	case BSON_TYPE_MINKEY:		return "minKey";
	case BSON_TYPE_MAXKEY:		return "maxKey";
	default:			return "unknown";
	}
}

static int
is_number(enum b2a_kind k)
{
	return k == B2A_INT32 || k == B2A_INT64 || k == B2A_DOUBLE;
}

struct b2a *
b2a_new(enum b2a_mismatch mm, enum b2a_decimal dm, struct err *e)
{
	struct b2a *b;

	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->root = b2a_col_new(b, NULL, "", e)) == NULL) {
		free(b);
		err_set(e, ERR_NOMEM, "bson2arrow: out of memory");
		return NULL;
	}
	b->root->kind = B2A_STRUCT;
	b->mismatch = mm;
	b->decimal = dm;
	return b;
}

void
b2a_set_plain_metadata(struct b2a *b, int on)
{
	b->plain_meta = on;
}

void
b2a_free(struct b2a *b)
{
	if (b == NULL)
		return;
	b2a_col_free(b->root);
	free(b->stats);
	free(b->top);
	free(b->nodes);
	free(b->bufs);
	free(b);
}

/* Path of a column for messages: a.b.[] */
void
b2a_path(const struct b2a_col *c, char *out, size_t len)
{
	const struct b2a_col *chain[B2A_MAX_DEPTH + 2];
	size_t n = 0, pos = 0;
	int w;

	out[0] = 0;
	for (; c != NULL && c->parent != NULL && n < B2A_MAX_DEPTH + 2;
	    c = c->parent)
		chain[n++] = c;
	while (n-- > 0 && pos < len) {
		w = snprintf(out + pos, len - pos, "%s%s", pos ? "." : "",
		    chain[n]->parent->kind == B2A_LIST ? "[]" : chain[n]->name);
		if (w < 0)
			break;
		pos += (size_t)w;
	}
}

/*
 * After a bson_iter_next loop: 0 when it reached the end, -1 with err
 * when it stopped at a corrupt or unknown element (the rest of the
 * document would otherwise read as missing fields).
 */
static int
iter_end(struct b2a *b, const bson_iter_t *it, struct err *e)
{
	if (it->err_off == 0)
		return 0;
	return err_set(e, ERR_FORMAT, "document _id %s: corrupt BSON (bad "
	    "element at byte %u of its document)", b2a_cur_id(b),
	    (unsigned)it->err_off);
}

/* ---- inference ---- */

static int infer_doc(struct b2a *, struct b2a_col *, bson_iter_t *, int,
    struct err *);

static void
note_decimal(struct b2a_col *c, const bson_iter_t *it)
{
	bson_decimal128_t d;
	struct dec128_parts p;

	bson_iter_decimal128(it, &d);
	dec128_split(d.high, d.low, &p);
	if (p.cls != DEC128_FINITE) {
		c->dec_ok = 0;
		return;
	}
	if (-p.exponent > c->scale)
		c->scale = -p.exponent;
	if (p.digits + p.exponent > c->int_digits)
		c->int_digits = p.digits + p.exponent;
}

static int
infer_value(struct b2a *b, struct b2a_col *c, bson_iter_t *it, int depth,
    struct err *e)
{
	enum b2a_kind k = kind_of(bson_iter_type(it));
	bson_iter_t sub;
	struct b2a_col *item;
	char path[256];

	if (k == B2A_NULL || c->kind == B2A_EXTJSON)
		return 0;
	if (depth > B2A_MAX_DEPTH) {
		b2a_path(c, path, sizeof(path));
		return err_set(e, ERR_LIMIT, "field %s: nested deeper than "
		    "%d levels", path, B2A_MAX_DEPTH);
	}
	if (c->kind == B2A_NULL) {
		c->kind = k;
		if (k == B2A_DEC128)
			c->dec_ok = 1;
	} else if (c->kind != k) {
		if (is_number(c->kind) && is_number(k)) {
			if (k > c->kind)
				c->kind = k;
		} else {
			if (b->mismatch == B2A_MISMATCH_STRING) {
				b2a_col_drop_kids(c);
				c->kind = B2A_EXTJSON;
			}
			/* Otherwise the first type stays; append decides. */
			return 0;
		}
	}
	switch (k) {
	case B2A_DEC128:
		note_decimal(c, it);
		return 0;
	case B2A_STRUCT:
		if (!bson_iter_recurse(it, &sub))
			return err_set(e, ERR_FORMAT, "corrupt BSON document");
		return infer_doc(b, c, &sub, depth + 1, e);
	case B2A_LIST:
		if (!bson_iter_recurse(it, &sub))
			return err_set(e, ERR_FORMAT, "corrupt BSON array");
		if (c->nkids == 0 && b2a_col_add(b, c, "item", 4, e) == NULL)
			return -1;
		item = c->kids[0];
		while (bson_iter_next(&sub))
			if (infer_value(b, item, &sub, depth + 1, e) != 0)
				return -1;
		return iter_end(b, &sub, e);
	default:
		return 0;
	}
}

static int
infer_doc(struct b2a *b, struct b2a_col *c, bson_iter_t *it, int depth,
    struct err *e)
{
	struct b2a_col *k;
	uint32_t klen;
	const char *key;

	while (bson_iter_next(it)) {
		key = bson_iter_key(it);
		klen = bson_iter_key_len(it);
		if ((k = b2a_col_find(c, key, klen)) == NULL &&
		    (k = b2a_col_add(b, c, key, klen, e)) == NULL)
			return -1;
		if (infer_value(b, k, it, depth, e) != 0)
			return -1;
	}
	return iter_end(b, it, e);
}

int
b2a_sample(struct b2a *b, const bson_t *doc, struct err *e)
{
	bson_iter_t it;
	int rc;

	if (!bson_iter_init(&it, doc))
		return err_set(e, ERR_FORMAT, "corrupt BSON document");
	b->cur_doc = doc;
	rc = infer_doc(b, b->root, &it, 1, e);
	b->cur_doc = NULL;
	return rc;
}

static void
settle_decimals(struct b2a *b, struct b2a_col *c)
{
	size_t i;

	if (c->kind == B2A_DEC128 && b->decimal == B2A_DECIMAL_ARROW &&
	    c->dec_ok) {
		if (c->scale < 0)
			c->scale = 0;
		if (c->scale <= 38 && c->int_digits + c->scale <= 38)
			c->kind = B2A_DECIMAL;
	}
	for (i = 0; i < c->nkids; i++)
		settle_decimals(b, c->kids[i]);
}

int
b2a_finish_schema(struct b2a *b, struct err *e)
{
	size_t i;

	settle_decimals(b, b->root);
	if (b2a_col_schema(b, b->root, e) != 0)
		return -1;
	free(b->top);
	if ((b->top = calloc(b->root->nkids + 1, sizeof(*b->top))) == NULL)
		return err_set(e, ERR_NOMEM, "bson2arrow: out of memory");
	for (i = 0; i < b->root->nkids; i++)
		b->top[i] = &b->root->kids[i]->af;
	b->ready = 1;
	return b2a_col_reset(b->root, e);
}

const struct arrow_field *const *
b2a_fields(const struct b2a *b, size_t *n)
{
	*n = b->root->nkids;
	return (const struct arrow_field *const *)b->top;
}

/* ---- append ---- */

static int append_doc(struct b2a *, struct b2a_col *, bson_iter_t *,
    struct err *);

static int
mismatch(struct b2a *b, struct b2a_col *c, const char *found,
    struct err *e)
{
	char path[256];

	if (b->mismatch == B2A_MISMATCH_NULL) {
		b->mismatches++;
		return b2a_col_null(b, c, e);
	}
	b2a_path(c, path, sizeof(path));
	return err_set(e, ERR_FORMAT, "document _id %s: field %s: expected "
	    "%s, found %s (see --on-mismatch, --schema-sample)", b2a_cur_id(b),
	    path, c->typestr ? c->typestr : kind_names[c->kind], found);
}

static int
append_value(struct b2a *b, struct b2a_col *c, bson_iter_t *it,
    struct err *e)
{
	bson_type_t t = bson_iter_type(it);
	enum b2a_kind k = kind_of(t);
	bson_iter_t sub;
	int64_t v;
	uint32_t n;

	if (k == B2A_NULL)
		return b2a_col_null(b, c, e);
	if (c->kind == B2A_EXTJSON)
		return b2a_put_extjson(b, c, it, e);
	if (k != c->kind) {
		if (c->kind == B2A_INT64 && k == B2A_INT32)
			return b2a_put_fixed(b, c, (int64_t[]){
			    bson_iter_int32(it) }, 8, e);
		if (c->kind == B2A_DOUBLE && (k == B2A_INT32 ||
		    k == B2A_INT64)) {
			v = bson_iter_as_int64(it);
			if (v >= -(1LL << 53) && v <= (1LL << 53))
				return b2a_put_fixed(b, c,
				    (double[]){ (double)v }, 8, e);
		}
		if (c->kind == B2A_DECIMAL && k == B2A_DEC128 &&
		    (v = b2a_put_decimal(b, c, it, e)) <= 0)
			return (int)v;
		return mismatch(b, c, bson_type_name(t), e);
	}
	switch (k) {
	case B2A_BOOL:
		return b2a_put_bool(b, c, bson_iter_bool(it), e);
	case B2A_INT32:
		return b2a_put_fixed(b, c, (int32_t[]){ bson_iter_int32(it) },
		    4, e);
	case B2A_INT64:
		return b2a_put_fixed(b, c, (int64_t[]){ bson_iter_int64(it) },
		    8, e);
	case B2A_DOUBLE:
		return b2a_put_fixed(b, c, (double[]){ bson_iter_double(it) },
		    8, e);
	case B2A_DATETIME:
		return b2a_put_fixed(b, c,
		    (int64_t[]){ bson_iter_date_time(it) }, 8, e);
	case B2A_OID:
		return b2a_put_fixed(b, c, bson_iter_oid(it)->bytes, 12, e);
	case B2A_DEC128:
		return b2a_put_dec128(b, c, it, e);
	case B2A_UTF8: {
		const char *s = bson_iter_utf8(it, &n);
		return b2a_put_bytes(b, c, s, n, e);
	}
	case B2A_BINARY: {
		const uint8_t *p;
		bson_subtype_t st;
		bson_iter_binary(it, &st, &n, &p);
		return b2a_put_bytes(b, c, p, n, e);
	}
	case B2A_STRUCT:
		if (!bson_iter_recurse(it, &sub))
			return err_set(e, ERR_FORMAT, "corrupt BSON document");
		if (b2a_col_valid(b, c, 1, e) != 0)
			return -1;
		return append_doc(b, c, &sub, e);
	case B2A_LIST: {
		const uint8_t *raw;
		int rc;
		bson_iter_array(it, &n, &raw);
		if (raw != NULL && !b->no_fast &&
		    (rc = b2a_put_double_array(b, c, raw, n, e)) <= 0)
			return rc;
	}
		if (!bson_iter_recurse(it, &sub))
			return err_set(e, ERR_FORMAT, "corrupt BSON array");
		n = 0;
		while (bson_iter_next(&sub)) {
			if (append_value(b, c->kids[0], &sub, e) != 0)
				return -1;
			n++;
		}
		if (iter_end(b, &sub, e) != 0)
			return -1;
		return b2a_put_list(b, c, n, e);
	default:
		return mismatch(b, c, bson_type_name(t), e);
	}
}

static int
append_doc(struct b2a *b, struct b2a_col *c, bson_iter_t *it,
    struct err *e)
{
	struct b2a_col *k;
	uint64_t gen = ++b->gen;
	const char *key;
	uint32_t klen;
	size_t i;
	char path[256];

	while (bson_iter_next(it)) {
		key = bson_iter_key(it);
		klen = bson_iter_key_len(it);
		if ((k = b2a_col_find(c, key, klen)) == NULL) {
			if (b->mismatch == B2A_MISMATCH_NULL) {
				b->mismatches++;
				continue;
			}
			b2a_path(c, path, sizeof(path));
			return err_set(e, ERR_FORMAT, "document _id %s: field "
			    "%s%s%.*s is not in the schema inferred from the "
			    "sample (raise --schema-sample, or --on-mismatch "
			    "null)", b2a_cur_id(b), path, path[0] ? "." : "",
			    (int)(klen > 200 ? 200 : klen), key);
		}
		if (k->gen == gen) {
			b2a_path(k, path, sizeof(path));
			return err_set(e, ERR_FORMAT, "document _id %s: "
			    "duplicate field %s", b2a_cur_id(b), path);
		}
		k->gen = gen;
		if (append_value(b, k, it, e) != 0)
			return -1;
	}
	if (iter_end(b, it, e) != 0)
		return -1;
	for (i = 0; i < c->nkids; i++)
		if (c->kids[i]->gen != gen &&
		    b2a_col_null(b, c->kids[i], e) != 0)
			return -1;
	return 0;
}

/* The _id of the document being appended, for messages only. */
const char *
b2a_cur_id(struct b2a *b)
{
	bson_iter_t it;
	char *s;

	snprintf(b->cur_id, sizeof(b->cur_id), "(none)");
	if (b->cur_doc == NULL || !bson_iter_init_find(&it, b->cur_doc, "_id"))
		return b->cur_id;
	if (bson_iter_type(&it) == BSON_TYPE_OID)
		bson_oid_to_string(bson_iter_oid(&it), b->cur_id);
	else if (BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it))
		snprintf(b->cur_id, sizeof(b->cur_id), "%lld",
		    (long long)bson_iter_as_int64(&it));
	else if ((s = b2a_value_json(&it)) != NULL) {
		snprintf(b->cur_id, sizeof(b->cur_id), "%s", s);
		bson_free(s);
	}
	return b->cur_id;
}

int
b2a_append(struct b2a *b, const bson_t *doc, struct err *e)
{
	bson_iter_t it;
	int rc;

	if (!b->ready)
		return err_set(e, ERR_USAGE, "bson2arrow: schema not final");
	if (!bson_iter_init(&it, doc))
		return err_set(e, ERR_FORMAT, "corrupt BSON document");
	/* Rendered only when a message needs it (b2a_cur_id). */
	b->cur_doc = doc;
	rc = append_doc(b, b->root, &it, e);
	b->cur_doc = NULL;
	if (rc != 0)
		return -1;
	b->rows++;
	return 0;
}

int64_t
b2a_rows(const struct b2a *b)
{
	return b->rows;
}

size_t
b2a_bytes(const struct b2a *b)
{
	return b->bytes;
}

int64_t
b2a_mismatches(const struct b2a *b)
{
	return b->mismatches;
}
