/*
 * download.h: parallel ranged download of one S3 object, written to a
 * file descriptor strictly in order.
 *
 * The first ranged GET (one part, from the first wanted byte) doubles
 * as HEAD: its Content-Range gives the object size and its ETag becomes
 * the If-Match of every later request. The rest of the range is cut
 * into parts of part_size and fetched by up to jobs worker threads, each
 * part with s3_get (which retries and resumes inside the part). Parts
 * land in a window of jobs + 1 buffers; the calling thread writes them
 * to fd in order as they complete. A worker may only start part i when
 * part i - (jobs + 1) has been written, so memory stays at most
 * (jobs + 1) * part_size plus small state, whatever the object size.
 * When fd is a pipe it is enlarged (up to one part, as far as the system
 * allows) and written with pipew (pipew.h), which wakes the writer a few
 * times per part instead of once per read of the reader.
 *
 * A write error ends the download: workers stop at their next received
 * chunk (their requests are aborted and the connections dropped), the
 * threads are joined, and dl_run returns -1 with err kind ERR_IO
 * and errnum set (EPIPE for a closed pipe: the caller decides how quiet
 * to be). An object that changes under us (412 on If-Match, or an
 * ETag differing from the first response's) is ERR_REMOTE with a
 * message starting "object changed during download".
 *
 * Verification (optional): the writer feeds every byte it writes to a
 * struct dl_verify, which recomputes the ETag for a known part layout.
 */
#ifndef DOWNLOAD_H
#define DOWNLOAD_H

#include <stdint.h>

#include "err.h"
#include "hash/etag.h"
#include "hash/md5.h"
#include "progress.h"
#include "s3.h"

#define DL_DEFAULT_PART		((uint64_t)8 << 20)
#define DL_MAX_JOBS		256
#define DL_MIN_PART		((uint64_t)4096)
#define DL_MAX_PART		((uint64_t)1 << 30)

struct dl_opts {
	struct s3_client *cl;		/* shared, thread-safe */
	const char	*bucket;
	const char	*key;
	uint64_t	 part_size;	/* 0: DL_DEFAULT_PART */
	unsigned	 jobs;		/* parallel GETs, 1..DL_MAX_JOBS; 0: 8 */
	uint64_t	 start;		/* first byte wanted */
	uint64_t	 end;		/* last byte, inclusive; UINT64_MAX: EOF */
	/*
	 * Expected ETag (quoted, as S3 sends it), e.g. from a resume record
	 * or a listing; NULL or "": take it from the first response.
	 */
	const char	*if_match;
	int		 fd;		/* output, written sequentially */
	struct progress	*progress;	/* optional: bytes and retries */
	/*
	 * Optional: called once with the object's metadata when the first
	 * response arrived, before any byte is written (a resume record is
	 * written here). Returning -1 with err stops the download.
	 */
	int		(*on_object)(void *, const struct s3_object *,
			    struct err *);
	void		*on_object_arg;
	struct dl_verify *verify;	/* optional, fed in order */
};

struct dl_result {
	struct s3_object obj;		/* size and ETag of the object */
	uint64_t	 written;	/* bytes written to fd */
	uint64_t	 requests;	/* GETs issued (attempts included) */
	int		 changed;	/* failed: the object changed (412) */
};

/*
 * ETag recomputation over a stream. part_size 0: the object was one PUT
 * and its ETag is the md5 of the data. Otherwise a multipart upload
 * whose parts but the last have part_size bytes: the ETag is
 * md5(md5(part 1) .. md5(part N))-N, even for N = 1. Feed every byte of
 * the object in order, from byte 0. Memory: 16 bytes per part.
 */
struct dl_verify {
	uint64_t	part_size;
	uint64_t	in_part;	/* bytes of the current part hashed */
	uint64_t	index;		/* current part, 0-based */
	uint64_t	total;		/* bytes fed */
	struct md5	cur;
	struct etag	parts;
};

void	dl_verify_init(struct dl_verify *, uint64_t part_size);
int	dl_verify_update(struct dl_verify *, const void *, size_t,
	    struct err *);
/* The ETag of what was fed, "hex" or "hex-N" (no quotes), into out. */
int	dl_verify_final(struct dl_verify *, char out[ETAG_STR_MAX],
	    struct err *);
void	dl_verify_free(struct dl_verify *);

/*
 * Find the part layout of bucket/key for dl_verify. obj gets the HEAD
 * answer (size, ETag: pin the download to it). A plain ETag (no "-N")
 * means one PUT: *part_size 0. A "-N" ETag needs the server to answer
 * HEAD ?partNumber=1 with a 206 and x-amz-mp-parts-count N (and, for
 * N > 1, part N with the size the layout predicts): *part_size is then
 * part 1's size. Returns 1 when the layout is known, 0 when it is not
 * (why in why[]: no part numbers on this server, encrypted ETag,
 * uneven parts), -1 with err when a request failed.
 */
int	dl_verify_layout(struct s3_client *, const char *bucket,
	    const char *key, struct s3_object *obj, uint64_t *part_size,
	    char *why, size_t why_len, struct err *);

/* Fill defaults (part 8 MiB, 8 jobs, whole object, fd 1). */
void	dl_opts_init(struct dl_opts *);

/*
 * Download [start, end] of bucket/key into fd. 0 on success (every byte
 * of the range written; for end == UINT64_MAX, up to the object's end),
 * or -1 with err. res (optional) is filled in both cases as far as
 * known. A start at or beyond the object's end is ERR_USAGE ("range
 * not satisfiable"; an empty object read from byte 0 is fine), so a
 * caller resuming a complete file checks the size first.
 */
int	dl_run(const struct dl_opts *, struct dl_result *, struct err *);

#endif
