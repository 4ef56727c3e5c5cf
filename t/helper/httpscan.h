/*
 * httpscan.h: HTTP/1.1 message framing for the test servers
 * (faultproxy.c, capture.c). Test code only, header-only so each helper
 * stays one program: the heads are found, a few header values read, and
 * body boundaries tracked over raw bytes (Content-Length, chunked, or
 * until close) so the servers can count requests and responses on
 * keep-alive connections. Not a validating parser: lib/http is.
 */
#ifndef HTTPSCAN_H
#define HTTPSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HS_HEAD_MAX	65536

enum hs_kind { HS_NONE, HS_LENGTH, HS_CHUNKED, HS_CLOSE };
enum hs_cstate { HS_C_SIZE, HS_C_EXT, HS_C_DATA, HS_C_DATA_CR, HS_C_DATA_LF,
	HS_C_TRAILER_START, HS_C_TRAILER_LINE };

struct hs_body {
	enum hs_kind	kind;
	long long	left;		/* HS_LENGTH: bytes; chunk: data left */
	enum hs_cstate	cs;
	int		digits;
	int		done;
};

/* Length of the head including the blank line, or 0 if incomplete. */
static inline size_t
hs_head_len(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 3; i < n; i++)
		if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' &&
		    p[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* Copy header NAME's value (first one) into out; 0 found, -1 not. */
static inline int
hs_header(const unsigned char *head, size_t hlen, const char *name,
    char *out, size_t outlen)
{
	const char *p = (const char *)head;
	const char *end = p + hlen;
	const char *eol;
	const char *v;
	size_t nl = strlen(name);
	size_t len;

	while (p < end && (eol = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p = eol + 1;
		if ((size_t)(end - p) > nl && strncasecmp(p, name, nl) == 0 &&
		    p[nl] == ':') {
			v = p + nl + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			eol = memchr(v, '\n', (size_t)(end - v));
			len = eol ? (size_t)(eol - v) : 0;
			while (len > 0 && (v[len - 1] == '\r' ||
			    v[len - 1] == ' '))
				len--;
			if (len >= outlen)
				len = outlen - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
	}
	return -1;
}

/* 1 if the header's comma list contains token (case-insensitive). */
static inline int
hs_header_has(const unsigned char *head, size_t hlen, const char *name,
    const char *token)
{
	char v[256];
	char *save;
	char *t;

	if (hs_header(head, hlen, name, v, sizeof(v)) != 0)
		return 0;
	for (t = strtok_r(v, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
		if (strcasecmp(t, token) == 0)
			return 1;
	return 0;
}

/*
 * Body framing of a message head. is_response: the status decides
 * (1xx/204/304 and answers to HEAD have no body); a response with
 * neither length nor chunked runs until close. Requests without either
 * have no body.
 */
static inline void
hs_body_init(struct hs_body *b, const unsigned char *head, size_t hlen,
    int is_response, int status, int head_request)
{
	char v[64];
	char *end;

	memset(b, 0, sizeof(*b));
	b->kind = HS_NONE;
	if (is_response && (head_request || status / 100 == 1 ||
	    status == 204 || status == 304)) {
		b->done = 1;
		return;
	}
	if (hs_header_has(head, hlen, "Transfer-Encoding", "chunked")) {
		b->kind = HS_CHUNKED;
		b->cs = HS_C_SIZE;
		return;
	}
	if (hs_header(head, hlen, "Content-Length", v, sizeof(v)) == 0) {
		b->kind = HS_LENGTH;
		b->left = strtoll(v, &end, 10);
		if (*end != '\0' || b->left < 0)
			b->left = 0;
		b->done = b->left == 0;
		return;
	}
	if (is_response) {
		b->kind = HS_CLOSE;
		return;
	}
	b->done = 1;
}

static inline int
hs_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Consume body bytes from p[0..n): returns how many belong to this body
 * (sets b->done at its end). HS_CLOSE never ends (the connection does).
 */
static inline size_t
hs_body_scan(struct hs_body *b, const unsigned char *p, size_t n)
{
	size_t i = 0;
	size_t take;
	int h;

	if (b->done)
		return 0;
	if (b->kind == HS_CLOSE)
		return n;
	if (b->kind == HS_LENGTH) {
		take = (long long)n < b->left ? n : (size_t)b->left;
		b->left -= (long long)take;
		b->done = b->left == 0;
		return take;
	}
	while (i < n && !b->done) {
		switch (b->cs) {
		case HS_C_SIZE:
			h = hs_hex(p[i]);
			if (h >= 0 && b->digits < 15) {
				b->left = b->left * 16 + h;
				b->digits++;
			} else {
				b->cs = HS_C_EXT;
				continue;
			}
			i++;
			break;
		case HS_C_EXT:
			if (p[i++] == '\n') {
				b->digits = 0;
				b->cs = b->left > 0 ? HS_C_DATA :
				    HS_C_TRAILER_START;
			}
			break;
		case HS_C_DATA:
			take = (long long)(n - i) < b->left ? n - i :
			    (size_t)b->left;
			i += take;
			b->left -= (long long)take;
			if (b->left == 0)
				b->cs = HS_C_DATA_CR;
			break;
		case HS_C_DATA_CR:
			i++;
			b->cs = HS_C_DATA_LF;
			break;
		case HS_C_DATA_LF:
			i++;
			b->cs = HS_C_SIZE;
			break;
		case HS_C_TRAILER_START:
			if (p[i] == '\r') {
				i++;
				break;
			}
			if (p[i++] == '\n')
				b->done = 1;
			else
				b->cs = HS_C_TRAILER_LINE;
			break;
		case HS_C_TRAILER_LINE:
			if (p[i++] == '\n')
				b->cs = HS_C_TRAILER_START;
			break;
		}
	}
	return i;
}

#endif
