/*
 * dec128.h: IEEE 754-2008 decimal128 (BSON Decimal128, BID encoding)
 * to Arrow decimal128 (a 128-bit two's complement unscaled integer).
 *
 * Pure functions over values; nothing allocates.
 */
#ifndef DEC128_H
#define DEC128_H

#include <stdint.h>

enum dec128_class {
	DEC128_FINITE = 0,
	DEC128_INF,
	DEC128_NAN
};

struct dec128_parts {
	enum dec128_class cls;
	int		negative;
	int		exponent;	/* value = coefficient × 10^exponent */
	int		digits;		/* decimal digits of the coefficient */
	uint64_t	coef_hi;	/* coefficient, at most 10^34 - 1 */
	uint64_t	coef_lo;
};

/* Split a BSON Decimal128 given as its two 64-bit halves. */
void	dec128_split(uint64_t high, uint64_t low, struct dec128_parts *);

/*
 * Unscaled value at `scale` (value × 10^scale) as 16 bytes of LE two's
 * complement, for Arrow decimal128(38, scale). Returns 0, or -1 when
 * the value is not finite, needs rounding, or has more than 38 digits.
 */
int	dec128_to_arrow(const struct dec128_parts *, int scale,
	    uint8_t out[16]);

#endif
