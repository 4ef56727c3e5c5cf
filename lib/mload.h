/*
 * mload.h: load an Arrow IPC stream into a MongoDB collection.
 *
 * The caller's thread reads and converts rows (ipcread + arrow2bson)
 * into batches of at most batch_size documents and MLOAD_BATCH_BYTES
 * bytes; `workers` threads, each holding one client popped from a
 * mongoc_client_pool, insert them with unordered (or ordered) bulk
 * writes. At most `workers` batches wait in the queue and finished
 * batches are reused (up to workers + 2 kept), so memory is bounded by
 * about (2 × workers + 3) batches of at most MLOAD_BATCH_BYTES, plus
 * one Arrow message. Documents are written by libbson straight into the
 * batch buffer; flat rows of simple columns are encoded without libbson
 * appends (arrow2bson.c).
 *
 * Counting: inserted is the sum of the server's nInserted. A batch that
 * fails with a transient error (network, not primary, timeouts) is
 * retried with backoff; after an ambiguous failure (the server may have
 * applied part of it) the batch's _ids are looked up first and only the
 * missing documents are sent again, each found one counted once. Rows
 * without an _id get a client-generated ObjectId so this always works.
 * Write errors (duplicate key...) are reported through on_error with
 * the row index and _id and counted in errors, never retried.
 *
 * Replace mode: documents go to the temporary collection
 * "COLL.mongoload-tmp-PID-TIME", created with the target's options;
 * after a complete stream and matching counts the target's indexes are
 * built on it and it is renamed over the target (dropTarget). On any
 * failure the temporary collection is dropped and the target is left
 * as it was.
 */
#ifndef MLOAD_H
#define MLOAD_H

#include <stdint.h>

#include "err.h"
#include "ipcread.h"

#define MLOAD_MAX_DOC		(16 * 1024 * 1024)	/* BSON document */
#define MLOAD_BATCH_BYTES	(47 * 1000 * 1000)	/* under 48 MB */
#define MLOAD_MAX_WORKERS	64

struct mload_opts {
	const char	*uri;
	const char	*db;
	const char	*coll;
	int		batch_size;	/* documents per bulk, >= 1 */
	int		workers;	/* 1 .. MLOAD_MAX_WORKERS */
	const char	*w;		/* "majority", "0", "1", ... */
	int		journal;
	int		ordered;
	int		replace;
	int64_t		expect_count;	/* -1: none */
	int		stop_on_error;
	int		keep_nulls;
	int		verify_estimated;
	int		retries;	/* attempts after the first */
	/* Called (serialised) for each failed row; row -1: whole batch. */
	void		(*on_error)(void *ctx, int64_t row, const char *id,
			    const char *msg);
	/* Called from the reading thread after each Arrow batch. */
	void		(*on_progress)(void *ctx, int64_t rows);
	void		*ctx;
};

struct mload_result {
	int64_t		rows;		/* rows read from the stream */
	int64_t		inserted;	/* sum of nInserted (+ recovered) */
	int64_t		errors;		/* rows reported as failed */
	int64_t		retries;	/* batch attempts after the first */
	int64_t		estimated;	/* --verify estimated, else -1 */
	int		unverified;	/* w:0: no counts */
	int		complete;	/* stream ended with its EOS marker */
	uint64_t	bytes_in;
	double		seconds;
};

/*
 * Run the load; `fn`/`rctx` supply the stream. Returns 0 when every row
 * was inserted and all counts match; -1 with err otherwise (res is
 * filled either way).
 */
int	mload_run(const struct mload_opts *, ipcr_read_fn fn, void *rctx,
	    struct mload_result *res, struct err *);

/* Drop every "COLL.mongoload-tmp-*" collection; *n how many. 0 or -1. */
int	mload_cleanup_stale(const struct mload_opts *, int64_t *n,
	    struct err *);

#endif
