/*
 * mdbuf.h: the block buffering and length padding that MD5 and SHA-256
 * share (64-byte blocks, a 64-bit bit count in the last 8 bytes; MD5
 * writes it little-endian, SHA-256 big-endian). Internal to lib/hash.
 */
#ifndef HASH_MDBUF_H
#define HASH_MDBUF_H

#include <stddef.h>
#include <stdint.h>

#define MDBUF_BLOCK	64

/* Compress n whole blocks at p into the chaining state h. */
typedef void	mdbuf_blocks_fn(uint32_t *h, const uint8_t *p, size_t n);

/*
 * Feed len bytes: completes the buffered block first, compresses whole
 * blocks in place, keeps the tail in buf. *nbuf < MDBUF_BLOCK on return;
 * *total counts every byte fed.
 */
void	mdbuf_update(mdbuf_blocks_fn *, uint32_t *h, uint8_t *buf,
	    size_t *nbuf, uint64_t *total, const void *data, size_t len);

/* Pad and compress the last block(s); the bit count as big_endian says. */
void	mdbuf_pad(mdbuf_blocks_fn *, uint32_t *h, uint8_t *buf, size_t nbuf,
	    uint64_t total, int big_endian);

#endif
