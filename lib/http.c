#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* RFC 9110 tchar. */
static int
tchar(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
is_token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!tchar((unsigned char)*s))
			return 0;
	return 1;
}

static int
clean_value(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

static int
reserved_field(const char *name)
{
	return strcasecmp(name, "host") == 0 ||
	    strcasecmp(name, "content-length") == 0 ||
	    strcasecmp(name, "transfer-encoding") == 0 ||
	    strcasecmp(name, "expect") == 0;
}

int
http_write_head(struct strbuf *sb, const struct http_request *rq,
    struct err *e)
{
	size_t i;
	const char *t;

	if (rq->method == NULL || !is_token(rq->method))
		return err_set(e, ERR_USAGE, "http: bad method");
	if (rq->target == NULL || rq->target[0] != '/')
		return err_set(e, ERR_USAGE, "http: target must start with /");
	for (t = rq->target; *t != '\0'; t++)
		if ((unsigned char)*t <= ' ' || *t == 0x7f)
			return err_set(e, ERR_USAGE,
			    "http: control or space in target");
	if (rq->host == NULL || rq->host[0] == '\0' || !clean_value(rq->host))
		return err_set(e, ERR_USAGE, "http: bad Host");
	if (rq->body_length < HTTP_CHUNKED)
		return err_set(e, ERR_USAGE, "http: bad body length");
	sb_adds(sb, rq->method);
	sb_addc(sb, ' ');
	sb_adds(sb, rq->target);
	sb_adds(sb, " HTTP/1.1\r\nHost: ");
	sb_adds(sb, rq->host);
	sb_adds(sb, "\r\n");
	for (i = 0; i < rq->nfields; i++) {
		if (rq->fields[i].name == NULL || rq->fields[i].value == NULL ||
		    !is_token(rq->fields[i].name) ||
		    !clean_value(rq->fields[i].value))
			return err_set(e, ERR_USAGE,
			    "http: bad header field #%zu", i);
		if (reserved_field(rq->fields[i].name))
			return err_set(e, ERR_USAGE,
			    "http: header %.40s is set by the writer",
			    rq->fields[i].name);
		sb_adds(sb, rq->fields[i].name);
		sb_adds(sb, ": ");
		sb_adds(sb, rq->fields[i].value);
		sb_adds(sb, "\r\n");
	}
	if (rq->body_length >= 0)
		sb_addf(sb, "Content-Length: %lld\r\n",
		    (long long)rq->body_length);
	else if (rq->body_length == HTTP_CHUNKED)
		sb_adds(sb, "Transfer-Encoding: chunked\r\n");
	if (rq->expect_continue && rq->body_length != HTTP_NO_BODY)
		sb_adds(sb, "Expect: 100-continue\r\n");
	sb_adds(sb, "\r\n");
	return sb_error(sb, "http: request head", e);
}

/*
 * Find the end of the line starting at p: returns the length of the
 * line without its terminator and sets *next; -2 if no LF within len.
 */
static long
line_end(const char *p, size_t len, size_t *next)
{
	const char *lf = memchr(p, '\n', len);
	size_t n;

	if (lf == NULL)
		return -2;
	n = (size_t)(lf - p);
	*next = n + 1;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return (long)n;
}

static int
span_eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && strncasecmp(p, s, n) == 0;
}

/* Does the comma list v[0..n) hold token tok (case-insensitive)? */
static int
list_has(const char *v, size_t n, const char *tok)
{
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e > s && span_eq(v + s, e - s, tok))
			return 1;
	}
	return 0;
}

static int
parse_length(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (x > HTTP_MAX_LENGTH)
		return -1;
	*out = x;
	return 0;
}

/* Status line "HTTP/1.x NNN reason". */
static int
parse_status(const char *p, size_t n, struct http_response *r, struct err *e)
{
	size_t i;

	if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 ||
	    (p[7] != '0' && p[7] != '1') || p[8] != ' ')
		return err_set(e, ERR_FORMAT, "http: bad status line");
	r->minor = p[7] - '0';
	for (i = 9; i < 12; i++)
		if (!isdigit((unsigned char)p[i]))
			return err_set(e, ERR_FORMAT, "http: bad status code");
	r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	if (r->status < 100)
		return err_set(e, ERR_FORMAT, "http: bad status code %d",
		    r->status);
	if (n > 12 && p[12] != ' ')
		return err_set(e, ERR_FORMAT, "http: bad status line");
	r->reason = n > 12 ? p + 13 : p + 12;
	r->reasonlen = n > 12 ? n - 13 : 0;
	for (i = 0; i < r->reasonlen; i++)
		if ((unsigned char)r->reason[i] < ' ' && r->reason[i] != '\t')
			return err_set(e, ERR_FORMAT,
			    "http: control byte in reason phrase");
	return 0;
}

/* One "name: value" line into h. */
static int
parse_field(const char *p, size_t n, struct http_header *h, struct err *e)
{
	size_t i, s, t;

	for (i = 0; i < n && p[i] != ':'; i++)
		if (!tchar((unsigned char)p[i]))
			return err_set(e, ERR_FORMAT,
			    "http: bad byte in header name");
	if (i == 0 || i == n)
		return err_set(e, ERR_FORMAT, "http: bad header line");
	h->name = p;
	h->namelen = i;
	for (s = i + 1; s < n && (p[s] == ' ' || p[s] == '\t'); s++)
		;
	for (t = n; t > s && (p[t - 1] == ' ' || p[t - 1] == '\t'); t--)
		;
	for (i = s; i < t; i++)
		if (((unsigned char)p[i] < ' ' && p[i] != '\t') || p[i] == 0x7f)
			return err_set(e, ERR_FORMAT,
			    "http: control byte in header value");
	h->value = p + s;
	h->valuelen = t - s;
	return 0;
}

/* Body framing and connection reuse from the parsed headers. */
static int
framing(struct http_response *r, int head_request, struct err *e)
{
	const struct http_header *h;
	uint64_t len = 0, v;
	int have_len = 0, chunked = 0, close = 0, ka = 0;
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		h = &r->headers[i];
		if (span_eq(h->name, h->namelen, "content-length")) {
			if (parse_length(h->value, h->valuelen, &v) != 0)
				return err_set(e, ERR_FORMAT,
				    "http: bad Content-Length");
			if (have_len && v != len)
				return err_set(e, ERR_FORMAT,
				    "http: conflicting Content-Length");
			len = v;
			have_len = 1;
		} else if (span_eq(h->name, h->namelen, "transfer-encoding")) {
			if (chunked || !span_eq(h->value, h->valuelen,
			    "chunked"))
				return err_set(e, ERR_UNSUPPORTED,
				    "http: transfer coding '%.*s' not supported",
				    (int)(h->valuelen > 40 ? 40 : h->valuelen),
				    h->value);
			chunked = 1;
		} else if (span_eq(h->name, h->namelen, "connection")) {
			close |= list_has(h->value, h->valuelen, "close");
			ka |= list_has(h->value, h->valuelen, "keep-alive");
		}
	}
	r->keep_alive = r->minor >= 1 ? !close : ka && !close;
	r->content_length = 0;
	if (head_request || (r->status >= 100 && r->status < 200) ||
	    r->status == 204 || r->status == 304) {
		r->body = HTTP_BODY_NONE;
	} else if (chunked) {
		/* Chunked wins over Content-Length (RFC 9112 6.3). */
		r->body = HTTP_BODY_CHUNKED;
	} else if (have_len) {
		r->body = HTTP_BODY_LENGTH;
		r->content_length = len;
	} else {
		r->body = HTTP_BODY_EOF;
		r->keep_alive = 0;
	}
	if (chunked && have_len)
		r->keep_alive = 0;
	return 0;
}

int
http_parse_response(const char *buf, size_t len, int head_request,
    struct http_response *r, struct err *e)
{
	size_t off = 0, next;
	long n;
	size_t avail;

	r->nheaders = 0;
	avail = len > HTTP_MAX_HEAD ? HTTP_MAX_HEAD : len;
	if ((n = line_end(buf, avail, &next)) == -2)
		goto more;
	if (parse_status(buf, (size_t)n, r, e) != 0)
		return -1;
	off = next;
	for (;;) {
		if ((n = line_end(buf + off, avail - off, &next)) == -2)
			goto more;
		if (n == 0)
			break;
		if (buf[off] == ' ' || buf[off] == '\t')
			return err_set(e, ERR_FORMAT,
			    "http: folded header line");
		if (r->nheaders == HTTP_MAX_HEADERS)
			return err_set(e, ERR_LIMIT,
			    "http: more than %d header fields",
			    HTTP_MAX_HEADERS);
		if (parse_field(buf + off, (size_t)n,
		    &r->headers[r->nheaders], e) != 0)
			return -1;
		r->nheaders++;
		off += next;
	}
	off += next;
	r->head_len = off;
	if (framing(r, head_request, e) != 0)
		return -1;
	return (int)off;
more:
	if (len >= HTTP_MAX_HEAD)
		return err_set(e, ERR_LIMIT,
		    "http: response head larger than %d bytes", HTTP_MAX_HEAD);
	return -2;
}

const struct http_header *
http_find(const struct http_response *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (span_eq(r->headers[i].name, r->headers[i].namelen, name))
			return &r->headers[i];
	return NULL;
}

const char *
http_get(const struct http_response *r, const char *name, char *out,
    size_t n)
{
	const struct http_header *h = http_find(r, name);
	size_t m;

	if (n == 0)
		return out;
	m = h != NULL ? h->valuelen : 0;
	if (m >= n)
		m = n - 1;
	if (m > 0)
		memcpy(out, h->value, m);
	out[m] = '\0';
	return out;
}

int
http_parse_chunk_size(const char *buf, size_t len, uint64_t *size,
    struct err *e)
{
	size_t i, next, avail;
	uint64_t x = 0;
	int d;
	long n;

	avail = len > HTTP_MAX_CHUNK_LINE ? HTTP_MAX_CHUNK_LINE : len;
	if ((n = line_end(buf, avail, &next)) == -2) {
		if (len >= HTTP_MAX_CHUNK_LINE)
			return err_set(e, ERR_LIMIT,
			    "http: chunk size line too long");
		/* Reject garbage early rather than waiting for a LF. */
		for (i = 0; i < len && isxdigit((unsigned char)buf[i]); i++)
			;
		if (i == len || (i > 0 && (buf[i] == ';' || buf[i] == ' ' ||
		    buf[i] == '\t' || buf[i] == '\r')))
			return -2;
		return err_set(e, ERR_FORMAT, "http: bad chunk size");
	}
	for (i = 0; i < (size_t)n && isxdigit((unsigned char)buf[i]); i++) {
		if (i == 15)
			return err_set(e, ERR_LIMIT, "http: chunk too large");
		d = isdigit((unsigned char)buf[i]) ? buf[i] - '0' :
		    (tolower((unsigned char)buf[i]) - 'a' + 10);
		x = x << 4 | (uint64_t)d;
	}
	if (i == 0)
		return err_set(e, ERR_FORMAT, "http: bad chunk size");
	while (i < (size_t)n && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i < (size_t)n && buf[i] != ';')
		return err_set(e, ERR_FORMAT, "http: bad chunk size line");
	for (; i < (size_t)n; i++)
		if ((unsigned char)buf[i] < ' ' && buf[i] != '\t')
			return err_set(e, ERR_FORMAT,
			    "http: control byte in chunk extension");
	*size = x;
	return (int)next;
}

int
http_parse_crlf(const char *buf, size_t len, struct err *e)
{
	if (len == 0)
		return -2;
	if (buf[0] == '\n')
		return 1;
	if (buf[0] != '\r')
		return err_set(e, ERR_FORMAT, "http: no CRLF after chunk data");
	if (len == 1)
		return -2;
	if (buf[1] != '\n')
		return err_set(e, ERR_FORMAT, "http: no CRLF after chunk data");
	return 2;
}

int
http_parse_trailer(const char *buf, size_t len, struct err *e)
{
	struct http_header h;
	size_t off = 0, next, avail;
	long n;

	avail = len > HTTP_MAX_TRAILER ? HTTP_MAX_TRAILER : len;
	for (;;) {
		if ((n = line_end(buf + off, avail - off, &next)) == -2) {
			if (len >= HTTP_MAX_TRAILER)
				return err_set(e, ERR_LIMIT,
				    "http: trailer too large");
			return -2;
		}
		if (n == 0)
			return (int)(off + next);
		if (parse_field(buf + off, (size_t)n, &h, e) != 0)
			return -1;
		off += next;
	}
}
