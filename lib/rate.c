#include "rate.h"

void
rate_init(struct rate *r, uint64_t bytes_per_sec, const struct clock *c)
{
	pthread_mutex_init(&r->mu, NULL);
	r->clock = c ? c : &clock_real;
	r->rate = bytes_per_sec;
	r->burst = bytes_per_sec > 65536 ? bytes_per_sec : 65536;
	r->tokens = (double)r->burst;
	r->last_ns = r->clock->now_ns(r->clock->ctx);
}

void
rate_destroy(struct rate *r)
{
	pthread_mutex_destroy(&r->mu);
}

void
rate_take(struct rate *r, size_t n)
{
	uint64_t now, wait_ns = 0;

	if (r->rate == 0 || n == 0)
		return;
	pthread_mutex_lock(&r->mu);
	now = r->clock->now_ns(r->clock->ctx);
	r->tokens += (double)(now - r->last_ns) * (double)r->rate / 1e9;
	if (r->tokens > (double)r->burst)
		r->tokens = (double)r->burst;
	r->last_ns = now;
	r->tokens -= (double)n;
	/*
	 * Pay a debt by sleeping outside the lock; the debt stays booked, so
	 * other threads queue up behind it and the average holds.
	 */
	if (r->tokens < 0)
		wait_ns = (uint64_t)(-r->tokens * 1e9 / (double)r->rate);
	pthread_mutex_unlock(&r->mu);
	if (wait_ns > 0)
		r->clock->sleep_ns(r->clock->ctx, wait_ns);
}
