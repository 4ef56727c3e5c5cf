/*
 * fetch.h: small reads of an S3 object into memory, for tools that need
 * a piece of an object rather than a stream (pqmeta reads a Parquet
 * footer: the last 64 KiB, then maybe one more range).
 *
 * Each call is one GET (retried and resumed inside, see s3.h), with the
 * result in a malloc'd buffer the caller frees with fetch_free. Sizes
 * are capped by max (the caller's hard limit); a larger answer is
 * ERR_LIMIT, so a hostile or huge object cannot exhaust memory.
 */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "s3.h"

struct fetch_buf {
	unsigned char	*data;		/* malloc'd, NULL when len 0 */
	size_t		 len;
	uint64_t	 offset;	/* object offset of data[0] */
	struct s3_object obj;		/* size and ETag of the object */
};

/*
 * The last n bytes (fewer when the object is shorter) in one suffix
 * GET. if_match (NULL for none) pins the ETag, as for every fetch_*.
 */
int	fetch_tail(struct s3_client *, const char *bucket, const char *key,
	    uint64_t n, const char *if_match, size_t max, struct fetch_buf *,
	    struct err *);

/*
 * Bytes [a, b] (b inclusive; clipped at the object's end). A start
 * beyond the end is ERR_USAGE.
 */
int	fetch_range(struct s3_client *, const char *bucket, const char *key,
	    uint64_t a, uint64_t b, const char *if_match, size_t max,
	    struct fetch_buf *, struct err *);

/* The whole object, when it has at most max bytes. */
int	fetch_all(struct s3_client *, const char *bucket, const char *key,
	    size_t max, struct fetch_buf *, struct err *);

void	fetch_free(struct fetch_buf *);

#endif
