/*
 * partplan.h: the part-size schedule of a multipart upload. Pure
 * arithmetic, no I/O.
 *
 * S3 allows at most max_parts (10,000) parts, every part but the last
 * at least 5 MiB and at most 5 GiB, and objects up to 5 TiB. A stream
 * of unknown size cannot pick one part size that is both small (memory,
 * parallelism) and enough for 5 TiB, so parts grow in tiers:
 *
 *	size(n) = min(base * 2^(shift * floor((n - 1) / tier)), 5 GiB)
 *
 * for part n = 1..max_parts. tier is the largest number of parts per
 * tier (shift 1: sizes double) whose total capacity still reaches
 * 5 TiB; when even tier 1 with doubling does not reach it, tier 1 and
 * the smallest shift (x4, x8, ...) that does; when max_parts is too
 * small for 5 TiB at all (under about 1,030 parts), tier 1 and the
 * smallest shift that makes part max_parts 5 GiB (capacity is then
 * below 5 TiB: a longer stream fails with a clear error). With 8 MiB
 * parts and 10,000 parts: parts 1-1089 are 8 MiB (8.5 GiB), then 1089
 * of 16 MiB (to 25.5 GiB), 32 MiB (to 59.6 GiB), ... 4 GiB (to 5.02
 * TiB). With --max-parts 4 and 5 MiB: 5, 80, 1280, 5120 MiB.
 *
 * A known size (--expected-size, or -f FILE) picks base up front: the
 * smallest multiple of 1 MiB at least part_size with
 * ceil(size / base) <= max_parts; those parts are all base bytes (tier
 * is at least that count), so the ETag matches `sum8m -a etag -p base`.
 * A stream longer than announced still continues into the growth tiers.
 */
#ifndef PARTPLAN_H
#define PARTPLAN_H

#include <stdint.h>

#include "err.h"

#define PARTPLAN_MIN_PART	((uint64_t)5 << 20)
#define PARTPLAN_MAX_PART	((uint64_t)5 << 30)
#define PARTPLAN_MAX_OBJECT	((uint64_t)5 << 40)
#define PARTPLAN_MAX_PARTS	10000u

struct partplan {
	uint64_t	base;		/* size of part 1 */
	unsigned	tier;		/* parts per tier, >= 1 */
	unsigned	shift;		/* size x 2^shift per tier, >= 1 */
	unsigned	max_parts;	/* 1..PARTPLAN_MAX_PARTS */
	uint64_t	capacity;	/* bytes max_parts parts can hold */
};

/*
 * Plan for parts of part_size (5 MiB..5 GiB), max_parts (1..10,000);
 * expected is the input size when has_expected (0..5 TiB). 0, or -1
 * with err (ERR_USAGE) when a value is out of range or expected does
 * not fit max_parts parts of at most 5 GiB.
 */
int	partplan_init(struct partplan *, uint64_t part_size, unsigned max_parts,
	    int has_expected, uint64_t expected, struct err *);

/*
 * Rebuild a plan from stored parameters (a resume state file). 0, or
 * -1 with err (ERR_FORMAT) when they are out of range.
 */
int	partplan_set(struct partplan *, uint64_t base, unsigned tier,
	    unsigned shift, unsigned max_parts, struct err *);

/* Size of part n (1-based); 0 when n is 0 or > max_parts. */
uint64_t partplan_size(const struct partplan *, unsigned n);

/* Offset of part n's first byte (sum of sizes of parts 1..n-1). */
uint64_t partplan_offset(const struct partplan *, unsigned n);

/* Number of parts for an input of size bytes (>= 1), or 0 if too big. */
unsigned partplan_count(const struct partplan *, uint64_t size);

/*
 * Part buffers that fit: min(jobs + 1, max_memory / part_size). 0 means
 * not even one part fits in memory (the caller spools it to a file).
 */
unsigned partplan_buffers(uint64_t part_size, uint64_t max_memory,
	    unsigned jobs);

#endif
