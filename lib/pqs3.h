/*
 * pqs3.h: Parquet footer metadata of an S3 object, reading only its
 * end: one suffix-range GET of the last PQ_TAIL_READ bytes (its
 * Content-Range gives the object's size), and one more ranged GET, with
 * If-Match on the first ETag, only when the footer is larger.
 */
#ifndef PQS3_H
#define PQS3_H

#include "err.h"
#include "parquet.h"
#include "pqfile.h"
#include "s3.h"

struct pq_s3 {
	struct pq_meta		*meta;	/* decoded; points into buf */
	uint8_t			*buf;	/* the bytes read, owned */
	size_t			 len;
	struct pq_read_stats	 st;	/* size, bytes read, GETs */
	char			 etag[S3_ETAG_MAX];
};

/*
 * Read and decode. 0 with *out filled (free with pq_s3_free), or -1
 * with err: the S3 error (ERR_TRANSIENT, ERR_REMOTE) or the Parquet one
 * (ERR_FORMAT, ERR_LIMIT, ERR_UNSUPPORTED for encrypted footers).
 */
int	pq_read_s3(struct s3_client *, const char *bucket, const char *key,
	    const struct pq_limits *, struct pq_s3 *out, struct err *);
void	pq_s3_free(struct pq_s3 *);

#endif
