/*
 * md5x.h: MD5 of several independent messages side by side, on SIMD
 * lanes: 16 with AVX-512, 8 with AVX2, one at a time elsewhere. MD5 is
 * a chain of dependent steps, so one message cannot go faster than the
 * scalar md5_update; several messages hashed together cost about as
 * much as one. Used for the parts of a multipart upload, which s3put
 * hashes in groups.
 */
#ifndef HASH_MD5X_H
#define HASH_MD5X_H

#include <stddef.h>
#include <stdint.h>

#include "hash/md5.h"

#define MD5X_MAX	16	/* messages per md5x_update call */

/*
 * Hash len[i] more bytes at p[i] into ctx[i] for each i < n, n <=
 * MD5X_MAX (more is a caller bug: the extra messages are not hashed).
 * The contexts must be distinct; lengths may differ and need not be
 * block multiples. The result is exactly that of md5_update on each.
 */
void	 md5x_update(struct md5 *const ctx[], const uint8_t *const p[],
	    const size_t len[], unsigned n);

/*
 * Messages the kernel in use hashes in one pass: 16, 8, or 1 when there
 * is no SIMD kernel. Grouping more than this gains nothing.
 */
unsigned md5x_lanes(void);

/*
 * Kernel in use: "avx512", "avx2" or "scalar". md5x_select(name) forces
 * one ("auto" restores detection); returns 0, or -1 if the name is
 * unknown or the CPU lacks it. Not thread-safe: call before starting
 * threads.
 */
const char *md5x_impl(void);
int	 md5x_select(const char *);

#endif
