/*
 * net.c: TCP conns with timeouts (see net.h). The pool lives in
 * net_pool.c.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"

#define NET_WBUF	16384
#define NET_DEFAULT_CONNECT_MS	10000

struct net_tcp {
	int		fd;
	int		io_timeout_ms;
	size_t		wait_min;	/* hint for the next read only */
	int		lowat;		/* SO_RCVLOWAT now set; 0: default */
	size_t		wlen;
	char		peer[NET_HOST_MAX + 16];
	unsigned char	wbuf[NET_WBUF];
};

static ssize_t	net_read(void *, void *, size_t, struct err *);
static int	net_write(void *, const void *, size_t, struct err *);
static int	net_flush(void *, struct err *);
static void	net_close(void *);

/* ERR_TRANSIENT with errno text; the kind the retry policy retries. */
static int
net_transient(struct err *e, int errnum, const char *fmt, const char *peer)
{
	char what[ERR_MSG_MAX];

	snprintf(what, sizeof(what), fmt, peer);
	err_set(e, ERR_TRANSIENT, "%s: %s", what, strerror(errnum));
	e->errnum = errnum;
	return -1;
}

/*
 * Wait until fd is ready for events or timeout_ms passes (<= 0: wait
 * forever). 1 ready, 0 timed out, -1 error (errno).
 */
static int
net_wait(int fd, short events, int timeout_ms)
{
	struct pollfd pfd;
	int64_t deadline;
	int64_t left;
	int r;

	deadline = timeout_ms > 0 ? clock_ms() + timeout_ms : 0;
	for (;;) {
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		left = -1;
		if (timeout_ms > 0) {
			left = deadline - clock_ms();
			if (left < 0)
				left = 0;
		}
		r = poll(&pfd, 1, (int)left);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static int
net_try_addr(const struct addrinfo *ai, int timeout_ms, int *fdp,
    int *errp)
{
	socklen_t len;
	int one = 1;
	int soerr;
	int fd;
	int r;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*errp = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS) {
			*errp = errno;
			close(fd);
			return -1;
		}
		r = net_wait(fd, POLLOUT, timeout_ms > 0 ? timeout_ms : 1);
		if (r <= 0) {
			*errp = r == 0 ? ETIMEDOUT : errno;
			close(fd);
			return -1;
		}
		len = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
			soerr = errno;
		if (soerr != 0) {
			*errp = soerr;
			close(fd);
			return -1;
		}
	}
	/* Small writes are batched in wbuf, so Nagle only adds delay. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*fdp = fd;
	return 0;
}

int
net_connect(const char *host, const char *port, const struct net_opts *o,
    struct conn *out, struct err *e)
{
	struct addrinfo hints;
	struct addrinfo *res;
	struct addrinfo *ai;
	struct net_tcp *t;
	int64_t deadline;
	int64_t left;
	size_t naddr;
	int timeout;
	int lasterr;
	int fd;
	int r;

	if (host == NULL || port == NULL || *host == '\0' || *port == '\0' ||
	    strlen(host) > NET_HOST_MAX || strlen(port) > 15)
		return err_set(e, ERR_USAGE, "connect: bad host or port");
	timeout = o != NULL && o->connect_timeout_ms > 0 ?
	    o->connect_timeout_ms : NET_DEFAULT_CONNECT_MS;
	deadline = clock_ms() + timeout;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	r = getaddrinfo(host, port, &hints, &res);
	if (r != 0) {
		if (r == EAI_AGAIN) {
			err_set(e, ERR_TRANSIENT, "resolve %s: %s", host,
			    gai_strerror(r));
			e->errnum = EAGAIN;
			return -1;
		}
		if (r == EAI_SYSTEM)
			return err_sys(e, errno, "resolve %s", host);
		return err_set(e, ERR_IO, "resolve %s: %s", host,
		    gai_strerror(r));
	}
	naddr = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		naddr++;
	fd = -1;
	lasterr = ETIMEDOUT;
	for (ai = res; ai != NULL; ai = ai->ai_next, naddr--) {
		left = deadline - clock_ms();
		if (left <= 0) {
			lasterr = ETIMEDOUT;
			break;
		}
		if (net_try_addr(ai, (int)(left / (int64_t)naddr), &fd,
		    &lasterr) == 0)
			break;
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		err_set(e, ERR_TRANSIENT, "connect %s port %s: %s%s", host,
		    port, strerror(lasterr), lasterr == ETIMEDOUT ?
		    " (connect timeout)" : "");
		e->errnum = lasterr;
		return -1;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		close(fd);
		return err_set(e, ERR_NOMEM, "connect: out of memory");
	}
	t->fd = fd;
	t->io_timeout_ms = o != NULL ? o->io_timeout_ms : 0;
	snprintf(t->peer, sizeof(t->peer), strchr(host, ':') != NULL ?
	    "[%s]:%s" : "%s:%s", host, port);
	out->read = net_read;
	out->write = net_write;
	out->flush = net_flush;
	out->close = net_close;
	out->ctx = t;
	return 0;
}

int
net_conn_fd(const struct conn *c)
{
	if (c == NULL || c->read != net_read || c->ctx == NULL)
		return -1;
	return ((struct net_tcp *)c->ctx)->fd;
}

void
net_conn_set_timeout(struct conn *c, int io_timeout_ms)
{
	if (c != NULL && c->read == net_read && c->ctx != NULL)
		((struct net_tcp *)c->ctx)->io_timeout_ms = io_timeout_ms;
}

void
net_conn_wait_min(struct conn *c, size_t bytes)
{
	if (c != NULL && c->read == net_read && c->ctx != NULL)
		((struct net_tcp *)c->ctx)->wait_min = bytes;
}

/*
 * Make a wait for input end only once want bytes are there (or at end
 * of stream, error or timeout). Only a hint: a failing setsockopt
 * leaves the default, which wakes on every byte.
 */
static void
net_set_lowat(struct net_tcp *t, size_t want)
{
	int v;

	if (want > NET_WAIT_MIN_MAX)
		want = NET_WAIT_MIN_MAX;
	v = want > 1 ? (int)want : 1;
	if (v == (t->lowat > 1 ? t->lowat : 1))
		return;
	if (setsockopt(t->fd, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof(v)) == 0)
		t->lowat = v;
}

static int
net_timeout_err(struct net_tcp *t, const char *what, struct err *e)
{
	err_set(e, ERR_TRANSIENT, "%s %s: no progress for %d.%03d s "
	    "(stall timeout)", what, t->peer, t->io_timeout_ms / 1000,
	    t->io_timeout_ms % 1000);
	e->errnum = ETIMEDOUT;
	return -1;
}

static ssize_t
net_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct net_tcp *t = ctx;
	size_t want;
	ssize_t n;
	int r;

	if (len == 0)
		return err_set(e, ERR_USAGE, "read %s: zero length", t->peer);
	want = t->wait_min;
	t->wait_min = 0;
	for (;;) {
		n = recv(t->fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return net_transient(e, errno, "read %s", t->peer);
		/* Waking once per wait_min bytes saves context switches. */
		net_set_lowat(t, want);
		r = net_wait(t->fd, POLLIN, t->io_timeout_ms);
		if (r == 0 && t->lowat > 1) {
			/*
			 * Bytes below the mark are progress, not a stall:
			 * take them. Nothing there means nothing came.
			 */
			net_set_lowat(t, 1);
			want = 1;
			n = recv(t->fd, buf, len, 0);
			if (n >= 0)
				return n;
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				return net_transient(e, errno, "read %s",
				    t->peer);
		}
		if (r == 0)
			return net_timeout_err(t, "read", e);
		if (r < 0)
			return net_transient(e, errno, "poll %s", t->peer);
	}
}

static int
net_send_all(struct net_tcp *t, const unsigned char *p, size_t len,
    struct err *e)
{
	ssize_t n;
	int r;

	while (len > 0) {
		n = send(t->fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return net_transient(e, errno, "write %s", t->peer);
		r = net_wait(t->fd, POLLOUT, t->io_timeout_ms);
		if (r == 0)
			return net_timeout_err(t, "write", e);
		if (r < 0)
			return net_transient(e, errno, "poll %s", t->peer);
	}
	return 0;
}

static int
net_flush(void *ctx, struct err *e)
{
	struct net_tcp *t = ctx;
	size_t n;

	n = t->wlen;
	t->wlen = 0;
	return n > 0 ? net_send_all(t, t->wbuf, n, e) : 0;
}

static int
net_write(void *ctx, const void *buf, size_t len, struct err *e)
{
	struct net_tcp *t = ctx;

	if (len <= sizeof(t->wbuf) - t->wlen) {
		memcpy(t->wbuf + t->wlen, buf, len);
		t->wlen += len;
		return 0;
	}
	if (net_flush(t, e) != 0)
		return -1;
	if (len < sizeof(t->wbuf)) {
		memcpy(t->wbuf, buf, len);
		t->wlen = len;
		return 0;
	}
	return net_send_all(t, buf, len, e);
}

static void
net_close(void *ctx)
{
	struct net_tcp *t = ctx;

	if (t == NULL)
		return;
	close(t->fd);
	explicit_bzero(t, sizeof(*t));
	free(t);
}
