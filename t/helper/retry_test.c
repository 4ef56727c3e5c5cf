/*
 * retry_test: drive lib/retry on a virtual clock (sleeping advances it,
 * nothing really waits).
 *
 *	retry_test classify            one line per outcome: class name
 *	retry_test backoff RAND        delays of one request failing with
 *	                               503 until it gives up; RAND = max,
 *	                               zero or seq (deterministic sequence)
 *	retry_test jitter              bounds and mean of the jitter
 *	retry_test budget N            N requests in an outage, then recovery
 *	retry_test after               Retry-After parsing and its effect
 *	retry_test attempts VALUE      AWS_MAX_ATTEMPTS handling
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retry.h"

struct vclock {
	uint64_t	now;
	uint64_t	slept;
	int		mode;		/* 0 max, 1 zero, 2 sequence */
	uint64_t	seq;
};

static uint64_t
v_now(void *ctx)
{
	return ((struct vclock *)ctx)->now;
}

static void
v_sleep(void *ctx, uint64_t ms)
{
	struct vclock *v = ctx;

	v->now += ms;
	v->slept += ms;
}

static uint64_t
v_random(void *ctx)
{
	struct vclock *v = ctx;

	if (v->mode == 0)
		return UINT64_MAX;
	if (v->mode == 1)
		return 0;
	/* splitmix64 */
	uint64_t z = (v->seq += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
setup(struct retry *r, struct vclock *v, int mode, unsigned budget)
{
	struct retry_clock clk = { v_now, v_sleep, v_random, v };
	struct retry_policy pol;
	struct err e;

	memset(v, 0, sizeof(*v));
	v->now = 1700000000000ULL;
	v->mode = mode;
	retry_policy_default(&pol);
	pol.budget = budget;
	if (retry_init(r, &pol, &clk, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		exit(1);
	}
}

static int
classify(void)
{
	static const struct {
		const char *what;
		struct retry_outcome o;
	} t[] = {
		{ "reset", { ERR_IO, ECONNRESET, 0, NULL, NULL } },
		{ "refused", { ERR_IO, ECONNREFUSED, 0, NULL, NULL } },
		{ "epipe", { ERR_IO, EPIPE, 0, NULL, NULL } },
		{ "etimedout", { ERR_IO, ETIMEDOUT, 0, NULL, NULL } },
		{ "enoent", { ERR_IO, ENOENT, 0, NULL, NULL } },
		{ "timeout", { ERR_TRANSIENT, 0, 0, NULL, NULL } },
		{ "truncated", { ERR_TRANSIENT, 0, 0, NULL, NULL } },
		{ "garbage", { ERR_FORMAT, 0, 0, NULL, NULL } },
		{ "usage", { ERR_USAGE, 0, 0, NULL, NULL } },
		{ "nomem", { ERR_NOMEM, 0, 0, NULL, NULL } },
		{ "200", { ERR_NONE, 0, 200, NULL, NULL } },
		{ "200-InternalError", { ERR_NONE, 0, 200, "InternalError",
		    NULL } },
		{ "301", { ERR_NONE, 0, 301, "PermanentRedirect", NULL } },
		{ "400", { ERR_NONE, 0, 400, "InvalidArgument", NULL } },
		{ "400-RequestTimeout", { ERR_NONE, 0, 400, "RequestTimeout",
		    NULL } },
		{ "403", { ERR_NONE, 0, 403, "SignatureDoesNotMatch", NULL } },
		{ "404", { ERR_NONE, 0, 404, "NoSuchKey", NULL } },
		{ "409", { ERR_NONE, 0, 409, "BucketNotEmpty", NULL } },
		{ "412", { ERR_NONE, 0, 412, "PreconditionFailed", NULL } },
		{ "416", { ERR_NONE, 0, 416, "InvalidRange", NULL } },
		{ "429", { ERR_NONE, 0, 429, NULL, NULL } },
		{ "500", { ERR_NONE, 0, 500, "InternalError", NULL } },
		{ "500-nocode", { ERR_NONE, 0, 500, NULL, NULL } },
		{ "501", { ERR_NONE, 0, 501, "NotImplemented", NULL } },
		{ "502", { ERR_NONE, 0, 502, NULL, NULL } },
		{ "503", { ERR_NONE, 0, 503, NULL, NULL } },
		{ "503-SlowDown", { ERR_NONE, 0, 503, "SlowDown", NULL } },
		{ "503-ServiceUnavailable", { ERR_NONE, 0, 503,
		    "ServiceUnavailable", NULL } },
		{ "504", { ERR_NONE, 0, 504, NULL, NULL } },
		{ "400-Throttling", { ERR_NONE, 0, 400, "Throttling", NULL } },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		printf("%s %s\n", t[i].what,
		    retry_class_name(retry_classify(&t[i].o)));
	return 0;
}

static int
backoff(const char *mode)
{
	struct retry r;
	struct vclock v;
	struct retry_attempt a;
	struct retry_outcome o = { ERR_NONE, 0, 503, "SlowDown", NULL };
	int m = strcmp(mode, "max") == 0 ? 0 : strcmp(mode, "zero") == 0 ?
	    1 : 2;

	setup(&r, &v, m, RETRY_BUDGET);
	retry_begin(&a);
	while (retry_decide(&r, &a, &o)) {
		printf("attempt %u delay %" PRIu64 "\n", a.attempt, a.delay_ms);
		retry_wait(&r, &a);
	}
	printf("gave up after %u attempts: %s; slept %" PRIu64 " ms\n",
	    a.attempt, a.why, v.slept);
	retry_free(&r);
	return 0;
}

/* Full jitter: within [0, ceiling] and centred on half of it. */
static int
jitter(void)
{
	struct retry r;
	struct vclock v;
	struct retry_attempt a;
	struct retry_outcome o = { ERR_NONE, 0, 500, NULL, NULL };
	uint64_t ceil, sum[9] = { 0 }, top[9] = { 0 };
	int i, n, fails = 0;

	setup(&r, &v, 2, 0);
	for (i = 0; i < 2000; i++) {
		retry_begin(&a);
		for (n = 0; retry_decide(&r, &a, &o); n++) {
			sum[n] += a.delay_ms;
			if (a.delay_ms > top[n])
				top[n] = a.delay_ms;
		}
	}
	for (n = 0, ceil = 100; n < 9; n++, ceil = ceil * 2 > 20000 ?
	    20000 : ceil * 2) {
		double mean = (double)sum[n] / 2000;

		if (top[n] > ceil || mean < 0.45 * ceil || mean > 0.55 * ceil ||
		    top[n] < 0.95 * ceil) {
			printf("retry %d: ceiling %" PRIu64 " max %" PRIu64
			    " mean %.1f\n", n, ceil, top[n], mean);
			fails++;
		}
	}
	printf("jitter: %d failures\n", fails);
	retry_free(&r);
	return fails ? 1 : 0;
}

static int
budget(int n)
{
	struct retry r;
	struct vclock v;
	struct retry_attempt a;
	struct retry_outcome fail = { ERR_NONE, 0, 503, NULL, NULL };
	struct retry_outcome tmo = { ERR_TRANSIENT, 0, 0, NULL, NULL };
	unsigned long attempts = 0;
	int i;

	setup(&r, &v, 1, RETRY_BUDGET);
	for (i = 0; i < n; i++) {
		retry_begin(&a);
		attempts++;
		while (retry_decide(&r, &a, &fail))
			attempts++;
	}
	printf("outage: %d requests, %lu attempts, %" PRIu64 " retries, "
	    "%" PRIu64 " refused, tokens %u\n", n, attempts, r.retries,
	    r.refused, r.tokens);
	/* Recovery: each first-try success gives one token back. */
	for (i = 0; i < 20; i++) {
		retry_begin(&a);
		retry_success(&r, &a);
	}
	printf("after 20 successes: tokens %u\n", r.tokens);
	/* A retried success returns what it took; timeouts cost more. */
	retry_begin(&a);
	printf("timeout retry: %d", retry_decide(&r, &a, &tmo));
	printf(" taken %u tokens %u\n", a.taken, r.tokens);
	retry_success(&r, &a);
	printf("after its success: tokens %u\n", r.tokens);
	retry_free(&r);
	return 0;
}

static int
after(void)
{
	static const char *in[] = {
		"0", "5", " 120 ", "-1", "5x", "", "99999999999999",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Tue, 14 Nov 2023 22:13:30 GMT",
		"Tue, 14 Nov 2023 22:13:20 GMT", "Tue, 14 Nov 2023 22:13:30 UTC",
		"Tue, 14 Foo 2023 22:13:30 GMT",
	};
	struct retry r;
	struct vclock v;
	struct retry_attempt a;
	struct retry_outcome o = { ERR_NONE, 0, 503, "SlowDown", "7" };
	size_t i;

	/* now = 2023-11-14T22:13:20Z */
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		printf("[%s] %" PRId64 "\n", in[i],
		    retry_after_ms(in[i], 1700000000000ULL));
	setup(&r, &v, 1, RETRY_BUDGET);
	retry_begin(&a);
	printf("Retry-After 7 with zero jitter: retry %d",
	    retry_decide(&r, &a, &o));
	printf(" delay %" PRIu64 "\n", a.delay_ms);
	o.retry_after = "3600";
	printf("Retry-After 3600: retry %d", retry_decide(&r, &a, &o));
	printf(" (%s)\n", a.why);
	retry_free(&r);
	return 0;
}

static int
attempts(const char *val)
{
	struct retry_policy p;
	struct retry r;
	struct vclock v;
	struct retry_attempt a;
	struct retry_outcome o = { ERR_IO, ECONNRESET, 0, NULL, NULL };
	struct retry_clock clk = { v_now, v_sleep, v_random, &v };
	struct err e;
	unsigned tries = 1;

	retry_policy_default(&p);
	if (retry_policy_max_attempts(&p, val, &e) != 0) {
		printf("error: %s\n", e.msg);
		return 0;
	}
	memset(&v, 0, sizeof(v));
	retry_init(&r, &p, &clk, &e);
	retry_begin(&a);
	while (retry_decide(&r, &a, &o))
		tries++;
	printf("max %u: %u attempts (%s)\n", p.max_attempts, tries, a.why);
	retry_free(&r);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "classify") == 0)
		return classify();
	if (argc == 3 && strcmp(argv[1], "backoff") == 0)
		return backoff(argv[2]);
	if (argc == 2 && strcmp(argv[1], "jitter") == 0)
		return jitter();
	if (argc == 3 && strcmp(argv[1], "budget") == 0)
		return budget((int)strtol(argv[2], NULL, 10));
	if (argc == 2 && strcmp(argv[1], "after") == 0)
		return after();
	if (argc == 3 && strcmp(argv[1], "attempts") == 0)
		return attempts(argv[2]);
	fprintf(stderr, "usage: retry_test classify|backoff MODE|budget N|"
	    "after|attempts VALUE\n");
	return 2;
}
