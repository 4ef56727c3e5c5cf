/*
 * md5side.h: the MD5s of several byte ranges, hashed side by side on
 * md5x lanes. A range is in memory, or in a file and read in steps
 * through the caller's scratch buffer, so every range advances by one
 * step before any goes further (and the reads of a step stay in cache
 * for a second hash the caller runs on them). Used by sum8m's ETag of a
 * file and by s3put's part groups.
 */
#ifndef MD5SIDE_H
#define MD5SIDE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "hash/md5.h"
#include "hash/md5x.h"

struct md5side_range {
	const uint8_t	*mem;		/* the bytes, or NULL: read from */
	int		 fd;		/* this file */
	off_t		 off;		/* at this offset */
	uint64_t	 len;
	uint8_t		 md5[MD5_LEN];	/* out */
};

/* Sees step bytes at p of range i, in order; p is valid during the call. */
typedef void	(*md5side_fn)(void *arg, unsigned i, const uint8_t *p,
		    size_t len);

/*
 * Hash r[0..n), n <= MD5X_MAX, step bytes of each range at a time; file
 * ranges are read into scratch, which holds n * step bytes. each (may be
 * NULL) sees every step of every range. Returns 0, or -1 with err (read
 * error, or ERR_IO "input shrank while reading" when a file ends early)
 * and *failed set to the range's index.
 */
int	md5side(struct md5side_range *r, unsigned n, uint8_t *scratch,
	    size_t step, md5side_fn each, void *arg, unsigned *failed,
	    struct err *e);

#endif
