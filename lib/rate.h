/*
 * rate.h: a token bucket that caps the average byte rate of all
 * connections of a client (--limit-rate).
 *
 * Tokens accrue at rate bytes per second up to a burst of one second's
 * worth (at least 64 KiB). rate_take blocks until the bytes are
 * allowed, sleeping through the injected clock. Thread-safe.
 */
#ifndef RATE_H
#define RATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

struct rate {
	pthread_mutex_t	mu;
	const struct clock *clock;
	uint64_t	rate;		/* bytes per second; 0 = unlimited */
	uint64_t	burst;		/* bucket size in bytes */
	double		tokens;		/* may go negative: debt */
	uint64_t	last_ns;
};

/* rate 0 means no limit (rate_take returns at once). clock NULL = real. */
void	rate_init(struct rate *, uint64_t bytes_per_sec, const struct clock *);
void	rate_destroy(struct rate *);

/*
 * Account for n bytes about to be sent or just received, waiting as
 * long as needed to keep the average at the rate. Large n may be taken
 * at once: the debt is paid by sleeping.
 */
void	rate_take(struct rate *, size_t n);

#endif
