/*
 * hashvec: known-answer and cross-implementation tests for lib/hash,
 * lib/base64, lib/num and lib/sumline.
 *
 *	hashvec md5|md5x|sha256|crc|base64|num|sumline
 *
 * Prints one line per failed check and exits 1 if any failed. Every
 * kernel (SIMD and portable) runs the same vectors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "hash/crc.h"
#include "hash/etag.h"
#include "hash/md5.h"
#include "hash/md5x.h"
#include "hash/sha256.h"
#include "num.h"
#include "sumline.h"

static int failed;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failed = 1; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

static void
hexstr(const uint8_t *p, size_t n, char *out)
{
	hex_encode(p, n, out);
}

/* Feed in uneven pieces to exercise the buffering paths. */
static void
md5_pieces(const uint8_t *p, size_t n, uint8_t out[MD5_LEN])
{
	struct md5 c;
	size_t step = 1, take;

	md5_init(&c);
	while (n > 0) {
		take = step < n ? step : n;
		md5_update(&c, p, take);
		p += take;
		n -= take;
		step = step * 3 + 1;
	}
	md5_final(&c, out);
}

static void
test_md5(void)
{
	static const char *const rfc1321[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		    "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789", "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890123456789012345678"
		    "9012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
	};
	uint8_t d[MD5_LEN], d2[MD5_LEN];
	char hex[2 * MD5_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(rfc1321) / sizeof(rfc1321[0]); i++) {
		md5(rfc1321[i][0], strlen(rfc1321[i][0]), d);
		hexstr(d, MD5_LEN, hex);
		CHECK(strcmp(hex, rfc1321[i][1]) == 0, "md5(\"%s\") = %s",
		    rfc1321[i][0], hex);
		md5_pieces((const uint8_t *)rfc1321[i][0],
		    strlen(rfc1321[i][0]), d2);
		CHECK(memcmp(d, d2, MD5_LEN) == 0, "md5 pieces \"%s\"",
		    rfc1321[i][0]);
	}
}

/* Deterministic bytes (xorshift), so a failure is reproducible. */
static void
fill(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed | 1;

	while (n-- > 0) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		*p++ = (uint8_t)x;
	}
}

/*
 * Side-by-side MD5 against md5() on the same messages: every lane
 * count, lengths around block edges and unequal, contexts that start
 * with buffered bytes, and updates in uneven rounds.
 */
static void
test_md5x_impl(const char *impl)
{
	static const size_t lens[] = { 0, 1, 55, 56, 63, 64, 65, 127, 128,
	    129, 1000, 4096, 4097, 65536, 100003 };
	enum { NL = sizeof(lens) / sizeof(lens[0]), MAXLEN = 100003 };
	struct md5 c[MD5X_MAX], *cp[MD5X_MAX];
	const uint8_t *p[MD5X_MAX];
	size_t len[MD5X_MAX], done[MD5X_MAX], total[MD5X_MAX], step;
	uint8_t *buf, want[MD5_LEN], got[MD5_LEN];
	unsigned n, i, trial, round;

	if (md5x_select(impl) != 0) {
		printf("# md5x %s not available on this CPU\n", impl);
		return;
	}
	if ((buf = malloc((size_t)MD5X_MAX * MAXLEN)) == NULL) {
		CHECK(0, "out of memory");
		return;
	}
	fill(buf, (size_t)MD5X_MAX * MAXLEN, 7);
	for (trial = 0; trial < 3 * NL; trial++)
		for (n = 1; n <= MD5X_MAX; n++) {
			for (i = 0; i < n; i++) {
				total[i] = lens[(trial + 5 * i) % NL];
				done[i] = trial % 3 == 2 ? (trial + i) % 70 :
				    0;
				if (done[i] > total[i])
					done[i] = total[i];
				md5_init(&c[i]);
				md5_update(&c[i], buf + (size_t)i * MAXLEN,
				    done[i]);
				cp[i] = &c[i];
			}
			for (round = 0; round < 4; round++) {
				for (i = 0; i < n; i++) {
					step = trial % 3 == 0 || round == 3 ?
					    total[i] : (total[i] - done[i]) / 2 + 1;
					if (step > total[i] - done[i])
						step = total[i] - done[i];
					p[i] = buf + (size_t)i * MAXLEN +
					    done[i];
					len[i] = step;
					done[i] += step;
				}
				md5x_update(cp, p, len, n);
			}
			for (i = 0; i < n; i++) {
				CHECK(done[i] == total[i], "%s: test bug",
				    impl);
				md5(buf + (size_t)i * MAXLEN, total[i], want);
				md5_final(&c[i], got);
				CHECK(memcmp(want, got, MD5_LEN) == 0,
				    "%s: lane %u of %u, %zu bytes, trial %u",
				    impl, i, n, total[i], trial);
			}
		}
	free(buf);
}

static void
test_md5x(void)
{
	test_md5x_impl("scalar");
	test_md5x_impl("avx2");
	test_md5x_impl("avx512");
	CHECK(md5x_select("auto") == 0, "auto");
	CHECK(md5x_select("nonesuch") == -1, "unknown kernel accepted");
	printf("# md5x kernel in use: %s, %u lanes\n", md5x_impl(),
	    md5x_lanes());
}

static void
test_sha256_impl(const char *impl)
{
	static const char *const nist[][2] = {
		{ "abc", "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		    "cf5b16a778af8380036ce59e7b049237"
		    "0b249b11e8f07a51afac45037afee9d1" },
	};
	uint8_t d[SHA256_LEN], mac[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	struct sha256 c;
	uint8_t *a;
	size_t i;

	if (sha256_select(impl) != 0) {
		printf("# sha256 %s not available on this CPU\n", impl);
		return;
	}
	for (i = 0; i < sizeof(nist) / sizeof(nist[0]); i++) {
		sha256(nist[i][0], strlen(nist[i][0]), d);
		hexstr(d, SHA256_LEN, hex);
		CHECK(strcmp(hex, nist[i][1]) == 0, "%s sha256(\"%s\") = %s",
		    impl, nist[i][0], hex);
	}
	/* one million 'a', fed in 1000-byte pieces */
	a = malloc(1000);
	memset(a, 'a', 1000);
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, a, 1000);
	sha256_final(&c, d);
	free(a);
	hexstr(d, SHA256_LEN, hex);
	CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0") == 0, "%s sha256(1M a) = %s",
	    impl, hex);
	/* RFC 4231 test case 2 */
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hexstr(mac, SHA256_LEN, hex);
	CHECK(strcmp(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843") == 0, "%s hmac = %s", impl, hex);
}

static void
test_sha256(void)
{
	test_sha256_impl("portable");
	test_sha256_impl("sha-ni");
	sha256_select("auto");
	printf("# sha256 auto: %s\n", sha256_impl());
}

static void
test_crc(void)
{
	static const char *const impls[] = { "portable", "pclmul" };
	uint8_t *buf;
	uint32_t want32[64], c32;
	uint64_t want64[64], c64;
	size_t i, k, len, off, n = 70000, cut;

	buf = malloc(n);
	srand(7);
	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)rand();
	for (k = 0; k < 2; k++) {
		if (crc_select(impls[k]) != 0) {
			printf("# crc %s not available on this CPU\n", impls[k]);
			continue;
		}
		CHECK(crc32c_update(0, "123456789", 9) == 0xE3069283,
		    "%s crc32c check value", impls[k]);
		CHECK(crc64nvme_update(0, "123456789", 9) ==
		    0xAE8B14860A799888ULL, "%s crc64nvme check value",
		    impls[k]);
		/* lengths around every folding boundary, odd offsets */
		for (len = 0, i = 0; len < 1200 && i < 64; len += 19, i++) {
			off = i % 5;
			c32 = crc32c_update(0, buf + off, len);
			c64 = crc64nvme_update(0, buf + off, len);
			if (k == 0) {
				want32[i] = c32;
				want64[i] = c64;
			}
			CHECK(c32 == want32[i] && c64 == want64[i],
			    "%s len %zu differs from portable", impls[k], len);
		}
		/* chaining and combining agree with one pass */
		c32 = crc32c_update(0, buf, n);
		c64 = crc64nvme_update(0, buf, n);
		for (cut = 0; cut <= n; cut += 6999) {
			CHECK(crc32c_update(crc32c_update(0, buf, cut), buf + cut,
			    n - cut) == c32, "%s crc32c chain at %zu",
			    impls[k], cut);
			CHECK(crc32c_combine(crc32c_update(0, buf, cut),
			    crc32c_update(0, buf + cut, n - cut), n - cut) == c32,
			    "%s crc32c combine at %zu", impls[k], cut);
			CHECK(crc64nvme_combine(crc64nvme_update(0, buf, cut),
			    crc64nvme_update(0, buf + cut, n - cut), n - cut) ==
			    c64, "%s crc64nvme combine at %zu", impls[k], cut);
		}
	}
	crc_select("auto");
	printf("# crc auto: %s\n", crc_impl());
	free(buf);
}

static void
test_base64(void)
{
	static const char *const v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char enc[32];
	uint8_t dec[32];
	long n;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		base64_encode((const uint8_t *)v[i][0], strlen(v[i][0]), enc);
		CHECK(strcmp(enc, v[i][1]) == 0, "base64(%s) = %s", v[i][0],
		    enc);
		n = base64_decode(v[i][1], strlen(v[i][1]), dec, sizeof(dec));
		CHECK(n == (long)strlen(v[i][0]) &&
		    memcmp(dec, v[i][0], (size_t)n) == 0, "decode %s", v[i][1]);
	}
	CHECK(base64_decode("Zm9", 3, dec, sizeof(dec)) == -1, "short");
	CHECK(base64_decode("Zm=v", 4, dec, sizeof(dec)) == -1, "bad pad");
	CHECK(base64_decode("Z!9v", 4, dec, sizeof(dec)) == -1, "bad char");
	CHECK(base64_decode("Zm9vYmFy", 8, dec, 5) == -1, "capacity");
}

static void
test_num(void)
{
	struct err e;
	uint64_t v;
	long long n;

	CHECK(num_parse_size("8M", 1, UINT64_MAX, &v, &e) == 0 &&
	    v == 8388608, "8M");
	CHECK(num_parse_size("5MiB", 1, UINT64_MAX, &v, &e) == 0 &&
	    v == 5242880, "5MiB");
	CHECK(num_parse_size("100", 1, UINT64_MAX, &v, &e) == 0 && v == 100,
	    "100");
	CHECK(num_parse_size("1g", 1, UINT64_MAX, &v, &e) == 0 &&
	    v == 1073741824, "1g");
	CHECK(num_parse_size("5T", 1, UINT64_MAX, &v, &e) == 0 &&
	    v == 5ULL << 40, "5T");
	CHECK(num_parse_size("8X", 1, UINT64_MAX, &v, &e) == -1, "8X");
	CHECK(num_parse_size("-1", 0, UINT64_MAX, &v, &e) == -1, "-1");
	CHECK(num_parse_size("", 0, UINT64_MAX, &v, &e) == -1, "empty");
	CHECK(num_parse_size("99999999999999999999", 0, UINT64_MAX, &v,
	    &e) == -1, "overflow");
	CHECK(num_parse_size("17179869184G", 0, UINT64_MAX, &v, &e) == -1,
	    "shift overflow");
	CHECK(num_parse_size("4M", 5 << 20, UINT64_MAX, &v, &e) == -1,
	    "below min");
	CHECK(num_parse("12", 1, 100, &n, &e) == 0 && n == 12, "12");
	CHECK(num_parse("12x", 1, 100, &n, &e) == -1, "12x");
	CHECK(num_parse("101", 1, 100, &n, &e) == -1, "101");
	CHECK(num_parse("-5", -10, 10, &n, &e) == 0 && n == -5, "-5");
	CHECK(num_parse_duration("250ms", 100000, &v, &e) == 0 && v == 250,
	    "250ms");
	CHECK(num_parse_duration("1.5", 100000, &v, &e) == 0 && v == 1500,
	    "1.5");
	CHECK(num_parse_duration("7d", UINT64_MAX / 2, &v, &e) == 0 &&
	    v == 7 * 86400000ULL, "7d");
	CHECK(num_parse_duration("3w", 100000, &v, &e) == -1, "3w");
}

static void
test_sumline(void)
{
	struct sumline s;
	char l1[] = "900150983cd24fb0d6963f7d28e17f72  abc";
	char l2[] = "\\900150983cd24fb0d6963f7d28e17f72  a\\nb\\\\c";
	char l3[] = "0123abcd-12 *file name";
	char l4[] = "xyz  abc", l5[] = "abcd abc", l6[] = "abcd-  x";
	char l7[] = "\\abcd  bad\\q", l8[] = "abcd  ";
	char esc[64];

	CHECK(sumline_parse(l1, &s) == 0 && s.hash_len == 32 &&
	    strcmp(s.name, "abc") == 0 && !s.binary, "plain line");
	CHECK(sumline_parse(l2, &s) == 0 && strcmp(s.name, "a\nb\\c") == 0,
	    "escaped line");
	CHECK(sumline_parse(l3, &s) == 0 && s.hash_len == 11 && s.binary &&
	    strcmp(s.name, "file name") == 0, "etag binary line");
	CHECK(sumline_parse(l4, &s) == -1, "non-hex");
	CHECK(sumline_parse(l5, &s) == -1, "one space");
	CHECK(sumline_parse(l6, &s) == -1, "dash without count");
	CHECK(sumline_parse(l7, &s) == -1, "bad escape");
	CHECK(sumline_parse(l8, &s) == -1, "empty name");
	CHECK(sumline_escape("a\nb\\c", esc, sizeof(esc)) == 7 &&
	    strcmp(esc, "a\\nb\\\\c") == 0, "escape");
	CHECK(sumline_escape("abcdef", esc, 4) == -1, "escape capacity");
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "md5", test_md5 }, { "md5x", test_md5x },
		{ "sha256", test_sha256 },
		{ "crc", test_crc }, { "base64", test_base64 },
		{ "num", test_num }, { "sumline", test_sumline },
	};
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: hashvec test\n");
		return 2;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (strcmp(argv[1], tests[i].name) == 0) {
			tests[i].fn();
			return failed;
		}
	fprintf(stderr, "hashvec: unknown test %s\n", argv[1]);
	return 2;
}
