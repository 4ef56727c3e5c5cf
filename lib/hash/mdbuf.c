#include <string.h>

#include "hash/mdbuf.h"

void
mdbuf_update(mdbuf_blocks_fn *blocks, uint32_t *h, uint8_t *buf,
    size_t *nbuf, uint64_t *total, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t take;

	*total += len;
	if (*nbuf > 0) {
		take = MDBUF_BLOCK - *nbuf;
		if (take > len)
			take = len;
		memcpy(buf + *nbuf, p, take);
		*nbuf += take;
		p += take;
		len -= take;
		if (*nbuf < MDBUF_BLOCK)
			return;
		blocks(h, buf, 1);
		*nbuf = 0;
	}
	if (len >= MDBUF_BLOCK) {
		blocks(h, p, len / MDBUF_BLOCK);
		p += len & ~(size_t)(MDBUF_BLOCK - 1);
		len &= MDBUF_BLOCK - 1;
	}
	if (len > 0) {
		memcpy(buf, p, len);
		*nbuf = len;
	}
}

void
mdbuf_pad(mdbuf_blocks_fn *blocks, uint32_t *h, uint8_t *buf, size_t nbuf,
    uint64_t total, int big_endian)
{
	uint64_t bits = total * 8;
	int i;

	buf[nbuf++] = 0x80;
	if (nbuf > MDBUF_BLOCK - 8) {
		memset(buf + nbuf, 0, MDBUF_BLOCK - nbuf);
		blocks(h, buf, 1);
		nbuf = 0;
	}
	memset(buf + nbuf, 0, MDBUF_BLOCK - 8 - nbuf);
	for (i = 0; i < 8; i++)
		buf[MDBUF_BLOCK - 8 + i] = (uint8_t)(bits >> (big_endian ?
		    56 - 8 * i : 8 * i));
	blocks(h, buf, 1);
}
