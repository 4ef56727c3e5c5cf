/*
 * mdump.h: one MongoDB collection → one Arrow IPC stream (the engine of
 * mongodump-arrow).
 *
 * Reads with one libmongoc cursor, buffers the first schema_sample
 * documents (at most batch_bytes of BSON) to infer the schema, then streams record batches to the
 * sink, closing each batch at rows_per_batch rows or batch_bytes of
 * column buffers. The end-of-stream marker is written only after the
 * cursor is exhausted without error and every batch is out.
 *
 * Transient cursor errors (network, timeouts, primary stepdown, cursor
 * lost) are retried up to `retries` times with exponential backoff and
 * full jitter (100 ms base, 20 s cap) by re-issuing the find with
 * `_id > last seen` (or < for a descending sort) and the remaining
 * limit. That needs the sort to be by _id alone (the default) and _id
 * in the projection; otherwise a transient error fails with
 * ERR_TRANSIENT. Server errors keep their code in the message.
 *
 * Never prints: progress and retry notices go through callbacks.
 */
#ifndef MDUMP_H
#define MDUMP_H

#include <stddef.h>
#include <stdint.h>

#include <bson/bson.h>

#include "arrow.h"
#include "bson2arrow.h"
#include "err.h"
#include "stats.h"

struct mdump_opts {
	const char	*uri;
	const char	*db;
	const char	*coll;
	const bson_t	*query;		/* NULL: {} */
	const bson_t	*projection;	/* NULL: all fields */
	const bson_t	*sort;		/* NULL: {_id: 1} */
	int64_t		limit;		/* 0: none */
	int32_t		batch_size;	/* 0: server default */
	int64_t		rows_per_batch;
	size_t		batch_bytes;
	long		schema_sample;
	enum arrow_compression compression;
	int		zstd_level;
	enum b2a_mismatch mismatch;
	enum b2a_decimal decimal;
	int		plain_meta;
	int		allow_empty;
	int		retries;
	const char	*group_by;	/* NULL: none */
	arrow_sink_fn	sink;
	void		*sink_ctx;
	/* Optional: called about once a second, and for each retry. */
	void		(*progress)(void *, int64_t docs, uint64_t bytes);
	void		(*notice)(void *, const char *msg);
	void		*cb_ctx;
	/* Optional, for tests: sleep in ms (default nanosleep). */
	void		(*sleep_ms)(void *, unsigned);
};

struct mdump_result {
	struct stats		*stats;
	struct b2a		*b2a;	/* NULL when no document was read */
	struct stats_extra	extra;
};

/*
 * Run the export. On success and on failure *res holds what was counted
 * (free with mdump_result_free). 0, or -1 with err: ERR_USAGE (bad URI
 * or options), ERR_REMOTE (server said no, auth, parse errors),
 * ERR_TRANSIENT (retries exhausted or not resumable), ERR_FORMAT (a
 * document did not fit the schema), ERR_IO (the sink failed).
 */
int	mdump_run(const struct mdump_opts *, struct mdump_result *,
	    struct err *);
void	mdump_result_free(struct mdump_result *);

#endif
