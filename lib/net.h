/*
 * net.h: TCP connections as struct conn, and a keep-alive pool.
 *
 * net_connect resolves a host with getaddrinfo (IPv6 and IPv4, in the
 * resolver's order) and tries each address with a non-blocking connect
 * bounded by the connect timeout. The resulting conn:
 *   - has TCP_NODELAY set, and batches small writes in a 16 KiB buffer
 *     until flush (or until the buffer fills), so one request goes out
 *     as one or few segments without Nagle delays;
 *   - bounds every read and write by the I/O timeout: a read that sees
 *     no byte for that long fails with ERR_TRANSIENT and a message
 *     naming the peer and the timeout ("stall timeout");
 *   - never raises SIGPIPE (MSG_NOSIGNAL).
 *
 * Error kinds: connection refused, reset, timeouts, unexpected close and
 * temporary resolver failures are ERR_TRANSIENT with errnum set (the
 * retry policy treats them as retryable); a name that does not resolve
 * is ERR_IO; bad arguments ERR_USAGE.
 *
 * The pool keeps idle connections of any kind (plain or TLS) under a
 * caller-chosen key such as "https://host:port". It is thread-safe: a
 * mutex guards it, so parallel workers share one pool. Each entry
 * remembers the socket under the conn so a connection that the server
 * closed (or that sent unsolicited bytes) while idle is detected by a
 * non-blocking peek and dropped instead of handed out.
 */
#ifndef NET_H
#define NET_H

#include <stddef.h>

#include "conn.h"
#include "err.h"

#define NET_HOST_MAX	255

struct net_opts {
	int	connect_timeout_ms;	/* whole connect; <= 0: 10000 */
	int	io_timeout_ms;		/* per read/write wait; <= 0: none */
};

/*
 * Connect to host:port (port as decimal text or service name). host may
 * be a name or an IPv4/IPv6 literal (without brackets). On success fills
 * *out (the caller owns it: out->close releases it) and returns 0.
 * The connect timeout is shared by all addresses: each address gets the
 * remaining time divided by the addresses left.
 */
int	net_connect(const char *host, const char *port,
	    const struct net_opts *, struct conn *out, struct err *);

/* The socket of a conn made by net_connect, or -1 for any other conn. */
int	net_conn_fd(const struct conn *);

/* Change the I/O timeout of a net_connect conn (<= 0: none). */
void	net_conn_set_timeout(struct conn *, int io_timeout_ms);

/*
 * Hint for the next read of a net_connect conn (no-op for any other
 * conn): the caller knows the peer will send at least bytes more (say,
 * the rest of a TLS record or of a Content-Length body), so if the read
 * has to wait, it sleeps until that many bytes (at most
 * NET_WAIT_MIN_MAX) are there, instead of waking for every segment
 * (SO_RCVLOWAT). The read still returns whatever is there when called,
 * and at end of stream or error at once. If the I/O timeout passes with
 * fewer bytes than the mark, those bytes are returned (they are
 * progress); the stall timeout fires only when no byte came at all.
 * The hint is cleared by the read.
 */
void	net_conn_wait_min(struct conn *, size_t bytes);

#define NET_WAIT_MIN_MAX	(1024 * 1024)

struct net_pool;

struct net_pool_stats {
	unsigned long	reused;		/* gets answered from the pool */
	unsigned long	misses;		/* gets that found nothing usable */
	unsigned long	dropped_dead;	/* closed or readable while idle */
	unsigned long	dropped_old;	/* idle longer than the age limit */
	unsigned long	dropped_full;	/* evicted to make room */
};

/*
 * A pool holding at most max_idle connections in total, each reusable
 * for max_age_ms after it was put back (<= 0: 30000). NULL with
 * ERR_NOMEM or ERR_USAGE (max_idle 0 or over 4096).
 */
struct net_pool *net_pool_new(size_t max_idle, int max_age_ms, struct err *);

/* Close every idle connection and free the pool. NULL is allowed. */
void	net_pool_free(struct net_pool *);

/*
 * Take an idle, live connection for key (newest first). Returns 1 and
 * fills *out, or 0 when there is none (the caller then connects). Dead
 * or aged entries met on the way are closed.
 */
int	net_pool_get(struct net_pool *, const char *key, struct conn *out);

/*
 * Give a connection back for reuse under key. fd is the socket under it
 * (net_conn_fd of the innermost conn), used for the liveness check.
 * Only put connections whose last response was read completely and that
 * the server did not mark "Connection: close". The pool owns *c from
 * now on (it may close it at once, e.g. when the key is too long or
 * memory is short); *c is cleared.
 */
void	net_pool_put(struct net_pool *, const char *key, struct conn *c,
	    int fd);

/* Copy of the counters. */
void	net_pool_stats(struct net_pool *, struct net_pool_stats *);

#endif
