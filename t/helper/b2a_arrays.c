/*
 * b2a_arrays: unit test of lib/bson2arrow's raw-array fast paths. Builds
 * documents {"a": [...]} whose arrays lib/bson2arrow copies without
 * bson_iter: doubles with the usual keys "0", "1", ... across the key
 * width steps (10, 100, 1000 elements), unusual keys (empty, long,
 * letters, a short key after long ones, 6-byte elements), int32
 * elements anywhere, special doubles (bit-exact), then a null element
 * and a string element (the general path). Checks the list offsets,
 * item values and validity in the column buffers against the values it
 * put in, and that corrupt elements are errors.
 *
 *	b2a_arrays		exit 0 when every check passed
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2a_col.h"

#define MAXV	1100

struct want {
	double	v[MAXV];
	int	isnull[MAXV];
	size_t	n;
};

static struct want wants[64];
static size_t nwant;
static bson_t *docs[64];
static int failed;

static void
fail(const char *what, size_t doc, size_t i)
{
	fprintf(stderr, "b2a_arrays: document %zu, element %zu: %s\n", doc, i,
	    what);
	failed = 1;
}

/*
 * One document. kinds[i]: 'd' double, 'i' int32, 'n' null, 's' string;
 * keys NULL: the usual "0", "1", ...
 */
static void
add_doc(const char *kinds, const double *vals, const char *const *keys,
    size_t n)
{
	bson_t *d = bson_new(), arr;
	struct want *w = &wants[nwant];
	char key[24];
	const char *k;
	size_t i;

	bson_append_array_begin(d, "a", 1, &arr);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%zu", i);
		k = keys ? keys[i] : key;
		w->isnull[i] = 0;
		switch (kinds ? kinds[i] : 'd') {
		case 'i':
			bson_append_int32(&arr, k, -1, (int32_t)vals[i]);
			w->v[i] = (double)(int32_t)vals[i];
			break;
		case 'n':
			bson_append_null(&arr, k, -1);
			w->isnull[i] = 1;
			break;
		case 's':
			bson_append_utf8(&arr, k, -1, "x", 1);
			w->isnull[i] = 1;	/* --on-mismatch null */
			break;
		default:
			bson_append_double(&arr, k, -1, vals[i]);
			w->v[i] = vals[i];
		}
	}
	bson_append_array_end(d, &arr);
	w->n = n;
	docs[nwant++] = d;
}

static void
check(struct b2a *b)
{
	struct b2a_col *a = b->root->kids[0], *item = a->kids[0];
	const int32_t *off = (const int32_t *)a->offsets.p;
	const uint8_t *vals = item->values.p, *valid = item->valid.p;
	size_t d, i, at;
	int isnull;

	if (a->len != (int64_t)nwant) {
		fail("row count", nwant, 0);
		return;
	}
	for (d = 0; d < nwant; d++) {
		if ((size_t)(off[d + 1] - off[d]) != wants[d].n) {
			fail("list length", d, wants[d].n);
			continue;
		}
		for (i = 0; i < wants[d].n; i++) {
			at = (size_t)off[d] + i;
			isnull = item->nulls > 0 &&
			    !(valid[at / 8] & (1u << (at % 8)));
			if (isnull != wants[d].isnull[i])
				fail("validity", d, i);
			else if (!isnull && memcmp(vals + 8 * at,
			    &wants[d].v[i], 8) != 0)
				fail("value", d, i);
		}
	}
}

/*
 * A corrupt element (a bool byte of 2) ends the document with an error,
 * not with the fields after it read as missing: at the top level, in a
 * sub-document, in an array; when sampled and when appended.
 */
static void
corrupt_docs(void)
{
	bson_t *d[3], s;
	uint8_t buf[3][64];
	struct err e = { 0 };
	struct b2a *b;
	const uint8_t *p;
	size_t i, j;
	int bad;

	d[0] = BCON_NEW("a", BCON_DOUBLE(1), "t", BCON_BOOL(1), "z",
	    BCON_INT32(1));
	d[1] = BCON_NEW("a", BCON_DOUBLE(1), "t", "{", "x", BCON_BOOL(1),
	    "}", "z", BCON_INT32(1));
	d[2] = BCON_NEW("a", "[", BCON_DOUBLE(1), BCON_BOOL(1), "]", "z",
	    BCON_INT32(1));
	for (i = 0; i < 3; i++) {
		p = bson_get_data(d[i]);
		memcpy(buf[i], p, d[i]->len);
		/* The bool's value byte: the last 0x01 before "z". */
		for (j = d[i]->len - 1; j > 0 && buf[i][j] != 'z'; j--)
			;
		while (j > 0 && buf[i][j] != 1)
			j--;
		buf[i][j] = 2;
		bson_init_static(&s, buf[i], d[i]->len);
		for (bad = 0; bad < 2; bad++) {
			if ((b = b2a_new(B2A_MISMATCH_NULL, B2A_DECIMAL_EXT,
			    &e)) == NULL)
				return;
			if (bad ? b2a_sample(b, &s, &e) == 0 :
			    b2a_sample(b, d[i], &e) != 0 ||
			    b2a_finish_schema(b, &e) != 0 ||
			    b2a_append(b, &s, &e) == 0)
				fail("corrupt document accepted", i, bad);
			else if (strstr(e.msg, "corrupt BSON") == NULL)
				fail(e.msg, i, bad);
			b2a_free(b);
		}
		bson_destroy(d[i]);
	}
}

int
main(void)
{
	static const size_t lens[] = { 1, 9, 10, 11, 99, 100, 101, 128, 1000,
	    1001, 0 };
	static const char *const odd[] = { "", "xx", "0000000000", "abc",
	    "1" };
	static const char *const shortkey[] = { "0", "1", "2", "3", "4", "5",
	    "6", "7", "8", "9", "1", "11" };
	static double v[MAXV];
	static const char *empty[70];
	char kinds[MAXV + 1];
	struct err e = { 0 };
	struct b2a *b;
	size_t i, k;
	uint64_t nan_bits = 0x7ff8dead0000beefULL;

	for (i = 0; i < MAXV; i++)
		v[i] = (double)i * 0.5 - 3;
	/*
	 * First, while the column has no slack: 70 int32 under empty keys,
	 * 6 bytes each, the smallest element there is (ASan sees a write
	 * past a buffer sized for 7-byte elements).
	 */
	memset(kinds, 'i', sizeof(kinds));
	for (i = 0; i < 70; i++)
		empty[i] = "";
	add_doc(kinds, v, empty, 70);
	for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
		add_doc(NULL, v, NULL, lens[k]);
	add_doc(NULL, v, odd, 5);
	add_doc(NULL, v, shortkey, 12);
	/* int32 at the start, in the usual run, at the end. */
	memset(kinds, 'd', sizeof(kinds));
	kinds[0] = kinds[7] = kinds[50] = kinds[127] = 'i';
	v[50] = -2147483648.0;
	v[127] = 2147483647.0;
	add_doc(kinds, v, NULL, 128);
	memset(kinds, 'i', sizeof(kinds));
	add_doc(kinds, v, NULL, 20);
	v[0] = -0.0;
	v[1] = INFINITY;
	memcpy(&v[2], &nan_bits, 8);
	add_doc(NULL, v, NULL, 3);
	/* The general path: a null element, then a string (a mismatch). */
	memset(kinds, 'd', sizeof(kinds));
	kinds[3] = 'n';
	add_doc(kinds, v, NULL, 12);
	kinds[3] = 'd';
	kinds[5] = 's';
	add_doc(kinds, v, NULL, 12);
	add_doc(NULL, v, NULL, 128);

	if ((b = b2a_new(B2A_MISMATCH_NULL, B2A_DECIMAL_EXT, &e)) == NULL ||
	    b2a_sample(b, docs[1], &e) != 0 ||	/* list<double> */
	    b2a_finish_schema(b, &e) != 0) {
		fprintf(stderr, "b2a_arrays: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < nwant; i++)
		if (b2a_append(b, docs[i], &e) != 0) {
			fprintf(stderr, "b2a_arrays: document %zu: %s\n", i,
			    e.msg);
			return 1;
		}
	check(b);
	if (b2a_mismatches(b) != 1)
		fail("one mismatch expected", nwant, 0);
	b2a_free(b);
	for (i = 0; i < nwant; i++)
		bson_destroy(docs[i]);
	corrupt_docs();
	if (!failed)
		printf("%zu documents checked\n", nwant);
	return failed;
}
