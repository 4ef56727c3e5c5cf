/*
 * sha256.h: SHA-256 (FIPS 180-4) and HMAC-SHA-256.
 *
 * Uses the x86 SHA extensions (SHA-NI) when the CPU has them, chosen at
 * run time; a portable implementation otherwise. Both give identical
 * results; tests force each path with sha256_select().
 */
#ifndef HASH_SHA256_H
#define HASH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32
#define SHA256_BLOCK	64

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes hashed so far */
	uint8_t		buf[SHA256_BLOCK];
	size_t		nbuf;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
/* Write the digest; the context must be re-initialised to reuse it. */
void	sha256_final(struct sha256 *, uint8_t out[SHA256_LEN]);
/* One-shot digest of a buffer. */
void	sha256(const void *, size_t, uint8_t out[SHA256_LEN]);

/* HMAC-SHA-256 (RFC 2104) of msg under key. */
void	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, uint8_t out[SHA256_LEN]);

/*
 * Implementation in use: "sha-ni" or "portable". sha256_select("portable")
 * forces the fallback, sha256_select("auto") restores detection; returns
 * 0, or -1 if the name is unknown or the CPU lacks it. Not thread-safe:
 * call before starting threads.
 */
const char *sha256_impl(void);
int	sha256_select(const char *);

#endif
