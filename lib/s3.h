/*
 * s3.h: S3 operations over HTTP/1.1 (+ BearSSL TLS), SigV4 and the
 * retry policy. The one module the S3 tools call.
 *
 * A struct s3_client holds what requests share: endpoint and region
 * (url.h), credentials (cred.h, refreshed before expiry), TLS trust
 * anchors (tls.h), the keep-alive pool (net.h), the retry policy and
 * its client-wide budget (retry.h), the rate limiter (rate.h) and the
 * metrics sink (metrics.h). It is thread-safe: parallel workers share
 * one client and each call takes a connection from the pool for the
 * duration of one request.
 *
 * Every operation:
 *   - signs with SigV4: UNSIGNED-PAYLOAD over TLS, and over plain HTTP
 *     for bodies bound to the signature by a signed Content-MD5 (parts
 *     and PutObject: changing the body unseen would take an MD5 second
 *     preimage); the SHA-256 of any other body over plain HTTP, and of
 *     every body when s3_opts.sign_payload is set;
 *   - retries transient failures (connect errors, resets, timeouts,
 *     truncated bodies, 500/502/503/504/429, SlowDown, RequestTimeout,
 *     InternalError) with backoff and full jitter, re-reading the
 *     request body from its source; never other 4xx;
 *   - on a 301/400 naming another region (x-amz-bucket-region), re-signs
 *     for that region once and remembers it;
 *   - records one metrics line per operation (metrics.h);
 *   - on failure returns -1 with err: ERR_TRANSIENT when retries ran out
 *     on transient errors (exit 75), ERR_REMOTE for an S3 refusal, and
 *     fills the optional struct s3_status with HTTP status, S3 code and
 *     request ids. err.msg reads
 *       "PutObject s3://b/k: 403 SignatureDoesNotMatch: <message>
 *        (request id tx..., 3 attempts)"
 *     and never holds a secret.
 *
 * Nothing here prints or exits. Logging (-v) goes to the log callback.
 */
#ifndef S3_H
#define S3_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define S3_ETAG_MAX		256	/* quoted ETag as sent, plus NUL */
#define S3_UPLOAD_ID_MAX	1024
#define S3_CODE_MAX		64
#define S3_REQUEST_ID_MAX	128
#define S3_MAX_PARTS		10000
#define S3_MIN_PART		((uint64_t)5 << 20)
#define S3_MAX_PART		((uint64_t)5 << 30)
#define S3_MAX_OBJECT		((uint64_t)5 << 40)

struct s3_client;

struct s3_opts {
	const char	*endpoint_url;	/* --endpoint-url, else environment */
	const char	*region;	/* --region, else environment */
	int		 path_style;	/* --path-style */
	const char	*ca_bundle;	/* --ca-bundle, else AWS_CA_BUNDLE */
	int		 insecure;	/* --insecure: no TLS verification */
	int		 connect_timeout_ms;	/* 0: 10 s */
	int		 stall_timeout_ms;	/* no byte for this long: 0: 60 s */
	int		 max_attempts;	/* 0: AWS_MAX_ATTEMPTS, else 10 */
	uint64_t	 limit_rate;	/* bytes/s over all requests; 0 none */
	size_t		 max_conns;	/* idle pool size; 0: 16 */
	const char	*metrics_path;	/* JSON lines appended here, or NULL */
	/* plain HTTP: SHA-256 every body, even one with Content-MD5 */
	int		 sign_payload;
	/* -v: one line per request and per retry, secrets removed. */
	void		(*log)(void *arg, const char *line);
	void		*log_arg;
};

/* Zero-fill and set defaults. */
void	s3_opts_init(struct s3_opts *);

/*
 * Resolve configuration (flags > environment > ~/.aws files > defaults),
 * load trust anchors, find credentials. NULL with err on failure (bad
 * endpoint URL, no credentials, unreadable CA bundle).
 */
struct s3_client *s3_client_new(const struct s3_opts *, struct err *);
/* Close pooled connections, wipe credentials, free. NULL allowed. */
void	s3_client_free(struct s3_client *);

/* What the server said about the last attempt of a failed or done op. */
struct s3_status {
	int		http_status;	/* 0 when no response was received */
	char		code[S3_CODE_MAX];	/* S3 error code or "" */
	char		request_id[S3_REQUEST_ID_MAX];	/* x-amz-request-id */
	unsigned	attempts;	/* requests sent, retries included */
};

/* Object metadata from HEAD (or from a GET's response headers). */
struct s3_object {
	uint64_t	size;
	char		etag[S3_ETAG_MAX];	/* with quotes, as sent */
	char		last_modified[64];	/* RFC 1123 as sent */
	char		content_type[128];
	/* ETag is not an MD5 of the data (SSE-KMS, SSE-C). */
	int		etag_not_md5;
	int		parts;		/* x-amz-mp-parts-count, 0 if absent */
	/*
	 * Stored checksums as sent (base64; a composite one ends in "-N"),
	 * "" when absent. Servers send them to s3_head_checksums only.
	 */
	char		checksum_crc32c[64];
	char		checksum_crc64nvme[64];
	char		checksum_sha256[64];
	char		checksum_type[32];	/* FULL_OBJECT, COMPOSITE */
};

/*
 * A request body: either bytes in memory or a range of a file (read
 * with pread, so a retry can send it again).
 */
struct s3_body {
	const void	*data;		/* or NULL for fd */
	int		 fd;
	off_t		 off;
	uint64_t	 len;
};

/* Options for PutObject and CreateMultipartUpload. */
struct s3_put_opts {
	const char	*content_type;
	const char	*storage_class;
	const char	*sse;		/* "AES256" or "aws:kms" */
	const char	*const *metadata;	/* "k=v" strings, NULL-ended */
	/*
	 * If-None-Match: * on PutObject; a multipart upload carries it on
	 * CompleteMultipartUpload (s3_complete_opts), not on Create.
	 */
	int		 if_none_match;
	/* "crc32c", "crc64nvme", "sha256" or NULL */
	const char	*checksum_algorithm;
};

/* HEAD object. A missing object is -1, ERR_REMOTE, status 404. */
int	s3_head(struct s3_client *, const char *bucket, const char *key,
	    struct s3_object *, struct s3_status *, struct err *);
/*
 * HEAD asking for the stored checksums (x-amz-checksum-mode: ENABLED;
 * on SSE-KMS objects S3 then needs kms:Decrypt too).
 */
int	s3_head_checksums(struct s3_client *, const char *bucket,
	    const char *key, struct s3_object *, struct s3_status *,
	    struct err *);

/*
 * PutObject with Content-MD5 of the body (md5 given by the caller, who
 * has read the data anyway) and, when checksum is non-NULL, the
 * x-amz-checksum-<algorithm> header with that base64 value. etag_out
 * (S3_ETAG_MAX) gets the returned ETag.
 */
int	s3_put_object(struct s3_client *, const char *bucket, const char *key,
	    const struct s3_body *, const uint8_t md5[16], const char *checksum,
	    const struct s3_put_opts *, char *etag_out, struct s3_status *,
	    struct err *);

/* CreateMultipartUpload; upload_id (S3_UPLOAD_ID_MAX) filled. */
int	s3_create_multipart(struct s3_client *, const char *bucket,
	    const char *key, const struct s3_put_opts *, char *upload_id,
	    struct s3_status *, struct err *);

/* UploadPart number part (1..10000); etag_out as for s3_put_object. */
int	s3_upload_part(struct s3_client *, const char *bucket, const char *key,
	    const char *upload_id, unsigned part, const struct s3_body *,
	    const uint8_t md5[16], const char *checksum_algorithm,
	    const char *checksum, char *etag_out, struct s3_status *,
	    struct err *);

struct s3_part {
	unsigned	number;
	char		etag[S3_ETAG_MAX];
	const char	*checksum;	/* base64, or NULL */
	uint64_t	size;		/* ListParts only */
};

/* What CompleteMultipartUpload may carry besides the parts. */
struct s3_complete_opts {
	/* as declared at CreateMultipartUpload: parts carry their values */
	const char	*checksum_algorithm;
	/*
	 * The whole object's value for a full-object algorithm (crc32c,
	 * crc64nvme), sent with x-amz-checksum-type: FULL_OBJECT so S3
	 * checks it; NULL for none.
	 */
	const char	*full_checksum;
	int		 if_none_match;	/* If-None-Match: *, where S3 takes it */
};

/*
 * CompleteMultipartUpload (opts may be NULL). Handles a 200 whose body
 * is an <Error> (after whitespace heartbeats) as a failure with that
 * code. etag_out gets the ETag from the result document (may be "" from
 * some servers).
 */
int	s3_complete_multipart(struct s3_client *, const char *bucket,
	    const char *key, const char *upload_id, const struct s3_part *,
	    size_t nparts, const struct s3_complete_opts *, char *etag_out,
	    struct s3_status *, struct err *);

/* AbortMultipartUpload (retried; NoSuchUpload counts as done). */
int	s3_abort_multipart(struct s3_client *, const char *bucket,
	    const char *key, const char *upload_id, struct s3_status *,
	    struct err *);

/* ListParts, all pages: fn per part; fn returning -1 stops with its err. */
int	s3_list_parts(struct s3_client *, const char *bucket, const char *key,
	    const char *upload_id,
	    int (*fn)(void *, const struct s3_part *, struct err *), void *arg,
	    struct s3_status *, struct err *);

/* One entry of a listing. */
struct s3_entry {
	const char	*key;		/* object key, or common prefix */
	int		 is_prefix;	/* a CommonPrefixes entry */
	uint64_t	 size;
	const char	*etag;		/* quoted */
	const char	*last_modified;	/* ISO 8601 as sent */
	const char	*storage_class;
	const char	*upload_id;	/* ListMultipartUploads */
	const char	*initiated;	/* ListMultipartUploads */
};

typedef int (*s3_entry_fn)(void *, const struct s3_entry *, struct err *);

/*
 * ListObjectsV2 under prefix (NULL = all), with delimiter (NULL = none),
 * page_size keys per request (0 = server default), following
 * continuation tokens to the end. fn returning -1 stops.
 */
int	s3_list_objects(struct s3_client *, const char *bucket,
	    const char *prefix, const char *delimiter, unsigned page_size,
	    s3_entry_fn fn, void *arg, struct s3_status *, struct err *);

/* ListBuckets: fn gets key = bucket name, last_modified = created. */
int	s3_list_buckets(struct s3_client *, s3_entry_fn, void *,
	    struct s3_status *, struct err *);

/* ListMultipartUploads, all pages. */
int	s3_list_uploads(struct s3_client *, const char *bucket,
	    const char *prefix, s3_entry_fn, void *, struct s3_status *,
	    struct err *);

/*
 * GET bytes [start, end] (end inclusive; UINT64_MAX = to the end of the
 * object) with If-Match: if_match when non-NULL. The body goes to sink
 * in order. A broken transfer is retried from the first byte not yet
 * delivered, so sink never sees a byte twice. A 412 is ERR_REMOTE with
 * code PreconditionFailed ("object changed"). obj (optional) gets size
 * (from Content-Range) and ETag of the response; every retry's ETag must
 * equal the first one's.
 */
int	s3_get(struct s3_client *, const char *bucket, const char *key,
	    uint64_t start, uint64_t end, const char *if_match,
	    int (*sink)(void *, const void *, size_t, struct err *), void *arg,
	    struct s3_object *obj, struct s3_status *, struct err *);

/* DeleteObject (a missing key is success). */
int	s3_delete(struct s3_client *, const char *bucket, const char *key,
	    struct s3_status *, struct err *);

/*
 * Totals since the client was made, for summaries: requests, retries,
 * bytes sent and received.
 */
struct s3_totals {
	uint64_t	requests, retries, bytes_out, bytes_in;
};
void	s3_client_totals(struct s3_client *, struct s3_totals *);

#endif
