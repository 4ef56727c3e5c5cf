/*
 * s3int.h: internals shared by s3.c (operations) and s3req.c (the
 * request engine). Not for use outside lib/s3*.c.
 *
 * One operation is a struct s3_call: what to send, and how to take the
 * answer. s3_call_run() signs, sends, reads, classifies and retries it,
 * filling call->st and a metrics line.
 */
#ifndef S3INT_H
#define S3INT_H

#include <pthread.h>
#include <string.h>

#include "clock.h"
#include "cred.h"
#include "http.h"
#include "metrics.h"
#include "net.h"
#include "rate.h"
#include "retry.h"
#include "s3.h"
#include "sigv4.h"
#include "strbuf.h"
#include "tls.h"
#include "url.h"

#define S3_MAX_FIELDS	24		/* extra request headers */
#define S3_DOC_MAX	(16u << 20)	/* XML answer we keep in memory */
#define S3_ERRDOC_MAX	(1u << 20)	/* error body we read */

struct s3_client {
	pthread_mutex_t		 mu;	/* cfg (region), creds, totals */
	struct url_s3_config	 cfg;
	int			 region_locked;	/* user chose the region */
	struct cred_chain	 chain;		/* refreshes itself */
	int			 chain_ok;
	struct tls_config	*tls;
	struct net_pool		*pool;
	struct net_opts		 nopts;
	struct retry		 retry;		/* policy and budget */
	int			 retry_ok;	/* retry initialised */
	struct rate		 rate;
	int			 sign_payload;	/* s3_opts.sign_payload */
	struct metrics		*metrics;
	void			(*log)(void *, const char *);
	void			*log_arg;
	struct s3_totals	 totals;
	const struct clock	*clock;
};

struct s3_call {
	/* the request */
	const char	*op;		/* "PutObject" for messages/metrics */
	const char	*method;
	const char	*bucket;
	const char	*key;		/* NULL or "" for bucket operations */
	const char	*query;		/* encoded, NULL for none */
	struct http_field fields[S3_MAX_FIELDS];
	size_t		 nfields;
	const struct s3_body *body;	/* NULL: no body */
	int		 part;		/* for metrics, 0 if none */
	int		 md5_signed;	/* a Content-MD5 field binds body */
	int		 head;		/* HEAD: the answer has no body */

	/*
	 * Before each attempt (may change fields, e.g. the Range of a
	 * resumed GET). 0 or -1 with err (not retried).
	 */
	int		(*prepare)(struct s3_call *, struct err *);
	/*
	 * On a 2xx head, before the body. -1 with err stops; an err of kind
	 * ERR_TRANSIENT is retried.
	 */
	int		(*on_head)(struct s3_call *, const struct http_response *,
			    struct err *);
	/* 2xx body goes to sink when set, else is collected into doc. */
	int		(*sink)(void *, const void *, size_t, struct err *);
	void		*arg;		/* for the callbacks */
	struct strbuf	 doc;
	/*
	 * When set, run on doc after a 2xx: returns 0 fine, 1 when doc is an
	 * S3 <Error> (code filled: classified and maybe retried), -1 error.
	 */
	int		(*check_doc)(struct s3_call *, char *code, size_t n,
			    char *msg, size_t mn, struct err *);

	/* results */
	struct s3_status st;
	uint64_t	 bytes_in, bytes_out;

	/* engine state */
	char		 payload_hash[2 * SHA256_LEN + 1];
	int		 region_retry_done;
	int		 stale_retry_done;	/* resent after a stale conn */
	struct metrics_op mop;
	char		 ids[METRICS_MAX_ATTEMPTS][S3_REQUEST_ID_MAX];
};

/* Initialise a call (fields empty, doc empty). */
void	s3_call_init(struct s3_call *, const char *op, const char *method,
	    const char *bucket, const char *key);
/* Add a request header; both strings must outlive the call. */
void	s3_call_field(struct s3_call *, const char *name, const char *value);
void	s3_call_free(struct s3_call *);

/*
 * Run the call with retries. 0 on 2xx (doc or sink has the body), or -1
 * with err ("Op s3://bucket/key: STATUS CODE: message (request id X,
 * N attempts)"). call->st is filled either way.
 */
int	s3_call_run(struct s3_client *, struct s3_call *, struct err *);

/* Header value of the 2xx response into out (quotes kept), "" absent. */
void	s3_header(const struct http_response *, const char *name, char *out,
	    size_t n);

/* Bounded string copy, always NUL-terminated (truncates). */
static inline void
s3_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (n == 0)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/*
 * Parse a Content-Range value "bytes A-B/TOTAL" (digits only; TOTAL "*"
 * gives UINT64_MAX). 0, or -1 when malformed or B < A or TOTAL <= B.
 */
int	s3_content_range(const char *, uint64_t *a, uint64_t *b,
	    uint64_t *total);

/*
 * A GetObject whose retries resume at the first byte not yet delivered
 * (s3read.c), shared by s3_get and s3_get_suffix. The caller's context
 * starts with a struct s3_getw and call->arg points at it: the engine
 * hands call->arg to the sink, which takes it as the struct s3_getw,
 * while the caller's prepare and on_head take it as the whole context.
 * prepare sets the Range (and If-Match) of each attempt; on_head calls
 * s3_getw_head, then sets skip and limit for the answer that came.
 */
struct s3_getw {
	uint64_t	 delivered;	/* bytes handed to sink, all attempts */
	uint64_t	 skip;		/* leading body bytes to drop, this attempt */
	uint64_t	 limit;		/* body bytes still taken, this attempt */
	const char	*if_match;	/* the caller's, NULL or "" for none */
	char		 range[64];	/* the Range value of this attempt */
	struct s3_object obj;		/* of the first 2xx answer */
	int		 known;		/* obj is set */
	int		(*sink)(void *, const void *, size_t, struct err *);
	void		*arg;		/* for sink */
};

/*
 * Zero w, keep if_match, sink and arg (borrowed: they must outlive the
 * call), and initialise c as the GetObject of bucket/key with its body
 * going through s3_getw_sink (c->sink, c->arg = w). The caller then
 * sets c->prepare and c->on_head.
 */
void	s3_getw_init(struct s3_getw *, struct s3_call *, const char *bucket,
	    const char *key, const char *if_match,
	    int (*sink)(void *, const void *, size_t, struct err *), void *arg);

/*
 * For on_head: fill *now from the 2xx head r and copy its Content-Range
 * into cr (n bytes, "" when absent). 0, or -1 with an ERR_REMOTE err
 * ("object changed during download") when w->obj is known and the ETag
 * is not the one it had.
 */
int	s3_getw_head(const struct s3_getw *, const struct http_response *r,
	    struct s3_object *now, char *cr, size_t n, struct err *);

/*
 * The call's sink (arg is the struct s3_getw): drops w->skip leading
 * bytes, passes on at most w->limit, counts w->delivered, and returns
 * what w->sink returns (0 for bytes it drops).
 */
int	s3_getw_sink(void *, const void *, size_t, struct err *);

/*
 * After a 416 to a GET for the first byte, or for the last bytes, of an
 * object: an empty object has no byte to name, so HEAD bucket/key into
 * w->obj (and *st when st is not NULL). 0 when the object is empty; -1
 * with err when the HEAD fails, or with an ERR_REMOTE err ("GetObject
 * s3://b/k: 416 for an object of N bytes") when it is not empty.
 */
int	s3_getw_empty(struct s3_client *, struct s3_getw *, const char *bucket,
	    const char *key, struct s3_status *st, struct err *);

/*
 * A 2xx GET whose body ended before the bytes asked for: -1 with an
 * ERR_TRANSIENT err ("GetObject s3://b/k: short body (GOT of WANT
 * bytes)").
 */
int	s3_getw_short(struct err *, const char *bucket, const char *key,
	    uint64_t got, uint64_t want);

/* Object metadata from response headers (HEAD or GET). */
void	s3_fill_object(struct s3_object *, const struct http_response *);

/*
 * Credential chain (s3cred.c): set up cl->chain with the real HTTP
 * fetcher and resolve once. 0 or -1 with err.
 */
int	s3_creds_load(struct s3_client *, struct err *);
void	s3_creds_free(struct s3_client *);

#endif
