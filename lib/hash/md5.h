/*
 * md5.h: MD5 (RFC 1321). Used for S3 ETags and Content-MD5, not for
 * security.
 */
#ifndef HASH_MD5_H
#define HASH_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_LEN		16
#define MD5_BLOCK	64

struct md5 {
	uint32_t	h[4];
	uint64_t	len;		/* bytes hashed so far */
	uint8_t		buf[MD5_BLOCK];
	size_t		nbuf;
};

void	md5_init(struct md5 *);
void	md5_update(struct md5 *, const void *, size_t);
/* Write the digest; re-initialise the context to reuse it. */
void	md5_final(struct md5 *, uint8_t out[MD5_LEN]);
/* One-shot digest of a buffer. */
void	md5(const void *, size_t, uint8_t out[MD5_LEN]);

#endif
