/*
 * pipew.h: writing big blocks into a pipe without a wake-up per read of
 * the reader.
 *
 * A blocking write into a full pipe sleeps until the reader takes one
 * piece, then fills that piece and sleeps again: one context switch per
 * read(2) of the reader (md5sum reads 32 KiB at a time), tens of
 * thousands per GiB. A pipew instead enlarges the pipe (up to the
 * size asked for and what the system allows), writes only what fits
 * (FIONREAD tells what is still queued), and when less than half the
 * pipe is free it sleeps for about the time the reader needs to drain
 * half of it (adapted from what it saw during the last sleep, between
 * PIPEW_SLEEP_MIN_US and PIPEW_SLEEP_MAX_US). A reader that goes away
 * ends the sleep at once (POLLERR), and the write then fails with EPIPE.
 *
 * Only for one writer per pipe; anything that is not a pipe, or whose
 * queue cannot be read, gets plain blocking writes.
 */
#ifndef PIPEW_H
#define PIPEW_H

#include <stddef.h>

#define PIPEW_SLEEP_MIN_US	50
#define PIPEW_SLEEP_MAX_US	20000

struct pipew {
	int	fd;
	size_t	size;		/* pipe capacity; 0: not a pipe */
	long	sleep_us;	/* next sleep when the pipe is full */
};

/*
 * If fd (either end) is a pipe smaller than want bytes, try to enlarge
 * it (F_SETPIPE_SZ, halving want until the system accepts it). Returns
 * the pipe's capacity, 0 when fd is not a pipe or it cannot be read.
 */
size_t	pipe_grow(int fd, size_t want);

/*
 * Set up w for fd (pipe_grow first). If fd is a pipe smaller than want bytes, try to
 * enlarge it (F_SETPIPE_SZ, halving want until the system accepts it).
 * Never fails: w then writes plainly.
 */
void	pipew_init(struct pipew *w, int fd, size_t want);

/* Write all len bytes. 0, or -1 with errno set (EPIPE included). */
int	pipew_write(struct pipew *w, const void *buf, size_t len);

#endif
