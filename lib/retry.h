/*
 * retry.h: when to retry an S3 request, and how long to wait.
 *
 * Classification (retry_classify):
 *   retry      no response because of a transient transport failure
 *              (ERR_TRANSIENT: timeouts, truncated bodies, a closed
 *              keep-alive connection; ERR_IO with ECONNRESET,
 *              ECONNREFUSED, ECONNABORTED, EPIPE, ETIMEDOUT,
 *              EHOSTUNREACH, ENETUNREACH, ENETDOWN), a garbled response
 *              (ERR_FORMAT from the HTTP layer), HTTP 500, 502, 503,
 *              504, and the S3 codes InternalError, RequestTimeout
 *              (sent with 400), ServiceUnavailable - whatever the status,
 *              so a 200 with an InternalError body retries too.
 *   throttle   HTTP 429 and the codes SlowDown, Throttling,
 *              ThrottlingException, RequestLimitExceeded,
 *              TooManyRequestsException: retried like the above.
 *   never      every other 4xx, 2xx and 3xx, and local errors (usage,
 *              memory, limits, unsupported).
 *
 * Backoff: full jitter, delay = uniform [0, min(cap, base * 2^n)] for
 * the n-th retry (n from 0); base 100 ms, cap 20 s. A Retry-After
 * header (seconds or HTTP-date) raises the delay to at least what it
 * asks, up to RETRY_AFTER_MAX_MS; a longer request ends the retries.
 *
 * Attempts: max_attempts counts the first try (default 10;
 * AWS_MAX_ATTEMPTS through retry_policy_max_attempts).
 *
 * Budget: a client-wide token bucket (as the AWS SDKs' standard mode):
 * it starts full with RETRY_BUDGET tokens; a retry takes RETRY_COST
 * (RETRY_COST_TIMEOUT after a timeout-like failure); a success gives
 * back what its own retries took, or 1 when it needed none. With the
 * bucket empty, failures are not retried, so an outage does not turn
 * every request into max_attempts requests.
 *
 * Time, sleep and randomness come from struct retry_clock so tests run
 * instantly and deterministically. A struct retry is shared by all
 * threads of a client; its budget is protected by a mutex.
 */
#ifndef RETRY_H
#define RETRY_H

#include <pthread.h>
#include <stdint.h>

#include "err.h"

#define RETRY_BASE_MS		100
#define RETRY_CAP_MS		20000
#define RETRY_MAX_ATTEMPTS	10
#define RETRY_ATTEMPTS_LIMIT	100	/* largest AWS_MAX_ATTEMPTS taken */
#define RETRY_AFTER_MAX_MS	300000
#define RETRY_BUDGET		500
#define RETRY_COST		5
#define RETRY_COST_TIMEOUT	10

enum retry_class {
	RETRY_NEVER = 0,
	RETRY_TRANSIENT,
	RETRY_THROTTLE
};

/* What happened on one attempt. */
struct retry_outcome {
	enum err_kind	 kind;		/* transport error or ERR_NONE */
	int		 errnum;	/* errno for ERR_IO */
	int		 status;	/* HTTP status, 0 if none */
	const char	*code;		/* S3 error code or NULL */
	const char	*retry_after;	/* Retry-After header or NULL */
};

struct retry_clock {
	uint64_t	(*now_ms)(void *ctx);	/* wall clock, Unix ms */
	void		(*sleep_ms)(void *ctx, uint64_t ms);
	uint64_t	(*random)(void *ctx);	/* uniform 64 bits */
	void		*ctx;
};

struct retry_policy {
	unsigned	max_attempts;	/* >= 1; 1 = no retries */
	uint64_t	base_ms;
	uint64_t	cap_ms;
	unsigned	budget;		/* bucket size; 0 = no budget */
};

struct retry {
	struct retry_policy pol;
	struct retry_clock clk;
	pthread_mutex_t	 mu;
	unsigned	 tokens;
	uint64_t	 retries;	/* counters for metrics */
	uint64_t	 refused;	/* retries the budget refused */
};

/* Per-request state. */
struct retry_attempt {
	unsigned	 attempt;	/* attempts made so far */
	unsigned	 taken;		/* budget tokens it holds */
	uint64_t	 delay_ms;	/* last delay chosen */
	const char	*why;		/* reason for the last decision */
};

enum retry_class retry_classify(const struct retry_outcome *);
/* Short name of a class: "never", "retry", "throttle". */
const char *retry_class_name(enum retry_class);

/* Defaults: 10 attempts, 100 ms, 20 s, budget 500. */
void	retry_policy_default(struct retry_policy *);
/*
 * Apply an AWS_MAX_ATTEMPTS-style value (caller passes getenv's result;
 * NULL or "" leaves the policy alone). 0 or -1 with err (ERR_USAGE)
 * unless it is an integer in 1..RETRY_ATTEMPTS_LIMIT.
 */
int	retry_policy_max_attempts(struct retry_policy *, const char *,
	    struct err *);

/* Real clock: CLOCK_REALTIME, nanosleep, getrandom. */
void	retry_clock_system(struct retry_clock *);

/* pol and clk NULL mean defaults and the system clock. */
int	retry_init(struct retry *, const struct retry_policy *,
	    const struct retry_clock *, struct err *);
void	retry_free(struct retry *);

void	retry_begin(struct retry_attempt *);
/*
 * After a failed attempt: 1 to try again after a->delay_ms (see
 * retry_wait), 0 to give up; a->why says why either way (static text,
 * e.g. "not retryable", "attempts exhausted", "retry budget empty",
 * "Retry-After too long").
 */
int	retry_decide(struct retry *, struct retry_attempt *,
	    const struct retry_outcome *);
/* Sleep a->delay_ms on the retry clock. */
void	retry_wait(struct retry *, const struct retry_attempt *);
/* After a successful attempt: refill the budget. */
void	retry_success(struct retry *, struct retry_attempt *);

/*
 * Retry-After value in ms relative to now_ms: delta-seconds or an
 * IMF-fixdate. -1 if unparseable; 0 for a date in the past.
 */
int64_t	retry_after_ms(const char *, uint64_t now_ms);

#endif
