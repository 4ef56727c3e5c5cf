/*
 * faultproxy: a scripted fault-injecting TCP proxy for tests.
 *
 *   faultproxy [-R] [-l LOG] [-p PORT] [-P PORTFILE] [-t SECS]
 *	    [-f SCRIPT] [-e RULE]... UPSTREAM_HOST:PORT
 *
 * Listens on 127.0.0.1:PORT (0, the default, picks a free port), prints
 * the port on stdout (and into PORTFILE, written atomically) and relays
 * every accepted connection to UPSTREAM. It exits after SECS seconds
 * (default 120), so a forgotten proxy cannot outlive its test.
 *
 * HTTP mode (default): requests are counted across all connections,
 * 1, 2, 3... in the order their heads arrive (bodies framed by
 * Content-Length or chunked, so keep-alive connections count right).
 * Each request's number picks the first rule that matches it.
 * Raw mode (-R, e.g. for TLS): bytes are relayed unparsed; the "request"
 * number is the connection number and response offsets count bytes of
 * the whole server-to-client stream.
 *
 * Rules (-e, repeatable, or one per line in SCRIPT; '#' starts a
 * comment):  WHICH ACTION [ARGS]
 *   WHICH   N, N-M, or * (every request)
 *   pass              relay unchanged (the default for unmatched)
 *   503               answer 503 SlowDown (S3 XML error), not relayed
 *   500               answer 500 InternalError, not relayed
 *   error STATUS CODE answer STATUS with S3 error CODE, not relayed
 *   garbage           answer bytes that are not HTTP, then close
 *   close             read the request, close without answering
 *   reset K           relay; reset (RST) the client connection after K
 *                     response body bytes (K=0: right after the head)
 *   truncate K        relay K response body bytes, then close (FIN)
 *   stall DUR [K]     relay; after K body bytes (default 0) send
 *                     nothing for DUR, then go on
 *   delay DUR         wait DUR before the first response byte
 * DUR: 1.5, 250ms, 2s, ... The local answers read the request body first
 * and keep the connection open, except when the request asked for
 * "Expect: 100-continue" (then: answer at once, Connection: close).
 *
 * Log (-l): one line per event, flushed at once, for tests to count:
 *   conn C
 *   req N conn C METHOD TARGET ACTION
 *   resp N STATUS
 *   fault N WHAT
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fdio.h"
#include "net.h"
#include "num.h"
#include "httpscan.h"

enum act { A_PASS, A_ERROR, A_GARBAGE, A_CLOSE, A_RESET, A_TRUNCATE,
	A_STALL, A_DELAY };

static const char *act_names[] = { "pass", "error", "garbage", "close",
	"reset", "truncate", "stall", "delay" };

struct rule {
	long long	lo;
	long long	hi;
	enum act	act;
	long long	k;		/* byte offset */
	uint64_t	ms;		/* duration */
	int		status;
	char		code[64];
};

#define MAX_RULES	64
#define QMAX		64

static struct rule rules[MAX_RULES];
static int nrules;
static int raw_mode;
static char up_host[256];
static char up_port[16];
static FILE *logf;
static pthread_mutex_t glock = PTHREAD_MUTEX_INITIALIZER;
static long long nreq;
static long long nconn;

struct pending {
	long long		n;
	const struct rule	*r;
	int			head_req;
};

struct pconn {
	int		cfd;
	int		ufd;
	struct conn	up;
	long long	id;
	pthread_mutex_t	lock;
	pthread_cond_t	cv;
	struct pending	q[QMAX];
	size_t		qhead;
	size_t		qlen;
	int		c2s_done;
};

static void
logln(const char *fmt, ...)
{
	va_list ap;

	if (logf == NULL)
		return;
	pthread_mutex_lock(&glock);
	va_start(ap, fmt);
	vfprintf(logf, fmt, ap);
	va_end(ap);
	fputc('\n', logf);
	fflush(logf);
	pthread_mutex_unlock(&glock);
}

static void
sleep_ms(uint64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static const struct rule *
rule_for(long long n)
{
	int i;

	for (i = 0; i < nrules; i++)
		if ((rules[i].lo == 0 || n >= rules[i].lo) &&
		    (rules[i].hi == 0 || n <= rules[i].hi))
			return &rules[i];
	return NULL;
}

static int
parse_rule(const char *line)
{
	char buf[512];
	char *w[5];
	char *save;
	char *dash;
	struct rule *r;
	struct err e;
	long long v;
	int n;

	snprintf(buf, sizeof(buf), "%s", line);
	if ((dash = strchr(buf, '#')) != NULL)
		*dash = '\0';
	n = 0;
	for (w[n] = strtok_r(buf, " \t\r\n", &save); w[n] != NULL && n < 4;)
		w[++n] = strtok_r(NULL, " \t\r\n", &save);
	if (n == 0)
		return 0;
	if (n < 2 || nrules == MAX_RULES)
		goto bad;
	r = &rules[nrules];
	memset(r, 0, sizeof(*r));
	if (strcmp(w[0], "*") != 0) {
		if ((dash = strchr(w[0], '-')) != NULL)
			*dash++ = '\0';
		if (num_parse(w[0], 1, INT64_MAX, &r->lo, &e) != 0 ||
		    (dash != NULL && num_parse(dash, 1, INT64_MAX, &r->hi,
		    &e) != 0))
			goto bad;
		if (dash == NULL)
			r->hi = r->lo;
	}
	if (strcmp(w[1], "pass") == 0) {
		r->act = A_PASS;
	} else if (strcmp(w[1], "503") == 0 || strcmp(w[1], "500") == 0) {
		r->act = A_ERROR;
		r->status = w[1][2] == '3' ? 503 : 500;
		snprintf(r->code, sizeof(r->code), "%s", r->status == 503 ?
		    "SlowDown" : "InternalError");
	} else if (strcmp(w[1], "error") == 0 && n == 4) {
		r->act = A_ERROR;
		if (num_parse(w[2], 100, 599, &v, &e) != 0)
			goto bad;
		r->status = (int)v;
		snprintf(r->code, sizeof(r->code), "%s", w[3]);
	} else if (strcmp(w[1], "garbage") == 0) {
		r->act = A_GARBAGE;
	} else if (strcmp(w[1], "close") == 0) {
		r->act = A_CLOSE;
	} else if ((strcmp(w[1], "reset") == 0 ||
	    strcmp(w[1], "truncate") == 0) && n == 3) {
		r->act = w[1][0] == 'r' ? A_RESET : A_TRUNCATE;
		if (num_parse(w[2], 0, INT64_MAX, &r->k, &e) != 0)
			goto bad;
	} else if ((strcmp(w[1], "stall") == 0 && (n == 3 || n == 4)) ||
	    (strcmp(w[1], "delay") == 0 && n == 3)) {
		r->act = w[1][0] == 's' ? A_STALL : A_DELAY;
		if (num_parse_duration(w[2], 3600000, &r->ms, &e) != 0 ||
		    (n == 4 && num_parse(w[3], 0, INT64_MAX, &r->k, &e) != 0))
			goto bad;
	} else {
		goto bad;
	}
	nrules++;
	return 0;
bad:
	fprintf(stderr, "faultproxy: bad rule: %s\n", line);
	return -1;
}

static int
write_all(int fd, const void *p, size_t n)
{
	return fd_write_full(fd, p, n);
}

static void
send_error(int fd, const struct rule *r, long long n, int close_it)
{
	char body[512];
	char head[512];
	int bl;
	int hl;

	bl = snprintf(body, sizeof(body), "<?xml version=\"1.0\" encoding="
	    "\"UTF-8\"?>\n<Error><Code>%s</Code><Message>injected by "
	    "faultproxy for request %lld</Message><RequestId>fp%lld"
	    "</RequestId></Error>", r->code, n, n);
	hl = snprintf(head, sizeof(head), "HTTP/1.1 %d Injected\r\n"
	    "Content-Type: application/xml\r\nContent-Length: %d\r\n"
	    "x-amz-request-id: fp%lld\r\n%s\r\n", r->status, bl, n,
	    close_it ? "Connection: close\r\n" : "");
	(void)write_all(fd, head, (size_t)hl);
	(void)write_all(fd, body, (size_t)bl);
}

static const char garbage[] = "XYZZY 999 \x01\x02\x03 this is not HTTP\r\n"
    "\xff\xfe\x00 garbage\r\n\r\n";

static int
q_push(struct pconn *pc, long long n, const struct rule *r, int head_req)
{
	struct pending *p;

	pthread_mutex_lock(&pc->lock);
	if (pc->qlen == QMAX) {
		pthread_mutex_unlock(&pc->lock);
		return -1;
	}
	p = &pc->q[(pc->qhead + pc->qlen) % QMAX];
	p->n = n;
	p->r = r;
	p->head_req = head_req;
	pc->qlen++;
	pthread_cond_signal(&pc->cv);
	pthread_mutex_unlock(&pc->lock);
	return 0;
}

static struct pending
q_pop(struct pconn *pc)
{
	struct pending p = { 0, NULL, 0 };

	pthread_mutex_lock(&pc->lock);
	while (pc->qlen == 0 && !pc->c2s_done)
		pthread_cond_wait(&pc->cv, &pc->lock);
	if (pc->qlen > 0) {
		p = pc->q[pc->qhead];
		pc->qhead = (pc->qhead + 1) % QMAX;
		pc->qlen--;
	}
	pthread_mutex_unlock(&pc->lock);
	return p;
}

static ssize_t
rd(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Client to server: count requests, answer locally where told. */
static void
c2s_http(struct pconn *pc)
{
	unsigned char *b;
	struct hs_body body;
	const struct rule *r;
	char method[16];
	char target[256];
	size_t have = 0;
	size_t hl;
	size_t k;
	ssize_t n;
	long long num = 0;
	int local;
	int expect;
	int cclose;

	b = malloc(HS_HEAD_MAX);
	if (b == NULL)
		return;
	for (;;) {
		while ((hl = hs_head_len(b, have)) == 0) {
			if (have == HS_HEAD_MAX)
				goto out;
			n = rd(pc->cfd, b + have, HS_HEAD_MAX - have);
			if (n <= 0)
				goto out;
			have += (size_t)n;
		}
		pthread_mutex_lock(&glock);
		num = ++nreq;
		pthread_mutex_unlock(&glock);
		r = rule_for(num);
		method[0] = target[0] = '\0';
		(void)sscanf((char *)b, "%15s %255s", method, target);
		logln("req %lld conn %lld %s %s %s", num, pc->id, method,
		    target, r ? act_names[r->act] : "pass");
		hs_body_init(&body, b, hl, 0, 0, 0);
		expect = hs_header_has(b, hl, "Expect", "100-continue");
		cclose = hs_header_has(b, hl, "Connection", "close");
		local = r != NULL && (r->act == A_ERROR ||
		    r->act == A_GARBAGE || r->act == A_CLOSE);
		if (!local) {
			if (q_push(pc, num, r, strcmp(method, "HEAD") == 0) ||
			    write_all(pc->ufd, b, hl) != 0)
				goto out;
		}
		memmove(b, b + hl, have - hl);
		have -= hl;
		if (local && expect && r->act == A_ERROR) {
			send_error(pc->cfd, r, num, 1);
			logln("fault %lld %d %s (before body)", num, r->status,
			    r->code);
			goto out;
		}
		for (;;) {
			k = hs_body_scan(&body, b, have);
			if (!local && k > 0 && write_all(pc->ufd, b, k) != 0)
				goto out;
			memmove(b, b + k, have - k);
			have -= k;
			if (body.done)
				break;
			n = rd(pc->cfd, b + have, HS_HEAD_MAX - have);
			if (n <= 0)
				goto out;
			have += (size_t)n;
		}
		if (!local)
			continue;
		if (r->act == A_ERROR) {
			send_error(pc->cfd, r, num, cclose);
			logln("fault %lld %d %s", num, r->status, r->code);
			if (cclose)
				goto out;
		} else {
			if (r->act == A_GARBAGE)
				(void)write_all(pc->cfd, garbage,
				    sizeof(garbage) - 1);
			logln("fault %lld %s", num, act_names[r->act]);
			goto out;
		}
	}
out:
	free(b);
}

/* Relay len bytes of response body, applying r at offset r->k. */
static int
relay_body(struct pconn *pc, const struct rule *r, long long num,
    const unsigned char *p, size_t len, long long *sent, int *stalled)
{
	size_t take;

	while (len > 0 || (r && *sent == r->k && (r->act == A_RESET ||
	    r->act == A_TRUNCATE || (r->act == A_STALL && !*stalled)))) {
		if (r != NULL && *sent == r->k) {
			if (r->act == A_RESET || r->act == A_TRUNCATE) {
				logln("fault %lld %s after %lld bytes", num,
				    act_names[r->act], *sent);
				return -1;
			}
			if (r->act == A_STALL && !*stalled) {
				logln("fault %lld stall %llu ms after %lld "
				    "bytes", num, (unsigned long long)r->ms,
				    *sent);
				sleep_ms(r->ms);
				*stalled = 1;
				continue;
			}
		}
		take = len;
		if (r != NULL && *sent < r->k && (long long)take > r->k - *sent)
			take = (size_t)(r->k - *sent);
		if (write_all(pc->cfd, p, take) != 0)
			return -2;
		p += take;
		len -= take;
		*sent += (long long)take;
	}
	return 0;
}

/* The fault that ended a response (-1 from relay_body) ends the conn. */
static void
end_with(struct pconn *pc, const struct rule *r)
{
	struct linger lg = { 1, 0 };

	/* A reset must not send FIN first: linger 0, RST at close. */
	if (r->act == A_RESET)
		(void)setsockopt(pc->cfd, SOL_SOCKET, SO_LINGER, &lg,
		    sizeof(lg));
	else
		(void)shutdown(pc->cfd, SHUT_WR);
	(void)shutdown(pc->cfd, SHUT_RD);	/* wakes the c2s reader */
	(void)shutdown(pc->ufd, SHUT_RDWR);
}

static void *
s2c_http(void *arg)
{
	struct pconn *pc = arg;
	struct hs_body body;
	struct pending p;
	unsigned char *b;
	size_t have = 0;
	size_t hl;
	size_t k;
	ssize_t n;
	long long sent;
	int status;
	int stalled;
	int rc;

	b = malloc(HS_HEAD_MAX);
	if (b == NULL)
		return NULL;
	for (;;) {
		while (!raw_mode && (hl = hs_head_len(b, have)) == 0) {
			if (have == HS_HEAD_MAX)
				goto out;
			n = rd(pc->ufd, b + have, HS_HEAD_MAX - have);
			if (n <= 0)
				goto out;
			have += (size_t)n;
		}
		status = 0;
		if (raw_mode) {
			hl = 0;
			status = 0;
		} else if (have < 12 || sscanf((char *)b + 9, "%3d",
		    &status) != 1) {
			goto out;
		}
		if (status / 100 == 1) {
			if (write_all(pc->cfd, b, hl) != 0)
				goto out;
			memmove(b, b + hl, have - hl);
			have -= hl;
			continue;
		}
		p = q_pop(pc);
		if (!raw_mode)
			logln("resp %lld %d", p.n, status);
		if (p.r != NULL && p.r->act == A_DELAY) {
			logln("fault %lld delay %llu ms", p.n,
			    (unsigned long long)p.r->ms);
			sleep_ms(p.r->ms);
		}
		if (raw_mode)
			body.kind = HS_CLOSE, body.done = 0;
		else
			hs_body_init(&body, b, hl, 1, status, p.head_req);
		if (hl > 0 && write_all(pc->cfd, b, hl) != 0)
			goto out;
		memmove(b, b + hl, have - hl);
		have -= hl;
		sent = 0;
		stalled = 0;
		for (;;) {
			k = hs_body_scan(&body, b, have);
			rc = relay_body(pc, p.r, p.n, b, k, &sent, &stalled);
			if (rc == -1) {
				end_with(pc, p.r);
				goto out_fault;
			}
			if (rc < 0)
				goto out;
			memmove(b, b + k, have - k);
			have -= k;
			if (body.done)
				break;
			n = rd(pc->ufd, b + have, HS_HEAD_MAX - have);
			if (n <= 0)
				goto out;
			have += (size_t)n;
		}
	}
out:
	/* Server gone: the client sees the end too. */
	(void)shutdown(pc->cfd, SHUT_RDWR);
out_fault:
	free(b);
	return NULL;
}

static void
c2s_raw(struct pconn *pc)
{
	unsigned char buf[16384];
	ssize_t n;

	while ((n = rd(pc->cfd, buf, sizeof(buf))) > 0)
		if (write_all(pc->ufd, buf, (size_t)n) != 0)
			break;
}

static void *
conn_main(void *arg)
{
	struct pconn *pc = arg;
	const struct rule *r = NULL;
	pthread_t th;
	struct err e;
	long long num = 0;

	pthread_mutex_lock(&glock);
	pc->id = ++nconn;
	pthread_mutex_unlock(&glock);
	logln("conn %lld", pc->id);
	if (raw_mode) {
		pthread_mutex_lock(&glock);
		num = ++nreq;
		pthread_mutex_unlock(&glock);
		r = rule_for(num);
		logln("req %lld conn %lld raw - %s", num, pc->id,
		    r ? act_names[r->act] : "pass");
		if (r != NULL && (r->act == A_GARBAGE || r->act == A_CLOSE ||
		    r->act == A_ERROR)) {
			if (r->act == A_GARBAGE)
				(void)write_all(pc->cfd, garbage,
				    sizeof(garbage) - 1);
			logln("fault %lld %s", num, act_names[r->act]);
			goto done;
		}
	}
	if (net_connect(up_host, up_port, NULL, &pc->up, &e) != 0) {
		logln("error %s", e.msg);
		goto done;
	}
	/* Plain blocking I/O from here on: the threads wait on purpose. */
	pc->ufd = net_conn_fd(&pc->up);
	(void)fcntl(pc->ufd, F_SETFL, fcntl(pc->ufd, F_GETFL) & ~O_NONBLOCK);
	if (raw_mode)
		(void)q_push(pc, num, r, 0);
	if (pthread_create(&th, NULL, s2c_http, pc) != 0) {
		pc->up.close(pc->up.ctx);
		goto done;
	}
	if (raw_mode)
		c2s_raw(pc);
	else
		c2s_http(pc);
	(void)shutdown(pc->ufd, SHUT_WR);
	pthread_mutex_lock(&pc->lock);
	pc->c2s_done = 1;
	pthread_cond_signal(&pc->cv);
	pthread_mutex_unlock(&pc->lock);
	pthread_join(th, NULL);
	pc->up.close(pc->up.ctx);
done:
	close(pc->cfd);
	pthread_mutex_destroy(&pc->lock);
	pthread_cond_destroy(&pc->cv);
	free(pc);
	return NULL;
}

static int
load_script(const char *path)
{
	char line[512];
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL)
		rc = parse_rule(line);
	fclose(f);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: faultproxy [-R] [-l LOG] [-p PORT] "
	    "[-P PORTFILE] [-t SECS] [-f SCRIPT] [-e RULE]... HOST:PORT\n");
	exit(2);
}

static int
listen_on(long long port, int *portp)
{
	struct sockaddr_in sa;
	socklen_t slen = sizeof(sa);
	int one = 1;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &slen) != 0) {
		close(fd);
		return -1;
	}
	*portp = ntohs(sa.sin_port);
	return fd;
}

static int
write_portfile(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *portfile = NULL;
	struct pconn *pc;
	pthread_attr_t at;
	pthread_t th;
	struct err e;
	long long port = 0;
	long long secs = 120;
	char *colon = NULL;
	int lfd;
	int fd;
	int ch;
	int p;

	while ((ch = getopt(argc, argv, "Re:f:l:P:p:t:")) != -1) {
		switch (ch) {
		case 'R': raw_mode = 1; break;
		case 'e': if (parse_rule(optarg) != 0) return 2; break;
		case 'f': if (load_script(optarg) != 0) return 2; break;
		case 'l':
			if ((logf = fopen(optarg, "a")) == NULL) {
				perror(optarg);
				return 1;
			}
			break;
		case 'P': portfile = optarg; break;
		case 'p': if (num_parse(optarg, 0, 65535, &port, &e) != 0)
				usage();
			break;
		case 't': if (num_parse(optarg, 1, 86400, &secs, &e) != 0)
				usage();
			break;
		default: usage();
		}
	}
	if (optind != argc - 1 || (colon = strrchr(argv[optind], ':')) ==
	    NULL || (size_t)(colon - argv[optind]) >= sizeof(up_host) ||
	    strlen(colon + 1) >= sizeof(up_port))
		usage();
	memcpy(up_host, argv[optind], (size_t)(colon - argv[optind]));
	snprintf(up_port, sizeof(up_port), "%s", colon + 1);
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)secs);
	if ((lfd = listen_on(port, &p)) < 0) {
		perror("faultproxy: listen");
		return 1;
	}
	printf("%d\n", p);
	fflush(stdout);
	if (portfile != NULL && write_portfile(portfile, p) != 0) {
		perror(portfile);
		return 1;
	}
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE)
				continue;
			perror("faultproxy: accept");
			return 1;
		}
		pc = calloc(1, sizeof(*pc));
		if (pc == NULL) {
			close(fd);
			continue;
		}
		pc->cfd = fd;
		pc->ufd = -1;
		pthread_mutex_init(&pc->lock, NULL);
		pthread_cond_init(&pc->cv, NULL);
		if (pthread_create(&th, &at, conn_main, pc) != 0) {
			close(fd);
			free(pc);
		}
	}
}
