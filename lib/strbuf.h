/*
 * strbuf.h: a growable byte buffer with a hard cap and a sticky error.
 *
 * Appends never fail loudly: the first failure (allocation, size
 * overflow, or growing past the cap) sets sb->failed and every later
 * append is a no-op, so a caller builds a whole string and checks once
 * with sb_error(). The contents are always NUL-terminated when
 * sb->len > 0 or after sb_cstr(). Not thread-safe.
 */
#ifndef STRBUF_H
#define STRBUF_H

#include <stddef.h>

#include "err.h"

struct strbuf {
	char	*data;		/* owned; NULL until the first append */
	size_t	 len;		/* bytes used, not counting the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* hard cap on len; 0 means 64 MiB */
	int	 failed;	/* 1 = out of memory, 2 = over max */
};

/* Empty buffer with the given cap (0 = default). Allocates nothing. */
void	sb_init(struct strbuf *, size_t max);
void	sb_add(struct strbuf *, const void *, size_t);
void	sb_adds(struct strbuf *, const char *);
void	sb_addc(struct strbuf *, int);
/* printf-style append. */
void	sb_addf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Lower-case hex of n bytes. */
void	sb_addhex(struct strbuf *, const void *, size_t n);
/* Forget the contents, keep the allocation and the cap. */
void	sb_reset(struct strbuf *);
/* NUL-terminated contents ("" when empty); valid until the next append. */
const char *sb_cstr(struct strbuf *);
/* 0, or -1 with err (ERR_NOMEM / ERR_LIMIT naming what) if any append failed. */
int	sb_error(const struct strbuf *, const char *what, struct err *);
/* Wipe (explicit_bzero) and free the contents; the buffer is empty after. */
void	sb_free(struct strbuf *);
/* Hand the allocation to the caller (NUL-terminated, or NULL on failure). */
char	*sb_take(struct strbuf *, size_t *lenp);

#endif
