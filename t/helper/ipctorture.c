/*
 * ipctorture: hostile-input driver for lib/ipcread + lib/arrow2bson,
 * run in one process so thousands of cases stay fast (and sanitized).
 *
 *	ipctorture truncate FILE	every proper prefix must fail, the
 *					whole file must read
 *	ipctorture flip FILE N SEED	N mutated copies (1-4 random bytes,
 *					half of them in message metadata):
 *					any result but a crash
 *	ipctorture badbuf FILE		in the first RecordBatch, each
 *					Buffer's offset past the body, its
 *					length negative or past the body,
 *					and a negative FieldNode length:
 *					each must fail with a message
 *	ipctorture lie FILE OUT		write to OUT the stream up to the
 *					first RecordBatch's metadata, with
 *					its bodyLength set to 1 GiB
 * Prints a summary line; exit 0 when every case behaved, else 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow2bson.h"
#include "fb.h"
#include "ipcread.h"

struct mem {
	const uint8_t	*p;
	size_t		n;
};

static ssize_t
rd(void *ctx, void *buf, size_t n, struct err *e)
{
	struct mem *m = ctx;

	(void)e;
	if (n > m->n)
		n = m->n;
	memcpy(buf, m->p, n);
	m->p += n;
	m->n -= n;
	return (ssize_t)n;
}

/* 0 read to the end, -1 failed (message in e). */
static int
run(const uint8_t *p, size_t n, struct err *e)
{
	struct mem m = { p, n };
	const struct ipcr_batch *b;
	const struct ipcr_field *f;
	struct ipcr *r;
	size_t nf;
	int64_t i;
	int id, rc;
	bson_t d;

	if ((r = ipcr_open(rd, &m, e)) == NULL)
		return -1;
	f = ipcr_fields(r, &nf);
	if (a2b_check_schema(f, nf, &id, e) != 0) {
		ipcr_free(r);
		return -1;
	}
	while ((rc = ipcr_next(r, &b, e)) == 1)
		for (i = 0; i < b->length; i++) {
			bson_init(&d);
			(void)a2b_row(b, i, id, 0, 1, &d, e);
			bson_destroy(&d);
		}
	ipcr_free(r);
	return rc;
}

static uint8_t *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long l;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (l = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)l + 1)) == NULL ||
	    fread(p, 1, (size_t)l, f) != (size_t)l) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*n = (size_t)l;
	return p;
}

/* Message walk: metadata [start, start+len) and body of each message. */
struct msg {
	size_t	meta;
	size_t	meta_len;
	size_t	body;
	size_t	body_len;
};

static size_t
walk(const uint8_t *p, size_t n, struct msg *out, size_t max)
{
	struct fb_table t;
	struct err e;
	size_t pos = 0, k = 0;
	uint32_t len;
	int64_t bl;

	while (k < max && pos + 8 <= n) {
		len = fb_load_u32(p + pos);
		pos += 4;
		if (len == 0xFFFFFFFFu) {
			len = fb_load_u32(p + pos);
			pos += 4;
		}
		if (len == 0 || len > n - pos)
			break;
		if (fb_root(p + pos, len, &t, &e) != 0 ||
		    fb_i64(&t, 3, 0, &bl, &e) != 0 || bl < 0 ||
		    (uint64_t)bl > n - pos - len)
			break;
		out[k].meta = pos;
		out[k].meta_len = len;
		out[k].body = pos + len;
		out[k].body_len = (size_t)bl;
		k++;
		pos += len + (size_t)bl;
	}
	return k;
}

static int
truncate_all(const uint8_t *p, size_t n)
{
	struct err e;
	size_t i, bad = 0, trunc = 0;

	if (run(p, n, &e) != 0) {
		fprintf(stderr, "whole file fails: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (run(p, i, &e) == 0) {
			fprintf(stderr, "prefix %zu of %zu read as complete\n",
			    i, n);
			bad++;
		} else if (strstr(e.msg, "truncated") != NULL)
			trunc++;
	}
	printf("truncate: %zu prefixes, %zu said truncated, %zu accepted\n",
	    n, trunc, bad);
	return bad != 0;
}

static int
flip(const uint8_t *p, size_t n, long iters, unsigned seed)
{
	struct msg ms[256];
	struct err e;
	size_t nm = walk(p, n, ms, 256), pos;
	uint8_t *q = malloc(n ? n : 1);
	long it, fails = 0;
	int k, nflip;

	srand(seed);
	for (it = 0; it < iters && n > 0; it++) {
		memcpy(q, p, n);
		nflip = 1 + rand() % 4;
		for (k = 0; k < nflip; k++) {
			if ((it & 1) && nm > 0) {
				struct msg *m = &ms[rand() % (int)nm];

				pos = m->meta + (size_t)rand() % m->meta_len;
			} else
				pos = (size_t)rand() % n;
			q[pos] = (uint8_t)rand();
		}
		if (run(q, n, &e) != 0)
			fails++;
	}
	free(q);
	printf("flip: %ld cases, %ld rejected\n", iters, fails);
	return 0;
}

/* Locate the first RecordBatch's nodes and buffers vectors. */
static int
find_batch(const uint8_t *p, size_t n, struct msg *bm, struct fb_vec *nodes,
    struct fb_vec *bufs)
{
	struct msg ms[256];
	struct fb_table t, h;
	struct err e;
	size_t nm = walk(p, n, ms, 256), i;
	uint8_t ht;

	for (i = 0; i < nm; i++) {
		if (fb_root(p + ms[i].meta, ms[i].meta_len, &t, &e) != 0 ||
		    fb_u8(&t, 1, 0, &ht, &e) != 0 || ht != 3 ||
		    fb_table(&t, 2, &h, &e) != 1)
			continue;
		if (fb_vector(&h, 1, 16, nodes, &e) != 1 ||
		    fb_vector(&h, 2, 16, bufs, &e) != 1)
			return -1;
		*bm = ms[i];
		return 0;
	}
	return -1;
}

static void
put64(uint8_t *q, int64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		q[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

static int
expect_fail(uint8_t *q, size_t n, const char *what, const char *want)
{
	struct err e;

	if (run(q, n, &e) == 0 || strstr(e.msg, want) == NULL) {
		fprintf(stderr, "%s: got \"%s\"\n", what, e.msg);
		return 1;
	}
	return 0;
}

static int
badbuf(const uint8_t *p, size_t n)
{
	struct msg bm;
	struct fb_vec nodes, bufs;
	uint8_t *q = malloc(n);
	size_t off, cases = 0;
	uint32_t i;
	int bad = 0;

	if (find_batch(p, n, &bm, &nodes, &bufs) != 0) {
		fprintf(stderr, "no record batch\n");
		return 1;
	}
	for (i = 0; i < bufs.n; i++) {
		off = (size_t)(fb_vec_at(&bufs, i) - p) ;
		memcpy(q, p, n);
		put64(q + off, (int64_t)bm.body_len + 8);
		put64(q + off + 8, 1);
		bad |= expect_fail(q, n, "offset past body",
		    "buffer outside the message body");
		memcpy(q, p, n);
		put64(q + off + 8, -1);
		bad |= expect_fail(q, n, "negative length",
		    "buffer outside the message body");
		memcpy(q, p, n);
		put64(q + off + 8, (int64_t)bm.body_len + 1);
		bad |= expect_fail(q, n, "length past body",
		    "buffer outside the message body");
		cases += 3;
	}
	for (i = 0; i < nodes.n; i++) {
		off = (size_t)(fb_vec_at(&nodes, i) - p);
		memcpy(q, p, n);
		put64(q + off, -5);
		bad |= expect_fail(q, n, "negative node length",
		    "field node length or null count out of range");
		memcpy(q, p, n);
		put64(q + off + 8, -1);
		bad |= expect_fail(q, n, "negative null count",
		    "field node length or null count out of range");
		cases += 2;
	}
	free(q);
	printf("badbuf: %zu cases\n", cases);
	return bad;
}

static int
lie(const uint8_t *p, size_t n, const char *out)
{
	struct msg bm;
	struct fb_vec nodes, bufs;
	struct fb_table t;
	struct err e;
	uint8_t *q = malloc(n);
	uint16_t o;
	FILE *f;

	if (find_batch(p, n, &bm, &nodes, &bufs) != 0 ||
	    fb_root(p + bm.meta, bm.meta_len, &t, &e) != 0 || t.vtsize < 12)
		return 1;
	memcpy(q, p, n);
	o = (uint16_t)(p[bm.meta + t.vt + 10] | p[bm.meta + t.vt + 11] << 8);
	if (o == 0)
		return 1;
	put64(q + bm.meta + t.pos + o, (int64_t)1 << 30);
	if ((f = fopen(out, "wb")) == NULL ||
	    fwrite(q, 1, bm.body + 100, f) != bm.body + 100 || fclose(f) != 0)
		return 1;
	free(q);
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t *p;
	size_t n;
	int rc = 2;

	if (argc < 3)
		return 2;
	p = slurp(argv[2], &n);
	if (strcmp(argv[1], "truncate") == 0)
		rc = truncate_all(p, n);
	else if (strcmp(argv[1], "flip") == 0 && argc == 5)
		rc = flip(p, n, strtol(argv[3], NULL, 10),
		    (unsigned)strtoul(argv[4], NULL, 10));
	else if (strcmp(argv[1], "lie") == 0 && argc == 4)
		rc = lie(p, n, argv[3]);
	else if (strcmp(argv[1], "badbuf") == 0)
		rc = badbuf(p, n);
	free(p);
	return rc;
}
