#include <errno.h>
#include <time.h>

#include "clock.h"

static uint64_t
real_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
real_sleep(void *ctx, uint64_t ns)
{
	struct timespec ts, rem;

	(void)ctx;
	ts.tv_sec = (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
		ts = rem;
}

const struct clock clock_real = { real_now, real_sleep, NULL };

int64_t
clock_ms(void)
{
	return (int64_t)(real_now(NULL) / 1000000u);
}

double
clock_sec(void)
{
	return (double)real_now(NULL) / 1e9;
}
