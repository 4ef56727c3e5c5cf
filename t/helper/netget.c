/*
 * netget: test driver for lib/net and lib/tls. Raw HTTP/1.1 GETs over
 * net (+ tls) conns, through a keep-alive pool.
 *
 *   netget [-k] [-c CAFILE] [-N NAME] [-C MS] [-T MS] [-r N] [-S]
 *	    [-w MS] [-o FILE] URL
 *   netget -B [-C MS]
 *
 * URL is http://HOST:PORT/PATH or https://HOST:PORT/PATH (HOST may be
 * [v6]). -k insecure, -c CA bundle, -N name to verify instead of HOST,
 * -C connect timeout, -T I/O (stall) timeout, -r number of GETs (the
 * pool carries connections between them), -w pause between GETs, -o
 * write the last body to FILE, -S write the request one byte per call
 * and (over TLS) print how many records reached the TCP conn.
 * Prints one summary line on stdout:
 *   status=200 bytes=2 requests=3 reused=2 dead=0 suite=...
 *   mibps=123.4
 * On failure prints "netget: MESSAGE" on stderr and exits 1, or 75 for
 * ERR_TRANSIENT.
 *
 * -B: listen on 127.0.0.1 with a full backlog (connections are never
 * accepted), then connect to it with the -C timeout: the connect must
 * time out. Prints "elapsed_ms=N" and the error.
 *
 * The HTTP here is the few lines needed to prove the conns work; the
 * real HTTP module is lib/http.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fdio.h"
#include "net.h"
#include "num.h"
#include "tls.h"

#define HEAD_MAX	16384

struct url {
	int	tls;
	char	host[256];
	char	port[16];
	char	path[2048];
};

/* -S: count what TLS hands the TCP conn, to prove record batching. */
struct counting {
	struct conn	in;
	long		writes;
};

static int split_writes;
static struct counting *counter;

static ssize_t
cnt_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct counting *k = ctx;

	return k->in.read(k->in.ctx, buf, len, e);
}

static int
cnt_write(void *ctx, const void *buf, size_t len, struct err *e)
{
	struct counting *k = ctx;

	k->writes++;
	return k->in.write(k->in.ctx, buf, len, e);
}

static int
cnt_flush(void *ctx, struct err *e)
{
	struct counting *k = ctx;

	return k->in.flush(k->in.ctx, e);
}

static void
cnt_close(void *ctx)
{
	struct counting *k = ctx;

	k->in.close(k->in.ctx);
	free(k);
	counter = NULL;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
parse_url(const char *s, struct url *u)
{
	const char *h;
	const char *end;
	const char *colon;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, "https://", 8) == 0) {
		u->tls = 1;
		s += 8;
	} else if (strncmp(s, "http://", 7) == 0) {
		s += 7;
	} else {
		return -1;
	}
	end = strchr(s, '/');
	if (end == NULL)
		end = s + strlen(s);
	if (*s == '[') {
		h = s + 1;
		colon = memchr(s, ']', (size_t)(end - s));
		if (colon == NULL)
			return -1;
		n = (size_t)(colon - h);
		colon = colon[1] == ':' ? colon + 1 : NULL;
	} else {
		h = s;
		colon = memchr(s, ':', (size_t)(end - s));
		n = (size_t)((colon ? colon : end) - h);
	}
	if (n == 0 || n >= sizeof(u->host))
		return -1;
	memcpy(u->host, h, n);
	if (colon != NULL) {
		n = (size_t)(end - colon - 1);
		if (n == 0 || n >= sizeof(u->port))
			return -1;
		memcpy(u->port, colon + 1, n);
	} else {
		snprintf(u->port, sizeof(u->port), "%s", u->tls ? "443" : "80");
	}
	snprintf(u->path, sizeof(u->path), "%s", *end ? end : "/");
	return 0;
}

static int
dial(const struct url *u, const struct net_opts *no,
    const struct tls_config *tc, const char *name, struct conn *c,
    struct err *e)
{
	struct conn tcp;

	if (net_connect(u->host, u->port, no, &tcp, e) != 0)
		return -1;
	if (!u->tls) {
		*c = tcp;
		return 0;
	}
	if (split_writes) {
		if ((counter = calloc(1, sizeof(*counter))) == NULL) {
			tcp.close(tcp.ctx);
			return err_set(e, ERR_NOMEM, "out of memory");
		}
		counter->in = tcp;
		tcp.read = cnt_read;
		tcp.write = cnt_write;
		tcp.flush = cnt_flush;
		tcp.close = cnt_close;
		tcp.ctx = counter;
	}
	return tls_connect(tc, &tcp, name, c, e);
}

/* Find a header value in head (NUL-terminated); copies at most n-1. */
static int
header(const char *head, const char *name, char *out, size_t n)
{
	const char *p;
	const char *v;
	size_t len;
	size_t nl;

	nl = strlen(name);
	for (p = strstr(head, "\r\n"); p != NULL; p = strstr(p, "\r\n")) {
		p += 2;
		if (strncasecmp(p, name, nl) != 0 || p[nl] != ':')
			continue;
		v = p + nl + 1;
		while (*v == ' ')
			v++;
		len = strcspn(v, "\r");
		if (len >= n)
			len = n - 1;
		memcpy(out, v, len);
		out[len] = '\0';
		return 0;
	}
	return -1;
}

/*
 * One GET. Returns 0 and sets *status, *bytes, *keep; -1 with err.
 * The body goes to fd (or nowhere when fd < 0).
 */
static int
get_once(struct conn *c, const struct url *u, int fd, int *status,
    long long *bytes, int *keep, struct err *e)
{
	char head[HEAD_MAX + 1];
	char req[4096];
	char val[64];
	char *end;
	size_t hlen;
	size_t rest;
	long long clen;
	long long left;
	const char *dflt;
	ssize_t n;
	int len;
	int v6;
	int i;

	v6 = strchr(u->host, ':') != NULL;
	dflt = u->tls ? "443" : "80";
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s%s%s%s%s"
	    "\r\nUser-Agent: s3pipe-netget\r\nAccept: */*\r\n\r\n", u->path,
	    v6 ? "[" : "", u->host, v6 ? "]" : "",
	    strcmp(u->port, dflt) ? ":" : "",
	    strcmp(u->port, dflt) ? u->port : "");
	if (len < 0 || (size_t)len >= sizeof(req))
		return err_set(e, ERR_USAGE, "request too long");
	if (counter != NULL)
		counter->writes = 0;
	for (i = 0; split_writes && i < len; i++)
		if (c->write(c->ctx, req + i, 1, e) != 0)
			return -1;
	if ((!split_writes && c->write(c->ctx, req, (size_t)len, e) != 0) ||
	    c->flush(c->ctx, e) != 0)
		return -1;
	if (counter != NULL)
		printf("request_bytes=%d tls_records_written=%ld\n", len,
		    counter->writes);
	hlen = 0;
	end = NULL;
	while (end == NULL) {
		if (hlen == HEAD_MAX)
			return err_set(e, ERR_LIMIT, "response head too big");
		n = c->read(c->ctx, head + hlen, HEAD_MAX - hlen, e);
		if (n < 0)
			return -1;
		if (n == 0)
			return err_set(e, ERR_TRANSIENT, "connection closed "
			    "before response head");
		hlen += (size_t)n;
		head[hlen] = '\0';
		end = memmem(head, hlen, "\r\n\r\n", 4);
	}
	rest = hlen - (size_t)(end + 4 - head);
	end[2] = '\0';
	if (strncmp(head, "HTTP/1.", 7) != 0 || strlen(head) < 12)
		return err_set(e, ERR_FORMAT, "bad status line");
	*status = (head[9] - '0') * 100 + (head[10] - '0') * 10 +
	    (head[11] - '0');
	*keep = strncmp(head, "HTTP/1.1", 8) == 0;
	if (header(head, "Connection", val, sizeof(val)) == 0 &&
	    strcasecmp(val, "close") == 0)
		*keep = 0;
	clen = -1;
	if (header(head, "Content-Length", val, sizeof(val)) == 0 &&
	    num_parse(val, 0, INT64_MAX, &clen, e) != 0)
		return -1;
	if (clen < 0)
		*keep = 0;
	if (fd >= 0 && rest > 0 && fd_write_full(fd, end + 4, rest) != 0)
		return err_sys(e, errno, "write body");
	*bytes = (long long)rest;
	left = clen < 0 ? -1 : clen - (long long)rest;
	while (left != 0) {
		n = c->read(c->ctx, head, left > 0 && left < HEAD_MAX ?
		    (size_t)left : HEAD_MAX, e);
		if (n < 0)
			return -1;
		if (n == 0) {
			if (left > 0)
				return err_set(e, ERR_TRANSIENT, "body "
				    "truncated: %lld bytes missing", left);
			break;
		}
		if (fd >= 0 && fd_write_full(fd, head, (size_t)n) != 0)
			return err_sys(e, errno, "write body");
		*bytes += n;
		if (left > 0)
			left -= n;
	}
	return 0;
}

/* Fill a backlog-0 listener with unaccepted connections, then connect. */
static int
backlog_test(const struct net_opts *no)
{
	struct sockaddr_in sa;
	struct conn c;
	struct err e;
	socklen_t slen;
	char port[16];
	double t0;
	int fds[64];
	int lfd;
	int i;
	int r;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	slen = sizeof(sa);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 0) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &slen) != 0) {
		perror("netget: listen");
		return 1;
	}
	for (i = 0; i < 64; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fds[i] >= 0)
			(void)connect(fds[i], (struct sockaddr *)&sa,
			    sizeof(sa));
	}
	snprintf(port, sizeof(port), "%d", ntohs(sa.sin_port));
	t0 = now_s();
	r = net_connect("127.0.0.1", port, no, &c, &e);
	printf("elapsed_ms=%d\n", (int)((now_s() - t0) * 1000));
	if (r == 0) {
		printf("connected\n");
		c.close(c.ctx);
	} else {
		printf("error=%s\n", e.msg);
	}
	for (i = 0; i < 64; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	close(lfd);
	return r == 0 ? 1 : 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: netget [-k] [-c CAFILE] [-N NAME] [-C MS] "
	    "[-T MS] [-r N] [-S] [-w MS] [-o FILE] URL\n       netget -B "
	    "[-C MS]\n");
	exit(2);
}

static long long
num_arg(const char *s, long long max)
{
	struct err e;
	long long v;

	if (num_parse(s, 0, max, &v, &e) != 0) {
		fprintf(stderr, "netget: %s\n", e.msg);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct tls_config *tc = NULL;
	struct net_pool *pool = NULL;
	struct net_pool_stats st;
	struct net_opts no = { 0, 0 };
	struct conn c;
	struct url u;
	struct err e;
	const struct conn *in;
	const char *ca = NULL;
	const char *name = NULL;
	const char *out = NULL;
	const char *suite = "none";
	char key[300];
	long long bytes = 0;
	long long total = 0;
	long long reps = 1;
	long long wait_ms = 0;
	double t0;
	int insecure = 0;
	int backlog = 0;
	int status = 0;
	int keep = 0;
	int fd = -1;
	int ch;
	int i;

	while ((ch = getopt(argc, argv, "BC:c:kN:o:r:ST:w:")) != -1) {
		switch (ch) {
		case 'B': backlog = 1; break;
		case 'C': no.connect_timeout_ms = (int)num_arg(optarg, 600000);
			break;
		case 'c': ca = optarg; break;
		case 'k': insecure = 1; break;
		case 'N': name = optarg; break;
		case 'o': out = optarg; break;
		case 'r': reps = num_arg(optarg, 100000); break;
		case 'S': split_writes = 1; break;
		case 'T': no.io_timeout_ms = (int)num_arg(optarg, 600000);
			break;
		case 'w': wait_ms = num_arg(optarg, 60000); break;
		default: usage();
		}
	}
	if (backlog)
		return backlog_test(&no);
	if (optind != argc - 1 || parse_url(argv[optind], &u) != 0)
		usage();
	if (name == NULL)
		name = u.host;
	if (u.tls && (tc = tls_config_new(ca, insecure, &e)) == NULL)
		goto fail;
	if ((pool = net_pool_new(4, 0, &e)) == NULL)
		goto fail;
	if (out != NULL && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) < 0) {
		perror(out);
		return 1;
	}
	snprintf(key, sizeof(key), "%s://%s:%s", u.tls ? "https" : "http",
	    u.host, u.port);
	t0 = now_s();
	for (i = 0; i < reps; i++) {
		if (i > 0 && wait_ms > 0)
			usleep((useconds_t)wait_ms * 1000);
		if (!net_pool_get(pool, key, &c) &&
		    dial(&u, &no, tc, name, &c, &e) != 0)
			goto fail;
		if (u.tls)
			suite = tls_conn_suite(&c);
		if (fd >= 0 && (lseek(fd, 0, SEEK_SET) != 0 ||
		    ftruncate(fd, 0) != 0)) {
			perror(out);
			return 1;
		}
		if (get_once(&c, &u, fd, &status, &bytes, &keep, &e) != 0) {
			c.close(c.ctx);
			goto fail;
		}
		total += bytes;
		if (keep) {
			in = u.tls ? tls_conn_inner(&c) : &c;
			net_pool_put(pool, key, &c, net_conn_fd(in));
		} else {
			c.close(c.ctx);
		}
	}
	t0 = now_s() - t0;
	net_pool_stats(pool, &st);
	printf("status=%d bytes=%lld requests=%lld reused=%lu dead=%lu "
	    "suite=%s mibps=%.1f\n", status, bytes, reps, st.reused,
	    st.dropped_dead, suite, t0 > 0 ? (double)total / 1048576 / t0 :
	    0.0);
	net_pool_free(pool);
	tls_config_free(tc);
	if (fd >= 0)
		close(fd);
	return 0;
fail:
	fprintf(stderr, "netget: %s\n", e.msg);
	net_pool_free(pool);
	tls_config_free(tc);
	if (fd >= 0)
		close(fd);
	return err_exit_status(&e);
}
