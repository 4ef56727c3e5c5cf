/*
 * pqmeta_unit: test driver for lib/thrift.c, lib/parquet.c, lib/pqfile.c.
 *
 *	pqmeta_unit thrift		compact-protocol cases, every prefix
 *	pqmeta_unit tail FILE...	pq_parse_tail's "need more" protocol
 *	pqmeta_unit prefix FILE...	every cut of each footer fails cleanly
 *	pqmeta_unit limits FILE		memory and depth limits
 *
 * Prints one line per failed check and exits 1 if any failed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "parquet.h"
#include "pqfile.h"
#include "thrift.h"

static int failures;

#define CHECK(c) do {							\
	if (!(c)) {							\
		printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);	\
		failures++;						\
	}								\
} while (0)

/* Reads the test message below; 0 when every value is as written. */
static int
read_message(const uint8_t *buf, size_t len, struct err *e)
{
	struct thrift_reader r;
	struct thrift_field f;
	struct thrift_list l;
	const uint8_t *p;
	size_t n;
	int64_t v;
	double d;
	bool b;
	int rc, seen = 0;

	thrift_init(&r, buf, len, e);
	if (thrift_struct_begin(&r, &f) != 0)
		return -1;
	while ((rc = thrift_field_next(&r, &f)) == 1) {
		switch (f.id) {
		case 1:
			if (thrift_read_int(&r, f.type, INT32_MIN, INT32_MAX,
			    &v) != 0 || v != -3)
				return -1;
			break;
		case 2:
			if (thrift_field_bool(&r, &f, &b) != 0 || !b)
				return -1;
			break;
		case 3:
			if (thrift_read_binary(&r, &p, &n) != 0 || n != 3 ||
			    memcmp(p, "abc", 3) != 0)
				return -1;
			break;
		case 300:
			if (thrift_read_double(&r, &d) != 0 || d != 1.5)
				return -1;
			break;
		case 301:
			if (thrift_list_begin(&r, &l) != 0 || l.count != 16 ||
			    l.elem_type != THRIFT_I64)
				return -1;
			for (unsigned i = 0; i < l.count; i++)
				if (thrift_read_int(&r, l.elem_type, 0, 100,
				    &v) != 0 || v != i)
					return -1;
			thrift_list_end(&r);
			break;
		default:	/* 4: map, 5: nested struct with set, uuid */
			if (thrift_skip_field(&r, &f) != 0)
				return -1;
		}
		seen++;
	}
	return rc == 0 && seen == 7 ? 0 : -1;
}

static void
test_thrift(void)
{
	/* A struct with one field of each kind the decoders meet. */
	static const uint8_t msg[] = {
		0x15, 0x05,			/* 1: i32 -3 */
		0x11,				/* 2: bool true */
		0x18, 0x03, 'a', 'b', 'c',	/* 3: binary "abc" */
		0x1b, 0x02, 0x35, 1, 2, 3, 6,	/* 4: map<i8,i32> */
		0x1c,				/* 5: struct { */
		    0x1a, 0x23, 0x02, 0x04,	/*   1: set<i8> {2,4} */
		    0x1d,			/*   2: uuid (16 bytes) */
		    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		    0x00,			/* } */
		0x07, 0xd8, 0x04,		/* 300 (long id): double */
		0, 0, 0, 0, 0, 0, 0xf8, 0x3f,	/*   1.5 */
		0x09, 0xda, 0x04, 0xf6, 0x10,	/* 301: list<i64>, 16 items */
		0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
		0x00				/* STOP */
	};
	static const uint8_t overlong[] = { 0x15, 0xff, 0xff, 0xff, 0xff,
	    0x1f };
	static const uint8_t badcount[] = { 0x19, 0xf5, 0xff, 0x01, 0x00 };
	static const uint8_t badlen[] = { 0x18, 0x05, 'a', 'b', 0x00 };
	static const uint8_t badtype[] = { 0x1e, 0x00 };
	static const uint8_t badid[] = { 0x05, 0x01, 0x00, 0x00 };
	uint8_t deep[200];
	struct thrift_reader r;
	struct thrift_field f;
	struct err e;
	uint8_t *cut;
	size_t k;

	CHECK(read_message(msg, sizeof(msg), &e) == 0);
	/* Every proper prefix fails, reading nothing past its end. */
	for (k = 0; k < sizeof(msg); k++) {
		if ((cut = malloc(k ? k : 1)) == NULL)
			abort();
		memcpy(cut, msg, k);
		if (read_message(cut, k, &e) == 0)
			printf("FAIL prefix %zu decoded\n", k), failures++;
		free(cut);
	}
	/* Rejections: each must fail with a message. */
	thrift_init(&r, overlong, sizeof(overlong), &e);
	CHECK(thrift_struct_begin(&r, &f) == 0 &&
	    thrift_field_next(&r, &f) == 1 && thrift_skip_field(&r, &f) == -1 &&
	    strstr(e.msg, "varint too long") != NULL);
	thrift_init(&r, badcount, sizeof(badcount), &e);
	CHECK(thrift_struct_begin(&r, &f) == 0 &&
	    thrift_field_next(&r, &f) == 1 && thrift_skip_field(&r, &f) == -1 &&
	    strstr(e.msg, "list count exceeds") != NULL);
	thrift_init(&r, badlen, sizeof(badlen), &e);
	CHECK(thrift_struct_begin(&r, &f) == 0 &&
	    thrift_field_next(&r, &f) == 1 && thrift_skip_field(&r, &f) == -1 &&
	    strstr(e.msg, "binary length exceeds") != NULL);
	thrift_init(&r, badtype, sizeof(badtype), &e);
	CHECK(thrift_struct_begin(&r, &f) == 0 &&
	    thrift_field_next(&r, &f) == -1);
	thrift_init(&r, badid, sizeof(badid), &e);
	CHECK(thrift_struct_begin(&r, &f) == 0 &&
	    thrift_field_next(&r, &f) == -1 &&
	    strstr(e.msg, "invalid field id") != NULL);
	/* Nesting: 199 structs deep is refused at the default limit. */
	deep[0] = 0x1c;
	for (k = 1; k < sizeof(deep); k++)
		deep[k] = 0x1c;
	thrift_init(&r, deep, sizeof(deep), &e);
	CHECK(thrift_skip(&r, THRIFT_STRUCT) == -1 && e.kind == ERR_LIMIT);
	/* i32 range check on a 64-bit value. */
	{
		static const uint8_t big[] = { 0x80, 0x80, 0x80, 0x80, 0x10 };
		int64_t v;

		thrift_init(&r, big, sizeof(big), &e);
		CHECK(thrift_read_int(&r, THRIFT_I64, INT32_MIN, INT32_MAX,
		    &v) == -1);
	}
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) != 0)
		return perror(path), NULL;
	*len = (size_t)st.st_size;
	if ((buf = malloc(*len ? *len : 1)) == NULL ||
	    fd_read_full(fd, buf, *len) != (ssize_t)*len)
		abort();
	close(fd);
	return buf;
}

static uint32_t
footer_len(const uint8_t *buf, size_t len)
{
	const uint8_t *t = buf + len - 8;

	return (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 |
	    (uint32_t)t[3] << 24;
}

/* Suffixes of several sizes: 0, or -2 then 0 with the missing front. */
static void
test_tail(const char *path)
{
	static const size_t sizes[] = { 0, 7, 8, 9, 100, 4096, 65536 };
	struct pq_meta *full, *m;
	struct err e;
	uint8_t *buf;
	uint64_t need;
	size_t len, i, t;
	int rc;

	if ((buf = slurp(path, &len)) == NULL) {
		failures++;
		return;
	}
	if (pq_parse_tail(buf, len, len, NULL, &full, &need, &e) != 0) {
		printf("FAIL %s: %s\n", path, e.msg);
		failures++;
		free(buf);
		return;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		t = sizes[i] < len ? sizes[i] : len;
		rc = pq_parse_tail(buf + len - t, t, len, NULL, &m, &need, &e);
		if (rc == 0) {
			CHECK(t >= footer_len(buf, len) + 8u);
		} else if (rc == -2) {
			CHECK(t < 8 ? need == len - 8 :
			    need == len - 8 - footer_len(buf, len));
			if (t >= 8) {
				rc = pq_parse_tail(buf + need, len - need, len,
				    NULL, &m, &need, &e);
				CHECK(rc == 0);
			}
		} else {
			printf("FAIL %s tail %zu: %s\n", path, t, e.msg);
			failures++;
		}
		if (rc == 0) {
			CHECK(m->num_rows == full->num_rows);
			CHECK(m->n_leaves == full->n_leaves);
			pq_meta_free(m);
		}
	}
	pq_meta_free(full);
	free(buf);
}

/* Every cut of the Thrift footer (spread over 512 for big ones) fails. */
static void
test_prefix(const char *path)
{
	struct pq_meta *m;
	struct err e;
	uint8_t *buf, *cut;
	size_t len, flen, k, step;

	if ((buf = slurp(path, &len)) == NULL) {
		failures++;
		return;
	}
	flen = footer_len(buf, len);
	step = flen > 8192 ? flen / 512 : 1;
	for (k = 0; k < flen; k += step) {
		if ((cut = malloc(k ? k : 1)) == NULL)
			abort();
		memcpy(cut, buf + len - 8 - flen, k);
		if (pq_meta_decode(cut, k, NULL, &m, &e) == 0) {
			printf("FAIL %s: footer cut at %zu decoded\n", path, k);
			failures++;
			pq_meta_free(m);
		} else if (e.msg[0] == '\0') {
			printf("FAIL %s: cut at %zu: no message\n", path, k);
			failures++;
		}
		free(cut);
	}
	free(buf);
}

static void
test_limits(const char *path)
{
	struct pq_limits lim = { 0, 0, 0 };
	struct pq_meta *m;
	struct err e;
	uint8_t *buf;
	uint64_t need;
	size_t len;

	if ((buf = slurp(path, &len)) == NULL) {
		failures++;
		return;
	}
	lim.max_memory = 4096;
	CHECK(pq_parse_tail(buf, len, len, &lim, &m, &need, &e) == -1 &&
	    e.kind == ERR_LIMIT && strstr(e.msg, "memory limit") != NULL);
	lim.max_memory = 0;
	lim.max_depth = 3;
	CHECK(pq_parse_tail(buf, len, len, &lim, &m, &need, &e) == -1 &&
	    e.kind == ERR_LIMIT && strstr(e.msg, "nesting") != NULL);
	lim.max_depth = 0;
	lim.max_footer = footer_len(buf, len) - 1;
	CHECK(pq_parse_tail(buf, len, len, &lim, &m, &need, &e) == -1 &&
	    e.kind == ERR_LIMIT);
	lim.max_footer = footer_len(buf, len);
	CHECK(pq_parse_tail(buf, len, len, &lim, &m, &need, &e) == 0);
	if (failures == 0)
		pq_meta_free(m);
	free(buf);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "thrift") == 0)
		test_thrift();
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[1], "tail") == 0)
			test_tail(argv[i]);
		else if (strcmp(argv[1], "prefix") == 0)
			test_prefix(argv[i]);
		else if (strcmp(argv[1], "limits") == 0)
			test_limits(argv[i]);
	}
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
