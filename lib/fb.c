/*
 * fb.c: FlatBuffers builder (back to front) and verifying reader.
 */
#include <stdlib.h>
#include <string.h>

#include "fb.h"

static void
put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int64_t
fb_load_i64(const uint8_t *p)
{
	return (int64_t)get_le(p, 8);
}

uint32_t
fb_load_u32(const uint8_t *p)
{
	return (uint32_t)get_le(p, 4);
}

void
fb_init(struct fb_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->max_align = 1;
}

void
fb_reset(struct fb_builder *b)
{
	b->size = 0;
	b->max_align = 1;
	b->failed = 0;
	b->in_table = 0;
	b->nstage = 0;
}

void
fb_free(struct fb_builder *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

/* Make room for n more bytes at the front. */
static int
grow(struct fb_builder *b, size_t n)
{
	size_t ncap;
	uint8_t *nb;

	if (b->failed)
		return -1;
	if (n > FB_MAX || b->size + n > FB_MAX) {
		b->failed = ERR_LIMIT;
		return -1;
	}
	if (b->size + n <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < b->size + n)
		ncap *= 2;
	if ((nb = malloc(ncap)) == NULL) {
		b->failed = ERR_NOMEM;
		return -1;
	}
	if (b->size)
		memcpy(nb + ncap - b->size, b->buf + b->cap - b->size, b->size);
	free(b->buf);
	b->buf = nb;
	b->cap = ncap;
	return 0;
}

/* Pad so that after prepending `extra` bytes the front is aligned. */
static int
align_for(struct fb_builder *b, size_t extra, size_t align)
{
	size_t pad;

	if (align > b->max_align)
		b->max_align = align;
	pad = (align - ((b->size + extra) % align)) % align;
	if (grow(b, pad + extra) != 0)
		return -1;
	memset(b->buf + b->cap - b->size - pad, 0, pad);
	b->size += pad;
	return 0;
}

static uint8_t *
front(struct fb_builder *b, size_t n)
{
	b->size += n;
	return b->buf + b->cap - b->size;
}

fb_ref
fb_string(struct fb_builder *b, const char *s, size_t len)
{
	uint8_t *p;

	if (len > FB_MAX) {
		b->failed = ERR_LIMIT;
		return 0;
	}
	if (align_for(b, len + 1 + 4, 4) != 0)
		return 0;
	p = front(b, len + 1);
	memcpy(p, s, len);
	p[len] = 0;
	put_le(front(b, 4), len, 4);
	return (fb_ref)b->size;
}

fb_ref
fb_vec_raw(struct fb_builder *b, const void *elems, size_t n,
    size_t elem_size, size_t align)
{
	size_t bytes;

	if (align < 4)
		align = 4;
	if (elem_size && n > FB_MAX / elem_size) {
		b->failed = ERR_LIMIT;
		return 0;
	}
	bytes = n * elem_size;
	/* Elements aligned to align; the u32 count sits just before them. */
	if (align_for(b, bytes, align) != 0 || grow(b, bytes + 4) != 0)
		return 0;
	if (bytes)
		memcpy(front(b, bytes), elems, bytes);
	put_le(front(b, 4), n, 4);
	return (fb_ref)b->size;
}

fb_ref
fb_vec_refs(struct fb_builder *b, const fb_ref *refs, size_t n)
{
	size_t i, pos;
	uint8_t *p;

	if (n > FB_MAX / 4) {
		b->failed = ERR_LIMIT;
		return 0;
	}
	if (align_for(b, 4 * n + 4, 4) != 0)
		return 0;
	p = front(b, 4 * n);
	/* Element i ends up at distance (size - 4 i) from the end. */
	for (i = 0; i < n; i++) {
		pos = b->size - 4 * i;
		put_le(p + 4 * i, pos - refs[i], 4);
	}
	put_le(front(b, 4), n, 4);
	return (fb_ref)b->size;
}

void
fb_start(struct fb_builder *b)
{
	b->in_table = 1;
	b->nstage = 0;
}

static struct fb_field_stage *
stage(struct fb_builder *b, unsigned id, size_t size, size_t align)
{
	struct fb_field_stage *f;

	if (b->failed)
		return NULL;
	if (!b->in_table || b->nstage >= FB_MAX_FIELDS || id > 255 ||
	    size > sizeof(f->bytes)) {
		b->failed = ERR_LIMIT;
		return NULL;
	}
	f = &b->stage[b->nstage++];
	f->id = (uint16_t)id;
	f->size = (uint8_t)size;
	f->align = (uint8_t)align;
	f->is_ref = 0;
	return f;
}

static void
add_scalar(struct fb_builder *b, unsigned id, uint64_t v, size_t n)
{
	struct fb_field_stage *f;

	if ((f = stage(b, id, n, n)) != NULL)
		put_le(f->bytes, v, n);
}

void
fb_add_u8(struct fb_builder *b, unsigned id, uint8_t v)
{
	add_scalar(b, id, v, 1);
}

void
fb_add_i16(struct fb_builder *b, unsigned id, int16_t v)
{
	add_scalar(b, id, (uint16_t)v, 2);
}

void
fb_add_i32(struct fb_builder *b, unsigned id, int32_t v)
{
	add_scalar(b, id, (uint32_t)v, 4);
}

void
fb_add_i64(struct fb_builder *b, unsigned id, int64_t v)
{
	add_scalar(b, id, (uint64_t)v, 8);
}

void
fb_add_ref(struct fb_builder *b, unsigned id, fb_ref r)
{
	struct fb_field_stage *f;

	if (r == 0)
		return;
	if ((f = stage(b, id, 4, 4)) != NULL) {
		f->is_ref = 1;
		put_le(f->bytes, r, 4);
	}
}

void
fb_add_struct(struct fb_builder *b, unsigned id, const void *p, size_t size,
    size_t align)
{
	struct fb_field_stage *f;

	if ((f = stage(b, id, size, align)) != NULL)
		memcpy(f->bytes, p, size);
}

fb_ref
fb_end(struct fb_builder *b)
{
	uint16_t off[FB_MAX_FIELDS];
	size_t i, j, k, tsize, talign = 4, nslots = 0, tpos, vtsize;
	uint8_t tab[4 + FB_MAX_FIELDS * 32];
	uint8_t *p;

	b->in_table = 0;
	if (b->failed)
		return 0;
	/* Inline layout: soffset at 0, then fields by falling alignment. */
	memset(tab, 0, sizeof(tab));
	tsize = 4;
	for (k = 8; k >= 1; k /= 2) {
		for (i = 0; i < b->nstage; i++) {
			if (b->stage[i].align != k)
				continue;
			tsize = (tsize + k - 1) / k * k;
			off[i] = (uint16_t)tsize;
			memcpy(tab + tsize, b->stage[i].bytes, b->stage[i].size);
			tsize += b->stage[i].size;
			if (k > talign)
				talign = k;
		}
	}
	tsize = (tsize + talign - 1) / talign * talign;
	for (i = 0; i < b->nstage; i++)
		if (b->stage[i].id + 1u > nslots)
			nslots = b->stage[i].id + 1u;
	vtsize = 4 + 2 * nslots;
	if (align_for(b, tsize, talign) != 0 || grow(b, vtsize + 2) != 0)
		return 0;
	tpos = b->size + tsize;		/* the table's distance from the end */
	for (i = 0; i < b->nstage; i++) {
		if (!b->stage[i].is_ref)
			continue;
		/* uoffset from the field to its target, both from the end. */
		put_le(tab + off[i], tpos - off[i] -
		    (size_t)get_le(b->stage[i].bytes, 4), 4);
	}
	memcpy(front(b, tsize), tab, tsize);
	/* The vtable goes right before the table (2-byte aligned). */
	if (align_for(b, vtsize, 2) != 0)
		return 0;
	p = front(b, vtsize);
	memset(p, 0, vtsize);
	put_le(p, vtsize, 2);
	put_le(p + 2, tsize, 2);
	for (i = 0; i < b->nstage; i++) {
		j = b->stage[i].id;
		put_le(p + 4 + 2 * j, off[i], 2);
	}
	/* soffset: table minus vtable, positive as the vtable is before. */
	put_le(b->buf + b->cap - tpos, b->size - tpos, 4);
	return (fb_ref)tpos;
}

int
fb_finish(struct fb_builder *b, fb_ref root, const uint8_t **out,
    size_t *len, struct err *e)
{
	size_t a = b->max_align < 8 ? 8 : b->max_align;
	uint8_t *p;

	if (!b->failed && (root == 0 || root > b->size))
		b->failed = ERR_USAGE;
	if (!b->failed && align_for(b, 4, a) == 0) {
		p = front(b, 4);
		put_le(p, b->size - root, 4);
	}
	if (b->failed)
		return err_set(e, (enum err_kind)b->failed,
		    "flatbuffer builder: %s", b->failed == ERR_NOMEM ?
		    "out of memory" : "message over the size limit");
	*out = b->buf + b->cap - b->size;
	*len = b->size;
	return 0;
}

/* ---- reader ---- */

static int
bad(struct err *e, const char *what, size_t pos)
{
	return err_set(e, ERR_FORMAT, "flatbuffer: %s at offset %zu", what,
	    pos);
}

static int
table_at(const uint8_t *buf, size_t len, size_t pos, struct fb_table *t,
    struct err *e)
{
	int64_t so, vt;

	if (len > FB_MAX)
		return bad(e, "buffer over the size limit", 0);
	if (pos > len || len - pos < 4)
		return bad(e, "table out of bounds", pos);
	so = (int32_t)get_le(buf + pos, 4);
	vt = (int64_t)pos - so;
	if (vt < 0 || (uint64_t)vt > len || len - (size_t)vt < 4)
		return bad(e, "vtable out of bounds", pos);
	t->buf = buf;
	t->len = len;
	t->pos = pos;
	t->vt = (size_t)vt;
	t->vtsize = (uint16_t)get_le(buf + vt, 2);
	t->tsize = (uint16_t)get_le(buf + vt + 2, 2);
	if (t->vtsize < 4 || (t->vtsize & 1) || len - t->vt < t->vtsize)
		return bad(e, "bad vtable size", t->vt);
	if (t->tsize < 4 || len - pos < t->tsize)
		return bad(e, "bad table size", pos);
	return 0;
}

int
fb_root(const uint8_t *buf, size_t len, struct fb_table *t, struct err *e)
{
	if (len < 4)
		return bad(e, "buffer too short", 0);
	return table_at(buf, len, fb_load_u32(buf), t, e);
}

/* Offset of field id within the table, 0 when absent; checks size. */
static int
field(const struct fb_table *t, unsigned id, size_t size, size_t *off,
    struct err *e)
{
	size_t slot = 4 + 2 * (size_t)id;
	size_t o;

	*off = 0;
	if (slot + 2 > t->vtsize)
		return 0;
	o = (size_t)get_le(t->buf + t->vt + slot, 2);
	if (o == 0)
		return 0;
	if (o < 4 || o > t->tsize || t->tsize - o < size)
		return bad(e, "field out of table bounds", t->pos);
	*off = o;
	return 1;
}

static int
scalar(const struct fb_table *t, unsigned id, size_t n, uint64_t def,
    uint64_t *v, struct err *e)
{
	size_t off;
	int rc;

	if ((rc = field(t, id, n, &off, e)) < 0)
		return -1;
	*v = rc ? get_le(t->buf + t->pos + off, n) : def;
	return 0;
}

int
fb_u8(const struct fb_table *t, unsigned id, uint8_t def, uint8_t *out,
    struct err *e)
{
	uint64_t v;

	if (scalar(t, id, 1, def, &v, e) != 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int
fb_i16(const struct fb_table *t, unsigned id, int16_t def, int16_t *out,
    struct err *e)
{
	uint64_t v;

	if (scalar(t, id, 2, (uint16_t)def, &v, e) != 0)
		return -1;
	*out = (int16_t)(uint16_t)v;
	return 0;
}

int
fb_i32(const struct fb_table *t, unsigned id, int32_t def, int32_t *out,
    struct err *e)
{
	uint64_t v;

	if (scalar(t, id, 4, (uint32_t)def, &v, e) != 0)
		return -1;
	*out = (int32_t)(uint32_t)v;
	return 0;
}

int
fb_i64(const struct fb_table *t, unsigned id, int64_t def, int64_t *out,
    struct err *e)
{
	uint64_t v;

	if (scalar(t, id, 8, (uint64_t)def, &v, e) != 0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
fb_struct(const struct fb_table *t, unsigned id, void *out, size_t size,
    struct err *e)
{
	size_t off;
	int rc;

	if ((rc = field(t, id, size, &off, e)) <= 0)
		return rc;
	memcpy(out, t->buf + t->pos + off, size);
	return 1;
}

/* Follow the uoffset stored at absolute position p. */
static int
follow(const uint8_t *buf, size_t len, size_t p, size_t *target,
    struct err *e)
{
	uint32_t u;

	if (p > len || len - p < 4)
		return bad(e, "offset out of bounds", p);
	u = fb_load_u32(buf + p);
	if (u == 0 || u > len - p)
		return bad(e, "offset out of bounds", p);
	*target = p + u;
	return 0;
}

int
fb_table(const struct fb_table *t, unsigned id, struct fb_table *sub,
    struct err *e)
{
	size_t off, target;
	int rc;

	if ((rc = field(t, id, 4, &off, e)) <= 0)
		return rc;
	if (follow(t->buf, t->len, t->pos + off, &target, e) != 0 ||
	    table_at(t->buf, t->len, target, sub, e) != 0)
		return -1;
	return 1;
}

static int
string_at(const uint8_t *buf, size_t len, size_t p, const char **s,
    size_t *n, struct err *e)
{
	uint32_t l;

	if (p > len || len - p < 4)
		return bad(e, "string out of bounds", p);
	l = fb_load_u32(buf + p);
	if (l >= len - p - 4 || buf[p + 4 + l] != 0)
		return bad(e, "string out of bounds or unterminated", p);
	*s = (const char *)buf + p + 4;
	*n = l;
	return 0;
}

int
fb_str(const struct fb_table *t, unsigned id, const char **s, size_t *n,
    struct err *e)
{
	size_t off, target;
	int rc;

	if ((rc = field(t, id, 4, &off, e)) <= 0)
		return rc;
	if (follow(t->buf, t->len, t->pos + off, &target, e) != 0 ||
	    string_at(t->buf, t->len, target, s, n, e) != 0)
		return -1;
	return 1;
}

int
fb_vector(const struct fb_table *t, unsigned id, size_t elem_size,
    struct fb_vec *v, struct err *e)
{
	size_t off, target;
	uint32_t n;
	int rc;

	if ((rc = field(t, id, 4, &off, e)) <= 0)
		return rc;
	if (follow(t->buf, t->len, t->pos + off, &target, e) != 0)
		return -1;
	if (t->len - target < 4)
		return bad(e, "vector out of bounds", target);
	n = fb_load_u32(t->buf + target);
	if (elem_size == 0 || n > (t->len - target - 4) / elem_size)
		return bad(e, "vector out of bounds", target);
	v->buf = t->buf;
	v->len = t->len;
	v->pos = target + 4;
	v->n = n;
	v->elem_size = elem_size;
	return 1;
}

int
fb_vec_table(const struct fb_vec *v, uint32_t i, struct fb_table *sub,
    struct err *e)
{
	size_t target;

	if (i >= v->n || v->elem_size != 4)
		return bad(e, "vector index out of range", v->pos);
	if (follow(v->buf, v->len, v->pos + 4 * (size_t)i, &target, e) != 0)
		return -1;
	return table_at(v->buf, v->len, target, sub, e);
}

int
fb_vec_str(const struct fb_vec *v, uint32_t i, const char **s, size_t *n,
    struct err *e)
{
	size_t target;

	if (i >= v->n || v->elem_size != 4)
		return bad(e, "vector index out of range", v->pos);
	if (follow(v->buf, v->len, v->pos + 4 * (size_t)i, &target, e) != 0)
		return -1;
	return string_at(v->buf, v->len, target, s, n, e);
}

const uint8_t *
fb_vec_at(const struct fb_vec *v, uint32_t i)
{
	return v->buf + v->pos + (size_t)i * v->elem_size;
}
