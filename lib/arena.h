/*
 * arena.h: zeroed allocations freed all at once, under a byte budget.
 *
 * For decoders that build many small arrays from untrusted counts: the
 * budget is checked before memory is taken, so a hostile input fails
 * with ERR_LIMIT instead of exhausting memory. Not thread-safe.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct arena;

/* New arena that will hand out at most max bytes in total; NULL: OOM. */
struct arena	*arena_new(uint64_t max);

/*
 * count * size zeroed bytes aligned for any type, valid until
 * arena_free. NULL for count 0 (not an error: e untouched), or NULL with
 * e filled in: ERR_NOMEM (overflow, malloc failure) or ERR_LIMIT
 * (budget exceeded).
 */
void		*arena_alloc(struct arena *a, size_t count, size_t size,
		    struct err *e);

/* Free everything the arena handed out, and the arena. NULL ignored. */
void		 arena_free(struct arena *a);

#endif
