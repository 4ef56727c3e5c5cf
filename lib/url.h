/*
 * url.h: s3:// and http(s):// URLs, S3 endpoint and addressing style,
 * percent-encoding.
 *
 * Pure functions over strings: nothing here reads the environment,
 * except url_s3_env_get(), which exists to do exactly that and nothing
 * else. Configuration precedence (flags > AWS_ENDPOINT_URL_S3 >
 * AWS_ENDPOINT_URL > AWS default; region flag > AWS_REGION >
 * AWS_DEFAULT_REGION > the profile's region (cred_profile_setting) >
 * "us-east-1") is applied by url_s3_config().
 *
 * Addressing: path-style (http://host/bucket/key) when an endpoint URL
 * is given or path-style is forced; virtual-hosted
 * (https://bucket.s3.REGION.amazonaws.com/key) for AWS, except for
 * bucket names that are not valid DNS labels or that contain dots while
 * TLS is on (a dotted name breaks the *.s3 wildcard certificate).
 */
#ifndef URL_H
#define URL_H

#include <stddef.h>

#include "err.h"
#include "strbuf.h"

#define URL_HOST_MAX	255	/* DNS name or IPv6 literal (no brackets) */
#define URL_BUCKET_MAX	63
#define URL_KEY_MAX	1024	/* S3 limit on key length in bytes */
#define URL_REGION_MAX	63
#define URL_PATH_MAX	1024	/* base path of an endpoint */

/* url_encode flags */
#define URL_KEEP_SLASH	0x01	/* leave '/' bare (S3 object paths) */

/*
 * Append s[0..n) percent-encoded: every byte except A-Z a-z 0-9 - . _ ~
 * (and '/' with URL_KEEP_SLASH) becomes %XX with upper-case hex. This is
 * the S3 and SigV4 rule: space is %20, never '+'.
 */
void	url_encode(struct strbuf *, const char *s, size_t n, int flags);
/*
 * Append s[0..n) with %XX sequences decoded. A '%' not followed by two
 * hex digits is copied as is; '+' is left alone.
 */
void	url_decode(struct strbuf *, const char *s, size_t n);
/* Append "&name=value" (no '&' when sb is empty), both encoded. */
void	url_query_add(struct strbuf *, const char *name, const char *value);

struct url_endpoint {
	int		tls;		/* 1 for https */
	int		ipv6;		/* host is an IPv6 literal */
	int		port_given;	/* port was explicit in the URL */
	unsigned	port;		/* explicit, or 443 / 80 */
	char		host[URL_HOST_MAX + 1];	/* lower case, bare */
	char		path[URL_PATH_MAX + 1];	/* "" or "/base" */
};

/*
 * Parse "http[s]://host[:port][/path]", host a DNS name, IPv4 address
 * or "[IPv6]". No user info, query or fragment. A trailing '/' on the
 * path is dropped. 0 or -1 with err (ERR_USAGE) naming the problem.
 */
int	url_parse_endpoint(const char *, struct url_endpoint *, struct err *);

/*
 * "host:port" as a Host header: port omitted when it is the scheme's
 * default, IPv6 literal in brackets. Writes at most n bytes with NUL.
 */
void	url_host_header(const struct url_endpoint *, char *, size_t n);

struct url_s3 {
	char	bucket[URL_BUCKET_MAX + 1];	/* "" for "s3://" */
	char	key[URL_KEY_MAX + 1];		/* as typed, not encoded */
};

/*
 * Parse "s3://bucket[/key]". The key is taken verbatim (S3 keys may hold
 * any byte but NUL); "s3://b/" gives an empty key. Bucket: 3..63 of
 * a-z 0-9 . - (also A-Z and _ for legacy and non-AWS servers). 0 or -1
 * with err (ERR_USAGE).
 */
int	url_parse_s3(const char *, struct url_s3 *, struct err *);

/* 1 when the bucket may be a DNS label for virtual-hosted addressing. */
int	url_bucket_dns_ok(const char *bucket, int tls);

/* Raw inputs for url_s3_config(); each may be NULL or "" (unset). */
struct url_s3_env {
	const char	*endpoint_flag;		/* --endpoint-url */
	const char	*endpoint_s3;		/* AWS_ENDPOINT_URL_S3 */
	const char	*endpoint;		/* AWS_ENDPOINT_URL */
	const char	*region_flag;		/* --region */
	const char	*region;		/* AWS_REGION */
	const char	*default_region;	/* AWS_DEFAULT_REGION */
	const char	*profile_region;	/* region in ~/.aws/config */
	int		 force_path_style;	/* --path-style */
};

/*
 * Fill the environment fields of env from getenv() (the one function
 * in this module that reads the environment); flag fields untouched.
 * The pointers are getenv's: valid until the environment changes.
 */
void	url_s3_env_get(struct url_s3_env *);

struct url_s3_config {
	struct url_endpoint ep;		/* where to connect */
	int		custom;		/* an endpoint URL was given */
	int		path_style;	/* forced or implied by custom */
	char		region[URL_REGION_MAX + 1];
};

/* Resolve endpoint, region and style. 0 or -1 with err (ERR_USAGE). */
int	url_s3_config(const struct url_s3_env *, struct url_s3_config *,
	    struct err *);

/*
 * Change the region (region discovery after a redirect). For the AWS
 * default endpoint the host follows the region. 0 or -1 (bad name).
 */
int	url_s3_set_region(struct url_s3_config *, const char *region,
	    struct err *);

/* Where one S3 request goes and what it says on the request line. */
struct url_s3_request {
	char		host[URL_HOST_MAX + 1];	/* connect to this ... */
	unsigned	port;			/* ... on this port */
	int		tls;
	char		host_header[URL_HOST_MAX + URL_BUCKET_MAX + 16];
	struct strbuf	path;	/* encoded path (SigV4 signs it) */
	struct strbuf	target;	/* path?query: request line */
};

/*
 * Build host, Host header, encoded path and request target for an
 * operation on bucket (may be "" for ListBuckets) and key (may be ""
 * or NULL), with an already-encoded query (NULL or "" for none; see
 * url_query_add). Initialises req's buffers: url_s3_request_free().
 */
int	url_s3_request(const struct url_s3_config *, const char *bucket,
	    const char *key, const char *query, struct url_s3_request *,
	    struct err *);
void	url_s3_request_free(struct url_s3_request *);

#endif
