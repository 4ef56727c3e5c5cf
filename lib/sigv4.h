/*
 * sigv4.h: AWS Signature Version 4, as pure functions.
 *
 * Nothing here does I/O or reads the clock: the caller passes the
 * request pieces, the credentials and the time, and gets back the
 * canonical request, the string to sign, the signature and the values
 * of the headers (or query parameters) to add. Secrets are never copied
 * into any output except the session token, which is a header value by
 * design; derived keys are wiped with explicit_bzero.
 *
 * Path handling differs between services, so it is a flag:
 *   S3:  flags 0 - the path is the URI-encoded path as sent, used as is.
 *   STS and most others: SIGV4_NORMALIZE_PATH | SIGV4_ENCODE_PATH - dot
 *        segments and repeated slashes are removed, then the path is
 *        URI-encoded once more ("double encoding").
 */
#ifndef SIGV4_H
#define SIGV4_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "strbuf.h"
#include "hash/sha256.h"

#define SIGV4_NORMALIZE_PATH	0x01	/* RFC 3986 dot removal, no "//" */
#define SIGV4_ENCODE_PATH	0x02	/* URI-encode the path (keep '/') */
#define SIGV4_OMIT_TOKEN	0x04	/* token sent but not signed */
#define SIGV4_CONTENT_SHA256	0x08	/* x-amz-content-sha256 header */

#define SIGV4_UNSIGNED_PAYLOAD	"UNSIGNED-PAYLOAD"
/* Hex SHA-256 of the empty string. */
#define SIGV4_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

#define SIGV4_MAX_HEADERS	64	/* headers given to one signature */
#define SIGV4_MAX_PARAMS	128	/* query parameters in one request */
#define SIGV4_DATE_LEN		16	/* "20150830T123600Z" */

struct sigv4_header {
	const char	*name;		/* any case; NUL-terminated */
	const char	*value;		/* raw; whitespace is collapsed */
};

struct sigv4_request {
	const char	*method;	/* "GET", "PUT", ... */
	const char	*path;		/* as sent, no query; "" = "/" */
	const char	*query;		/* no '?'; NULL or "" for none */
	/* Headers sent with the request; must include Host. */
	const struct sigv4_header *headers;
	size_t		 nheaders;
	/* Lower-case hex SHA-256 of the body, or SIGV4_UNSIGNED_PAYLOAD. */
	const char	*payload_hash;
};

struct sigv4_creds {
	const char	*access_key;	/* AKID; appears in Credential= */
	const char	*secret_key;	/* never copied into any output */
	const char	*token;		/* session token or NULL */
};

struct sigv4_scope {
	const char	*region;	/* "us-east-1" */
	const char	*service;	/* "s3", "sts" */
	char		 amz_date[SIGV4_DATE_LEN + 1];	/* sigv4_date() */
	unsigned	 flags;		/* SIGV4_* */
};

/*
 * Signing-key cache: the key depends only on secret, day, region and
 * service, so a client keeps one of these and signs many requests with
 * one derivation per day. Holds key material: sigv4_cache_clear() wipes
 * it. Not locked: one per thread, or the caller serialises.
 */
struct sigv4_cache {
	int		valid;
	char		day[9];
	char		region[64];
	char		service[32];
	uint8_t		secret_id[SHA256_LEN];	/* secret's SHA-256 */
	uint8_t		key[SHA256_LEN];
};

/* Everything a signature produced. Owns its buffers: sigv4_result_free. */
struct sigv4_result {
	struct strbuf	canonical;	/* canonical request */
	struct strbuf	string_to_sign;
	struct strbuf	signed_headers;	/* "host;x-amz-date" */
	char		signature[2 * SHA256_LEN + 1];
	/* Header mode: the Authorization header value. */
	struct strbuf	authorization;
	/*
	 * Query mode: parameters to append to the request's query (after
	 * '&' when it already has one), already URI-encoded, ending with
	 * X-Amz-Signature.
	 */
	struct strbuf	query;
};

/* Format t (UTC) as "YYYYMMDDTHHMMSSZ". 0, or -1 if t is out of range. */
int	sigv4_date(time_t t, char out[SIGV4_DATE_LEN + 1]);
/* Parse "YYYY-MM-DDTHH:MM:SSZ" or "YYYYMMDDTHHMMSSZ" into amz_date form. */
int	sigv4_date_parse(const char *, char out[SIGV4_DATE_LEN + 1]);

void	sigv4_result_init(struct sigv4_result *);
void	sigv4_result_free(struct sigv4_result *);
void	sigv4_cache_clear(struct sigv4_cache *);

/*
 * Sign with the Authorization header. The signed header set is the
 * request's headers (minus hop-by-hop ones and User-Agent/Expect) plus
 * x-amz-date, x-amz-security-token (when creds->token is set, unless
 * SIGV4_OMIT_TOKEN) and x-amz-content-sha256 (with SIGV4_CONTENT_SHA256).
 * The caller sends those headers with these values: X-Amz-Date =
 * scope->amz_date, X-Amz-Security-Token = creds->token,
 * x-amz-content-sha256 = req->payload_hash, Authorization =
 * res->authorization. cache may be NULL. 0 or -1 with err (ERR_USAGE
 * for a malformed request, ERR_LIMIT, ERR_NOMEM).
 */
int	sigv4_sign_headers(const struct sigv4_request *,
	    const struct sigv4_creds *, const struct sigv4_scope *,
	    struct sigv4_cache *, struct sigv4_result *, struct err *);

/*
 * Presign: sign with query parameters (X-Amz-Algorithm, -Credential,
 * -Date, -SignedHeaders, -Expires, -Security-Token, -Signature) valid
 * for expires seconds (1..604800). No header is added; res->query holds
 * the parameters to append.
 */
int	sigv4_presign(const struct sigv4_request *, const struct sigv4_creds *,
	    const struct sigv4_scope *, long expires, struct sigv4_cache *,
	    struct sigv4_result *, struct err *);

/*
 * Building blocks, exposed for tests. sigv4_canonical_path appends the
 * canonical URI of path under flags; sigv4_canonical_query the sorted,
 * re-encoded query (each name and value decoded, then encoded with only
 * A-Z a-z 0-9 - . _ ~ left bare). Both fail with ERR_LIMIT beyond the
 * limits above.
 */
int	sigv4_canonical_path(struct strbuf *, const char *path, unsigned flags,
	    struct err *);
int	sigv4_canonical_query(struct strbuf *, const char *query,
	    const char *extra, struct err *);
/* Signing key for day ("20150830"), region, service. */
void	sigv4_signing_key(const char *secret, const char *day,
	    const char *region, const char *service, uint8_t out[SHA256_LEN]);

#endif
