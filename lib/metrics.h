/*
 * metrics.h: --metrics FILE, one JSON object per line per operation:
 *
 *   {"ts":"2026-11-26T19:00:00.123Z","op":"UploadPart",
 *    "bucket":"b","key":"k","part":3,"status":200,"bytes_out":8388608,
 *    "bytes_in":0,"seconds":0.412,"attempts":2,
 *    "statuses":[503,200],"request_ids":["tx1","tx2"],"error":"..."}
 *
 * Lines are appended with one write() each (O_APPEND), so parallel
 * workers and concurrent processes do not interleave within a line.
 * Thread-safe. Never contains credentials or signatures.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdint.h>

#include "err.h"

#define METRICS_MAX_ATTEMPTS	16	/* statuses/ids kept per line */

struct metrics;

struct metrics_op {
	const char	*op;		/* "PutObject", "GetObject", ... */
	const char	*bucket;
	const char	*key;		/* may be NULL */
	int		 part;		/* 0 when not a part operation */
	int		 status;	/* final HTTP status, 0 if none */
	uint64_t	 bytes_out, bytes_in;
	double		 seconds;
	unsigned	 attempts;
	int		 statuses[METRICS_MAX_ATTEMPTS];
	const char	*request_ids[METRICS_MAX_ATTEMPTS];
	unsigned	 nstatus;	/* filled entries of the two arrays */
	const char	*error;		/* NULL on success */
};

/* Open path for appending (created 0644). NULL with err. */
struct metrics *metrics_open(const char *path, struct err *);
/* Append one line. Write errors are sticky and reported by close. */
void	metrics_write(struct metrics *, const struct metrics_op *);
/* Arbitrary JSON line from the tool (a summary); must be one line. */
void	metrics_write_raw(struct metrics *, const char *json_line);
/* Close; 0, or -1 with err if any write failed. NULL allowed. */
int	metrics_close(struct metrics *, struct err *);

/* Append s to a strbuf-free fixed buffer as a JSON string; see .c. */
size_t	metrics_json_escape(char *out, size_t cap, const char *s);

#endif
