/*
 * sigv4_test: S3-mode signing against the examples published in the
 * AWS S3 documentation, the signing-key cache, and input checks.
 *
 *	sigv4_test docs     the documented examples (header and query)
 *	sigv4_test cache    cache hits, misses and wiping
 *	sigv4_test errors   rejected inputs
 *
 * Prints one line per check and exits 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sigv4.h"

static int failures;

static void
check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static const struct sigv4_creds doc_creds = {
	"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL
};

static void
scope(struct sigv4_scope *sc, const char *date)
{
	memset(sc, 0, sizeof(*sc));
	sc->region = "us-east-1";
	sc->service = "s3";
	sc->flags = SIGV4_CONTENT_SHA256;
	memcpy(sc->amz_date, date, SIGV4_DATE_LEN + 1);
}

static int
docs(void)
{
	struct sigv4_header get_h[2] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Range", "bytes=0-9" },
	};
	struct sigv4_header put_h[3] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Date", "Fri, 24 May 2013 00:00:00 GMT" },
		{ "x-amz-storage-class", "REDUCED_REDUNDANCY" },
	};
	struct sigv4_header host_h[1] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
	};
	struct sigv4_request rq;
	struct sigv4_scope sc;
	struct sigv4_result r;
	struct err e;

	/* GET Object with a Range header. */
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = "/test.txt";
	rq.headers = get_h;
	rq.nheaders = 2;
	rq.payload_hash = SIGV4_EMPTY_SHA256;
	scope(&sc, "20130524T000000Z");
	sigv4_result_init(&r);
	check(sigv4_sign_headers(&rq, &doc_creds, &sc, NULL, &r, &e) == 0 &&
	    strcmp(r.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170ab"
	    "a48dd91039c6036bdb41") == 0, "docs: GET Object signature");
	check(strcmp(sb_cstr(&r.signed_headers),
	    "host;range;x-amz-content-sha256;x-amz-date") == 0,
	    "docs: GET Object signed headers");
	sigv4_result_free(&r);

	/* PUT Object: '$' in the key is encoded in the path as sent. */
	rq.method = "PUT";
	rq.path = "/test%24file.text";
	rq.headers = put_h;
	rq.nheaders = 3;
	rq.payload_hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034"
	    "a8b803f8b072";
	sigv4_result_init(&r);
	check(sigv4_sign_headers(&rq, &doc_creds, &sc, NULL, &r, &e) == 0 &&
	    strcmp(r.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd"
	    "77a1b5971af0ece108bd") == 0, "docs: PUT Object signature");
	sigv4_result_free(&r);

	/* GET Bucket lifecycle: a subresource with an empty value. */
	rq.method = "GET";
	rq.path = "/";
	rq.query = "lifecycle";
	rq.headers = host_h;
	rq.nheaders = 1;
	rq.payload_hash = SIGV4_EMPTY_SHA256;
	sigv4_result_init(&r);
	check(sigv4_sign_headers(&rq, &doc_creds, &sc, NULL, &r, &e) == 0 &&
	    strcmp(r.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f"
	    "91ac7a200a0136783543") == 0, "docs: GET lifecycle signature");
	sigv4_result_free(&r);

	/* Presigned GET, valid 24 hours. */
	rq.path = "/test.txt";
	rq.query = NULL;
	rq.payload_hash = SIGV4_UNSIGNED_PAYLOAD;
	sc.flags = 0;
	sigv4_result_init(&r);
	check(sigv4_presign(&rq, &doc_creds, &sc, 86400, NULL, &r, &e) == 0 &&
	    strcmp(r.signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c2"
	    "65957d157751f604d404") == 0, "docs: presigned URL signature");
	check(strcmp(sb_cstr(&r.query), "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	    "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3"
	    "%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders="
	    "host&X-Amz-Expires=86400&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b"
	    "86d86835f995330da4c265957d157751f604d404") == 0,
	    "docs: presigned query parameters");
	sigv4_result_free(&r);
	return failures ? 1 : 0;
}

static int
cache(void)
{
	struct sigv4_header h[1] = { { "Host", "h" } };
	struct sigv4_request rq = { "GET", "/", NULL, h, 1,
	    SIGV4_EMPTY_SHA256 };
	struct sigv4_creds other = doc_creds;
	struct sigv4_cache c;
	struct sigv4_scope sc;
	struct sigv4_result r;
	struct err e;
	char plain[65], cached[65];
	uint8_t key[SHA256_LEN];
	size_t i;
	int zero;

	memset(&c, 0, sizeof(c));
	scope(&sc, "20261126T193000Z");
	sigv4_result_init(&r);
	sigv4_sign_headers(&rq, &doc_creds, &sc, NULL, &r, &e);
	memcpy(plain, r.signature, sizeof(plain));
	sigv4_result_free(&r);
	sigv4_result_init(&r);
	sigv4_sign_headers(&rq, &doc_creds, &sc, &c, &r, &e);
	memcpy(cached, r.signature, sizeof(cached));
	sigv4_result_free(&r);
	check(strcmp(plain, cached) == 0 && c.valid &&
	    strcmp(c.day, "20261126") == 0, "cache: filled, same signature");
	sigv4_signing_key(doc_creds.secret_key, "20261126", "us-east-1", "s3",
	    key);
	check(memcmp(key, c.key, sizeof(key)) == 0, "cache: holds the key");
	/* Same day, later time: a hit (the key does not change). */
	memcpy(sc.amz_date, "20261126T235959Z", SIGV4_DATE_LEN + 1);
	sigv4_result_init(&r);
	sigv4_sign_headers(&rq, &doc_creds, &sc, &c, &r, &e);
	sigv4_result_free(&r);
	check(strcmp(c.day, "20261126") == 0, "cache: same day reused");
	/* Next day, other region, other secret: each re-derives. */
	memcpy(sc.amz_date, "20261127T000000Z", SIGV4_DATE_LEN + 1);
	sigv4_result_init(&r);
	sigv4_sign_headers(&rq, &doc_creds, &sc, &c, &r, &e);
	sigv4_result_free(&r);
	sigv4_signing_key(doc_creds.secret_key, "20261127", "us-east-1", "s3",
	    key);
	check(memcmp(key, c.key, sizeof(key)) == 0, "cache: next day");
	sc.region = "eu-west-1";
	sigv4_result_init(&r);
	sigv4_sign_headers(&rq, &doc_creds, &sc, &c, &r, &e);
	sigv4_result_free(&r);
	sigv4_signing_key(doc_creds.secret_key, "20261127", "eu-west-1", "s3",
	    key);
	check(memcmp(key, c.key, sizeof(key)) == 0, "cache: other region");
	other.secret_key = "another-secret";
	sigv4_result_init(&r);
	sigv4_sign_headers(&rq, &other, &sc, &c, &r, &e);
	sigv4_result_free(&r);
	sigv4_signing_key("another-secret", "20261127", "eu-west-1", "s3", key);
	check(memcmp(key, c.key, sizeof(key)) == 0, "cache: other secret");
	sigv4_cache_clear(&c);
	for (zero = 1, i = 0; i < sizeof(c); i++)
		zero &= ((unsigned char *)&c)[i] == 0;
	check(zero, "cache: clear wipes everything");
	return failures ? 1 : 0;
}

static int
errors(void)
{
	struct sigv4_header noh[1] = { { "X-Other", "v" } };
	struct sigv4_header h[1] = { { "Host", "h" } };
	struct sigv4_request rq = { "GET", "/", NULL, noh, 1,
	    SIGV4_EMPTY_SHA256 };
	struct sigv4_creds cr = doc_creds;
	struct sigv4_scope sc;
	struct sigv4_result r;
	struct err e;

	scope(&sc, "20261126T193000Z");
	sigv4_result_init(&r);
	check(sigv4_sign_headers(&rq, &cr, &sc, NULL, &r, &e) == -1 &&
	    strstr(e.msg, "Host") != NULL, "error: no Host header");
	rq.headers = h;
	check(sigv4_presign(&rq, &cr, &sc, 0, NULL, &r, &e) == -1 &&
	    sigv4_presign(&rq, &cr, &sc, 604801, NULL, &r, &e) == -1,
	    "error: presign expiry out of range");
	sc.region = "us/east";
	check(sigv4_sign_headers(&rq, &cr, &sc, NULL, &r, &e) == -1,
	    "error: '/' in region");
	sc.region = "us-east-1";
	cr.secret_key = "";
	check(sigv4_sign_headers(&rq, &cr, &sc, NULL, &r, &e) == -1,
	    "error: empty secret");
	check(strstr(e.msg, doc_creds.secret_key) == NULL,
	    "error messages hold no secret");
	sigv4_result_free(&r);
	check(sigv4_date_parse("2015-08-30T12:36:00Z", sc.amz_date) == 0 &&
	    strcmp(sc.amz_date, "20150830T123600Z") == 0 &&
	    sigv4_date_parse("2015-08-30T12:36:00", sc.amz_date) == -1 &&
	    sigv4_date(1440938160, sc.amz_date) == 0 &&
	    strcmp(sc.amz_date, "20150830T123600Z") == 0, "dates");
	return failures ? 1 : 0;
}

static int
bench(long n)
{
	struct sigv4_header h[4] = {
		{ "Host", "bucket.s3.us-east-1.amazonaws.com" },
		{ "Content-Type", "application/octet-stream" },
		{ "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==" },
		{ "User-Agent", "s3pipe" },
	};
	struct sigv4_request rq = { "PUT", "/some/key/part-00001.parquet",
	    "partNumber=7&uploadId=abc", h, 4, SIGV4_UNSIGNED_PAYLOAD };
	struct sigv4_cache c;
	struct sigv4_scope sc;
	struct sigv4_result r;
	struct timespec t0, t1;
	struct err e;
	double s;
	long i;

	memset(&c, 0, sizeof(c));
	scope(&sc, "20261126T193000Z");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		sigv4_result_init(&r);
		if (sigv4_sign_headers(&rq, &doc_creds, &sc, &c, &r, &e) != 0)
			return 1;
		sigv4_result_free(&r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%ld signatures in %.3f s = %.0f/s (%s SHA-256)\n", n, s,
	    (double)n / s, sha256_impl());
	sigv4_cache_clear(&c);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "docs") == 0)
		return docs();
	if (argc == 2 && strcmp(argv[1], "cache") == 0)
		return cache();
	if (argc == 2 && strcmp(argv[1], "errors") == 0)
		return errors();
	if (argc == 3 && strcmp(argv[1], "bench") == 0)
		return bench(strtol(argv[2], NULL, 10));
	fprintf(stderr, "usage: sigv4_test docs|cache|errors\n");
	return 2;
}
