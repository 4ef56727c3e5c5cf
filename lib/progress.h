/*
 * progress.h: transfer progress counters and the one-line status text
 * the tools redraw on stderr (the tool prints it; lib/ does not).
 *
 *   "  1.2 GiB / 10.0 GiB  12%  312.4 MiB/s  ETA 0:29  retries 3"
 *
 * Counters are updated by many threads (atomics); formatting reads a
 * consistent-enough snapshot. The rate is an exponential moving
 * average over the last seconds, computed from the injected clock.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"

struct progress {
	const struct clock *clock;
	uint64_t	total;		/* 0 = unknown */
	uint64_t	start_ns;
	uint64_t	done;		/* atomic */
	uint64_t	retries;	/* atomic */
	/* rate estimate, owned by the formatting thread */
	uint64_t	last_ns, last_done;
	double		rate;		/* bytes per second */
};

/* total 0 when unknown; clock NULL = real. */
void	progress_init(struct progress *, uint64_t total, const struct clock *);
void	progress_add(struct progress *, uint64_t bytes);
void	progress_retry(struct progress *);
void	progress_set_total(struct progress *, uint64_t total);

/*
 * Status line into buf (no newline). final: use the whole-run average
 * rate and omit the ETA. Call from one thread.
 */
void	progress_format(struct progress *, char *buf, size_t cap, int final);

/* "1.5 GiB"-style size into buf (at least 16 bytes). */
void	progress_human(uint64_t bytes, char *buf, size_t cap);

#endif
