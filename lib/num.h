/*
 * num.h: checked conversions of command-line numbers.
 *
 * Whole string must parse; no sign unless the range allows negatives;
 * overflow and out-of-range are errors. Nothing here prints.
 */
#ifndef NUM_H
#define NUM_H

#include <stdint.h>

#include "err.h"

/* Decimal integer in [min, max] into *out. 0 or -1 with err (ERR_USAGE). */
int	num_parse(const char *s, long long min, long long max, long long *out,
	    struct err *);

/*
 * Byte size with optional IEC suffix: K, M, G, T (powers of 1024; "KiB",
 * "MiB"... and a trailing "B" also accepted), in [min, max]. "8M" is
 * 8388608. 0 or -1 with err (ERR_USAGE).
 */
int	num_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	    struct err *);

/*
 * Duration: a number with optional suffix ms, s (default), m, h, d,
 * e.g. "1.5", "250ms", "7d". Result in milliseconds, in [0, max_ms].
 */
int	num_parse_duration(const char *s, uint64_t max_ms, uint64_t *out_ms,
	    struct err *);

#endif
