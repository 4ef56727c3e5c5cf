/*
 * fbcheck: test driver for lib/fb. Builds a buffer with every kind of
 * field, reads it back through the verifying reader and checks each
 * value; then reads every truncation and many byte flips of it through
 * every accessor, which must fail cleanly or return in-bounds data
 * (run under ASan). Prints "ok" and exits 0, or names the failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb.h"

#define CHECK(c) do { if (!(c)) { printf("fail: %s (line %d)\n", #c, \
	__LINE__); return 1; } } while (0)

/* Walk everything; returns a checksum so reads are not optimised out. */
static unsigned long
walk(const uint8_t *buf, size_t len)
{
	struct fb_table t, sub, el;
	struct fb_vec v;
	struct err e;
	const char *s;
	size_t n;
	uint8_t u8;
	int16_t i16;
	int32_t i32;
	int64_t i64;
	uint8_t st[16];
	uint32_t i;
	unsigned long sum = 0;

	if (fb_root(buf, len, &t, &e) != 0)
		return 1;
	if (fb_u8(&t, 0, 7, &u8, &e) == 0)
		sum += u8;
	if (fb_i16(&t, 1, 7, &i16, &e) == 0)
		sum += (unsigned long)i16;
	if (fb_i32(&t, 2, 7, &i32, &e) == 0)
		sum += (unsigned long)i32;
	if (fb_i64(&t, 3, 7, &i64, &e) == 0)
		sum += (unsigned long)i64;
	if (fb_str(&t, 4, &s, &n, &e) == 1)
		sum += n + (unsigned char)s[n];
	if (fb_vector(&t, 5, 16, &v, &e) == 1)
		for (i = 0; i < v.n; i++)
			sum += (unsigned long)fb_load_i64(fb_vec_at(&v, i));
	if (fb_vector(&t, 6, 4, &v, &e) == 1)
		for (i = 0; i < v.n; i++)
			if (fb_vec_str(&v, i, &s, &n, &e) == 0)
				sum += n;
	if (fb_table(&t, 7, &sub, &e) == 1 &&
	    fb_vector(&sub, 0, 4, &v, &e) == 1)
		for (i = 0; i < v.n; i++)
			if (fb_vec_table(&v, i, &el, &e) == 0 &&
			    fb_i32(&el, 0, 0, &i32, &e) == 0)
				sum += (unsigned long)i32;
	if (fb_struct(&t, 8, st, sizeof(st), &e) == 1)
		sum += st[0];
	return sum;
}

int
main(void)
{
	struct fb_builder b;
	struct fb_table t, sub, el;
	struct fb_vec v;
	struct err e;
	const uint8_t *out;
	uint8_t *copy, st[16] = { 9 };
	const char *s;
	size_t len, n, i;
	int64_t pairs[4] = { 1, 2, 3, 4 };
	fb_ref strs[3], kids[2], str, vs, vr, vk, inner, root;
	uint8_t u8;
	int16_t i16;
	int32_t i32;
	int64_t i64;
	unsigned long sum = 0;
	int k;

	fb_init(&b);
	str = fb_string(&b, "hello", 5);
	vs = fb_vec_raw(&b, pairs, 2, 16, 8);
	strs[0] = fb_string(&b, "a", 1);
	strs[1] = fb_string(&b, "", 0);
	strs[2] = fb_string(&b, "ccc", 3);
	vr = fb_vec_refs(&b, strs, 3);
	for (k = 0; k < 2; k++) {
		fb_start(&b);
		fb_add_i32(&b, 0, 100 + k);
		kids[k] = fb_end(&b);
	}
	vk = fb_vec_refs(&b, kids, 2);
	fb_start(&b);
	fb_add_ref(&b, 0, vk);
	inner = fb_end(&b);
	fb_start(&b);
	fb_add_u8(&b, 0, 200);
	fb_add_i16(&b, 1, -300);
	fb_add_i32(&b, 2, -70000);
	fb_add_i64(&b, 3, -5000000000LL);
	fb_add_ref(&b, 4, str);
	fb_add_ref(&b, 5, vs);
	fb_add_ref(&b, 6, vr);
	fb_add_ref(&b, 7, inner);
	fb_add_struct(&b, 8, st, sizeof(st), 8);
	root = fb_end(&b);
	CHECK(fb_finish(&b, root, &out, &len, &e) == 0);
	CHECK(len % 8 == 0);

	CHECK(fb_root(out, len, &t, &e) == 0);
	CHECK(fb_u8(&t, 0, 0, &u8, &e) == 0 && u8 == 200);
	CHECK(fb_i16(&t, 1, 0, &i16, &e) == 0 && i16 == -300);
	CHECK(fb_i32(&t, 2, 0, &i32, &e) == 0 && i32 == -70000);
	CHECK(fb_i64(&t, 3, 0, &i64, &e) == 0 && i64 == -5000000000LL);
	CHECK(fb_i32(&t, 20, 42, &i32, &e) == 0 && i32 == 42);
	CHECK(fb_str(&t, 4, &s, &n, &e) == 1 && n == 5 &&
	    memcmp(s, "hello", 6) == 0);
	CHECK(fb_vector(&t, 5, 16, &v, &e) == 1 && v.n == 2 &&
	    fb_load_i64(fb_vec_at(&v, 1)) == 3 &&
	    fb_load_i64(fb_vec_at(&v, 1) + 8) == 4);
	CHECK(fb_vector(&t, 6, 4, &v, &e) == 1 && v.n == 3);
	CHECK(fb_vec_str(&v, 2, &s, &n, &e) == 0 && n == 3 &&
	    memcmp(s, "ccc", 3) == 0);
	CHECK(fb_vec_str(&v, 1, &s, &n, &e) == 0 && n == 0);
	CHECK(fb_vec_str(&v, 3, &s, &n, &e) == -1);
	CHECK(fb_table(&t, 7, &sub, &e) == 1);
	CHECK(fb_vector(&sub, 0, 4, &v, &e) == 1 && v.n == 2);
	CHECK(fb_vec_table(&v, 1, &el, &e) == 0 &&
	    fb_i32(&el, 0, 0, &i32, &e) == 0 && i32 == 101);
	CHECK(fb_struct(&t, 8, st, sizeof(st), &e) == 1 && st[0] == 9);
	CHECK(fb_table(&t, 9, &sub, &e) == 0);

	/* Every truncation, in an exact-size copy so ASan sees overreads. */
	for (i = 0; i < len; i++) {
		if ((copy = malloc(i ? i : 1)) == NULL)
			return 1;
		memcpy(copy, out, i);
		sum += walk(copy, i);
		free(copy);
	}
	/* Byte flips. */
	if ((copy = malloc(len)) == NULL)
		return 1;
	srand(1);
	for (k = 0; k < 20000; k++) {
		memcpy(copy, out, len);
		copy[rand() % len] = (uint8_t)rand();
		copy[rand() % len] = (uint8_t)rand();
		sum += walk(copy, len);
	}
	free(copy);
	fb_free(&b);
	printf("ok %lu\n", sum & 1);
	return 0;
}
