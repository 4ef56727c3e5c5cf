/*
 * capture: loopback HTTP server that records raw requests and answers a
 * canned response, for byte-exact request tests.
 *
 *   capture [-6] [-c] [-s] [-n COUNT] [-o PREFIX] [-p PORT] [-P PORTFILE]
 *	    [-r RESPONSE] [-t SECS]
 *
 * Listens on 127.0.0.1:PORT (-6: [::1]:PORT; 0, the default, picks
 * one), prints the port on stdout and into PORTFILE (atomically).
 * Connections are served one at a time, keep-alive. Each request
 * (head plus its Content-Length or chunked body, exactly as received)
 * is written to PREFIX.N, N = 1, 2...
 * (default PREFIX: "req"). A request with "Expect: 100-continue" gets
 * "HTTP/1.1 100 Continue" before its body is read (that interim line is
 * not part of the capture). Then the bytes of the RESPONSE file are sent
 * verbatim (default: "HTTP/1.1 200 OK", Content-Length: 0).
 *   -c  close the connection after each response (without saying so)
 *   -s  silent: read requests, never answer (read-timeout tests)
 *   -n  exit after COUNT requests (after answering the last)
 *   -t  exit after SECS seconds in any case (default 120)
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fdio.h"
#include "num.h"
#include "httpscan.h"

static const char default_resp[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

static unsigned char *resp;
static size_t resp_len;

static int
load_file(const char *path, unsigned char **out, size_t *len)
{
	struct stat st;
	unsigned char *b;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_size > 256 * 1024 * 1024 ||
	    (b = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	n = fd_read_full(fd, b, (size_t)st.st_size);
	close(fd);
	if (n < 0) {
		free(b);
		return -1;
	}
	*out = b;
	*len = (size_t)n;
	return 0;
}

/*
 * Serve one connection. Returns the number of requests handled, -1 when
 * the process should stop (count reached).
 */
static int
serve(int fd, const char *prefix, long long *count, long long max, int
    close_each, int silent)
{
	unsigned char *b;
	struct hs_body body;
	char path[4096];
	size_t have = 0;
	size_t hl;
	size_t k;
	ssize_t n;
	int out;
	int rc = 0;

	b = malloc(HS_HEAD_MAX);
	if (b == NULL)
		return -1;
	for (;;) {
		while ((hl = hs_head_len(b, have)) == 0) {
			if (have == HS_HEAD_MAX)
				goto done;
			n = read(fd, b + have, HS_HEAD_MAX - have);
			if (n <= 0)
				goto done;
			have += (size_t)n;
		}
		++*count;
		snprintf(path, sizeof(path), "%s.%lld", prefix, *count);
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || fd_write_full(out, b, hl) != 0) {
			perror(path);
			exit(1);
		}
		hs_body_init(&body, b, hl, 0, 0, 0);
		if (!body.done && hs_header_has(b, hl, "Expect",
		    "100-continue") && fd_write_full(fd, cont,
		    sizeof(cont) - 1) != 0) {
			close(out);
			goto done;
		}
		memmove(b, b + hl, have - hl);
		have -= hl;
		for (;;) {
			k = hs_body_scan(&body, b, have);
			if (k > 0 && fd_write_full(out, b, k) != 0) {
				perror(path);
				exit(1);
			}
			memmove(b, b + k, have - k);
			have -= k;
			if (body.done)
				break;
			n = read(fd, b + have, HS_HEAD_MAX - have);
			if (n <= 0) {
				close(out);
				goto done;
			}
			have += (size_t)n;
		}
		close(out);
		if (!silent && fd_write_full(fd, resp, resp_len) != 0)
			goto done;
		if (max > 0 && *count >= max) {
			rc = -1;
			goto done;
		}
		if (close_each)
			goto done;
	}
done:
	free(b);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: capture [-6] [-c] [-s] [-n COUNT] [-o PREFIX] "
	    "[-p PORT] [-P PORTFILE] [-r RESPONSE] [-t SECS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in6 sa6;
	struct sockaddr_in sa;
	socklen_t slen;
	int v6 = 0;
	const char *prefix = "req";
	const char *portfile = NULL;
	char tmp[4096];
	struct err e;
	long long port = 0;
	long long secs = 120;
	long long max = 0;
	long long count = 0;
	int close_each = 0;
	int silent = 0;
	int one = 1;
	FILE *f;
	int lfd;
	int fd;
	int ch;

	resp = (unsigned char *)default_resp;
	resp_len = sizeof(default_resp) - 1;
	while ((ch = getopt(argc, argv, "6cn:o:P:p:r:st:")) != -1) {
		switch (ch) {
		case '6': v6 = 1; break;
		case 'c': close_each = 1; break;
		case 'n': if (num_parse(optarg, 1, INT64_MAX, &max, &e) != 0)
				usage();
			break;
		case 'o': prefix = optarg; break;
		case 'P': portfile = optarg; break;
		case 'p': if (num_parse(optarg, 0, 65535, &port, &e) != 0)
				usage();
			break;
		case 'r':
			if (load_file(optarg, &resp, &resp_len) != 0) {
				perror(optarg);
				return 1;
			}
			break;
		case 's': silent = 1; break;
		case 't': if (num_parse(optarg, 1, 86400, &secs, &e) != 0)
				usage();
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)secs);
	lfd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	memset(&sa6, 0, sizeof(sa6));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	sa6.sin6_family = AF_INET6;
	sa6.sin6_addr = in6addr_loopback;
	sa6.sin6_port = htons((uint16_t)port);
	slen = v6 ? sizeof(sa6) : sizeof(sa);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) != 0 || bind(lfd, v6 ? (struct sockaddr *)&sa6 :
	    (struct sockaddr *)&sa, slen) != 0 || listen(lfd, 16) != 0 ||
	    getsockname(lfd, v6 ? (struct sockaddr *)&sa6 :
	    (struct sockaddr *)&sa, &slen) != 0) {
		perror("capture: listen");
		return 1;
	}
	if (v6)
		sa.sin_port = sa6.sin6_port;
	printf("%d\n", ntohs(sa.sin_port));
	fflush(stdout);
	if (portfile != NULL) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
		if ((f = fopen(tmp, "w")) == NULL ||
		    fprintf(f, "%d\n", ntohs(sa.sin_port)) < 0 ||
		    fclose(f) != 0 || rename(tmp, portfile) != 0) {
			perror(portfile);
			return 1;
		}
	}
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("capture: accept");
			return 1;
		}
		if (serve(fd, prefix, &count, max, close_each, silent) < 0) {
			close(fd);
			return 0;
		}
		close(fd);
	}
}
