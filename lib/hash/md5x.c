#include <pthread.h>
#include <string.h>

#include "hash/cpu.h"
#include "hash/md5x.h"

/*
 * The 64 steps of an MD5 block (RFC 1321) as one list, expanded by each
 * SIMD kernel with its own S: round function, the four state words in
 * their rotating roles, message word, additive constant, rotation.
 */
#define MD5_STEPS(S) \
	S(F, a, b, c, d, 0, 0xd76aa478, 7) \
	S(F, d, a, b, c, 1, 0xe8c7b756, 12) \
	S(F, c, d, a, b, 2, 0x242070db, 17) \
	S(F, b, c, d, a, 3, 0xc1bdceee, 22) \
	S(F, a, b, c, d, 4, 0xf57c0faf, 7) \
	S(F, d, a, b, c, 5, 0x4787c62a, 12) \
	S(F, c, d, a, b, 6, 0xa8304613, 17) \
	S(F, b, c, d, a, 7, 0xfd469501, 22) \
	S(F, a, b, c, d, 8, 0x698098d8, 7) \
	S(F, d, a, b, c, 9, 0x8b44f7af, 12) \
	S(F, c, d, a, b, 10, 0xffff5bb1, 17) \
	S(F, b, c, d, a, 11, 0x895cd7be, 22) \
	S(F, a, b, c, d, 12, 0x6b901122, 7) \
	S(F, d, a, b, c, 13, 0xfd987193, 12) \
	S(F, c, d, a, b, 14, 0xa679438e, 17) \
	S(F, b, c, d, a, 15, 0x49b40821, 22) \
	S(G, a, b, c, d, 1, 0xf61e2562, 5) \
	S(G, d, a, b, c, 6, 0xc040b340, 9) \
	S(G, c, d, a, b, 11, 0x265e5a51, 14) \
	S(G, b, c, d, a, 0, 0xe9b6c7aa, 20) \
	S(G, a, b, c, d, 5, 0xd62f105d, 5) \
	S(G, d, a, b, c, 10, 0x02441453, 9) \
	S(G, c, d, a, b, 15, 0xd8a1e681, 14) \
	S(G, b, c, d, a, 4, 0xe7d3fbc8, 20) \
	S(G, a, b, c, d, 9, 0x21e1cde6, 5) \
	S(G, d, a, b, c, 14, 0xc33707d6, 9) \
	S(G, c, d, a, b, 3, 0xf4d50d87, 14) \
	S(G, b, c, d, a, 8, 0x455a14ed, 20) \
	S(G, a, b, c, d, 13, 0xa9e3e905, 5) \
	S(G, d, a, b, c, 2, 0xfcefa3f8, 9) \
	S(G, c, d, a, b, 7, 0x676f02d9, 14) \
	S(G, b, c, d, a, 12, 0x8d2a4c8a, 20) \
	S(H, a, b, c, d, 5, 0xfffa3942, 4) \
	S(H, d, a, b, c, 8, 0x8771f681, 11) \
	S(H, c, d, a, b, 11, 0x6d9d6122, 16) \
	S(H, b, c, d, a, 14, 0xfde5380c, 23) \
	S(H, a, b, c, d, 1, 0xa4beea44, 4) \
	S(H, d, a, b, c, 4, 0x4bdecfa9, 11) \
	S(H, c, d, a, b, 7, 0xf6bb4b60, 16) \
	S(H, b, c, d, a, 10, 0xbebfbc70, 23) \
	S(H, a, b, c, d, 13, 0x289b7ec6, 4) \
	S(H, d, a, b, c, 0, 0xeaa127fa, 11) \
	S(H, c, d, a, b, 3, 0xd4ef3085, 16) \
	S(H, b, c, d, a, 6, 0x04881d05, 23) \
	S(H, a, b, c, d, 9, 0xd9d4d039, 4) \
	S(H, d, a, b, c, 12, 0xe6db99e5, 11) \
	S(H, c, d, a, b, 15, 0x1fa27cf8, 16) \
	S(H, b, c, d, a, 2, 0xc4ac5665, 23) \
	S(I, a, b, c, d, 0, 0xf4292244, 6) \
	S(I, d, a, b, c, 7, 0x432aff97, 10) \
	S(I, c, d, a, b, 14, 0xab9423a7, 15) \
	S(I, b, c, d, a, 5, 0xfc93a039, 21) \
	S(I, a, b, c, d, 12, 0x655b59c3, 6) \
	S(I, d, a, b, c, 3, 0x8f0ccc92, 10) \
	S(I, c, d, a, b, 10, 0xffeff47d, 15) \
	S(I, b, c, d, a, 1, 0x85845dd1, 21) \
	S(I, a, b, c, d, 8, 0x6fa87e4f, 6) \
	S(I, d, a, b, c, 15, 0xfe2ce6e0, 10) \
	S(I, c, d, a, b, 6, 0xa3014314, 15) \
	S(I, b, c, d, a, 13, 0x4e0811a1, 21) \
	S(I, a, b, c, d, 4, 0xf7537e82, 6) \
	S(I, d, a, b, c, 11, 0xbd3af235, 10) \
	S(I, c, d, a, b, 2, 0x2ad7d2bb, 15) \
	S(I, b, c, d, a, 9, 0xeb86d391, 21)

/* State of up to MD5X_MAX lanes: word w of lane l is st[w][l]. */
typedef void kernel_fn(uint32_t st[4][MD5X_MAX],
    const uint8_t *const p[MD5X_MAX], size_t nblocks);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* --- AVX-512: 16 lanes ------------------------------------------------ */

/*
 * Transpose 16 rows of 16 words (row = one lane's block) into 16
 * vectors of one word across all lanes, in lane order.
 */
__attribute__((target("avx512f"), always_inline))
static inline void
transpose16(__m512i r[16])
{
	__m512i t[16];
	int i, j;

	for (i = 0; i < 8; i++) {
		t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
		t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
	}
	for (i = 0; i < 4; i++) {
		r[4 * i] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
		r[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
		r[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1],
		    t[4 * i + 3]);
		r[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1],
		    t[4 * i + 3]);
	}
	for (i = 0; i < 2; i++)
		for (j = 0; j < 4; j++) {
			t[8 * i + j] = _mm512_shuffle_i32x4(r[8 * i + j],
			    r[8 * i + j + 4], 0x88);
			t[8 * i + j + 4] = _mm512_shuffle_i32x4(r[8 * i + j],
			    r[8 * i + j + 4], 0xdd);
		}
	for (j = 0; j < 8; j++) {
		r[j] = _mm512_shuffle_i32x4(t[j], t[j + 8], 0x88);
		r[j + 8] = _mm512_shuffle_i32x4(t[j], t[j + 8], 0xdd);
	}
}

/* Round functions as ternary-logic truth tables of (b, c, d). */
#define F16(b, c, d)	_mm512_ternarylogic_epi32(b, c, d, 0xca)
#define G16(b, c, d)	_mm512_ternarylogic_epi32(b, c, d, 0xe4)
#define H16(b, c, d)	_mm512_ternarylogic_epi32(b, c, d, 0x96)
#define I16(b, c, d)	_mm512_ternarylogic_epi32(b, c, d, 0x39)
#define STEP16(f, a, b, c, d, k, t, s) \
	a = _mm512_add_epi32(a, _mm512_add_epi32(x[k], \
	    _mm512_set1_epi32((int)(t)))); \
	a = _mm512_add_epi32(a, f##16(b, c, d)); \
	a = _mm512_add_epi32(_mm512_rol_epi32(a, s), b);

__attribute__((target("avx512f")))
static void
kernel16(uint32_t st[4][MD5X_MAX], const uint8_t *const p[MD5X_MAX],
    size_t nblocks)
{
	__m512i a, b, c, d, a0, b0, c0, d0, x[16];
	size_t off;
	int l;

	a = _mm512_loadu_si512(st[0]);
	b = _mm512_loadu_si512(st[1]);
	c = _mm512_loadu_si512(st[2]);
	d = _mm512_loadu_si512(st[3]);
	for (off = 0; nblocks > 0; nblocks--, off += MD5_BLOCK) {
		for (l = 0; l < 16; l++)
			x[l] = _mm512_loadu_si512(p[l] + off);
		transpose16(x);
		a0 = a;
		b0 = b;
		c0 = c;
		d0 = d;
		MD5_STEPS(STEP16)
		a = _mm512_add_epi32(a, a0);
		b = _mm512_add_epi32(b, b0);
		c = _mm512_add_epi32(c, c0);
		d = _mm512_add_epi32(d, d0);
	}
	_mm512_storeu_si512(st[0], a);
	_mm512_storeu_si512(st[1], b);
	_mm512_storeu_si512(st[2], c);
	_mm512_storeu_si512(st[3], d);
}

/* --- AVX2: 8 lanes ---------------------------------------------------- */

/* As transpose16, for 8 rows of 8 words. */
__attribute__((target("avx2"), always_inline))
static inline void
transpose8(__m256i r[8])
{
	__m256i t[8];
	int i;

	for (i = 0; i < 4; i++) {
		t[2 * i] = _mm256_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
		t[2 * i + 1] = _mm256_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
	}
	for (i = 0; i < 2; i++) {
		r[4 * i] = _mm256_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
		r[4 * i + 1] = _mm256_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
		r[4 * i + 2] = _mm256_unpacklo_epi64(t[4 * i + 1],
		    t[4 * i + 3]);
		r[4 * i + 3] = _mm256_unpackhi_epi64(t[4 * i + 1],
		    t[4 * i + 3]);
	}
	for (i = 0; i < 4; i++) {
		t[i] = _mm256_permute2x128_si256(r[i], r[i + 4], 0x20);
		t[i + 4] = _mm256_permute2x128_si256(r[i], r[i + 4], 0x31);
	}
	memcpy(r, t, sizeof(t));
}

/* AVX2 has neither rotates nor ternary logic: build them. */
#define F8(b, c, d)	_mm256_xor_si256(d, _mm256_and_si256(b, \
			    _mm256_xor_si256(c, d)))
#define G8(b, c, d)	_mm256_xor_si256(c, _mm256_and_si256(d, \
			    _mm256_xor_si256(b, c)))
#define H8(b, c, d)	_mm256_xor_si256(_mm256_xor_si256(b, c), d)
#define I8(b, c, d)	_mm256_xor_si256(c, _mm256_or_si256(b, \
			    _mm256_xor_si256(d, _mm256_set1_epi32(-1))))
#define ROL8(a, s)	_mm256_or_si256(_mm256_slli_epi32(a, s), \
			    _mm256_srli_epi32(a, 32 - (s)))
#define STEP8(f, a, b, c, d, k, t, s) \
	a = _mm256_add_epi32(a, _mm256_add_epi32(x[k], \
	    _mm256_set1_epi32((int)(t)))); \
	a = _mm256_add_epi32(a, f##8(b, c, d)); \
	a = _mm256_add_epi32(ROL8(a, s), b);

/* AVX-512VL: the AVX-512 forms on 256-bit registers. */
#define F8VL(b, c, d)	_mm256_ternarylogic_epi32(b, c, d, 0xca)
#define G8VL(b, c, d)	_mm256_ternarylogic_epi32(b, c, d, 0xe4)
#define H8VL(b, c, d)	_mm256_ternarylogic_epi32(b, c, d, 0x96)
#define I8VL(b, c, d)	_mm256_ternarylogic_epi32(b, c, d, 0x39)
#define STEP8VL(f, a, b, c, d, k, t, s) \
	a = _mm256_add_epi32(a, _mm256_add_epi32(x[k], \
	    _mm256_set1_epi32((int)(t)))); \
	a = _mm256_add_epi32(a, f##8VL(b, c, d)); \
	a = _mm256_add_epi32(_mm256_rol_epi32(a, s), b);

/* An 8-lane kernel named NAME for target TGT with step macro STEP. */
#define KERNEL8(name, tgt, STEP) \
__attribute__((target(tgt))) \
static void \
name(uint32_t st[4][MD5X_MAX], const uint8_t *const p[MD5X_MAX], \
    size_t nblocks) \
{ \
	__m256i a, b, c, d, a0, b0, c0, d0, x[16]; \
	size_t off; \
	int l; \
 \
	a = _mm256_loadu_si256((const __m256i *)st[0]); \
	b = _mm256_loadu_si256((const __m256i *)st[1]); \
	c = _mm256_loadu_si256((const __m256i *)st[2]); \
	d = _mm256_loadu_si256((const __m256i *)st[3]); \
	for (off = 0; nblocks > 0; nblocks--, off += MD5_BLOCK) { \
		for (l = 0; l < 8; l++) { \
			x[l] = _mm256_loadu_si256((const __m256i *)(p[l] + \
			    off)); \
			x[l + 8] = _mm256_loadu_si256((const __m256i *) \
			    (p[l] + off + 32)); \
		} \
		transpose8(x); \
		transpose8(x + 8); \
		a0 = a; \
		b0 = b; \
		c0 = c; \
		d0 = d; \
		MD5_STEPS(STEP) \
		a = _mm256_add_epi32(a, a0); \
		b = _mm256_add_epi32(b, b0); \
		c = _mm256_add_epi32(c, c0); \
		d = _mm256_add_epi32(d, d0); \
	} \
	_mm256_storeu_si256((__m256i *)st[0], a); \
	_mm256_storeu_si256((__m256i *)st[1], b); \
	_mm256_storeu_si256((__m256i *)st[2], c); \
	_mm256_storeu_si256((__m256i *)st[3], d); \
}

KERNEL8(kernel8, "avx2", STEP8)
KERNEL8(kernel8vl, "avx2,avx512f,avx512vl", STEP8VL)
#define HAVE_MD5X_SIMD 1
#endif

/* --- selection -------------------------------------------------------- */

/*
 * wide: 16 lanes, used when more than 8 messages have blocks left;
 * narrow: 8 lanes, cheaper per pass on CPUs that split 512-bit work.
 */
static kernel_fn *wide;
static kernel_fn *narrow;
static const char *impl_name = "scalar";
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int
use(const char *name)
{
#ifdef HAVE_MD5X_SIMD
	if (strcmp(name, "avx512") == 0 && cpu_has(CPU_AVX512F) &&
	    cpu_has(CPU_AVX512VL) && cpu_has(CPU_AVX2)) {
		wide = kernel16;
		narrow = kernel8vl;
		impl_name = "avx512";
		return 0;
	}
	if (strcmp(name, "avx2") == 0 && cpu_has(CPU_AVX2)) {
		wide = NULL;
		narrow = kernel8;
		impl_name = "avx2";
		return 0;
	}
#endif
	if (strcmp(name, "scalar") == 0) {
		wide = narrow = NULL;
		impl_name = "scalar";
		return 0;
	}
	return -1;
}

static void
pick_auto(void)
{
	if (use("avx512") != 0 && use("avx2") != 0)
		use("scalar");
}

int
md5x_select(const char *name)
{
	pthread_once(&once, pick_auto);
	if (strcmp(name, "auto") == 0) {
		pick_auto();
		return 0;
	}
	return use(name);
}

const char *
md5x_impl(void)
{
	pthread_once(&once, pick_auto);
	return impl_name;
}

unsigned
md5x_lanes(void)
{
	pthread_once(&once, pick_auto);
	return wide ? 16 : narrow ? 8 : 1;
}

/* --- hashing ---------------------------------------------------------- */

/*
 * While two or more messages have whole blocks left, run the kernel
 * over the blocks they all have; what remains (one message's blocks,
 * partial blocks) is left for the scalar code. Lanes without a message
 * repeat the first one and their results are dropped.
 */
static void
side_by_side(struct md5 *const ctx[], const uint8_t *q[], size_t left[],
    unsigned n)
{
	uint32_t st[4][MD5X_MAX];
	const uint8_t *lp[MD5X_MAX];
	unsigned act[MD5X_MAX], na, i, l, w, lanes;
	size_t nb, done;
	kernel_fn *k;

	for (;;) {
		na = 0;
		for (i = 0; i < n && na < MD5X_MAX; i++)
			if (left[i] >= MD5_BLOCK)
				act[na++] = i;
		if (na < 2)
			return;
		if (na > 8 && wide != NULL) {
			k = wide;
			lanes = 16;
		} else {
			k = narrow;
			lanes = 8;
			if (na > 8)
				na = 8;
		}
		nb = left[act[0]] / MD5_BLOCK;
		for (l = 1; l < na; l++)
			if (left[act[l]] / MD5_BLOCK < nb)
				nb = left[act[l]] / MD5_BLOCK;
		for (l = 0; l < lanes; l++) {
			i = act[l < na ? l : 0];
			lp[l] = q[i];
			for (w = 0; w < 4; w++)
				st[w][l] = ctx[i]->h[w];
		}
		k(st, lp, nb);
		done = nb * MD5_BLOCK;
		for (l = 0; l < na; l++) {
			i = act[l];
			for (w = 0; w < 4; w++)
				ctx[i]->h[w] = st[w][l];
			ctx[i]->len += done;
			q[i] += done;
			left[i] -= done;
		}
	}
}

void
md5x_update(struct md5 *const ctx[], const uint8_t *const p[],
    const size_t len[], unsigned n)
{
	const uint8_t *q[MD5X_MAX];
	size_t left[MD5X_MAX], take;
	unsigned i;

	pthread_once(&once, pick_auto);
	if (n > MD5X_MAX)
		n = MD5X_MAX;
	for (i = 0; i < n; i++) {
		q[i] = p[i];
		left[i] = len[i];
		if (ctx[i]->nbuf > 0) {	/* complete the buffered block */
			take = MD5_BLOCK - ctx[i]->nbuf;
			if (take > left[i])
				take = left[i];
			md5_update(ctx[i], q[i], take);
			q[i] += take;
			left[i] -= take;
		}
	}
	if (narrow != NULL)
		side_by_side(ctx, q, left, n);
	for (i = 0; i < n; i++)
		if (left[i] > 0)
			md5_update(ctx[i], q[i], left[i]);
}
