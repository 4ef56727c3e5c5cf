/*
 * http.h: HTTP/1.1 request writer and stateless response parsers.
 *
 * No I/O: the writer appends bytes to a strbuf, the parsers look at a
 * byte span and either return how many bytes they consumed, -2 when
 * the span ends before the element does ("need more bytes": call again
 * with a longer span starting at the same place), or -1 with err.
 * Parsed fields point into the caller's span (zero copy) and are valid
 * as long as it is. Hard limits below bound every length and count;
 * exceeding one is ERR_LIMIT, malformed input ERR_FORMAT.
 *
 * Lines may end in CRLF or a bare LF (as picohttpparser allows);
 * obsolete header line folding is rejected.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "strbuf.h"

#define HTTP_MAX_HEAD		(64 * 1024)	/* status line + headers */
#define HTTP_MAX_HEADERS	100
#define HTTP_MAX_CHUNK_LINE	4096		/* chunk size + extensions */
#define HTTP_MAX_TRAILER	(16 * 1024)
#define HTTP_MAX_LENGTH		((uint64_t)1 << 62)	/* Content-Length cap */

/* A header of a request to write: NUL-terminated, validated on write. */
struct http_field {
	const char	*name;
	const char	*value;
};

/* Request body framing for the writer. */
#define HTTP_NO_BODY	(-1)	/* no Content-Length, no body (GET) */
#define HTTP_CHUNKED	(-2)	/* Transfer-Encoding: chunked */

struct http_request {
	const char	*method;	/* token: "GET", "PUT", ... */
	const char	*target;	/* origin-form: "/path?query" */
	const char	*host;		/* Host header value */
	const struct http_field *fields;	/* other headers, in order */
	size_t		 nfields;
	/* Body length >= 0 (Content-Length), HTTP_NO_BODY or HTTP_CHUNKED. */
	int64_t		 body_length;
	int		 expect_continue;	/* send Expect: 100-continue */
};

/*
 * Append the request head: request line, Host, the fields in order,
 * then Content-Length / Transfer-Encoding and Expect as the framing
 * says, and the blank line. Fields must not set Host, Content-Length,
 * Transfer-Encoding or Expect themselves. Names must be tokens and
 * values free of CR, LF and NUL (no header injection): else ERR_USAGE.
 */
int	http_write_head(struct strbuf *, const struct http_request *,
	    struct err *);

/* A parsed header: spans into the parsed buffer, value trimmed. */
struct http_header {
	const char	*name;
	size_t		 namelen;
	const char	*value;
	size_t		 valuelen;
};

enum http_body {
	HTTP_BODY_NONE,		/* 1xx, 204, 304, or a response to HEAD */
	HTTP_BODY_LENGTH,	/* content_length bytes */
	HTTP_BODY_CHUNKED,	/* chunked transfer coding */
	HTTP_BODY_EOF		/* until the server closes */
};

struct http_response {
	int		 minor;		/* HTTP/1.minor */
	int		 status;	/* 100..999 */
	const char	*reason;
	size_t		 reasonlen;
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t		 nheaders;
	size_t		 head_len;	/* bytes of status line + headers */
	enum http_body	 body;
	uint64_t	 content_length;	/* for HTTP_BODY_LENGTH */
	int		 keep_alive;	/* connection reusable after body */
};

/*
 * Parse a response head at buf[0..len). head_request: the request was
 * HEAD, so no body follows whatever the headers say. Returns head_len
 * (> 0), -2 for need more (only while len < HTTP_MAX_HEAD), or -1.
 * Conflicting Content-Length values, and transfer codings other than
 * a lone "chunked", are errors.
 */
int	http_parse_response(const char *buf, size_t len, int head_request,
	    struct http_response *, struct err *);

/* First header named name (case-insensitive), or NULL. */
const struct http_header *http_find(const struct http_response *,
	    const char *name);
/* Copy of that header's value into out[n] (truncated), or "" if absent. */
const char *http_get(const struct http_response *, const char *name,
	    char *out, size_t n);

/*
 * Chunked coding, one element at a time. At the start of a chunk:
 * http_parse_chunk_size reads "HEX[;ext]CRLF" and stores the size;
 * returns bytes consumed, -2 or -1. After size bytes of data the caller
 * expects CRLF: http_parse_crlf returns 1 or 2 (LF or CRLF), -2 or -1.
 * After the zero-size chunk, http_parse_trailer consumes trailer
 * fields up to the blank line (returns bytes, -2 or -1).
 */
int	http_parse_chunk_size(const char *buf, size_t len, uint64_t *size,
	    struct err *);
int	http_parse_crlf(const char *buf, size_t len, struct err *);
int	http_parse_trailer(const char *buf, size_t len, struct err *);

#endif
