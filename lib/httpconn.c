#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpconn.h"
#include "net.h"
#include "strbuf.h"
#include "tls.h"

#define RBUF_CAP	(HTTP_MAX_HEAD + HTTPC_BUF)

enum { CH_SIZE, CH_DATA, CH_CRLF, CH_TRAILER };

int
httpc_init(struct httpc *h, struct conn *c, struct err *e)
{
	memset(h, 0, sizeof(*h));
	h->conn = c;
	h->rcap = RBUF_CAP;
	h->rbuf = malloc(h->rcap);
	h->head = malloc(HTTP_MAX_HEAD);
	if (h->rbuf == NULL || h->head == NULL) {
		httpc_free(h);
		return err_set(e, ERR_NOMEM, "http: out of memory");
	}
	h->body_done = 1;
	h->sent_all = 1;
	return 0;
}

void
httpc_free(struct httpc *h)
{
	free(h->rbuf);
	free(h->head);
	h->rbuf = NULL;
	h->head = NULL;
}

/*
 * A failed read inside a body is a truncated body: transient, whatever
 * the conn called it (a reset is ERR_IO there), errno kept.
 */
static void
body_failure(struct httpc *h, struct err *e)
{
	h->broken = 1;
	if (h->in_body && e->kind == ERR_IO) {
		err_prefix(e, "http: body cut after %llu bytes",
		    (unsigned long long)h->body_read);
		e->kind = ERR_TRANSIENT;
	}
}

/* Read more bytes into rbuf. > 0, 0 at end of stream, -1 with err. */
static ssize_t
fill(struct httpc *h, struct err *e)
{
	ssize_t n;

	if (h->roff > 0) {
		memmove(h->rbuf, h->rbuf + h->roff, h->rlen - h->roff);
		h->rlen -= h->roff;
		h->roff = 0;
	}
	if (h->rlen == h->rcap) {
		h->broken = 1;
		return err_set(e, ERR_LIMIT, "http: read buffer full");
	}
	n = h->conn->read(h->conn->ctx, h->rbuf + h->rlen, h->rcap - h->rlen,
	    e);
	if (n < 0) {
		body_failure(h, e);
		return -1;
	}
	if (n > 0)
		h->heard = 1;
	h->rlen += (size_t)n;
	return n;
}

static int
conn_write(struct httpc *h, const void *p, size_t n, struct err *e)
{
	if (h->conn->write(h->conn->ctx, p, n, e) != 0) {
		h->broken = 1;
		h->write_failed = 1;
		return -1;
	}
	return 0;
}

/*
 * Parse the next response head (1xx included) into h->resp, backed by
 * h->head. 0 or -1.
 */
static int
read_head(struct httpc *h, struct err *e)
{
	int n;
	ssize_t got;
	size_t len;

	for (;;) {
		len = h->rlen - h->roff;
		n = http_parse_response(h->rbuf + h->roff, len,
		    h->head_request, &h->resp, e);
		if (n > 0)
			break;
		if (n == -1) {
			h->broken = 1;
			return -1;
		}
		if ((got = fill(h, e)) < 0)
			return -1;
		if (got == 0) {
			h->broken = 1;
			if (len == 0)
				return err_set(e, ERR_TRANSIENT,
				    "http: connection closed before the "
				    "response");
			return err_set(e, ERR_TRANSIENT,
			    "http: truncated response head (%zu bytes)", len);
		}
	}
	/* Keep the head apart so the read buffer can move. */
	memcpy(h->head, h->rbuf + h->roff, (size_t)n);
	h->roff += (size_t)n;
	if (http_parse_response(h->head, (size_t)n, h->head_request, &h->resp,
	    e) != n) {
		h->broken = 1;
		return err_set(e, ERR_FORMAT, "http: head reparse failed");
	}
	return 0;
}

/* Set up the body state for h->resp. */
static void
start_body(struct httpc *h)
{
	h->in_body = 1;
	h->body_done = h->resp.body == HTTP_BODY_NONE ||
	    (h->resp.body == HTTP_BODY_LENGTH && h->resp.content_length == 0);
	h->remaining = h->resp.content_length;
	h->chunk_state = CH_SIZE;
	h->body_read = 0;
}

/* Where a request body comes from: copied into a buffer, or in place. */
struct body_source {
	httpc_body_fn		 copy;
	httpc_body_ref_fn	 ref;
	void			*arg;
};

static int
send_body(struct httpc *h, const struct http_request *rq,
    const struct body_source *src, struct err *e)
{
	char *buf = NULL;
	const void *p = NULL;
	size_t cap = src->ref != NULL ? HTTPC_REF_MAX : HTTPC_BUF;
	char line[32];
	ssize_t n;
	uint64_t total = 0;
	int rc = -1, len;

	if (src->ref == NULL && (buf = malloc(HTTPC_BUF)) == NULL)
		return err_set(e, ERR_NOMEM, "http: out of memory");
	for (;;) {
		if (src->ref != NULL)
			n = src->ref(src->arg, &p, cap, e);
		else {
			n = src->copy != NULL ? src->copy(src->arg, buf, cap,
			    e) : 0;
			p = buf;
		}
		if (n < 0) {
			h->broken = 1;
			goto out;
		}
		if ((size_t)n > cap) {
			h->broken = 1;
			err_set(e, ERR_USAGE, "http: body source overran");
			goto out;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (rq->body_length >= 0 && total > (uint64_t)rq->body_length) {
			h->broken = 1;
			err_set(e, ERR_USAGE,
			    "http: body longer than Content-Length %lld",
			    (long long)rq->body_length);
			goto out;
		}
		if (rq->body_length == HTTP_CHUNKED) {
			len = snprintf(line, sizeof(line), "%zx\r\n",
			    (size_t)n);
			if (conn_write(h, line, (size_t)len, e) != 0)
				goto out;
		}
		if (conn_write(h, p, (size_t)n, e) != 0)
			goto out;
		if (rq->body_length == HTTP_CHUNKED &&
		    conn_write(h, "\r\n", 2, e) != 0)
			goto out;
	}
	if (rq->body_length == HTTP_CHUNKED &&
	    conn_write(h, "0\r\n\r\n", 5, e) != 0)
		goto out;
	if (rq->body_length >= 0 && total != (uint64_t)rq->body_length) {
		h->broken = 1;
		err_set(e, ERR_USAGE,
		    "http: body of %llu bytes, Content-Length said %lld",
		    (unsigned long long)total, (long long)rq->body_length);
		goto out;
	}
	h->sent_all = 1;
	rc = 0;
out:
	free(buf);
	return rc;
}

/* After a failed body write: is a final response already readable? */
static int
early_response(struct httpc *h)
{
	struct err ignored;

	while (read_head(h, &ignored) == 0) {
		if (h->resp.status >= 200) {
			h->have_resp = 1;
			h->broken = 1;
			return 1;
		}
	}
	return 0;
}

static int
send_request(struct httpc *h, const struct http_request *rq,
    const struct body_source *src, struct err *e)
{
	struct strbuf sb;
	int has_body = rq->body_length != HTTP_NO_BODY;

	if (h->broken)
		return err_set(e, ERR_USAGE, "http: connection is broken");
	if (!h->body_done || h->have_resp)
		return err_set(e, ERR_USAGE,
		    "http: previous response not read to its end");
	h->in_body = 0;
	h->have_resp = 0;
	h->sent_all = 0;
	h->write_failed = 0;
	h->head_request = strcmp(rq->method, "HEAD") == 0;
	sb_init(&sb, HTTP_MAX_HEAD);
	if (http_write_head(&sb, rq, e) != 0) {
		sb_free(&sb);
		return -1;
	}
	if (conn_write(h, sb_cstr(&sb), sb.len, e) != 0) {
		sb_free(&sb);
		return -1;
	}
	sb_free(&sb);
	if (has_body && rq->expect_continue) {
		if (h->conn->flush(h->conn->ctx, e) != 0) {
			h->broken = 1;
			return -1;
		}
		for (;;) {
			if (read_head(h, e) != 0)
				return -1;
			if (h->resp.status == 100)
				break;
			if (h->resp.status > 100 && h->resp.status < 200)
				continue;
			/* A final answer before the body: keep it. */
			h->have_resp = 1;
			h->broken = 1;
			return 0;
		}
	}
	if (has_body && send_body(h, rq, src, e) != 0) {
		/*
		 * A server may answer (403, 400 RequestTimeout) and close
		 * before taking the whole body; then its answer is worth
		 * more than our write error. Not after a timeout: reading
		 * would only wait as long again.
		 */
		if (h->write_failed && e->kind != ERR_TRANSIENT &&
		    early_response(h))
			return 0;
		return -1;
	}
	h->sent_all = 1;
	if (h->conn->flush(h->conn->ctx, e) != 0) {
		h->broken = 1;
		return -1;
	}
	return 0;
}

int
httpc_send(struct httpc *h, const struct http_request *rq,
    httpc_body_fn body_fn, void *arg, struct err *e)
{
	struct body_source src = { body_fn, NULL, arg };

	return send_request(h, rq, &src, e);
}

int
httpc_send_ref(struct httpc *h, const struct http_request *rq,
    httpc_body_ref_fn ref_fn, void *arg, struct err *e)
{
	struct body_source src = { NULL, ref_fn, arg };

	return send_request(h, rq, &src, e);
}

const struct http_response *
httpc_response(struct httpc *h, struct err *e)
{
	if (h->have_resp) {
		h->have_resp = 0;
		start_body(h);
		return &h->resp;
	}
	for (;;) {
		if (read_head(h, e) != 0)
			return NULL;
		if (h->resp.status == 101) {
			h->broken = 1;
			err_set(e, ERR_FORMAT, "http: unexpected 101 response");
			return NULL;
		}
		if (h->resp.status >= 200)
			break;
	}
	start_body(h);
	return &h->resp;
}

static int
truncated(struct httpc *h, struct err *e)
{
	h->broken = 1;
	if (h->resp.body == HTTP_BODY_LENGTH)
		return err_set(e, ERR_TRANSIENT,
		    "http: truncated body: %llu of %llu bytes",
		    (unsigned long long)h->body_read,
		    (unsigned long long)h->resp.content_length);
	return err_set(e, ERR_TRANSIENT,
	    "http: truncated chunked body after %llu bytes",
	    (unsigned long long)h->body_read);
}

/*
 * Tell the conn how much body is sure to come (rest of the
 * Content-Length body or chunk), so it can sleep until much is there.
 */
static void
expect_body(struct httpc *h)
{
	uint64_t n;

	if (h->resp.body == HTTP_BODY_EOF || h->body_done)
		return;
	n = h->remaining;
	tls_conn_expect(h->conn, n);
	net_conn_wait_min(h->conn, n > SIZE_MAX ? SIZE_MAX : (size_t)n);
}

/* Up to len bytes of raw stream, buffered bytes first. */
static ssize_t
raw_read(struct httpc *h, void *buf, size_t len, struct err *e)
{
	size_t avail = h->rlen - h->roff;
	ssize_t n;

	if (avail > 0) {
		if (len > avail)
			len = avail;
		memcpy(buf, h->rbuf + h->roff, len);
		h->roff += len;
		return (ssize_t)len;
	}
	expect_body(h);
	n = h->conn->read(h->conn->ctx, buf, len, e);
	if (n < 0)
		body_failure(h, e);
	return n;
}

static int	chunk_advance(struct httpc *, struct err *);

/* Count n body bytes taken from the stream. 0 or -1 with err. */
static int
body_took(struct httpc *h, size_t n, struct err *e)
{
	h->remaining -= (uint64_t)n;
	h->body_read += (uint64_t)n;
	if (h->remaining == 0 && h->resp.body == HTTP_BODY_LENGTH)
		h->body_done = 1;
	/* Finish the framing now so reusability is known early. */
	if (h->remaining == 0 && h->resp.body == HTTP_BODY_CHUNKED &&
	    h->rlen > h->roff && chunk_advance(h, e) != 0)
		return -1;
	return 0;
}

/* Chunk framing: advance until in CH_DATA with remaining > 0 or done. */
static int
chunk_advance(struct httpc *h, struct err *e)
{
	const char *p;
	size_t avail;
	uint64_t size;
	int n;
	ssize_t got;

	while (!h->body_done &&
	    !(h->chunk_state == CH_DATA && h->remaining > 0)) {
		p = h->rbuf + h->roff;
		avail = h->rlen - h->roff;
		switch (h->chunk_state) {
		case CH_SIZE:
			n = http_parse_chunk_size(p, avail, &size, e);
			break;
		case CH_DATA:
			n = 0;
			break;
		case CH_CRLF:
			n = http_parse_crlf(p, avail, e);
			break;
		default:
			n = http_parse_trailer(p, avail, e);
			break;
		}
		if (n == -1) {
			h->broken = 1;
			return -1;
		}
		if (n == -2) {
			if ((got = fill(h, e)) < 0)
				return -1;
			if (got == 0)
				return truncated(h, e);
			continue;
		}
		h->roff += (size_t)n;
		switch (h->chunk_state) {
		case CH_SIZE:
			if (size == 0) {
				h->chunk_state = CH_TRAILER;
			} else {
				h->remaining = size;
				h->chunk_state = CH_DATA;
			}
			break;
		case CH_DATA:
			h->chunk_state = CH_CRLF;
			break;
		case CH_CRLF:
			h->chunk_state = CH_SIZE;
			break;
		default:
			h->body_done = 1;
			break;
		}
	}
	return 0;
}

ssize_t
httpc_read_body(struct httpc *h, void *buf, size_t len, struct err *e)
{
	ssize_t n;

	if (!h->in_body)
		return err_set(e, ERR_USAGE, "http: no response to read");
	if (h->body_done || len == 0)
		return 0;
	switch (h->resp.body) {
	case HTTP_BODY_EOF:
		if ((n = raw_read(h, buf, len, e)) < 0)
			return -1;
		if (n == 0)
			h->body_done = 1;
		h->body_read += (uint64_t)n;
		return n;
	case HTTP_BODY_CHUNKED:
		if (chunk_advance(h, e) != 0)
			return -1;
		if (h->body_done)
			return 0;
		break;
	default:
		break;
	}
	if (len > h->remaining)
		len = (size_t)h->remaining;
	if ((n = raw_read(h, buf, len, e)) < 0)
		return -1;
	if (n == 0)
		return truncated(h, e);
	if (body_took(h, (size_t)n, e) != 0)
		return -1;
	return n;
}

/*
 * A Content-Length body over TLS with nothing buffered: hand the sink
 * the decrypted bytes inside the TLS engine instead of copying them
 * out first. 1 when a piece was sunk, 0 when this path does not apply,
 * -1 with err.
 */
static int
body_peek_to(struct httpc *h, httpc_sink_fn sink, void *arg, int64_t *total,
    struct err *e)
{
	const void *p;
	ssize_t n;

	if (h->resp.body != HTTP_BODY_LENGTH || h->body_done ||
	    h->roff != h->rlen || tls_conn_inner(h->conn) == NULL)
		return 0;
	expect_body(h);
	n = tls_conn_peek(h->conn, &p, h->remaining > SIZE_MAX ? SIZE_MAX :
	    (size_t)h->remaining, e);
	if (n < 0) {
		body_failure(h, e);
		return -1;
	}
	if (n == 0)
		return truncated(h, e);
	if (sink(arg, p, (size_t)n, e) != 0) {
		h->broken = 1;
		return -1;
	}
	tls_conn_consume(h->conn, (size_t)n);
	*total += n;
	return body_took(h, (size_t)n, e) != 0 ? -1 : 1;
}

int64_t
httpc_body_to(struct httpc *h, httpc_sink_fn sink, void *arg, struct err *e)
{
	char *buf;
	ssize_t n;
	int64_t total = 0;
	int r;

	if (!h->in_body)
		return err_set(e, ERR_USAGE, "http: no response to read");
	while ((r = body_peek_to(h, sink, arg, &total, e)) == 1)
		continue;
	if (r < 0)
		return -1;
	if (h->body_done)
		return total;
	if ((buf = malloc(HTTPC_BUF)) == NULL)
		return err_set(e, ERR_NOMEM, "http: out of memory");
	while ((n = httpc_read_body(h, buf, HTTPC_BUF, e)) > 0) {
		if (sink(arg, buf, (size_t)n, e) != 0) {
			h->broken = 1;
			n = -1;
			break;
		}
		total += n;
	}
	free(buf);
	return n < 0 ? -1 : total;
}

int
httpc_discard(struct httpc *h, uint64_t max, struct err *e)
{
	char buf[4096];
	uint64_t total = 0;
	ssize_t n;

	while ((n = httpc_read_body(h, buf, sizeof(buf), e)) > 0) {
		total += (uint64_t)n;
		if (total > max) {
			h->broken = 1;
			return 0;
		}
	}
	return n < 0 ? -1 : 0;
}

int
httpc_reusable(const struct httpc *h)
{
	return !h->broken && h->in_body && h->body_done && h->sent_all &&
	    !h->have_resp && h->resp.keep_alive;
}
