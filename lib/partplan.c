/* partplan.c: part sizes that grow so max_parts parts reach 5 TiB. */
#include <string.h>

#include "partplan.h"

#define MIB	((uint64_t)1 << 20)
#define SHIFT_MAX	40	/* base << 40 > 5 GiB for any base >= 1 */

/* Size of the parts of tier k. */
static uint64_t
tier_size(uint64_t base, unsigned shift, uint64_t k)
{
	uint64_t s = base;

	/* shift * k may be huge: stop once past the cap */
	for (; k > 0; k--) {
		if (shift >= 64 || s > (PARTPLAN_MAX_PART >> shift))
			return PARTPLAN_MAX_PART;
		s <<= shift;
	}
	return s < PARTPLAN_MAX_PART ? s : PARTPLAN_MAX_PART;
}

/* Bytes of parts 1..n, saturating at UINT64_MAX. */
static uint64_t
bytes_before(uint64_t base, unsigned tier, unsigned shift, unsigned n)
{
	uint64_t total = 0, k, left = n, cnt, s;

	for (k = 0; left > 0; k++) {
		s = tier_size(base, shift, k);
		/* from the cap on, every remaining part is the same size */
		cnt = s == PARTPLAN_MAX_PART ? left : left < tier ? left : tier;
		if (s > (UINT64_MAX - total) / cnt)
			return UINT64_MAX;
		total += s * cnt;
		left -= cnt;
	}
	return total;
}

/*
 * Growth for base and max_parts: the largest tier with doubling that
 * reaches 5 TiB; else tier 1 and the smallest shift that does; else
 * (too few parts for 5 TiB) tier 1 and the smallest shift that makes
 * the last part 5 GiB.
 */
static void
growth(uint64_t base, unsigned max_parts, unsigned *tier, unsigned *shift)
{
	unsigned lo = 1, hi = max_parts, mid, s;

	*tier = 1;
	*shift = 1;
	if (bytes_before(base, 1, 1, max_parts) >= PARTPLAN_MAX_OBJECT) {
		/* capacity falls as tier grows: binary search the largest */
		while (lo < hi) {
			mid = lo + (hi - lo + 1) / 2;
			if (bytes_before(base, mid, 1, max_parts) >=
			    PARTPLAN_MAX_OBJECT)
				lo = mid;
			else
				hi = mid - 1;
		}
		*tier = lo;
		return;
	}
	for (s = 2; s <= SHIFT_MAX; s++)
		if (bytes_before(base, 1, s, max_parts) >= PARTPLAN_MAX_OBJECT) {
			*shift = s;
			return;
		}
	if (max_parts == 1)
		return;
	for (s = 1; s < SHIFT_MAX; s++)
		if (tier_size(base, s, max_parts - 1) == PARTPLAN_MAX_PART)
			break;
	*shift = s;
}

int
partplan_set(struct partplan *p, uint64_t base, unsigned tier,
    unsigned shift, unsigned max_parts, struct err *e)
{
	if (base < PARTPLAN_MIN_PART || base > PARTPLAN_MAX_PART ||
	    max_parts < 1 || max_parts > PARTPLAN_MAX_PARTS || tier < 1 ||
	    tier > max_parts || shift < 1 || shift > SHIFT_MAX)
		return err_set(e, ERR_FORMAT, "part plan out of range "
		    "(base %llu, tier %u, shift %u, max parts %u)",
		    (unsigned long long)base, tier, shift, max_parts);
	memset(p, 0, sizeof(*p));
	p->base = base;
	p->tier = tier;
	p->shift = shift;
	p->max_parts = max_parts;
	p->capacity = bytes_before(base, tier, shift, max_parts);
	return 0;
}

int
partplan_init(struct partplan *p, uint64_t part_size, unsigned max_parts,
    int has_expected, uint64_t expected, struct err *e)
{
	uint64_t base = part_size, need, nexp;
	unsigned tier, shift;

	if (part_size < PARTPLAN_MIN_PART || part_size > PARTPLAN_MAX_PART)
		return err_set(e, ERR_USAGE, "part size %llu out of range "
		    "(5 MiB to 5 GiB)", (unsigned long long)part_size);
	if (max_parts < 1 || max_parts > PARTPLAN_MAX_PARTS)
		return err_set(e, ERR_USAGE, "max parts %u out of range "
		    "(1 to %u)", max_parts, PARTPLAN_MAX_PARTS);
	if (has_expected && expected > PARTPLAN_MAX_OBJECT)
		return err_set(e, ERR_USAGE, "size %llu exceeds S3's 5 TiB "
		    "object limit", (unsigned long long)expected);
	if (has_expected && expected > (uint64_t)max_parts *
	    PARTPLAN_MAX_PART)
		return err_set(e, ERR_USAGE, "size %llu does not fit %u parts "
		    "of at most 5 GiB", (unsigned long long)expected,
		    max_parts);
	if (has_expected) {
		need = (expected + max_parts - 1) / max_parts;
		need = (need + MIB - 1) / MIB * MIB;
		if (need > base)
			base = need < PARTPLAN_MAX_PART ? need :
			    PARTPLAN_MAX_PART;
	}
	growth(base, max_parts, &tier, &shift);
	if (has_expected) {
		nexp = expected == 0 ? 1 : (expected - 1) / base + 1;
		if (nexp > tier)
			tier = (unsigned)nexp;
	}
	return partplan_set(p, base, tier, shift, max_parts, e);
}

uint64_t
partplan_size(const struct partplan *p, unsigned n)
{
	if (n == 0 || n > p->max_parts)
		return 0;
	return tier_size(p->base, p->shift, (n - 1) / p->tier);
}

uint64_t
partplan_offset(const struct partplan *p, unsigned n)
{
	if (n <= 1)
		return 0;
	if (n > p->max_parts + 1)
		n = p->max_parts + 1;
	return bytes_before(p->base, p->tier, p->shift, n - 1);
}

unsigned
partplan_count(const struct partplan *p, uint64_t size)
{
	uint64_t off = 0, s;
	unsigned n;

	if (size > p->capacity)
		return 0;
	for (n = 1; n <= p->max_parts; n++) {
		s = partplan_size(p, n);
		if (size - off <= s)
			return n;
		off += s;
	}
	return 0;
}

unsigned
partplan_buffers(uint64_t part_size, uint64_t max_memory, unsigned jobs)
{
	uint64_t fit;

	if (part_size == 0)
		return jobs + 1;
	fit = max_memory / part_size;
	return fit < (uint64_t)jobs + 1 ? (unsigned)fit : jobs + 1;
}
