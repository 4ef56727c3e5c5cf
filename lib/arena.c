/*
 * arena.c: chunked bump allocator with a budget (arena.h).
 */
#include <stdalign.h>
#include <stdlib.h>

#include "arena.h"

#define ARENA_CHUNK	(64u << 10)

struct arena_chunk {
	struct arena_chunk *next;
	size_t		 cap;
	size_t		 used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_chunk *head;
	uint64_t	 total;
	uint64_t	 max;
};

struct arena *
arena_new(uint64_t max)
{
	struct arena *a;

	if ((a = calloc(1, sizeof(*a))) != NULL)
		a->max = max;
	return a;
}

void *
arena_alloc(struct arena *a, size_t count, size_t size, struct err *e)
{
	struct arena_chunk *c;
	size_t n, cap;
	void *p;

	if (count == 0 || size == 0)
		return NULL;
	if (count > (SIZE_MAX - 2 * alignof(max_align_t)) / size) {
		err_set(e, ERR_NOMEM, "allocation size overflows");
		return NULL;
	}
	n = (count * size + alignof(max_align_t) - 1) &
	    ~(alignof(max_align_t) - 1);
	c = a->head;
	if (c == NULL || c->cap - c->used < n) {
		cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if (cap > a->max || a->total > a->max - cap) {
			err_set(e, ERR_LIMIT, "decoded metadata exceeds the "
			    "memory limit of %llu bytes",
			    (unsigned long long)a->max);
			return NULL;
		}
		if ((c = calloc(1, sizeof(*c) + cap)) == NULL) {
			err_set(e, ERR_NOMEM, "out of memory (%zu bytes)", cap);
			return NULL;
		}
		c->cap = cap;
		c->next = a->head;
		a->head = c;
		a->total += cap;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}
