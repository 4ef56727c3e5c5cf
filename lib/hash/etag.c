#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash/etag.h"

/* S3 allows 10,000 parts; leave room for other stores, but bound it. */
#define ETAG_MAX_PARTS	1000000

int
etag_is_multipart(uint64_t size, uint64_t part_size)
{
	return size > part_size;
}

uint64_t
etag_part_count(uint64_t size, uint64_t part_size)
{
	if (size == 0 || part_size == 0)
		return 1;
	return (size - 1) / part_size + 1;
}

void
etag_init(struct etag *t)
{
	memset(t, 0, sizeof(*t));
}

void
etag_free(struct etag *t)
{
	free(t->md5s);
	free(t->have);
	etag_init(t);
}

int
etag_set_part(struct etag *t, uint64_t index, const uint8_t md5[MD5_LEN],
    struct err *e)
{
	uint64_t ncap;
	uint8_t *m;
	unsigned char *h;

	if (index >= ETAG_MAX_PARTS)
		return err_set(e, ERR_LIMIT, "part %llu beyond the %d-part limit",
		    (unsigned long long)index + 1, ETAG_MAX_PARTS);
	if (index >= t->cap) {
		ncap = t->cap ? t->cap : 64;
		while (ncap <= index)
			ncap *= 2;
		if ((m = realloc(t->md5s, ncap * MD5_LEN)) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		t->md5s = m;
		if ((h = realloc(t->have, ncap)) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		memset(h + t->cap, 0, ncap - t->cap);
		t->have = h;
		t->cap = ncap;
	}
	memcpy(t->md5s + index * MD5_LEN, md5, MD5_LEN);
	t->have[index] = 1;
	if (index >= t->nparts)
		t->nparts = index + 1;
	return 0;
}

void
hex_encode(const uint8_t *p, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * len] = '\0';
}

void
etag_format_md5(const uint8_t md5[MD5_LEN], char out[ETAG_STR_MAX])
{
	hex_encode(md5, MD5_LEN, out);
}

int
etag_format_multipart(const struct etag *t, char out[ETAG_STR_MAX],
    struct err *e)
{
	uint8_t d[MD5_LEN];
	uint64_t i;

	if (t->nparts == 0)
		return err_set(e, ERR_USAGE, "no parts");
	for (i = 0; i < t->nparts; i++)
		if (!t->have[i])
			return err_set(e, ERR_USAGE, "part %llu missing",
			    (unsigned long long)i + 1);
	md5(t->md5s, t->nparts * MD5_LEN, d);
	hex_encode(d, MD5_LEN, out);
	snprintf(out + 2 * MD5_LEN, ETAG_STR_MAX - 2 * MD5_LEN, "-%llu",
	    (unsigned long long)t->nparts);
	return 0;
}
