/*
 * stats.h: single-pass export statistics for mongodump-arrow.
 *
 * Counts documents and BSON bytes, and the distribution of one
 * --group-by field (a dotted path), from each document as it streams
 * past; per-column null counts and list lengths come from bson2arrow.
 * stats_json renders everything as one JSON object.
 *
 * Limits: STATS_MAX_GROUPS distinct group values (later new values are
 * counted under "other"); group values longer than STATS_MAX_VALUE
 * bytes are cut (and counted as the cut value).
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <stdint.h>

#include <bson/bson.h>

#include "bson2arrow.h"
#include "err.h"

#define STATS_MAX_GROUPS	100000
#define STATS_MAX_VALUE		256

struct stats;

/* extra: numbers the caller reports in the JSON (may be 0). */
struct stats_extra {
	double		seconds;
	int64_t		batches;
	uint64_t	arrow_bytes;
	int64_t		retries;
	int64_t		mismatches;
};

/* group_by may be NULL. NULL with err on allocation failure. */
struct stats *stats_new(const char *group_by, struct err *);
void	stats_free(struct stats *);

/* Account for one document. 0 or -1 with err (ERR_NOMEM). */
int	stats_doc(struct stats *, const bson_t *, struct err *);
int64_t	stats_docs(const struct stats *);
uint64_t stats_bytes(const struct stats *);

/*
 * The JSON object (no newline), malloc'd into *out. b may be NULL when
 * no schema exists (no documents). 0 or -1 with err.
 */
int	stats_json(struct stats *, struct b2a *, const struct stats_extra *,
	    char **out, struct err *);

/* One short line for -v, malloc'd. 0 or -1. */
int	stats_summary(struct stats *, const struct stats_extra *, char **out,
	    struct err *);

#endif
