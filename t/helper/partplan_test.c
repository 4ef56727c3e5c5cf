/*
 * partplan_test: exhaustive checks of lib/partplan.c, TAP on stdout.
 *
 *   partplan_test            run the checks
 *   partplan_test -s SIZE N  print the schedule's tiers for part size
 *                            SIZE and N max parts (for the man page)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "partplan.h"

#define MIB	((uint64_t)1 << 20)
#define GIB	((uint64_t)1 << 30)

static int failed, n_ok;

static void
check(int cond, const char *what, uint64_t a, uint64_t b)
{
	if (cond) {
		n_ok++;
		return;
	}
	if (failed++ < 20)
		printf("# FAIL %s (%" PRIu64 ", %" PRIu64 ")\n", what, a, b);
}

static uint64_t
max_possible(uint64_t base, unsigned m)
{
	return base + (uint64_t)(m - 1) * PARTPLAN_MAX_PART;
}

/* Every property of one plan that does not depend on how it was made. */
static void
plan_props(const struct partplan *p)
{
	uint64_t off = 0, s, prev = 0;
	unsigned n;

	for (n = 1; n <= p->max_parts; n++) {
		s = partplan_size(p, n);
		check(s >= PARTPLAN_MIN_PART && s <= PARTPLAN_MAX_PART,
		    "size in range", n, s);
		check(s >= prev, "sizes never shrink", n, s);
		check(partplan_offset(p, n) == off, "offset = sum of sizes",
		    n, off);
		off += s;
		prev = s;
	}
	check(off == p->capacity, "capacity = sum of sizes", off,
	    p->capacity);
	check(partplan_size(p, 0) == 0 && partplan_size(p, n) == 0,
	    "no part 0 or past max", n, 0);
	if (p->capacity >= PARTPLAN_MAX_OBJECT)
		check(partplan_count(p, PARTPLAN_MAX_OBJECT) != 0 &&
		    partplan_count(p, PARTPLAN_MAX_OBJECT) <= p->max_parts,
		    "5 TiB stream fits", p->max_parts, p->base);
}

static void
test_growth(void)
{
	static const uint64_t bases[] = { 5 * MIB, 8 * MIB, 16 * MIB,
	    100 * MIB, GIB, 5 * GIB };
	struct partplan p, q;
	struct err e;
	unsigned m, i;
	int full = 0;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		for (m = 1; m <= PARTPLAN_MAX_PARTS; m++) {
			if (partplan_init(&p, bases[i], m, 0, 0, &e) != 0) {
				check(0, "init", bases[i], m);
				continue;
			}
			check(p.base == bases[i], "base = part size", m,
			    p.base);
			if (m * PARTPLAN_MAX_PART >= PARTPLAN_MAX_OBJECT +
			    PARTPLAN_MAX_PART)
				check(p.capacity >= PARTPLAN_MAX_OBJECT,
				    "any stream <= 5 TiB fits", m, p.capacity);
			if (p.capacity < PARTPLAN_MAX_OBJECT && m > 1) {
				check(p.tier == 1 && partplan_size(&p, m) ==
				    PARTPLAN_MAX_PART, "else the last part "
				    "reaches 5 GiB", m, p.shift);
				partplan_set(&q, p.base, 1, p.shift > 1 ?
				    p.shift - 1 : 1, m, &e);
				check(p.shift == 1 || partplan_size(&q, m) <
				    PARTPLAN_MAX_PART, "with the smallest "
				    "shift", m, p.shift);
				check(p.capacity <= max_possible(bases[i], m),
				    "capacity bound", m, p.capacity);
			}
			if (p.shift == 1 && p.tier < m) {
				partplan_set(&q, p.base, p.tier + 1, 1, m, &e);
				check(q.capacity < PARTPLAN_MAX_OBJECT,
				    "tier is the largest that reaches 5 TiB",
				    m, p.tier);
			}
			/* all parts of every 97th plan, and the defaults */
			if (m % 97 == 0 || m == PARTPLAN_MAX_PARTS ||
			    m < 20) {
				plan_props(&p);
				full++;
			}
		}
	check(full > 0, "plans walked", full, 0);
}

static void
test_expected(void)
{
	struct partplan p;
	struct err e;
	uint64_t sizes[64], s, nparts;
	unsigned ms[] = { 1, 2, 4, 100, 1024, 1025, 9999, 10000 };
	unsigned i, j, n = 0;

	sizes[n++] = 0;
	sizes[n++] = 1;
	sizes[n++] = 8 * MIB;
	sizes[n++] = 8 * MIB + 1;
	sizes[n++] = PARTPLAN_MAX_OBJECT;
	sizes[n++] = PARTPLAN_MAX_OBJECT - 1;
	for (s = 12345; n < 64; s = s * 3 + 7)
		sizes[n++] = s % PARTPLAN_MAX_OBJECT;
	for (j = 0; j < sizeof(ms) / sizeof(ms[0]); j++)
		for (i = 0; i < n; i++) {
			if (partplan_init(&p, 8 * MIB, ms[j], 1, sizes[i],
			    &e) != 0) {
				check(sizes[i] > (uint64_t)ms[j] *
				    PARTPLAN_MAX_PART, "refused only when "
				    "it cannot fit", ms[j], sizes[i]);
				continue;
			}
			nparts = sizes[i] == 0 ? 1 :
			    (sizes[i] - 1) / p.base + 1;
			check(nparts <= p.tier, "expected size: uniform parts",
			    sizes[i], p.base);
			check(partplan_count(&p, sizes[i]) == nparts,
			    "count = ceil(size / base)", sizes[i], nparts);
			check(p.base == 8 * MIB || (p.base % MIB == 0 &&
			    ((p.base - MIB) * ms[j] < sizes[i] ||
			    p.base == PARTPLAN_MAX_PART)),
			    "base: smallest MiB multiple that fits",
			    sizes[i], p.base);
		}
}

static void
test_errors(void)
{
	struct partplan p;
	struct err e;

	check(partplan_init(&p, 5 * MIB - 1, 10, 0, 0, &e) == -1,
	    "part size < 5 MiB", 0, 0);
	check(partplan_init(&p, 5 * GIB + 1, 10, 0, 0, &e) == -1,
	    "part size > 5 GiB", 0, 0);
	check(partplan_init(&p, 8 * MIB, 0, 0, 0, &e) == -1,
	    "0 parts", 0, 0);
	check(partplan_init(&p, 8 * MIB, 10001, 0, 0, &e) == -1,
	    "10001 parts", 0, 0);
	check(partplan_init(&p, 8 * MIB, 10000, 1,
	    PARTPLAN_MAX_OBJECT + 1, &e) == -1, "over 5 TiB", 0, 0);
	check(partplan_set(&p, 8 * MIB, 0, 1, 10, &e) == -1 &&
	    partplan_set(&p, 8 * MIB, 11, 1, 10, &e) == -1 &&
	    partplan_set(&p, 8 * MIB, 1, 0, 10, &e) == -1 &&
	    partplan_set(&p, 8 * MIB, 1, 41, 10, &e) == -1,
	    "stored plan out of range", 0, 0);
	/* the example: 60 MiB in <= 4 parts of 5 MiB growth */
	check(partplan_init(&p, 5 * MIB, 4, 0, 0, &e) == 0 &&
	    partplan_count(&p, 60 * MIB) >= 1 &&
	    partplan_count(&p, 60 * MIB) <= 4, "60 MiB in 4 parts", 0, 0);
	check(partplan_count(&p, p.capacity + 1) == 0, "beyond capacity",
	    p.capacity, 0);
}

static void
test_buffers(void)
{
	check(partplan_buffers(8 * MIB, GIB, 8) == 9, "9 buffers", 0, 0);
	check(partplan_buffers(256 * MIB, GIB, 8) == 4, "4 of 256M", 0, 0);
	check(partplan_buffers(2 * GIB, GIB, 8) == 0, "none of 2G", 0, 0);
	check(partplan_buffers(64 * MIB, 64 * MIB, 8) == 1, "1 of 64M", 0,
	    0);
}

static int
schedule(const char *size, const char *parts)
{
	struct partplan p;
	struct err e;
	uint64_t ps, s, prev = 0;
	long long m;
	unsigned n, first = 1;

	if (num_parse_size(size, 0, UINT64_MAX, &ps, &e) != 0 ||
	    num_parse(parts, 1, 10000, &m, &e) != 0 ||
	    partplan_init(&p, ps, (unsigned)m, 0, 0, &e) != 0) {
		fprintf(stderr, "partplan_test: %s\n", e.msg);
		return 2;
	}
	printf("tier %u shift %u capacity %" PRIu64 "\n", p.tier, p.shift,
	    p.capacity);
	for (n = 1; n <= p.max_parts + 1; n++) {
		s = partplan_size(&p, n);
		if (s != prev && prev != 0)
			printf("parts %u-%u: %" PRIu64 " MiB, up to %" PRIu64
			    " MiB\n", first, n - 1, prev / MIB,
			    partplan_offset(&p, n) / MIB);
		if (s != prev)
			first = n;
		prev = s;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "-s") == 0)
		return schedule(argv[2], argv[3]);
	test_errors();
	test_buffers();
	test_expected();
	test_growth();
	printf("1..1\n%s 1 - partplan: %d checks, %d failed\n",
	    failed ? "not ok" : "ok", n_ok + failed, failed);
	return failed != 0;
}
