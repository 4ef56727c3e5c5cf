/*
 * http_test: drive lib/http and lib/httpconn over memory pipes.
 *
 *	http_test heads                 request heads for t/data/http
 *	http_test dump FILE [STEP]      GET, FILE as the server's bytes;
 *	                                print the parsed response and body
 *	http_test trunc FILE            every prefix of FILE: need-more
 *	                                from the parser, truncation (transient)
 *	                                or a correct prefix from the client
 *	http_test continue | keepalive | limits | put
 *
 * Exits 0 when every check holds, 1 with a message otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "httpconn.h"
#include "mempipe.h"

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		failures++;						\
	}								\
} while (0)

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f;
	char *buf;
	size_t cap = 1 << 20;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	if ((buf = malloc(cap)) == NULL)
		exit(1);
	*lenp = fread(buf, 1, cap, f);
	fclose(f);
	return buf;
}

static void
out_head(const struct http_request *rq)
{
	struct strbuf sb;
	struct err e;

	sb_init(&sb, 0);
	if (http_write_head(&sb, rq, &e) != 0)
		printf("error: %s\n", e.msg);
	else
		fwrite(sb_cstr(&sb), 1, sb.len, stdout);
	sb_free(&sb);
}

static int
cmd_heads(void)
{
	struct http_field f[3] = {
		{ "x-amz-date", "20130524T000000Z" },
		{ "Range", "bytes=0-9" },
		{ "User-Agent", "s3pipe/0" },
	};
	struct http_field bad[1] = { { "X-Evil", "a\r\nInjected: 1" } };
	struct http_field badname[1] = { { "Bad Name", "x" } };
	struct http_field host[1] = { { "host", "x" } };
	struct http_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.target = "/test.txt";
	rq.host = "examplebucket.s3.amazonaws.com";
	rq.fields = f;
	rq.nfields = 3;
	rq.body_length = HTTP_NO_BODY;
	out_head(&rq);
	rq.method = "PUT";
	rq.target = "/b/k%20ey?partNumber=1&uploadId=x";
	rq.nfields = 1;
	rq.body_length = 5;
	rq.expect_continue = 1;
	out_head(&rq);
	rq.method = "POST";
	rq.body_length = HTTP_CHUNKED;
	rq.expect_continue = 0;
	rq.nfields = 0;
	out_head(&rq);
	rq.body_length = 0;
	out_head(&rq);
	/* Rejected: injection, bad names, reserved fields, bad targets. */
	rq.fields = bad;
	rq.nfields = 1;
	out_head(&rq);
	rq.fields = badname;
	out_head(&rq);
	rq.fields = host;
	out_head(&rq);
	rq.nfields = 0;
	rq.target = "/a b";
	out_head(&rq);
	rq.target = "http://x/";
	out_head(&rq);
	rq.target = "/";
	rq.method = "G T";
	out_head(&rq);
	rq.method = "GET";
	rq.host = "h\r\nX: y";
	out_head(&rq);
	return 0;
}

static const char *
body_name(enum http_body b)
{
	switch (b) {
	case HTTP_BODY_NONE: return "none";
	case HTTP_BODY_LENGTH: return "length";
	case HTTP_BODY_CHUNKED: return "chunked";
	default: return "eof";
	}
}

/* Run one GET against in[0..len) cut at cut; body into *body. */
static int
run_get(const char *in, size_t len, size_t step, size_t cut, int head,
    int fail, struct strbuf *dump, struct strbuf *body, struct err *e)
{
	struct mempipe mp;
	struct conn c;
	struct httpc h;
	struct http_request rq;
	const struct http_response *r;
	char buf[37];
	ssize_t n;
	size_t i;
	int rc = -1;

	mp_init(&mp, &c, in, len, step);
	mp.cut = cut;
	mp.fail_at_cut = fail;
	if (httpc_init(&h, &c, e) != 0)
		return -1;
	memset(&rq, 0, sizeof(rq));
	rq.method = head ? "HEAD" : "GET";
	rq.target = "/";
	rq.host = "localhost";
	rq.body_length = HTTP_NO_BODY;
	if (httpc_send(&h, &rq, NULL, NULL, e) != 0)
		goto out;
	if ((r = httpc_response(&h, e)) == NULL)
		goto out;
	if (dump != NULL) {
		sb_addf(dump, "status %d minor %d reason '%.*s'\n", r->status,
		    r->minor, (int)r->reasonlen, r->reason);
		for (i = 0; i < r->nheaders; i++)
			sb_addf(dump, "header '%.*s' '%.*s'\n",
			    (int)r->headers[i].namelen, r->headers[i].name,
			    (int)r->headers[i].valuelen, r->headers[i].value);
		sb_addf(dump, "framing %s length %llu keep-alive %d\n",
		    body_name(r->body),
		    (unsigned long long)r->content_length, r->keep_alive);
	}
	/* Odd-sized reads exercise every boundary. */
	while ((n = httpc_read_body(&h, buf, sizeof(buf), e)) > 0)
		sb_add(body, buf, (size_t)n);
	if (n < 0)
		goto out;
	if (dump != NULL)
		sb_addf(dump, "body %zu bytes, reusable %d, unread %zu\n",
		    body->len, httpc_reusable(&h), h.rlen - h.roff +
		    (mp.inlen - mp.inoff));
	rc = 0;
out:
	httpc_free(&h);
	mp_close(&mp);
	return rc;
}

static int
cmd_dump(const char *path, size_t step, int head)
{
	struct strbuf dump, body;
	struct err e;
	size_t len;
	char *in = slurp(path, &len);

	sb_init(&dump, 0);
	sb_init(&body, 0);
	if (run_get(in, len, step, SIZE_MAX, head, 0, &dump, &body, &e) != 0) {
		printf("error kind %d: %s\n", e.kind, e.msg);
	} else {
		fwrite(sb_cstr(&dump), 1, dump.len, stdout);
		printf("--- body\n");
		fwrite(sb_cstr(&body), 1, body.len, stdout);
	}
	sb_free(&dump);
	sb_free(&body);
	free(in);
	return 0;
}

static int
cmd_trunc(const char *path)
{
	struct http_response r;
	struct strbuf full, body;
	struct err e;
	size_t len, cut, used, body_at;
	char *in = slurp(path, &len);
	int n, rc, eof_framed;
	char *exact;

	sb_init(&full, 0);
	sb_init(&body, 0);
	if (run_get(in, len, 0, SIZE_MAX, 0, 0, NULL, &full, &e) != 0) {
		fprintf(stderr, "full input fails: %s\n", e.msg);
		return 1;
	}
	n = http_parse_response(in, len, 0, &r, &e);
	CHECK(n > 0, "full head does not parse");
	/* Where the body starts: past any interim 1xx heads. */
	for (body_at = 0; n > 0; ) {
		body_at += (size_t)n;
		if (r.status >= 200)
			break;
		n = http_parse_response(in + body_at, len - body_at, 0, &r, &e);
	}
	eof_framed = r.body == HTTP_BODY_EOF;
	n = http_parse_response(in, len, 0, &r, &e);
	/* Parser: every strict prefix of the head needs more bytes. */
	for (cut = 0; n > 0 && cut < (size_t)n; cut++) {
		/* Exact-size copy so ASan catches reads past the span. */
		exact = malloc(cut ? cut : 1);
		memcpy(exact, in, cut);
		rc = http_parse_response(exact, cut, 0, &r, &e);
		CHECK(rc == -2, "head prefix %zu: got %d", cut, rc);
		free(exact);
	}
	/* Client: every cut either fails as transient or is a prefix. */
	for (cut = 0; cut < len; cut++) {
		sb_reset(&body);
		rc = run_get(in, len, cut % 3 == 0 ? 1 : 0, cut, 0, 0, NULL,
		    &body, &e);
		used = body.len;
		if (rc != 0) {
			CHECK(e.kind == ERR_TRANSIENT,
			    "cut %zu: error not transient: %s", cut, e.msg);
			continue;
		}
		/* Success on a cut stream is only right for EOF framing. */
		CHECK(eof_framed || cut >= len,
		    "cut %zu of %zu: truncation not detected", cut, len);
		CHECK(used <= full.len && memcmp(sb_cstr(&body),
		    sb_cstr(&full), used) == 0, "cut %zu: body differs", cut);
	}
	/*
	 * A timeout mid-stream always fails as transient; so does a reset
	 * inside the body, while a reset before it stays a reset (ERR_IO,
	 * ECONNRESET: the retry table knows it).
	 */
	for (cut = 0; cut < len; cut++) {
		sb_reset(&body);
		rc = run_get(in, len, 0, cut, 0, 1, NULL, &body, &e);
		CHECK(rc != 0 && e.kind == ERR_TRANSIENT,
		    "timeout at %zu: rc %d: %s", cut, rc, rc ? e.msg : "");
		sb_reset(&body);
		rc = run_get(in, len, 0, cut, 0, 2, NULL, &body, &e);
		CHECK(rc != 0 && (e.kind == ERR_TRANSIENT ||
		    (cut < body_at && e.kind == ERR_IO &&
		    e.errnum == ECONNRESET)),
		    "reset at %zu: rc %d: kind %d %s", cut, rc, e.kind,
		    rc ? e.msg : "");
	}
	printf("trunc %s: %zu cuts checked, %d failures\n", path, len,
	    failures);
	sb_free(&full);
	sb_free(&body);
	free(in);
	return failures ? 1 : 0;
}

/* The whole remaining body into buf[cap] (short reads are normal). */
static ssize_t
read_all(struct httpc *h, char *buf, size_t cap, struct err *e)
{
	size_t got = 0;
	ssize_t n = 0;

	while (got < cap && (n = httpc_read_body(h, buf + got, cap - got,
	    e)) > 0)
		got += (size_t)n;
	if (n < 0)
		return -1;
	return (ssize_t)got;
}

struct src {
	const char	*data;
	size_t		 len, off, piece;
};

static ssize_t
src_read(void *arg, void *buf, size_t cap, struct err *e)
{
	struct src *s = arg;
	size_t n = s->len - s->off;

	(void)e;
	if (n > cap)
		n = cap;
	if (n > s->piece)
		n = s->piece;
	memcpy(buf, s->data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static int
cmd_put(void)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
	    "ETag: \"x\"\r\n\r\n";
	struct mempipe mp;
	struct conn c;
	struct httpc h;
	struct http_request rq;
	struct src s = { "hello world", 11, 0, 4 };
	struct err e;
	const struct http_response *r;

	/* Chunked upload: pieces of 4 become chunks of 4, 4, 3. */
	mp_init(&mp, &c, resp, sizeof(resp) - 1, 0);
	httpc_init(&h, &c, &e);
	memset(&rq, 0, sizeof(rq));
	rq.method = "PUT";
	rq.target = "/b/k";
	rq.host = "h";
	rq.body_length = HTTP_CHUNKED;
	CHECK(httpc_send(&h, &rq, src_read, &s, &e) == 0, "send: %s", e.msg);
	fwrite(sb_cstr(&mp.out), 1, mp.out.len, stdout);
	CHECK((r = httpc_response(&h, &e)) != NULL && r->status == 200,
	    "response");
	CHECK(httpc_reusable(&h), "not reusable after empty body");
	httpc_free(&h);
	mp_close(&mp);

	/* Content-Length mismatch: source too short, then too long. */
	rq.body_length = 12;
	s.off = 0;
	mp_init(&mp, &c, resp, sizeof(resp) - 1, 0);
	httpc_init(&h, &c, &e);
	CHECK(httpc_send(&h, &rq, src_read, &s, &e) != 0 &&
	    e.kind == ERR_USAGE, "short body accepted");
	CHECK(!httpc_reusable(&h), "broken conn reusable");
	httpc_free(&h);
	mp_close(&mp);
	rq.body_length = 10;
	s.off = 0;
	mp_init(&mp, &c, resp, sizeof(resp) - 1, 0);
	httpc_init(&h, &c, &e);
	CHECK(httpc_send(&h, &rq, src_read, &s, &e) != 0 &&
	    e.kind == ERR_USAGE, "long body accepted");
	httpc_free(&h);
	mp_close(&mp);
	return failures ? 1 : 0;
}

static int
cmd_continue(void)
{
	static const char go[] = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	static const char stop[] = "HTTP/1.1 403 Forbidden\r\n"
	    "Content-Length: 6\r\n\r\ndenied";
	struct mempipe mp;
	struct conn c;
	struct httpc h;
	struct http_request rq;
	struct src s = { "hello", 5, 0, 100 };
	struct err e;
	const struct http_response *r;
	char buf[16];
	ssize_t n;

	memset(&rq, 0, sizeof(rq));
	rq.method = "PUT";
	rq.target = "/b/k";
	rq.host = "h";
	rq.body_length = 5;
	rq.expect_continue = 1;
	mp_init(&mp, &c, go, sizeof(go) - 1, 1);
	httpc_init(&h, &c, &e);
	CHECK(httpc_send(&h, &rq, src_read, &s, &e) == 0, "send: %s", e.msg);
	CHECK(mp.flushes >= 1, "head not flushed before waiting");
	CHECK(mp.out.len > 5 && memcmp(sb_cstr(&mp.out) + mp.out.len - 5,
	    "hello", 5) == 0, "body not sent after 100");
	CHECK((r = httpc_response(&h, &e)) != NULL && r->status == 200,
	    "final response after 100");
	n = read_all(&h, buf, sizeof(buf), &e);
	CHECK(n == 2 && memcmp(buf, "ok", 2) == 0, "body after 100");
	CHECK(httpc_read_body(&h, buf, sizeof(buf), &e) == 0, "body end");
	CHECK(httpc_reusable(&h), "not reusable after 100-continue");
	httpc_free(&h);
	mp_close(&mp);

	s.off = 0;
	mp_init(&mp, &c, stop, sizeof(stop) - 1, 0);
	httpc_init(&h, &c, &e);
	CHECK(httpc_send(&h, &rq, src_read, &s, &e) == 0, "send: %s", e.msg);
	CHECK(strstr(sb_cstr(&mp.out), "hello") == NULL,
	    "body sent despite 403");
	CHECK(strstr(sb_cstr(&mp.out), "Expect: 100-continue\r\n") != NULL,
	    "no Expect header");
	CHECK((r = httpc_response(&h, &e)) != NULL && r->status == 403,
	    "early final response");
	n = read_all(&h, buf, sizeof(buf), &e);
	CHECK(n == 6 && memcmp(buf, "denied", 6) == 0, "early body");
	CHECK(!httpc_reusable(&h), "reusable though body was never sent");
	httpc_free(&h);
	mp_close(&mp);
	/* No Expect: the server answers and closes mid-body. */
	{
		static char big[200000];
		struct src bs = { big, sizeof(big), 0, 100000 };

		rq.expect_continue = 0;
		rq.body_length = sizeof(big);
		mp_init(&mp, &c, stop, sizeof(stop) - 1, 0);
		mp.wcut = 1000;
		httpc_init(&h, &c, &e);
		CHECK(httpc_send(&h, &rq, src_read, &bs, &e) == 0,
		    "early answer lost: %s", e.msg);
		CHECK((r = httpc_response(&h, &e)) != NULL &&
		    r->status == 403, "early answer status");
		CHECK(!httpc_reusable(&h), "reusable after a failed write");
		httpc_free(&h);
		mp_close(&mp);
		/* Without an answer the write error stands. */
		bs.off = 0;
		mp_init(&mp, &c, "", 0, 0);
		mp.wcut = 1000;
		httpc_init(&h, &c, &e);
		CHECK(httpc_send(&h, &rq, src_read, &bs, &e) == -1 &&
		    e.kind == ERR_IO && strstr(e.msg, "broken pipe") != NULL,
		    "write error kept: %s", e.msg);
		httpc_free(&h);
		mp_close(&mp);
	}
	printf("continue: %d failures\n", failures);
	return failures ? 1 : 0;
}

static int
cmd_keepalive(void)
{
	static const char two[] =
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabc\r\n0\r\n\r\n"
	    "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n"
	    "Connection: close\r\n\r\nnope";
	struct mempipe mp;
	struct conn c;
	struct httpc h;
	struct http_request rq;
	struct err e;
	const struct http_response *r;
	char buf[16];
	size_t step;

	for (step = 0; step < 4; step++) {
		memset(&rq, 0, sizeof(rq));
		rq.method = "GET";
		rq.target = "/";
		rq.host = "h";
		rq.body_length = HTTP_NO_BODY;
		mp_init(&mp, &c, two, sizeof(two) - 1, step);
		httpc_init(&h, &c, &e);
		CHECK(httpc_send(&h, &rq, NULL, NULL, &e) == 0, "send 1");
		CHECK((r = httpc_response(&h, &e)) != NULL && r->status == 200,
		    "response 1");
		CHECK(read_all(&h, buf, sizeof(buf), &e) == 3 &&
		    memcmp(buf, "abc", 3) == 0, "body 1");
		CHECK(httpc_read_body(&h, buf, sizeof(buf), &e) == 0,
		    "end 1");
		CHECK(httpc_reusable(&h), "step %zu: not reusable", step);
		CHECK(httpc_send(&h, &rq, NULL, NULL, &e) == 0, "send 2");
		CHECK((r = httpc_response(&h, &e)) != NULL && r->status == 404,
		    "response 2: %s", e.msg);
		CHECK(httpc_discard(&h, 100, &e) == 0, "discard");
		CHECK(!httpc_reusable(&h), "reusable after Connection: close");
		httpc_free(&h);
		mp_close(&mp);
	}
	printf("keepalive: %d failures\n", failures);
	return failures ? 1 : 0;
}

static int
cmd_limits(void)
{
	struct http_response r;
	struct strbuf sb;
	struct err e;
	uint64_t size;
	int i, rc;

	sb_init(&sb, 0);
	sb_adds(&sb, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < HTTP_MAX_HEADERS; i++)
		sb_addf(&sb, "X-H%d: v\r\n", i);
	sb_adds(&sb, "Content-Length: 0\r\n\r\n");
	rc = http_parse_response(sb_cstr(&sb), sb.len, 0, &r, &e);
	CHECK(rc == -1 && e.kind == ERR_LIMIT, "101 headers: %d", rc);
	sb_reset(&sb);
	sb_adds(&sb, "HTTP/1.1 200 OK\r\nX-Big: ");
	while (sb.len < HTTP_MAX_HEAD)
		sb_adds(&sb, "aaaaaaaaaaaaaaaa");
	rc = http_parse_response(sb_cstr(&sb), sb.len, 0, &r, &e);
	CHECK(rc == -1 && e.kind == ERR_LIMIT, "huge head: %d", rc);
	rc = http_parse_response(sb_cstr(&sb), HTTP_MAX_HEAD - 1, 0, &r, &e);
	CHECK(rc == -2, "just under the cap needs more: %d", rc);
	rc = http_parse_chunk_size("1000000000000000\r\n", 18, &size, &e);
	CHECK(rc == -1 && e.kind == ERR_LIMIT, "giant chunk: %d", rc);
	rc = http_parse_chunk_size("fff;x=y\r\n", 9, &size, &e);
	CHECK(rc == 9 && size == 0xfff, "chunk ext: %d", rc);
	rc = http_parse_chunk_size("zz\r\n", 4, &size, &e);
	CHECK(rc == -1 && e.kind == ERR_FORMAT, "bad chunk: %d", rc);
	rc = http_parse_chunk_size("1f", 2, &size, &e);
	CHECK(rc == -2, "partial chunk size: %d", rc);
	sb_free(&sb);
	printf("limits: %d failures\n", failures);
	return failures ? 1 : 0;
}

/* A server that sends a head, then `left` bytes of filler. */
struct gen {
	const char	*head;
	size_t		 headlen, off;
	uint64_t	 left;
	int		 chunked;
	size_t		 inchunk;
};

static ssize_t
gen_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct gen *g = ctx;
	const char *lit = NULL;
	size_t n;

	(void)e;
	if (g->off < g->headlen) {
		n = g->headlen - g->off < len ? g->headlen - g->off : len;
		memcpy(buf, g->head + g->off, n);
		g->off += n;
		return (ssize_t)n;
	}
	if (!g->chunked) {
		n = g->left < len ? (size_t)g->left : len;
		memset(buf, 'x', n);
		g->left -= n;
		return (ssize_t)n;
	}
	/* inchunk: bytes of chunk data still to send; states by value. */
	if (g->inchunk == 0 && g->left > 0) {
		g->inchunk = g->left < 65536 ? (size_t)g->left : 65536;
		g->left -= g->inchunk;
		return snprintf(buf, len, "%zx\r\n", g->inchunk);
	}
	if (g->inchunk == (size_t)-1) {
		g->inchunk = 0;
		lit = g->left > 0 ? "\r\n" : "\r\n0\r\n\r\n";
		if (g->left == 0)
			g->chunked = 2;
		memcpy(buf, lit, strlen(lit));
		return (ssize_t)strlen(lit);
	}
	if (g->chunked == 2)
		return 0;
	if (g->inchunk > 0) {
		n = g->inchunk < len ? g->inchunk : len;
		memset(buf, 'x', n);
		g->inchunk -= n;
		if (g->inchunk == 0)
			g->inchunk = (size_t)-1;	/* CRLF next */
		return (ssize_t)n;
	}
	return 0;
}

static int
cmd_bench(uint64_t mib, int chunked)
{
	static char head[128];
	struct gen g;
	struct conn c = { gen_read, mp_write, mp_flush, mp_close, NULL };
	struct mempipe sink;
	struct httpc h;
	struct http_request rq;
	struct err e;
	struct timespec t0, t1;
	char *buf = malloc(1 << 20);
	uint64_t total = 0;
	ssize_t n;
	double s;

	memset(&g, 0, sizeof(g));
	g.left = mib << 20;
	g.chunked = chunked;
	if (chunked)
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n");
	else
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
		    "Content-Length: %llu\r\n\r\n",
		    (unsigned long long)g.left);
	g.head = head;
	g.headlen = strlen(head);
	mp_init(&sink, &c, "", 0, 0);
	c.read = gen_read;
	c.ctx = &g;
	httpc_init(&h, &c, &e);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.target = "/";
	rq.host = "h";
	rq.body_length = HTTP_NO_BODY;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* mempipe writes go nowhere useful; only the read side matters. */
	c.ctx = &sink;
	httpc_send(&h, &rq, NULL, NULL, &e);
	c.ctx = &g;
	if (httpc_response(&h, &e) == NULL) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	while ((n = httpc_read_body(&h, buf, 1 << 20, &e)) > 0)
		total += (uint64_t)n;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%s body: %llu MiB in %.3f s = %.0f MiB/s (rc %zd%s%s)\n",
	    chunked ? "chunked" : "length", (unsigned long long)(total >> 20),
	    s, (double)(total >> 20) / s, n, n < 0 ? ": " : "",
	    n < 0 ? e.msg : "");
	httpc_free(&h);
	sb_free(&sink.out);
	free(buf);
	return total == mib << 20 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "heads") == 0)
		return cmd_heads();
	if (argc >= 3 && strcmp(argv[1], "dump") == 0)
		return cmd_dump(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) :
		    0, 0);
	if (argc >= 3 && strcmp(argv[1], "dumphead") == 0)
		return cmd_dump(argv[2], 0, 1);
	if (argc >= 3 && strcmp(argv[1], "trunc") == 0)
		return cmd_trunc(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "put") == 0)
		return cmd_put();
	if (argc >= 2 && strcmp(argv[1], "continue") == 0)
		return cmd_continue();
	if (argc >= 2 && strcmp(argv[1], "keepalive") == 0)
		return cmd_keepalive();
	if (argc >= 2 && strcmp(argv[1], "limits") == 0)
		return cmd_limits();
	if (argc == 4 && strcmp(argv[1], "bench") == 0)
		return cmd_bench(strtoull(argv[2], NULL, 10),
		    strcmp(argv[3], "chunked") == 0);
	fprintf(stderr, "usage: http_test heads|dump FILE [STEP]|dumphead FILE|"
	    "trunc FILE|put|continue|keepalive|limits\n");
	return 2;
}
