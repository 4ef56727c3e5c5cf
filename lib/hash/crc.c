/*
 * One engine for both CRCs. A reflected CRC of width n <= 64 is kept in
 * a uint64_t; polynomials are handled in reflected form, where bit i of
 * an n-bit value is the coefficient of x^(n-1-i).
 *
 * Folding (PCLMULQDQ): a 128-bit chunk X = H*x^64 + L (H = low qword,
 * L = high qword, reflected) moved D bits further is congruent to
 * H*(x^(D+63) mod P)*x + L*(x^(D-1) mod P)*x mod P, and a reflected
 * carry-less multiply yields exactly product*x. So each fold is two
 * multiplies and XORs; the constants come from xpow() at start-up rather
 * than from magic tables. The folded 128 bits are finished with the
 * table method, which also handles heads and tails.
 */
#include <pthread.h>
#include <string.h>

#include "hash/crc.h"
#include "hash/cpu.h"

struct crc_def {
	unsigned	width;
	uint64_t	rpoly;		/* reflected, without x^n */
	uint64_t	tab[8][256];	/* slicing-by-8 */
	uint64_t	k512h, k512l, k128h, k128l;	/* folding */
};

static struct crc_def def32 = { .width = 32, .rpoly = 0x82f63b78 };
static struct crc_def def64 = { .width = 64, .rpoly = 0x9a6c9329ac4bc9b5ULL };
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int use_pclmul;

/* x^k mod P as an n-bit reflected value. */
static uint64_t
xpow(const struct crc_def *d, unsigned k)
{
	uint64_t v = (uint64_t)1 << (d->width - 1);	/* x^0 */

	while (k-- > 0)
		v = (v >> 1) ^ ((v & 1) ? d->rpoly : 0);
	return v;
}

/* An n-bit reflected value placed as a 64-bit reflected operand. */
static uint64_t
as64(const struct crc_def *d, uint64_t v)
{
	return v << (64 - d->width);
}

static void
init_def(struct crc_def *d)
{
	uint64_t c;
	int b, i, k;

	for (b = 0; b < 256; b++) {
		c = (uint64_t)b;
		for (i = 0; i < 8; i++)
			c = (c >> 1) ^ ((c & 1) ? d->rpoly : 0);
		d->tab[0][b] = c;
	}
	for (b = 0; b < 256; b++) {
		c = d->tab[0][b];
		for (k = 1; k < 8; k++) {
			c = d->tab[0][c & 0xff] ^ (c >> 8);
			d->tab[k][b] = c;
		}
	}
	d->k512h = as64(d, xpow(d, 512 + 63));
	d->k512l = as64(d, xpow(d, 512 - 1));
	d->k128h = as64(d, xpow(d, 128 + 63));
	d->k128l = as64(d, xpow(d, 128 - 1));
}

static void
init_all(void)
{
	init_def(&def32);
	init_def(&def64);
	use_pclmul = cpu_has(CPU_PCLMUL) && cpu_has(CPU_SSE41);
}

/* Table method on a raw (not inverted) register. */
static uint64_t
crc_tables(const struct crc_def *d, uint64_t crc, const uint8_t *p,
    size_t len)
{
	uint64_t v;

	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		crc = d->tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		v ^= crc;
		crc = d->tab[7][v & 0xff] ^ d->tab[6][(v >> 8) & 0xff] ^
		    d->tab[5][(v >> 16) & 0xff] ^ d->tab[4][(v >> 24) & 0xff] ^
		    d->tab[3][(v >> 32) & 0xff] ^ d->tab[2][(v >> 40) & 0xff] ^
		    d->tab[1][(v >> 48) & 0xff] ^ d->tab[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = d->tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HAVE_PCLMUL 1

#define FOLD(x, k)	_mm_xor_si128(_mm_clmulepi64_si128((x), (k), 0x00), \
			    _mm_clmulepi64_si128((x), (k), 0x11))

__attribute__((target("pclmul,sse4.1")))
static uint64_t
crc_fold(const struct crc_def *d, uint64_t crc, const uint8_t *p, size_t len)
{
	__m128i x0, x1, x2, x3, k512, k128;
	uint8_t rest[16];

	if (len < 128)
		return crc_tables(d, crc, p, len);
	/* the register is XORed into the first n bits of the message */
	k512 = _mm_set_epi64x((long long)d->k512l, (long long)d->k512h);
	k128 = _mm_set_epi64x((long long)d->k128l, (long long)d->k128h);
	x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p),
	    _mm_set_epi64x(0, (long long)crc));
	x1 = _mm_loadu_si128((const __m128i *)(p + 16));
	x2 = _mm_loadu_si128((const __m128i *)(p + 32));
	x3 = _mm_loadu_si128((const __m128i *)(p + 48));
	p += 64;
	len -= 64;
	while (len >= 64) {
		x0 = _mm_xor_si128(FOLD(x0, k512),
		    _mm_loadu_si128((const __m128i *)p));
		x1 = _mm_xor_si128(FOLD(x1, k512),
		    _mm_loadu_si128((const __m128i *)(p + 16)));
		x2 = _mm_xor_si128(FOLD(x2, k512),
		    _mm_loadu_si128((const __m128i *)(p + 32)));
		x3 = _mm_xor_si128(FOLD(x3, k512),
		    _mm_loadu_si128((const __m128i *)(p + 48)));
		p += 64;
		len -= 64;
	}
	x1 = _mm_xor_si128(FOLD(x0, k128), x1);
	x2 = _mm_xor_si128(FOLD(x1, k128), x2);
	x3 = _mm_xor_si128(FOLD(x2, k128), x3);
	while (len >= 16) {
		x3 = _mm_xor_si128(FOLD(x3, k128),
		    _mm_loadu_si128((const __m128i *)p));
		p += 16;
		len -= 16;
	}
	_mm_storeu_si128((__m128i *)rest, x3);
	crc = crc_tables(d, 0, rest, sizeof(rest));
	return crc_tables(d, crc, p, len);
}
#endif

static uint64_t
crc_run(const struct crc_def *d, uint64_t crc, const void *buf, size_t len)
{
	uint64_t mask = d->width == 64 ? ~(uint64_t)0 :
	    (((uint64_t)1 << d->width) - 1);

	pthread_once(&once, init_all);
	crc = ~crc & mask;
#ifdef HAVE_PCLMUL
	if (use_pclmul)
		crc = crc_fold(d, crc, buf, len);
	else
#endif
		crc = crc_tables(d, crc, buf, len);
	return ~crc & mask;
}

uint32_t
crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	return (uint32_t)crc_run(&def32, crc, buf, len);
}

uint64_t
crc64nvme_update(uint64_t crc, const void *buf, size_t len)
{
	return crc_run(&def64, crc, buf, len);
}

/* a*b mod P, both n-bit reflected polynomials. */
static uint64_t
mulmod(const struct crc_def *d, uint64_t a, uint64_t b)
{
	uint64_t top = (uint64_t)1 << (d->width - 1), r = 0;
	unsigned i;

	/* walk a's coefficients from x^0 (bit n-1) upwards */
	for (i = 0; i < d->width; i++) {
		if (a & (top >> i))
			r ^= b;
		b = (b >> 1) ^ ((b & 1) ? d->rpoly : 0);	/* b *= x */
	}
	return r;
}

/*
 * crc(A||B) = crc(A)*x^(8*len_b) ^ crc(B) on the raw registers; the
 * all-ones init and xorout cancel out except for the A part, which the
 * zero-padded form below accounts for: with inverted values the
 * identity holds directly (zlib's crc32_combine).
 */
static uint64_t
crc_combine(const struct crc_def *d, uint64_t a, uint64_t b, uint64_t len_b)
{
	uint64_t xp = (uint64_t)1 << (d->width - 1), sq = xpow(d, 8);

	pthread_once(&once, init_all);
	/* x^(8*len_b) mod P by square-and-multiply */
	while (len_b > 0) {
		if (len_b & 1)
			xp = mulmod(d, xp, sq);
		sq = mulmod(d, sq, sq);
		len_b >>= 1;
	}
	return mulmod(d, a, xp) ^ b;
}

uint32_t
crc32c_combine(uint32_t a, uint32_t b, uint64_t len_b)
{
	return (uint32_t)crc_combine(&def32, a, b, len_b);
}

uint64_t
crc64nvme_combine(uint64_t a, uint64_t b, uint64_t len_b)
{
	return crc_combine(&def64, a, b, len_b);
}

const char *
crc_impl(void)
{
	pthread_once(&once, init_all);
	return use_pclmul ? "pclmul" : "portable";
}

int
crc_select(const char *name)
{
	pthread_once(&once, init_all);
	if (strcmp(name, "portable") == 0)
		use_pclmul = 0;
	else if (strcmp(name, "auto") == 0)
		use_pclmul = cpu_has(CPU_PCLMUL) && cpu_has(CPU_SSE41);
	else if (strcmp(name, "pclmul") == 0 && cpu_has(CPU_PCLMUL) &&
	    cpu_has(CPU_SSE41))
		use_pclmul = 1;
	else
		return -1;
	return 0;
}
