/*
 * httpconn.h: one HTTP/1.1 exchange at a time over a struct conn.
 *
 * Streams both ways: the request body comes from a callback in pieces
 * of at most HTTPC_BUF bytes, the response body is read in pieces the
 * caller asks for; nothing buffers a whole body. Memory per connection:
 * a read buffer and a copy of the last response head (both at most
 * HTTP_MAX_HEAD + HTTPC_BUF bytes).
 *
 * Errors: a connection that fails mid-exchange is marked broken and must
 * be closed. A response body that ends early (end of stream before
 * Content-Length bytes or before the last chunk) is ERR_TRANSIENT
 * "truncated body", and so is any read failure inside a body (a reset
 * the conn reported as ERR_IO becomes ERR_TRANSIENT, errnum kept), so
 * the retry layer retries it. Malformed responses are
 * ERR_FORMAT.
 *
 * A server that answers and closes before taking the whole request
 * body (an early 403, or 400 RequestTimeout) is heard: when a body
 * write fails (other than by a timeout) and a response head is readable,
 * httpc_send returns 0 and httpc_response gives that response.
 *
 * heard says whether any byte of a response arrived: a request that
 * failed on a reused connection before that was most likely never seen
 * by the server (it had closed the idle connection), so the caller may
 * send it again on a new one.
 *
 * 100-continue: with expect_continue, the head is sent and flushed, then
 * the client waits (bounded by the conn's read timeout) for the interim
 * response. On 100 the body follows; on any final status the body is
 * not sent, that status is the response, and the connection is not
 * reused.
 */
#ifndef HTTPCONN_H
#define HTTPCONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conn.h"
#include "err.h"
#include "http.h"

#define HTTPC_BUF	(64 * 1024)	/* read buffer beyond the head cap */
#define HTTPC_REF_MAX	(256 * 1024)	/* bytes asked of a ref source */

/*
 * Request body source: fill buf with up to cap bytes; return the count
 * (> 0), 0 at the end, or -1 with err. With a Content-Length the total
 * must match it exactly.
 */
typedef ssize_t	(*httpc_body_fn)(void *arg, void *buf, size_t cap,
		    struct err *);
/*
 * Zero-copy request body source: point *p at up to cap bytes of memory
 * the source keeps valid until its next call; return the count (> 0),
 * 0 at the end, or -1 with err.
 */
typedef ssize_t	(*httpc_body_ref_fn)(void *arg, const void **p, size_t cap,
		    struct err *);
/* Response body sink: take len bytes; 0 or -1 with err. */
typedef int	(*httpc_sink_fn)(void *arg, const void *buf, size_t len,
		    struct err *);

struct httpc {
	struct conn	*conn;		/* not owned */
	char		*rbuf;		/* owned read buffer */
	size_t		 rcap, roff, rlen;	/* unread: rbuf[roff..rlen) */
	char		*head;		/* owned copy of the head */
	struct http_response resp;	/* points into head */
	int		 have_resp;	/* early final response */
	int		 head_request;
	int		 broken;	/* do not reuse */
	int		 write_failed;	/* the conn refused a write */
	int		 sent_all;	/* request body fully sent */
	int		 heard;		/* a byte of the response arrived */
	/* Body state. */
	int		 in_body;
	int		 body_done;
	uint64_t	 remaining;	/* bytes left (in the chunk) */
	int		 chunk_state;	/* size, data, CRLF, trailer */
	uint64_t	 body_read;	/* bytes handed to the caller */
};

/* Attach to conn. 0 or -1 (ERR_NOMEM). */
int	httpc_init(struct httpc *, struct conn *, struct err *);
/* Free the buffers; does not close the conn. */
void	httpc_free(struct httpc *);

/*
 * Send a request: head, then the body from body_fn (NULL = no body;
 * rq->body_length says how it is framed), then flush. The previous
 * response must have been read to its end. 0 or -1 with err.
 */
int	httpc_send(struct httpc *, const struct http_request *,
	    httpc_body_fn, void *arg, struct err *);
/* The same, writing the body straight from the source's memory. */
int	httpc_send_ref(struct httpc *, const struct http_request *,
	    httpc_body_ref_fn, void *arg, struct err *);

/*
 * Read the response head (interim 1xx responses are skipped). Returns
 * the parsed response, valid until the next httpc_send, or NULL with
 * err.
 */
const struct http_response *httpc_response(struct httpc *, struct err *);

/*
 * Read up to len body bytes into buf: > 0 bytes, 0 at the end of the
 * body, -1 with err (ERR_TRANSIENT for a truncated body).
 */
ssize_t	httpc_read_body(struct httpc *, void *buf, size_t len,
	    struct err *);

/*
 * Stream the rest of the body to sink. Returns total bytes or -1. The
 * pieces are at most HTTPC_BUF bytes and valid only during the sink
 * call: over TLS a Content-Length body is handed over straight from the
 * TLS engine's record buffer (no copy; pieces of one record, <= 16 KiB).
 */
int64_t	httpc_body_to(struct httpc *, httpc_sink_fn, void *arg,
	    struct err *);

/* Read and drop the rest of the body, at most max bytes; 0 or -1. */
int	httpc_discard(struct httpc *, uint64_t max, struct err *);

/*
 * 1 when another request may follow on this conn: keep-alive response,
 * body read to its end, nothing broken.
 */
int	httpc_reusable(const struct httpc *);

#endif
