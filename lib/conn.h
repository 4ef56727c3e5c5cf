/*
 * conn.h: the byte-stream interface every network layer speaks.
 *
 * HTTP, TLS and S3 code read and write through a struct conn, never a
 * socket, so tests can run them over a memory pipe or a fault proxy.
 * Implementations: plain TCP (net.h), TLS over another conn (tls.h),
 * memory pipes in tests.
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

struct conn {
	/*
	 * Read up to len bytes. Returns bytes read (> 0), 0 at orderly end
	 * of stream, or -1 with err filled in (timeouts are ERR_TRANSIENT).
	 */
	ssize_t	(*read)(void *ctx, void *buf, size_t len, struct err *);
	/* Write all len bytes (may buffer). 0 or -1 with err. */
	int	(*write)(void *ctx, const void *buf, size_t len, struct err *);
	/* Push buffered bytes to the peer. 0 or -1 with err. */
	int	(*flush)(void *ctx, struct err *);
	/* Release everything; ctx is invalid afterwards. Never fails. */
	void	(*close)(void *ctx);
	void	*ctx;
};

#endif
