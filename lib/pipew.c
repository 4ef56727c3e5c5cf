/*
 * pipew.c: paced writes into a pipe (see pipew.h).
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "fdio.h"
#include "pipew.h"

/* Smaller pipes are not worth pacing: the plain write is as good. */
#define PIPEW_MIN_SIZE	(256 * 1024)

size_t
pipe_grow(int fd, size_t want)
{
	struct stat st;
	int cur = -1;

	if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
		return 0;
#if defined(F_GETPIPE_SZ) && defined(F_SETPIPE_SZ)
	if ((cur = fcntl(fd, F_GETPIPE_SZ)) < 0)
		return 0;
	if (want > INT_MAX / 2)
		want = INT_MAX / 2;
	for (; want > (size_t)cur; want /= 2)
		if (fcntl(fd, F_SETPIPE_SZ, (int)want) >= 0 ||
		    (errno != EPERM && errno != EBUSY))
			break;
	cur = fcntl(fd, F_GETPIPE_SZ);
#else
	(void)want;
#endif
	return cur > 0 ? (size_t)cur : 0;
}

void
pipew_init(struct pipew *w, int fd, size_t want)
{
	size_t cur = pipe_grow(fd, want);

	w->fd = fd;
	w->size = cur >= PIPEW_MIN_SIZE ? cur : 0;
	w->sleep_us = 1000;
}

/* Bytes the reader has not taken yet, or -1 if unknown. */
static long
queued(int fd)
{
	int n;

	if (ioctl(fd, FIONREAD, &n) != 0 || n < 0)
		return -1;
	return n;
}

/*
 * Sleep about w->sleep_us unless the reader goes away (then 1), and
 * adapt the next sleep: shorter if the pipe ran empty meanwhile (the
 * reader waited for us), longer if it is still more than half full.
 */
static int
pace(struct pipew *w)
{
	struct pollfd pfd;
	struct timespec ts;
	long q;

	pfd.fd = w->fd;
	pfd.events = 0;		/* only POLLERR: no reader left */
	pfd.revents = 0;
	ts.tv_sec = 0;
	ts.tv_nsec = w->sleep_us * 1000;
	if (ppoll(&pfd, 1, &ts, NULL) > 0)
		return 1;
	if ((q = queued(w->fd)) < 0)
		return 1;
	if (q == 0 && w->sleep_us > PIPEW_SLEEP_MIN_US)
		w->sleep_us /= 2;
	else if ((size_t)q > w->size / 2 && w->sleep_us < PIPEW_SLEEP_MAX_US)
		w->sleep_us *= 2;
	return 0;
}

int
pipew_write(struct pipew *w, const void *buf, size_t len)
{
	const char *p = buf;
	size_t room;
	size_t n;
	long q;

	while (len > 0 && w->size > 0) {
		if ((q = queued(w->fd)) < 0)
			break;
		room = (size_t)q < w->size ? w->size - (size_t)q : 0;
		if (room < len && room < w->size / 2) {
			if (pace(w) != 0)
				break;
			continue;
		}
		n = room < len ? room : len;
		if (fd_write_full(w->fd, p, n) != 0)
			return -1;
		p += n;
		len -= n;
	}
	return len > 0 ? fd_write_full(w->fd, p, len) : 0;
}
