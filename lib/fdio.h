/*
 * fdio.h: whole-buffer reads and writes on file descriptors, retrying
 * on EINTR and short transfers.
 */
#ifndef FDIO_H
#define FDIO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read until len bytes or end of file. Returns bytes read (< len only at
 * end of file), or -1 with errno set.
 */
ssize_t	fd_read_full(int fd, void *buf, size_t len);

/* pread until len bytes or end of file; as fd_read_full. */
ssize_t	fd_pread_full(int fd, void *buf, size_t len, off_t off);

/* Write all len bytes. Returns 0, or -1 with errno set (EPIPE included). */
int	fd_write_full(int fd, const void *buf, size_t len);

#endif
