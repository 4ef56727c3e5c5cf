/*
 * arrow.c: Arrow IPC stream messages (Schema, RecordBatch, EOS).
 *
 * Table field ids follow Schema.fbs / Message.fbs declaration order.
 */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "arrow.h"

/* Message */
#define MSG_VERSION	0
#define MSG_HEADER_TYPE	1
#define MSG_HEADER	2
#define MSG_BODY_LENGTH	3
#define METADATA_V5	4
#define HEADER_SCHEMA	1
#define HEADER_BATCH	3
/* Schema */
#define SCHEMA_ENDIANNESS 0
#define SCHEMA_FIELDS	1
/* Field */
#define FIELD_NAME	0
#define FIELD_NULLABLE	1
#define FIELD_TYPE_TYPE	2
#define FIELD_TYPE	3
#define FIELD_CHILDREN	5
#define FIELD_METADATA	6
/* RecordBatch */
#define RB_LENGTH	0
#define RB_NODES	1
#define RB_BUFFERS	2
#define RB_COMPRESSION	3

static const uint8_t zeros[8];

int
arrow_writer_init(struct arrow_writer *w, arrow_sink_fn sink, void *ctx,
    enum arrow_compression c, int level, struct err *e)
{
	memset(w, 0, sizeof(*w));
	w->sink = sink;
	w->ctx = ctx;
	w->compression = c;
	w->zstd_level = level;
	fb_init(&w->fb);
	if (c == ARROW_ZSTD && (w->zctx = ZSTD_createCCtx()) == NULL)
		return err_set(e, ERR_NOMEM, "zstd: cannot create context");
	return 0;
}

void
arrow_writer_free(struct arrow_writer *w)
{
	fb_free(&w->fb);
	ZSTD_freeCCtx(w->zctx);
	free(w->body);
	memset(w, 0, sizeof(*w));
}

static int
out(struct arrow_writer *w, const void *p, size_t n, struct err *e)
{
	if (n == 0)
		return 0;
	if (w->sink(w->ctx, p, n, e) != 0)
		return -1;
	w->bytes_out += n;
	return 0;
}

static fb_ref
kv_vector(struct fb_builder *b, const struct arrow_kv *kv, size_t n)
{
	fb_ref refs[ARROW_MAX_META], k, v;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n && i < ARROW_MAX_META; i++) {
		k = fb_string(b, kv[i].key, strlen(kv[i].key));
		v = fb_string(b, kv[i].value, strlen(kv[i].value));
		fb_start(b);
		fb_add_ref(b, 0, k);
		fb_add_ref(b, 1, v);
		refs[i] = fb_end(b);
	}
	return fb_vec_refs(b, refs, i);
}

/* The type table for the Field.type union. */
static fb_ref
type_table(struct fb_builder *b, const struct arrow_field *f)
{
	fb_ref tz = 0;

	if (f->type == ARROW_TIMESTAMP && f->timezone != NULL)
		tz = fb_string(b, f->timezone, strlen(f->timezone));
	fb_start(b);
	switch (f->type) {
	case ARROW_INT:
		fb_add_i32(b, 0, f->bit_width);
		fb_add_u8(b, 1, f->is_signed ? 1 : 0);
		break;
	case ARROW_FLOAT:
		fb_add_i16(b, 0, (int16_t)f->precision);
		break;
	case ARROW_DECIMAL:
		fb_add_i32(b, 0, f->precision);
		fb_add_i32(b, 1, f->scale);
		fb_add_i32(b, 2, 128);
		break;
	case ARROW_TIMESTAMP:
		fb_add_i16(b, 0, (int16_t)f->unit);
		fb_add_ref(b, 1, tz);
		break;
	case ARROW_FIXED_BINARY:
		fb_add_i32(b, 0, f->byte_width);
		break;
	default:
		break;
	}
	return fb_end(b);
}

static fb_ref
field_table(struct fb_builder *b, const struct arrow_field *f, int depth,
    struct err *e)
{
	fb_ref *kids = NULL, name, type, children, meta;
	size_t i;

	if (depth > ARROW_MAX_DEPTH) {
		err_set(e, ERR_LIMIT, "arrow schema nested deeper than %d",
		    ARROW_MAX_DEPTH);
		return 0;
	}
	if (f->nchildren) {
		if ((kids = calloc(f->nchildren, sizeof(*kids))) == NULL) {
			err_set(e, ERR_NOMEM, "arrow schema: out of memory");
			return 0;
		}
		for (i = 0; i < f->nchildren; i++)
			if ((kids[i] = field_table(b, f->children[i],
			    depth + 1, e)) == 0 && !b->failed) {
				free(kids);
				return 0;
			}
	}
	children = fb_vec_refs(b, kids, f->nchildren);
	free(kids);
	name = fb_string(b, f->name, strlen(f->name));
	type = type_table(b, f);
	meta = kv_vector(b, f->meta, f->nmeta);
	fb_start(b);
	fb_add_ref(b, FIELD_NAME, name);
	fb_add_u8(b, FIELD_NULLABLE, f->nullable ? 1 : 0);
	fb_add_u8(b, FIELD_TYPE_TYPE, (uint8_t)f->type);
	fb_add_ref(b, FIELD_TYPE, type);
	fb_add_ref(b, FIELD_CHILDREN, children);
	fb_add_ref(b, FIELD_METADATA, meta);
	return fb_end(b);
}

static size_t
pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/*
 * Frame and write a finished flatbuffer message, then the body: `body`
 * when given, else the buffers themselves, each padded to 8 bytes.
 */
static int
write_message(struct arrow_writer *w, fb_ref header, int type,
    int64_t body_len, const uint8_t *body, const struct arrow_buf *bufs,
    size_t nbufs, struct err *e)
{
	size_t i;

	const uint8_t *meta;
	size_t mlen, pad;
	uint8_t pre[8];
	fb_ref msg;

	fb_start(&w->fb);
	fb_add_i16(&w->fb, MSG_VERSION, METADATA_V5);
	fb_add_u8(&w->fb, MSG_HEADER_TYPE, (uint8_t)type);
	fb_add_ref(&w->fb, MSG_HEADER, header);
	fb_add_i64(&w->fb, MSG_BODY_LENGTH, body_len);
	msg = fb_end(&w->fb);
	if (fb_finish(&w->fb, msg, &meta, &mlen, e) != 0)
		return -1;
	/* fb_finish pads to 8 and the prefix is 8: the body is aligned. */
	pad = (8 - mlen % 8) % 8;
	memset(pre, 0xff, 4);
	pre[4] = (uint8_t)(mlen + pad);
	pre[5] = (uint8_t)((mlen + pad) >> 8);
	pre[6] = (uint8_t)((mlen + pad) >> 16);
	pre[7] = (uint8_t)((mlen + pad) >> 24);
	if (out(w, pre, 8, e) != 0 || out(w, meta, mlen, e) != 0 ||
	    out(w, zeros, pad, e) != 0)
		return -1;
	if (body != NULL)
		return body_len ? out(w, body, (size_t)body_len, e) : 0;
	for (i = 0; i < nbufs; i++)
		if (out(w, bufs[i].data, bufs[i].len, e) != 0 ||
		    out(w, zeros, pad8(bufs[i].len) - bufs[i].len, e) != 0)
			return -1;
	return 0;
}

int
arrow_write_schema(struct arrow_writer *w,
    const struct arrow_field *const *fields, size_t n, struct err *e)
{
	struct fb_builder *b = &w->fb;
	fb_ref *refs, vec, schema;
	size_t i;

	fb_reset(b);
	if ((refs = calloc(n ? n : 1, sizeof(*refs))) == NULL)
		return err_set(e, ERR_NOMEM, "arrow schema: out of memory");
	e->kind = ERR_NONE;
	for (i = 0; i < n; i++) {
		refs[i] = field_table(b, fields[i], 1, e);
		if (refs[i] == 0 && e->kind != ERR_NONE) {
			free(refs);
			return -1;
		}
	}
	vec = fb_vec_refs(b, refs, n);
	free(refs);
	fb_start(b);
	fb_add_i16(b, SCHEMA_ENDIANNESS, 0);
	fb_add_ref(b, SCHEMA_FIELDS, vec);
	schema = fb_end(b);
	return write_message(w, schema, HEADER_SCHEMA, 0, zeros, NULL, 0, e);
}

static void
put_i64(uint8_t *p, int64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

/* Lay the body out in w->body; fill buffer descriptors (offset, len). */
static int
build_body(struct arrow_writer *w, const struct arrow_buf *bufs, size_t n,
    int64_t *desc, size_t *body_len, struct err *e)
{
	size_t i, need = 0, pos = 0, bound, got;
	uint8_t *p;

	if (w->compression == ARROW_NONE) {
		/* Written straight from the caller's buffers: no copy. */
		for (i = 0; i < n; i++) {
			if (bufs[i].len > SIZE_MAX / 2 - pos)
				return err_set(e, ERR_LIMIT,
				    "arrow batch too large");
			desc[2 * i] = (int64_t)pos;
			desc[2 * i + 1] = (int64_t)bufs[i].len;
			w->raw_body += bufs[i].len;
			pos += pad8(bufs[i].len);
		}
		*body_len = pos;
		return 0;
	}
	for (i = 0; i < n; i++) {
		bound = bufs[i].len;
		if (bufs[i].len)
			bound = 8 + ZSTD_compressBound(bufs[i].len);
		if (bound > SIZE_MAX / 2 - need - 8)
			return err_set(e, ERR_LIMIT, "arrow batch too large");
		need += pad8(bound);
	}
	if (need > w->body_cap) {
		free(w->body);
		w->body_cap = 0;
		if ((w->body = malloc(need ? need : 8)) == NULL)
			return err_set(e, ERR_NOMEM,
			    "arrow batch: out of memory (%zu bytes)", need);
		w->body_cap = need;
	}
	for (i = 0; i < n; i++) {
		p = w->body + pos;
		got = bufs[i].len;
		w->raw_body += got;
		if (got) {
			got = ZSTD_compressCCtx(w->zctx, p + 8,
			    ZSTD_compressBound(bufs[i].len), bufs[i].data,
			    bufs[i].len, w->zstd_level);
			if (ZSTD_isError(got))
				return err_set(e, ERR_FORMAT, "zstd: %s",
				    ZSTD_getErrorName(got));
			if (got < bufs[i].len) {
				put_i64(p, (int64_t)bufs[i].len);
			} else {
				put_i64(p, -1);
				got = bufs[i].len;
				memcpy(p + 8, bufs[i].data, got);
			}
			got += 8;
		}
		memset(p + got, 0, pad8(got) - got);
		desc[2 * i] = (int64_t)pos;
		desc[2 * i + 1] = (int64_t)got;
		pos += pad8(got);
	}
	*body_len = pos;
	return 0;
}

int
arrow_write_batch(struct arrow_writer *w, int64_t length,
    const struct arrow_node *nodes, size_t nnodes,
    const struct arrow_buf *bufs, size_t nbufs, struct err *e)
{
	struct fb_builder *b = &w->fb;
	int64_t *desc = NULL, *nd = NULL;
	fb_ref vnodes, vbufs, comp = 0, rb;
	size_t i, body_len = 0;
	int rc = -1;

	if (nbufs > FB_MAX / 16 || nnodes > FB_MAX / 16)
		return err_set(e, ERR_LIMIT, "arrow batch: too many columns");
	if ((desc = calloc(2 * nbufs + 2, sizeof(*desc))) == NULL ||
	    (nd = calloc(2 * nnodes + 2, sizeof(*nd))) == NULL) {
		err_set(e, ERR_NOMEM, "arrow batch: out of memory");
		goto done;
	}
	if (build_body(w, bufs, nbufs, desc, &body_len, e) != 0)
		goto done;
	for (i = 0; i < nnodes; i++) {
		nd[2 * i] = nodes[i].length;
		nd[2 * i + 1] = nodes[i].null_count;
	}
	/* Structs of two longs, LE: byte-swap on big-endian hosts. */
	for (i = 0; i < 2 * nbufs; i++)
		put_i64((uint8_t *)&desc[i], desc[i]);
	for (i = 0; i < 2 * nnodes; i++)
		put_i64((uint8_t *)&nd[i], nd[i]);
	fb_reset(b);
	vbufs = fb_vec_raw(b, desc, nbufs, 16, 8);
	vnodes = fb_vec_raw(b, nd, nnodes, 16, 8);
	if (w->compression == ARROW_ZSTD) {
		fb_start(b);
		fb_add_u8(b, 0, 1);	/* codec ZSTD */
		fb_add_u8(b, 1, 0);	/* method BUFFER */
		comp = fb_end(b);
	}
	fb_start(b);
	fb_add_i64(b, RB_LENGTH, length);
	fb_add_ref(b, RB_NODES, vnodes);
	fb_add_ref(b, RB_BUFFERS, vbufs);
	fb_add_ref(b, RB_COMPRESSION, comp);
	rb = fb_end(b);
	rc = write_message(w, rb, HEADER_BATCH, (int64_t)body_len,
	    w->compression == ARROW_ZSTD ? w->body : NULL, bufs, nbufs, e);
done:
	free(desc);
	free(nd);
	return rc;
}

int
arrow_write_eos(struct arrow_writer *w, struct err *e)
{
	static const uint8_t eos[8] = { 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 };

	return out(w, eos, sizeof(eos), e);
}
