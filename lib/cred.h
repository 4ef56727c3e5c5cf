/*
 * cred.h: the AWS credential chain.
 *
 * Order, first configured source wins:
 *   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
 *      (+ AWS_SESSION_TOKEN); one without the other is an error
 *   2. profile AWS_PROFILE (or "default") in the shared credentials
 *      file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials),
 *      then in the config file (AWS_CONFIG_FILE, else ~/.aws/config,
 *      section "[profile NAME]" or "[default]")
 *   3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
 *      (AWS_ROLE_SESSION_NAME optional) -> STS AssumeRoleWithWebIdentity
 *      at AWS_ENDPOINT_URL_STS, else https://sts.REGION.amazonaws.com
 *   4. container: AWS_CONTAINER_CREDENTIALS_FULL_URI, or
 *      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI appended to
 *      http://169.254.170.2; Authorization from
 *      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN
 *   5. EC2 IMDSv2 at AWS_EC2_METADATA_SERVICE_ENDPOINT (default
 *      http://169.254.169.254): PUT a session token, GET the role name,
 *      GET its credentials; skipped when AWS_EC2_METADATA_DISABLED=true
 *
 * The module does no network I/O: HTTP goes through the fetch callback
 * the caller injects (tests answer from fakes; the S3 client wires the
 * real HTTP client, which should give metadata and container requests
 * a short timeout, about 1 s, since they are tried on every host). It
 * reads only the local files named above, and never the environment
 * except in cred_env_get(), whose only job that is.
 *
 * Secrets (secret key, session token, web identity token, container
 * authorization token, IMDS token) never appear in an error message;
 * response bodies are never quoted in errors. Buffers that held them
 * are wiped with explicit_bzero.
 *
 * Expiry: temporary credentials are refreshed CRED_REFRESH_MS before
 * they expire; if a refresh fails while the old ones are still valid,
 * the old ones are used.
 */
#ifndef CRED_H
#define CRED_H

#include <pthread.h>
#include <stdint.h>

#include "err.h"
#include "http.h"
#include "strbuf.h"

#define CRED_KEY_MAX		128
#define CRED_TOKEN_MAX		(8 * 1024)
#define CRED_FILE_MAX		(1024 * 1024)	/* config/credentials */
#define CRED_REFRESH_MS		(5 * 60 * 1000)
#define CRED_CONTAINER_HOST	"http://169.254.170.2"
#define CRED_IMDS_DEFAULT	"http://169.254.169.254"

struct cred {
	char		access_key[CRED_KEY_MAX];
	char		secret_key[CRED_KEY_MAX];
	char		token[CRED_TOKEN_MAX];	/* "" when none */
	uint64_t	expires_ms;		/* Unix ms; 0 = does not */
	const char	*source;	/* "env", "profile", "web-identity",
					   "container", "imds" */
};

/* Every input the chain looks at; NULL or "" = unset. */
struct cred_env {
	const char	*access_key_id;		/* AWS_ACCESS_KEY_ID */
	const char	*secret_access_key;	/* AWS_SECRET_ACCESS_KEY */
	const char	*session_token;		/* AWS_SESSION_TOKEN */
	const char	*profile;		/* AWS_PROFILE */
	const char	*config_file;		/* AWS_CONFIG_FILE */
	const char	*credentials_file;	/* AWS_SHARED_CREDENTIALS_... */
	const char	*home;			/* HOME */
	const char	*region;		/* AWS_REGION / _DEFAULT_REGION */
	const char	*web_identity_token_file;
	const char	*role_arn;
	const char	*role_session_name;
	const char	*sts_endpoint;		/* AWS_ENDPOINT_URL_STS */
	const char	*container_full_uri;
	const char	*container_relative_uri;
	const char	*container_token;
	const char	*container_token_file;
	const char	*imds_endpoint;	/* ..._METADATA_SERVICE_ENDPOINT */
	const char	*imds_disabled;	/* AWS_EC2_METADATA_DISABLED */
};

/* Fill env from getenv() (pointers valid until the environment changes). */
void	cred_env_get(struct cred_env *);

/*
 * The injected HTTP client: perform method on url with the headers and
 * body, put the status in *status and the body in *body (the callee
 * appends; cap it). 0, or -1 with err when no response came. A fake in
 * tests; the real HTTP client in the tools.
 */
typedef int	(*cred_fetch_fn)(void *ctx, const char *method,
		    const char *url, const struct http_field *headers,
		    size_t nheaders, const char *body, size_t bodylen,
		    int *status, struct strbuf *resp, struct err *);

struct cred_chain {
	struct cred_env	 env;		/* copied: owned strings */
	char		*strings;	/* storage for env copies */
	cred_fetch_fn	 fetch;
	void		*fetch_ctx;
	uint64_t	(*now_ms)(void *);	/* NULL = real clock */
	void		*now_ctx;
	pthread_mutex_t	 mu;
	int		 have;
	struct cred	 cur;
};

/*
 * Set up a chain over a copy of env (the caller's strings may go away).
 * fetch may be NULL: then sources 3-5 report that they need HTTP.
 * 0 or -1 with err.
 */
int	cred_chain_init(struct cred_chain *, const struct cred_env *,
	    cred_fetch_fn fetch, void *fetch_ctx, struct err *);
/* Wipe and free. */
void	cred_chain_free(struct cred_chain *);

/*
 * Current credentials into *out (a copy the caller wipes with
 * cred_clear): cached, or resolved/refreshed through the chain.
 * Thread-safe. 0 or -1 with err naming the source that failed, or
 * listing what was tried when none is configured.
 */
int	cred_get(struct cred_chain *, struct cred *out, struct err *);
void	cred_clear(struct cred *);

/*
 * A setting of the active profile (AWS_PROFILE or "default") from the
 * config file, e.g. "region": 1 and the value in out, 0 when absent,
 * -1 with err when unreadable or too long. For url_s3_env.profile_region
 * (configuration precedence: flags > environment > config file).
 */
int	cred_profile_setting(const struct cred_env *, const char *key,
	    char *out, size_t n, struct err *);

/*
 * Building blocks, exposed for tests. cred_container_url: the URL the
 * container source would GET (0, or -1 when neither variable is set or
 * the full URI is not allowed: plain http only to loopback or the
 * ECS/EKS link-local hosts). cred_parse_time: ISO 8601 UTC to Unix ms.
 */
int	cred_container_url(const struct cred_env *, char *out, size_t n,
	    struct err *);
int	cred_parse_time(const char *, uint64_t *ms);

#endif
