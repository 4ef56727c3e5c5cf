/*
 * ipcread.c: Arrow IPC stream framing, message bodies and batch
 * verification. Schema tables are parsed in ipcr_schema.c.
 */
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "ipcr_int.h"

/* Message.fbs ids. */
enum { MSG_VERSION = 0, MSG_HEADER_TYPE, MSG_HEADER, MSG_BODY_LEN };
enum { HDR_SCHEMA = 1, HDR_DICT = 2, HDR_BATCH = 3 };
enum { RB_LENGTH = 0, RB_NODES, RB_BUFFERS, RB_COMPRESSION };

struct msgmem {
	uint8_t		*body;
	size_t		len;
	size_t		cap;
	void		**blocks;	/* decompressed buffers */
	size_t		nblocks;
	size_t		capblocks;
	uint64_t	inflated;
};

struct dict {
	int64_t			id;
	const struct ipcr_field	*field;
	struct msgmem		mem;
	struct ipcr_array	*pool;	/* pool[0] is the dictionary */
	int			loaded;
};

struct ipcr {
	ipcr_read_fn		fn;
	void			*ctx;
	uint64_t		bytes_in;
	uint8_t			*meta;
	size_t			meta_cap;
	struct ipcr_field	*fields;
	size_t			nfields;
	size_t			total;
	struct ipcr_array	*pool;	/* pool[0, nfields) are the columns */
	struct dict		*dicts;
	size_t			ndicts;
	struct msgmem		cur;
	struct ipcr_batch	batch;
	ZSTD_DCtx		*dctx;
	int			done;
};

/* Decoding state of one RecordBatch table against its body. */
struct dec {
	struct ipcr		*r;
	struct msgmem		*mem;
	struct fb_vec		nodes;
	struct fb_vec		bufs;
	uint32_t		ni;
	uint32_t		bi;
	int			zstd;
};

static int64_t
ld64(const uint8_t *p)
{
	return fb_load_i64(p);
}

static void
mem_clear(struct msgmem *m)
{
	size_t i;

	for (i = 0; i < m->nblocks; i++)
		free(m->blocks[i]);
	m->nblocks = 0;
	m->inflated = 0;
	m->len = 0;
}

static void
mem_free(struct msgmem *m)
{
	mem_clear(m);
	free(m->blocks);
	free(m->body);
	memset(m, 0, sizeof(*m));
}

static int
truncated(struct err *e, const char *what)
{
	return err_set(e, ERR_FORMAT, "truncated Arrow stream (no "
	    "end-of-stream marker): input ends inside %s", what);
}

/* Read exactly n bytes; *got < n only at end of input. */
static int
read_full(struct ipcr *r, void *buf, size_t n, size_t *got, struct err *e)
{
	ssize_t k;

	*got = 0;
	while (*got < n) {
		k = r->fn(r->ctx, (uint8_t *)buf + *got, n - *got, e);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		*got += (size_t)k;
		r->bytes_in += (uint64_t)k;
	}
	return 0;
}

/*
 * Read a body of len bytes, growing the buffer only as bytes arrive so
 * a lying length costs no more memory than the input really has.
 */
static int
read_body(struct ipcr *r, struct msgmem *m, size_t len, struct err *e)
{
	size_t have = 0, want, got;
	uint8_t *p;

	m->len = 0;
	while (have < len) {
		want = have < (1u << 20) ? (1u << 20) : have * 2;
		if (want > len)
			want = len;
		if (want > m->cap) {
			if ((p = realloc(m->body, want)) == NULL)
				return err_set(e, ERR_NOMEM, "message body");
			m->body = p;
			m->cap = want;
		}
		if (read_full(r, m->body + have, want - have, &got, e) != 0)
			return -1;
		have += got;
		if (have < want)
			return truncated(e, "a message body");
	}
	m->len = len;
	return 0;
}

/*
 * Next message: 1 with the Message table and its body in m, 0 at the
 * end-of-stream marker, -1 with err.
 */
static int
read_message(struct ipcr *r, struct msgmem *m, struct fb_table *msg,
    uint8_t *htype, struct fb_table *hdr, struct err *e)
{
	uint8_t word[4];
	uint32_t len;
	size_t got;
	int16_t ver;
	int64_t blen;
	uint8_t *p;

	if (read_full(r, word, 4, &got, e) != 0)
		return -1;
	if (got < 4)
		return truncated(e, "a message length");
	len = fb_load_u32(word);
	if (len == 0xFFFFFFFFu) {
		if (read_full(r, word, 4, &got, e) != 0)
			return -1;
		if (got < 4)
			return truncated(e, "a message length");
		len = fb_load_u32(word);
	}
	if (len == 0)
		return 0;
	if (len > IPCR_MAX_META)
		return err_set(e, len > 0x7FFFFFFFu ? ERR_FORMAT : ERR_LIMIT,
		    "Arrow message metadata length %lld out of range",
		    len > 0x7FFFFFFFu ? (long long)(int32_t)len :
		    (long long)len);
	if (len > r->meta_cap) {
		if ((p = realloc(r->meta, len)) == NULL)
			return err_set(e, ERR_NOMEM, "message metadata");
		r->meta = p;
		r->meta_cap = len;
	}
	if (read_full(r, r->meta, len, &got, e) != 0)
		return -1;
	if (got < len)
		return truncated(e, "message metadata");
	if (fb_root(r->meta, len, msg, e) != 0 ||
	    fb_i16(msg, MSG_VERSION, 0, &ver, e) != 0 ||
	    fb_u8(msg, MSG_HEADER_TYPE, 0, htype, e) != 0 ||
	    fb_i64(msg, MSG_BODY_LEN, 0, &blen, e) != 0)
		return err_prefix(e, "Arrow message");
	if (ver != 3 && ver != 4)
		return err_set(e, ERR_UNSUPPORTED, "Arrow metadata version %d "
		    "(only V4 and V5 are read)", (int)ver + 1);
	if (fb_table(msg, MSG_HEADER, hdr, e) != 1)
		return err_set(e, ERR_FORMAT, "Arrow message without header");
	if (blen < 0 || (uint64_t)blen > IPCR_MAX_BODY)
		return err_set(e, blen < 0 ? ERR_FORMAT : ERR_LIMIT,
		    "Arrow message body length %lld out of range",
		    (long long)blen);
	mem_clear(m);
	if (read_body(r, m, (size_t)blen, e) != 0)
		return -1;
	return 1;
}

static int
bad(struct err *e, const struct ipcr_field *f, const char *what)
{
	return err_set(e, ERR_FORMAT, "Arrow batch: column %s: %s",
	    f->name, what);
}

static int
add_block(struct msgmem *m, void *p, struct err *e)
{
	void **nb;
	size_t nc;

	if (m->nblocks == m->capblocks) {
		nc = m->capblocks ? m->capblocks * 2 : 16;
		if ((nb = realloc(m->blocks, nc * sizeof(*nb))) == NULL) {
			free(p);
			return err_set(e, ERR_NOMEM, "decompressed buffers");
		}
		m->blocks = nb;
		m->capblocks = nc;
	}
	m->blocks[m->nblocks++] = p;
	return 0;
}

/* Next buffer of the batch, bounds-checked and decompressed. */
static int
next_buf(struct dec *d, const struct ipcr_field *f, const uint8_t **p,
    size_t *n, struct err *e)
{
	const uint8_t *b;
	int64_t off, len, ulen;
	size_t got;
	void *dst;

	if (d->bi >= d->bufs.n)
		return bad(e, f, "fewer buffers than the schema needs");
	b = fb_vec_at(&d->bufs, d->bi++);
	off = ld64(b);
	len = ld64(b + 8);
	if (off < 0 || len < 0 || (uint64_t)off > d->mem->len ||
	    (uint64_t)len > d->mem->len - (uint64_t)off)
		return bad(e, f, "buffer outside the message body");
	*p = d->mem->body + off;
	*n = (size_t)len;
	if (!d->zstd || len == 0)
		return 0;
	if (len < 8)
		return bad(e, f, "compressed buffer shorter than its prefix");
	ulen = ld64(*p);
	if (ulen == -1) {
		*p += 8;
		*n -= 8;
		return 0;
	}
	if (ulen < 0)
		return bad(e, f, "negative uncompressed buffer length");
	if ((uint64_t)ulen > IPCR_MAX_INFLATE - d->mem->inflated)
		return err_set(e, ERR_LIMIT, "Arrow batch: column %s: "
		    "decompressed buffers exceed %llu bytes", f->name,
		    (unsigned long long)IPCR_MAX_INFLATE);
	if ((dst = malloc(ulen ? (size_t)ulen : 1)) == NULL)
		return err_set(e, ERR_NOMEM, "decompressing column %s",
		    f->name);
	if (add_block(d->mem, dst, e) != 0)
		return -1;
	got = ZSTD_decompressDCtx(d->r->dctx, dst, (size_t)ulen, *p + 8,
	    (size_t)len - 8);
	if (ZSTD_isError(got) || got != (size_t)ulen)
		return err_set(e, ERR_FORMAT, "Arrow batch: column %s: ZSTD "
		    "buffer does not decompress to its %lld bytes%s%s", f->name,
		    (long long)ulen, ZSTD_isError(got) ? ": " : "",
		    ZSTD_isError(got) ? ZSTD_getErrorName(got) : "");
	d->mem->inflated += (uint64_t)ulen;
	*p = dst;
	*n = (size_t)ulen;
	return 0;
}

/* n values of w bytes (or bits when w == 0: bitmap) fit in have? */
static int
fits(int64_t n, size_t w, size_t have)
{
	uint64_t need;

	if (w == 0)
		need = ((uint64_t)n + 7) / 8;
	else if (__builtin_mul_overflow((uint64_t)n, (uint64_t)w, &need))
		return 0;
	return need <= have;
}

static size_t
value_width(const struct ipcr_field *f)
{
	switch (f->type) {
	case ARROW_INT: case ARROW_FLOAT: case ARROW_TIME:
		return (size_t)f->bit_width / 8;
	case ARROW_DATE:
		return f->unit == 0 ? 4 : 8;
	case ARROW_TIMESTAMP: case ARROW_DURATION:
		return 8;
	case ARROW_DECIMAL:
		return 16;
	case ARROW_FIXED_BINARY:
		return (size_t)f->byte_width;
	default:
		return 0;
	}
}

static int
is_large(enum arrow_type t)
{
	return t == ARROW_LARGE_BINARY || t == ARROW_LARGE_UTF8 ||
	    t == ARROW_LARGE_LIST;
}

int64_t
ipcr_offset(const struct ipcr_array *a, int64_t i)
{
	if (a->offsets == NULL)
		return 0;
	if (is_large(a->field->type))
		return ld64(a->offsets + 8 * i);
	return (int32_t)fb_load_u32(a->offsets + 4 * i);
}

int64_t
ipcr_dict_index(const struct ipcr_array *a, int64_t i)
{
	const uint8_t *p = a->values;

	switch (a->field->index_width) {
	case 8:
		return a->field->index_signed ? (int8_t)p[i] : p[i];
	case 16:
		return a->field->index_signed ?
		    (int16_t)(p[2 * i] | p[2 * i + 1] << 8) :
		    (p[2 * i] | p[2 * i + 1] << 8);
	case 32:
		if (a->field->index_signed)
			return (int32_t)fb_load_u32(p + 4 * i);
		return (int64_t)fb_load_u32(p + 4 * i);
	default:
		return ld64(p + 8 * i);
	}
}

/* Offsets buffer: length + 1 entries, non-decreasing, within limit. */
static int
check_offsets(struct ipcr_array *a, const uint8_t *p, size_t n,
    int64_t limit, struct err *e)
{
	size_t w = is_large(a->field->type) ? 8 : 4;
	int64_t i, prev, cur;

	if (a->length == 0 && n == 0) {
		a->offsets = NULL;
		return 0;
	}
	if (!fits(a->length + 1, w, n))
		return bad(e, a->field, "offsets buffer too short");
	a->offsets = p;
	prev = ipcr_offset(a, 0);
	if (prev < 0)
		return bad(e, a->field, "negative offset");
	for (i = 1; i <= a->length; i++) {
		cur = ipcr_offset(a, i);
		if (cur < prev)
			return bad(e, a->field, "offsets decrease");
		prev = cur;
	}
	if (prev > limit)
		return bad(e, a->field, "offset past the end of its data");
	return 0;
}

static const struct ipcr_array *
find_dict(struct ipcr *r, int64_t id)
{
	size_t i;

	for (i = 0; i < r->ndicts; i++)
		if (r->dicts[i].id == id && r->dicts[i].loaded)
			return &r->dicts[i].pool[0];
	return NULL;
}

static int load_array(struct dec *, struct ipcr_array *, int as_value,
    int depth, struct err *);

static int
load_dict_indices(struct dec *d, struct ipcr_array *a, struct err *e)
{
	const struct ipcr_field *f = a->field;
	const uint8_t *p;
	size_t n;
	int64_t i, k;

	if (next_buf(d, f, &p, &n, e) != 0)
		return -1;
	if (!fits(a->length, (size_t)f->index_width / 8, n))
		return bad(e, f, "dictionary index buffer too short");
	a->values = p;
	a->values_len = n;
	if ((a->dict = find_dict(d->r, f->dict_id)) == NULL)
		return err_set(e, ERR_FORMAT, "Arrow batch: column %s: "
		    "dictionary id %lld not loaded", f->name,
		    (long long)f->dict_id);
	for (i = 0; i < a->length; i++) {
		if (!ipcr_valid(a, i))
			continue;
		k = ipcr_dict_index(a, i);
		if (k < 0 || k >= a->dict->length)
			return bad(e, f, "dictionary index out of range");
	}
	return 0;
}

static int
load_children(struct dec *d, struct ipcr_array *a, int depth, struct err *e)
{
	size_t i;

	for (i = 0; i < a->field->nchildren; i++)
		if (load_array(d, &a->children[i], 0, depth + 1, e) != 0)
			return -1;
	return 0;
}

/*
 * Fill a from the next node and buffers. as_value: decode a dictionary
 * field's values (a DictionaryBatch) rather than its indices.
 */
static int
load_array(struct dec *d, struct ipcr_array *a, int as_value, int depth,
    struct err *e)
{
	const struct ipcr_field *f = a->field;
	const uint8_t *node, *p;
	size_t n, i;
	int64_t need;

	if (depth > IPCR_MAX_DEPTH)
		return err_set(e, ERR_LIMIT, "Arrow batch: nesting too deep");
	if (d->ni >= d->nodes.n)
		return bad(e, f, "fewer field nodes than the schema needs");
	node = fb_vec_at(&d->nodes, d->ni++);
	a->length = ld64(node);
	a->null_count = ld64(node + 8);
	a->validity = a->offsets = a->values = NULL;
	a->values_len = 0;
	a->dict = NULL;
	if (a->length < 0 || a->length > IPCR_MAX_ROWS ||
	    a->null_count < 0 || a->null_count > a->length)
		return bad(e, f, "field node length or null count out of "
		    "range");
	if (f->type == ARROW_NULL && (as_value || !f->is_dict)) {
		a->null_count = a->length;
		return 0;
	}
	if (next_buf(d, f, &p, &n, e) != 0)
		return -1;
	if (a->null_count > 0) {
		if (!fits(a->length, 0, n))
			return bad(e, f, "validity buffer too short");
		a->validity = p;
	}
	if (f->is_dict && !as_value)
		return load_dict_indices(d, a, e);
	switch (f->type) {
	case ARROW_BOOL:
		if (next_buf(d, f, &p, &n, e) != 0)
			return -1;
		if (!fits(a->length, 0, n))
			return bad(e, f, "values buffer too short");
		a->values = p;
		a->values_len = n;
		return 0;
	case ARROW_BINARY: case ARROW_UTF8:
	case ARROW_LARGE_BINARY: case ARROW_LARGE_UTF8:
		if (next_buf(d, f, &p, &n, e) != 0 ||
		    next_buf(d, f, &a->values, &a->values_len, e) != 0)
			return -1;
		return check_offsets(a, p, n, (int64_t)a->values_len, e);
	case ARROW_LIST: case ARROW_LARGE_LIST: case ARROW_MAP:
		if (next_buf(d, f, &p, &n, e) != 0 ||
		    load_children(d, a, depth, e) != 0)
			return -1;
		return check_offsets(a, p, n, a->children[0].length, e);
	case ARROW_FIXED_LIST:
		if (load_children(d, a, depth, e) != 0)
			return -1;
		if (__builtin_mul_overflow(a->length, (int64_t)f->list_size,
		    &need) || a->children[0].length < need)
			return bad(e, f, "fixed-size list child too short");
		return 0;
	case ARROW_STRUCT:
		if (load_children(d, a, depth, e) != 0)
			return -1;
		for (i = 0; i < f->nchildren; i++)
			if (a->children[i].length < a->length)
				return bad(e, f, "struct child too short");
		return 0;
	default:
		if (next_buf(d, f, &p, &n, e) != 0)
			return -1;
		if (!fits(a->length, value_width(f), n))
			return bad(e, f, "values buffer too short");
		a->values = p;
		a->values_len = n;
		return 0;
	}
}

/* Lay out children: each array's children are consecutive in pool. */
static void
assign(struct ipcr_array *pool, size_t *next, struct ipcr_array *a,
    const struct ipcr_field *f)
{
	size_t i;

	a->field = f;
	a->children = &pool[*next];
	*next += f->nchildren;
	for (i = 0; i < f->nchildren; i++)
		assign(pool, next, &a->children[i], &f->children[i]);
}

static int
dec_init(struct dec *d, struct ipcr *r, struct msgmem *m,
    const struct fb_table *rb, int64_t *length, struct err *e)
{
	struct fb_table comp;
	uint8_t codec, method;
	int rc;

	memset(d, 0, sizeof(*d));
	d->r = r;
	d->mem = m;
	if (fb_i64(rb, RB_LENGTH, 0, length, e) != 0 ||
	    fb_vector(rb, RB_NODES, 16, &d->nodes, e) < 0 ||
	    fb_vector(rb, RB_BUFFERS, 16, &d->bufs, e) < 0 ||
	    (rc = fb_table(rb, RB_COMPRESSION, &comp, e)) < 0)
		return err_prefix(e, "Arrow record batch");
	if (*length < 0 || *length > IPCR_MAX_ROWS)
		return err_set(e, ERR_FORMAT, "Arrow record batch length %lld",
		    (long long)*length);
	if (rc == 1) {
		if (fb_u8(&comp, 0, 0, &codec, e) != 0 ||
		    fb_u8(&comp, 1, 0, &method, e) != 0)
			return -1;
		if (codec == 0)
			return err_set(e, ERR_UNSUPPORTED, "LZ4_FRAME-compressed"
			    " Arrow streams are not supported (use ZSTD or none)");
		if (codec != 1 || method != 0)
			return err_set(e, ERR_UNSUPPORTED, "Arrow body "
			    "compression codec %u method %u", codec, method);
		d->zstd = 1;
	}
	return 0;
}

static void
dict_drop(struct dict *dt)
{
	mem_free(&dt->mem);
	free(dt->pool);
	dt->pool = NULL;
	dt->loaded = 0;
}

/* Does f (below its top) use dictionary id? */
static int
uses_dict(const struct ipcr_field *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->nchildren; i++)
		if ((f->children[i].is_dict && f->children[i].dict_id == id) ||
		    uses_dict(&f->children[i], id))
			return 1;
	return 0;
}

static int
load_dictionary(struct ipcr *r, const struct fb_table *h, struct err *e)
{
	const struct ipcr_field *f;
	struct fb_table rb;
	struct dict *dt = NULL, *nd;
	struct msgmem tmp;
	struct dec d;
	int64_t id, len;
	uint8_t delta;
	size_t i, next = 1;

	if (fb_i64(h, 0, 0, &id, e) != 0 || fb_u8(h, 2, 0, &delta, e) != 0 ||
	    fb_table(h, 1, &rb, e) != 1)
		return err_set(e, ERR_FORMAT, "Arrow dictionary batch: bad "
		    "header");
	if (delta)
		return err_set(e, ERR_UNSUPPORTED, "delta dictionaries are not "
		    "supported");
	if ((f = ipcr_find_dict(r->fields, r->nfields, id)) == NULL)
		return err_set(e, ERR_FORMAT, "Arrow dictionary batch: id %lld "
		    "is not in the schema", (long long)id);
	for (i = 0; i < r->ndicts; i++)
		if (r->dicts[i].id == id)
			dt = &r->dicts[i];
	if (dt == NULL) {
		if (r->ndicts >= IPCR_MAX_DICTS)
			return err_set(e, ERR_LIMIT, "more than %d dictionaries",
			    IPCR_MAX_DICTS);
		if ((nd = realloc(r->dicts, (r->ndicts + 1) *
		    sizeof(*nd))) == NULL)
			return err_set(e, ERR_NOMEM, "dictionaries");
		r->dicts = nd;
		dt = &r->dicts[r->ndicts++];
		memset(dt, 0, sizeof(*dt));
		dt->id = id;
		dt->field = f;
	}
	/* A replaced dictionary invalidates those that point into it. */
	for (i = 0; i < r->ndicts; i++)
		if (r->dicts[i].loaded && uses_dict(r->dicts[i].field, id))
			dict_drop(&r->dicts[i]);
	dict_drop(dt);
	if ((dt->pool = calloc(ipcr_field_count(f), sizeof(*dt->pool))) ==
	    NULL)
		return err_set(e, ERR_NOMEM, "dictionary");
	assign(dt->pool, &next, &dt->pool[0], f);
	/* The body was read into r->cur; move it to the dictionary. */
	tmp = r->cur;
	r->cur = dt->mem;
	dt->mem = tmp;
	if (dec_init(&d, r, &dt->mem, &rb, &len, e) != 0 ||
	    load_array(&d, &dt->pool[0], 1, 1, e) != 0) {
		dict_drop(dt);
		return err_prefix(e, "dictionary %lld", (long long)id);
	}
	dt->loaded = 1;
	return 0;
}

static int
load_batch(struct ipcr *r, const struct fb_table *rb, struct err *e)
{
	struct dec d;
	int64_t len;
	size_t i;

	if (dec_init(&d, r, &r->cur, rb, &len, e) != 0)
		return -1;
	for (i = 0; i < r->nfields; i++) {
		if (load_array(&d, &r->pool[i], 0, 1, e) != 0)
			return -1;
		if (r->pool[i].length < len)
			return bad(e, r->pool[i].field, "shorter than the batch");
	}
	r->batch.length = len;
	r->batch.columns = r->pool;
	r->batch.ncolumns = r->nfields;
	return 0;
}

struct ipcr *
ipcr_open(ipcr_read_fn fn, void *ctx, struct err *e)
{
	struct ipcr *r;
	struct fb_table msg, hdr;
	uint8_t ht;
	size_t i, next;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		err_set(e, ERR_NOMEM, "Arrow reader");
		return NULL;
	}
	r->fn = fn;
	r->ctx = ctx;
	if ((r->dctx = ZSTD_createDCtx()) == NULL) {
		err_set(e, ERR_NOMEM, "Arrow reader");
		goto fail;
	}
	if ((rc = read_message(r, &r->cur, &msg, &ht, &hdr, e)) < 0)
		goto fail;
	if (rc == 0 || ht != HDR_SCHEMA) {
		err_set(e, ERR_FORMAT, "Arrow stream does not start with a "
		    "Schema message");
		goto fail;
	}
	if (ipcr_schema_parse(&hdr, &r->fields, &r->nfields, &r->total,
	    e) != 0)
		goto fail;
	if ((r->pool = calloc(r->total ? r->total : 1, sizeof(*r->pool))) ==
	    NULL) {
		err_set(e, ERR_NOMEM, "Arrow reader");
		goto fail;
	}
	next = r->nfields;
	for (i = 0; i < r->nfields; i++)
		assign(r->pool, &next, &r->pool[i], &r->fields[i]);
	return r;
fail:
	ipcr_free(r);
	return NULL;
}

void
ipcr_free(struct ipcr *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ndicts; i++)
		dict_drop(&r->dicts[i]);
	free(r->dicts);
	mem_free(&r->cur);
	free(r->pool);
	ipcr_fields_free(r->fields, r->nfields);
	free(r->meta);
	ZSTD_freeDCtx(r->dctx);
	free(r);
}

const struct ipcr_field *
ipcr_fields(const struct ipcr *r, size_t *n)
{
	*n = r->nfields;
	return r->fields;
}

uint64_t
ipcr_bytes_in(const struct ipcr *r)
{
	return r->bytes_in;
}

int
ipcr_next(struct ipcr *r, const struct ipcr_batch **out, struct err *e)
{
	struct fb_table msg, hdr;
	uint8_t ht;
	int rc;

	*out = NULL;
	if (r->done)
		return 0;
	for (;;) {
		if ((rc = read_message(r, &r->cur, &msg, &ht, &hdr, e)) < 0)
			return -1;
		if (rc == 0) {
			r->done = 1;
			return 0;
		}
		switch (ht) {
		case HDR_DICT:
			if (load_dictionary(r, &hdr, e) != 0)
				return -1;
			break;
		case HDR_BATCH:
			if (load_batch(r, &hdr, e) != 0)
				return -1;
			*out = &r->batch;
			return 1;
		default:
			return err_set(e, ERR_FORMAT, "unexpected Arrow message "
			    "type %u after the schema", (unsigned)ht);
		}
	}
}
