/*
 * etag.h: the ETag S3 gives an object, computed locally.
 *
 * An object uploaded with one PUT has ETag hex(md5(data)). A multipart
 * upload of N parts has hex(md5(md5(p1) || ... || md5(pN))) "-N". s3put
 * and sum8m share one rule for which form applies: an input of at most
 * part_size bytes is one PUT (etag_is_multipart() == 0).
 */
#ifndef HASH_ETAG_H
#define HASH_ETAG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "hash/md5.h"

/* "hex" (32) or "hex-N" with N <= 10000... up to 20 digits, plus NUL. */
#define ETAG_STR_MAX	(2 * MD5_LEN + 1 + 20 + 1)

/* 1 when an input of size bytes is uploaded in parts of part_size. */
int	etag_is_multipart(uint64_t size, uint64_t part_size);

/* Number of parts for size bytes (at least 1: an empty input is one). */
uint64_t etag_part_count(uint64_t size, uint64_t part_size);

/*
 * Collects part MD5s, in any order, and yields the multipart ETag.
 * Zero-initialise (or etag_init); etag_free releases memory.
 */
struct etag {
	uint8_t		*md5s;		/* MD5_LEN per part */
	unsigned char	*have;		/* 1 where a part's MD5 is set */
	uint64_t	nparts;		/* highest part index + 1 */
	uint64_t	cap;
};

void	etag_init(struct etag *);
void	etag_free(struct etag *);

/* Record the MD5 of part index (0-based). 0, or -1 (ERR_NOMEM/LIMIT). */
int	etag_set_part(struct etag *, uint64_t index, const uint8_t md5[MD5_LEN],
	    struct err *);

/*
 * Multipart ETag of parts 0..nparts-1 as "hex-N" into out. -1 with err
 * if a part is missing.
 */
int	etag_format_multipart(const struct etag *, char out[ETAG_STR_MAX],
	    struct err *);

/* Plain form: hex of one MD5. */
void	etag_format_md5(const uint8_t md5[MD5_LEN], char out[ETAG_STR_MAX]);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void	hex_encode(const uint8_t *, size_t len, char *out);

#endif
