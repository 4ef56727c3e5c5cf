/*
 * s3ext.h: two S3 reads the s3.h contract does not offer, built on the
 * same request engine (retries, metrics, signing) as s3.c:
 *
 *   - HEAD ?partNumber=N: the size of one part of a multipart object
 *     and the part count, for recomputing its ETag;
 *   - the suffix-range GET "Range: bytes=-N" (the last N bytes in one
 *     round trip, without knowing the size).
 */
#ifndef S3EXT_H
#define S3EXT_H

#include <stdint.h>

#include "err.h"
#include "s3.h"

/*
 * HEAD bucket/key?partNumber=part (1-based). Returns 1 when the server
 * answered 206 with x-amz-mp-parts-count: obj->parts is the count,
 * *part_size the size of that part (Content-Length), obj->size the
 * object size (Content-Range total), obj->etag the object's ETag.
 * Returns 0 when the server does not support part numbers (a 200, as
 * radosgw answers, or a 206 without the count, or a 400/501 refusal):
 * obj is then filled from the answer as far as it goes. -1 with err on
 * other failures (404, 403, transient errors after retries).
 */
int	s3_head_part(struct s3_client *, const char *bucket, const char *key,
	    unsigned part, struct s3_object *obj, uint64_t *part_size,
	    struct s3_status *, struct err *);

/*
 * GET the last n bytes (n >= 1) of bucket/key with "Range: bytes=-n" in
 * one request; the whole object when it is shorter. A broken transfer
 * is retried from the first byte not delivered (then as an explicit
 * range with If-Match on the first ETag), so sink sees each byte once,
 * in order. obj (optional) gets size and ETag; *first (optional) the
 * offset of the first byte delivered. An empty object delivers nothing
 * (obj->size 0). -1 with err as s3_get.
 */
int	s3_get_suffix(struct s3_client *, const char *bucket, const char *key,
	    uint64_t n, const char *if_match,
	    int (*sink)(void *, const void *, size_t, struct err *), void *arg,
	    struct s3_object *obj, uint64_t *first, struct s3_status *,
	    struct err *);

#endif
