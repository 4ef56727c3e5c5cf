/*
 * lowat_test: net_conn_wait_min (SO_RCVLOWAT hint) over loopback.
 *
 *	lowat_test CASE
 *
 * A thread plays the server on 127.0.0.1 (free port) and sends on a
 * schedule; the main thread reads through net_connect with a 300 ms
 * I/O timeout. Prints "n=BYTES ms=ELAPSED" (or "error: ...") for the
 * one read under test; the test script checks the numbers. Cases:
 *   mark	3000 bytes at 50 ms, 3000 more at 100 ms; hint 5000:
 *		one read gets all 6000 (it slept through the first 3000)
 *   below	1000 bytes at 50 ms, then silence; hint 100000: the read
 *		returns the 1000 when the timeout passes (progress, not
 *		a stall)
 *   silent	nothing; hint 100000: stall timeout error
 *   fin	10 bytes at 50 ms, then close; hint 100000: the read
 *		returns 10 at once, the next one 0
 *   nohint	3000 bytes at 50 ms, 3000 at 100 ms; no hint: 3000
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"

struct plan {
	int		lfd;
	const char	*name;
};

static void
nap_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		continue;
}

static void
send_n(int fd, size_t n)
{
	static char buf[8192];
	size_t k;
	ssize_t w;

	memset(buf, 'x', sizeof(buf));
	while (n > 0) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		if ((w = send(fd, buf, k, MSG_NOSIGNAL)) <= 0)
			return;
		n -= (size_t)w;
	}
}

static void *
server(void *arg)
{
	struct plan *p = arg;
	int fd;

	if ((fd = accept(p->lfd, NULL, NULL)) < 0)
		return NULL;
	if (strcmp(p->name, "mark") == 0 || strcmp(p->name, "nohint") == 0) {
		nap_ms(50);
		send_n(fd, 3000);
		nap_ms(50);
		send_n(fd, 3000);
		nap_ms(1000);
	} else if (strcmp(p->name, "below") == 0) {
		nap_ms(50);
		send_n(fd, 1000);
		nap_ms(1000);
	} else if (strcmp(p->name, "silent") == 0) {
		nap_ms(1000);
	} else if (strcmp(p->name, "fin") == 0) {
		nap_ms(50);
		send_n(fd, 10);
	}
	close(fd);
	return NULL;
}

int
main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	struct net_opts o = { 2000, 300 };
	struct plan p;
	struct conn c;
	struct err e;
	pthread_t tid;
	char port[16];
	int64_t t0;
	ssize_t n;
	size_t hint;

	if (argc != 2) {
		fprintf(stderr, "usage: lowat_test mark|below|silent|fin|"
		    "nohint\n");
		return 2;
	}
	p.name = argv[1];
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((p.lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(p.lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(p.lfd, 1) != 0 ||
	    getsockname(p.lfd, (struct sockaddr *)&sa, &len) != 0) {
		perror("lowat_test: listen");
		return 1;
	}
	snprintf(port, sizeof(port), "%u", (unsigned)ntohs(sa.sin_port));
	if (pthread_create(&tid, NULL, server, &p) != 0)
		return 1;
	if (net_connect("127.0.0.1", port, &o, &c, &e) != 0) {
		fprintf(stderr, "lowat_test: %s\n", e.msg);
		return 1;
	}
	hint = strcmp(p.name, "mark") == 0 ? 5000 :
	    strcmp(p.name, "nohint") == 0 ? 0 : 100000;
	t0 = clock_ms();
	net_conn_wait_min(&c, hint);
	n = c.read(c.ctx, buf, sizeof(buf), &e);
	if (n < 0)
		printf("error: %s ms=%lld\n", e.msg, (long long)(clock_ms() - t0));
	else
		printf("n=%zd ms=%lld\n", n, (long long)(clock_ms() - t0));
	if (n > 0 && strcmp(p.name, "fin") == 0) {
		net_conn_wait_min(&c, hint);
		n = c.read(c.ctx, buf, sizeof(buf), &e);
		printf("then n=%zd\n", n);
	}
	c.close(c.ctx);
	pthread_join(tid, NULL);
	close(p.lfd);
	return 0;
}
