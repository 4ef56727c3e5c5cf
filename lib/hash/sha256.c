#include <string.h>

#include "hash/mdbuf.h"
#include "hash/sha256.h"
#include "hash/cpu.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void
blocks_portable(uint32_t h[8], const uint8_t *p, size_t n)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (; n > 0; n--, p += 64) {
		for (i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 |
			    (uint32_t)p[4 * i + 1] << 16 |
			    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (i = 16; i < 64; i++)
			w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			    (w[i - 2] >> 10)) + w[i - 7] +
			    (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
			    (w[i - 15] >> 3)) + w[i - 16];
		a = h[0]; b = h[1]; c = h[2]; d = h[3];
		e = h[4]; f = h[5]; g = h[6]; hh = h[7];
		for (i = 0; i < 64; i++) {
			t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
			    ((e & f) ^ (~e & g)) + K[i] + w[i];
			t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
			    ((a & b) ^ (a & c) ^ (b & c));
			hh = g; g = f; f = e; e = d + t1;
			d = c; c = b; b = a; a = t1 + t2;
		}
		h[0] += a; h[1] += b; h[2] += c; h[3] += d;
		h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	}
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/*
 * SHA-NI: two rounds per sha256rnds2, message schedule with
 * sha256msg1/msg2. State is kept as ABEF/CDGH as the instructions want.
 */
__attribute__((target("sha,sse4.1")))
static void
blocks_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i st0, st1, tmp, msg, m0, m1, m2, m3, abef, cdgh;

	tmp = _mm_loadu_si128((const __m128i *)&h[0]);	/* DCBA */
	st1 = _mm_loadu_si128((const __m128i *)&h[4]);	/* HGFE */
	tmp = _mm_shuffle_epi32(tmp, 0xb1);		/* CDAB */
	st1 = _mm_shuffle_epi32(st1, 0x1b);		/* EFGH */
	st0 = _mm_alignr_epi8(tmp, st1, 8);		/* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xf0);		/* CDGH */

#define RNDS(m, k) do { \
	msg = _mm_add_epi32((m), _mm_loadu_si128((const __m128i *)&K[k])); \
	st1 = _mm_sha256rnds2_epu32(st1, st0, msg); \
	msg = _mm_shuffle_epi32(msg, 0x0e); \
	st0 = _mm_sha256rnds2_epu32(st0, st1, msg); \
} while (0)
/*
 * Group i of message words lives in m[i % 4]. After the rounds of group
 * i, finish group i + 1 (msg2) from groups i and i - 1, then start group
 * i + 3 (msg1) in the register group i - 1 frees. Same order as Intel's
 * reference, so alignr sees group i - 1 before msg1 overwrites it.
 */
#define SCHED(next, cur, prev) do { \
	tmp = _mm_alignr_epi8((cur), (prev), 4); \
	(next) = _mm_add_epi32((next), tmp); \
	(next) = _mm_sha256msg2_epu32((next), (cur)); \
} while (0)

	for (; n > 0; n--, p += 64) {
		abef = st0;
		cdgh = st1;
		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p),
		    bswap);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p +
		    16)), bswap);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p +
		    32)), bswap);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p +
		    48)), bswap);

		RNDS(m0, 0);
		RNDS(m1, 4);
		m0 = _mm_sha256msg1_epu32(m0, m1);
		RNDS(m2, 8);
		m1 = _mm_sha256msg1_epu32(m1, m2);
		RNDS(m3, 12);
		SCHED(m0, m3, m2);
		m2 = _mm_sha256msg1_epu32(m2, m3);
		RNDS(m0, 16);
		SCHED(m1, m0, m3);
		m3 = _mm_sha256msg1_epu32(m3, m0);
		RNDS(m1, 20);
		SCHED(m2, m1, m0);
		m0 = _mm_sha256msg1_epu32(m0, m1);
		RNDS(m2, 24);
		SCHED(m3, m2, m1);
		m1 = _mm_sha256msg1_epu32(m1, m2);
		RNDS(m3, 28);
		SCHED(m0, m3, m2);
		m2 = _mm_sha256msg1_epu32(m2, m3);
		RNDS(m0, 32);
		SCHED(m1, m0, m3);
		m3 = _mm_sha256msg1_epu32(m3, m0);
		RNDS(m1, 36);
		SCHED(m2, m1, m0);
		m0 = _mm_sha256msg1_epu32(m0, m1);
		RNDS(m2, 40);
		SCHED(m3, m2, m1);
		m1 = _mm_sha256msg1_epu32(m1, m2);
		RNDS(m3, 44);
		SCHED(m0, m3, m2);
		m2 = _mm_sha256msg1_epu32(m2, m3);
		RNDS(m0, 48);
		SCHED(m1, m0, m3);
		m3 = _mm_sha256msg1_epu32(m3, m0);
		RNDS(m1, 52);
		SCHED(m2, m1, m0);
		RNDS(m2, 56);
		SCHED(m3, m2, m1);
		RNDS(m3, 60);

		st0 = _mm_add_epi32(st0, abef);
		st1 = _mm_add_epi32(st1, cdgh);
	}
#undef RNDS
#undef SCHED
	tmp = _mm_shuffle_epi32(st0, 0x1b);		/* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xb1);		/* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xf0);		/* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);		/* ABEF -> HGFE */
	_mm_storeu_si128((__m128i *)&h[0], st0);
	_mm_storeu_si128((__m128i *)&h[4], st1);
}
#define HAVE_SHANI 1
#endif

static void (*blocks)(uint32_t *, const uint8_t *, size_t);
static const char *impl_name;

static void
pick_auto(void)
{
#ifdef HAVE_SHANI
	if (cpu_has(CPU_SHA) && cpu_has(CPU_SSE41)) {
		blocks = blocks_shani;
		impl_name = "sha-ni";
		return;
	}
#endif
	blocks = blocks_portable;
	impl_name = "portable";
}

int
sha256_select(const char *name)
{
	if (strcmp(name, "auto") == 0) {
		pick_auto();
		return 0;
	}
	if (strcmp(name, "portable") == 0) {
		blocks = blocks_portable;
		impl_name = "portable";
		return 0;
	}
#ifdef HAVE_SHANI
	if (strcmp(name, "sha-ni") == 0 && cpu_has(CPU_SHA) &&
	    cpu_has(CPU_SSE41)) {
		blocks = blocks_shani;
		impl_name = "sha-ni";
		return 0;
	}
#endif
	return -1;
}

const char *
sha256_impl(void)
{
	if (blocks == NULL)
		pick_auto();
	return impl_name;
}

void
sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	if (blocks == NULL)
		pick_auto();
	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->nbuf = 0;
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	mdbuf_update(blocks, c->h, c->buf, &c->nbuf, &c->len, data, len);
}

void
sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN])
{
	int i;

	mdbuf_pad(blocks, c->h, c->buf, c->nbuf, c->len, 1);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

void
sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
    uint8_t out[SHA256_LEN])
{
	uint8_t k[SHA256_BLOCK], pad[SHA256_BLOCK], inner[SHA256_LEN];
	struct sha256 c;
	size_t i;

	memset(k, 0, sizeof(k));
	if (keylen > SHA256_BLOCK)
		sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&c);
	sha256_update(&c, pad, sizeof(pad));
	sha256_update(&c, msg, msglen);
	sha256_final(&c, inner);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&c);
	sha256_update(&c, pad, sizeof(pad));
	sha256_update(&c, inner, sizeof(inner));
	sha256_final(&c, out);
	/* key material: do not leave it on the stack */
	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	explicit_bzero(&c, sizeof(c));
}
