/*
 * dec128.c: BSON Decimal128 (BID) → Arrow decimal128.
 */
#include <string.h>

#include "dec128.h"

__extension__ typedef unsigned __int128 u128;

/* 10^38: Arrow decimal128's precision limit. */
static u128
pow10_38(void)
{
	u128 p = 1;
	int i;

	for (i = 0; i < 38; i++)
		p *= 10;
	return p;
}

void
dec128_split(uint64_t high, uint64_t low, struct dec128_parts *d)
{
	u128 c;

	memset(d, 0, sizeof(*d));
	d->negative = (int)(high >> 63);
	if (((high >> 61) & 3) == 3) {
		if (((high >> 58) & 0x1f) == 0x1e) {
			d->cls = DEC128_INF;
			return;
		}
		if (((high >> 58) & 0x1f) == 0x1f) {
			d->cls = DEC128_NAN;
			return;
		}
		/* Coefficient over 2^113: non-canonical, which means zero. */
		d->exponent = (int)((high >> 47) & 0x3fff) - 6176;
		return;
	}
	d->exponent = (int)((high >> 49) & 0x3fff) - 6176;
	d->coef_hi = high & 0x1ffffffffffffULL;
	d->coef_lo = low;
	c = ((u128)d->coef_hi << 64) | d->coef_lo;
	/* Over 10^34 - 1 is non-canonical too: zero. */
	if (c > (u128)9999999999999999ULL * 1000000000000000000ULL +
	    (u128)999999999999999999ULL) {
		d->coef_hi = d->coef_lo = 0;
		c = 0;
	}
	while (c) {
		d->digits++;
		c /= 10;
	}
}

int
dec128_to_arrow(const struct dec128_parts *d, int scale, uint8_t out[16])
{
	u128 c = ((u128)d->coef_hi << 64) | d->coef_lo, lim = pow10_38();
	int shift = d->exponent + scale, i;

	if (d->cls != DEC128_FINITE)
		return -1;
	if (shift < 0) {
		/* Exact only if the dropped digits are zeros. */
		for (; shift < 0; shift++) {
			if (c % 10)
				return -1;
			c /= 10;
		}
	}
	for (; shift > 0; shift--) {
		if (c > lim / 10)
			return -1;
		c *= 10;
	}
	if (c >= lim)
		return -1;
	if (d->negative)
		c = ~c + 1;
	for (i = 0; i < 16; i++)
		out[i] = (uint8_t)(c >> (8 * i));
	return 0;
}
