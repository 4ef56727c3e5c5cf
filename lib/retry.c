#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "retry.h"

static const char *const transient_codes[] = {
	"InternalError", "RequestTimeout", "ServiceUnavailable", NULL
};
static const char *const throttle_codes[] = {
	"SlowDown", "Throttling", "ThrottlingException",
	"RequestLimitExceeded", "TooManyRequestsException", NULL
};

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int
retryable_errno(int e)
{
	switch (e) {
	case ECONNRESET:
	case ECONNREFUSED:
	case ECONNABORTED:
	case EPIPE:
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ENETDOWN:
		return 1;
	default:
		return 0;
	}
}

enum retry_class
retry_classify(const struct retry_outcome *o)
{
	if (o->code != NULL && o->code[0] != '\0') {
		if (in_list(o->code, throttle_codes))
			return RETRY_THROTTLE;
		if (in_list(o->code, transient_codes))
			return RETRY_TRANSIENT;
	}
	if (o->status == 0) {
		switch (o->kind) {
		case ERR_TRANSIENT:
		case ERR_FORMAT:
			return RETRY_TRANSIENT;
		case ERR_IO:
			return retryable_errno(o->errnum) ? RETRY_TRANSIENT :
			    RETRY_NEVER;
		default:
			return RETRY_NEVER;
		}
	}
	if (o->status == 429)
		return RETRY_THROTTLE;
	if (o->status == 500 || o->status == 502 || o->status == 503 ||
	    o->status == 504)
		return RETRY_TRANSIENT;
	return RETRY_NEVER;
}

const char *
retry_class_name(enum retry_class c)
{
	switch (c) {
	case RETRY_TRANSIENT: return "retry";
	case RETRY_THROTTLE: return "throttle";
	default: return "never";
	}
}

void
retry_policy_default(struct retry_policy *p)
{
	p->max_attempts = RETRY_MAX_ATTEMPTS;
	p->base_ms = RETRY_BASE_MS;
	p->cap_ms = RETRY_CAP_MS;
	p->budget = RETRY_BUDGET;
}

int
retry_policy_max_attempts(struct retry_policy *p, const char *s,
    struct err *e)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < 1 ||
	    v > RETRY_ATTEMPTS_LIMIT)
		return err_set(e, ERR_USAGE,
		    "AWS_MAX_ATTEMPTS '%.20s': want 1..%d", s,
		    RETRY_ATTEMPTS_LIMIT);
	p->max_attempts = (unsigned)v;
	return 0;
}

static uint64_t
sys_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sys_sleep(void *ctx, uint64_t ms)
{
	struct timespec ts;

	(void)ctx;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static uint64_t
sys_random(void *ctx)
{
	static _Thread_local uint64_t x;
	uint64_t v;

	(void)ctx;
	if (getrandom(&v, sizeof(v), 0) == (ssize_t)sizeof(v))
		return v;
	/* xorshift64* from the clock: jitter needs spread, not secrecy. */
	if (x == 0)
		x = sys_now(NULL) | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 0x2545F4914F6CDD1DULL;
}

void
retry_clock_system(struct retry_clock *c)
{
	c->now_ms = sys_now;
	c->sleep_ms = sys_sleep;
	c->random = sys_random;
	c->ctx = NULL;
}

int
retry_init(struct retry *r, const struct retry_policy *pol,
    const struct retry_clock *clk, struct err *e)
{
	memset(r, 0, sizeof(*r));
	if (pol != NULL)
		r->pol = *pol;
	else
		retry_policy_default(&r->pol);
	if (r->pol.max_attempts < 1)
		r->pol.max_attempts = 1;
	if (clk != NULL)
		r->clk = *clk;
	else
		retry_clock_system(&r->clk);
	r->tokens = r->pol.budget;
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		return err_set(e, ERR_NOMEM, "retry: cannot create mutex");
	return 0;
}

void
retry_free(struct retry *r)
{
	pthread_mutex_destroy(&r->mu);
}

void
retry_begin(struct retry_attempt *a)
{
	memset(a, 0, sizeof(*a));
	a->attempt = 1;
}

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

int64_t
retry_after_ms(const char *s, uint64_t now_ms)
{
	struct tm tm;
	char mon[4], wday[4], gmt[4];
	int day, year, hh, mm, ss, i, n = 0;
	unsigned long v;
	char *end;
	time_t t;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		while (*end == ' ')
			end++;
		if (*end != '\0' || errno != 0 || v > 86400UL * 365)
			return -1;
		return (int64_t)v * 1000;
	}
	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", wday, &day, mon,
	    &year, &hh, &mm, &ss, gmt, &n) != 8 || s[n] != '\0' ||
	    strcmp(gmt, "GMT") != 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	for (i = 0; i < 12 && strcmp(mon, months[i]) != 0; i++)
		;
	if (i == 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 ||
	    year < 1970)
		return -1;
	tm.tm_mon = i;
	tm.tm_mday = day;
	tm.tm_year = year - 1900;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if ((uint64_t)t * 1000 <= now_ms)
		return 0;
	return (int64_t)((uint64_t)t * 1000 - now_ms);
}

static int
timeout_like(const struct retry_outcome *o)
{
	return (o->status == 0 && o->kind == ERR_TRANSIENT) ||
	    (o->kind == ERR_IO && o->errnum == ETIMEDOUT) ||
	    (o->code != NULL && strcmp(o->code, "RequestTimeout") == 0);
}

int
retry_decide(struct retry *r, struct retry_attempt *a,
    const struct retry_outcome *o)
{
	enum retry_class c = retry_classify(o);
	uint64_t ceil, delay;
	unsigned cost, n;
	int64_t ra = -1;

	a->delay_ms = 0;
	if (c == RETRY_NEVER) {
		a->why = "not retryable";
		return 0;
	}
	if (a->attempt >= r->pol.max_attempts) {
		a->why = "attempts exhausted";
		return 0;
	}
	if (o->retry_after != NULL) {
		ra = retry_after_ms(o->retry_after, r->clk.now_ms(r->clk.ctx));
		if (ra > RETRY_AFTER_MAX_MS) {
			a->why = "Retry-After too long";
			return 0;
		}
	}
	cost = timeout_like(o) ? RETRY_COST_TIMEOUT : RETRY_COST;
	if (r->pol.budget > 0) {
		pthread_mutex_lock(&r->mu);
		if (r->tokens < cost) {
			r->refused++;
			pthread_mutex_unlock(&r->mu);
			a->why = "retry budget empty";
			return 0;
		}
		r->tokens -= cost;
		r->retries++;
		pthread_mutex_unlock(&r->mu);
		a->taken += cost;
	}
	/* n-th retry: ceiling base * 2^n, saturating at the cap. */
	n = a->attempt - 1;
	ceil = r->pol.base_ms;
	while (n-- > 0 && ceil < r->pol.cap_ms)
		ceil *= 2;
	if (ceil > r->pol.cap_ms)
		ceil = r->pol.cap_ms;
	/* Uniform in [0, ceil] from the top 53 random bits. */
	delay = (uint64_t)((double)(r->clk.random(r->clk.ctx) >> 11) /
	    9007199254740992.0 * (double)(ceil + 1));
	if (delay > ceil)
		delay = ceil;
	if (ra > 0 && (uint64_t)ra > delay)
		delay = (uint64_t)ra;
	a->delay_ms = delay;
	a->attempt++;
	a->why = c == RETRY_THROTTLE ? "throttled" : "transient failure";
	return 1;
}

void
retry_wait(struct retry *r, const struct retry_attempt *a)
{
	if (a->delay_ms > 0)
		r->clk.sleep_ms(r->clk.ctx, a->delay_ms);
}

void
retry_success(struct retry *r, struct retry_attempt *a)
{
	unsigned back = a->taken > 0 ? a->taken : 1;

	if (r->pol.budget == 0)
		return;
	pthread_mutex_lock(&r->mu);
	r->tokens = r->tokens + back > r->pol.budget ? r->pol.budget :
	    r->tokens + back;
	pthread_mutex_unlock(&r->mu);
	a->taken = 0;
}
