/*
 * clock.h: injectable time for code that waits (rate limits, retry
 * backoff, progress), so tests run instantly and deterministically.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

struct clock {
	/* Monotonic time in nanoseconds. */
	uint64_t	(*now_ns)(void *ctx);
	/* Sleep for ns nanoseconds (tests just advance their time). */
	void		(*sleep_ns)(void *ctx, uint64_t ns);
	void		*ctx;
};

/* The real clock: CLOCK_MONOTONIC and nanosleep. */
extern const struct clock clock_real;

/*
 * The real monotonic time in milliseconds and in seconds, for deadlines
 * and durations that need no injected clock (socket timeouts, reports).
 */
int64_t	clock_ms(void);
double	clock_sec(void);

#endif
