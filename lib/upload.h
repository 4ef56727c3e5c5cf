/*
 * upload.h: the s3put engine. Reads an input (a stream, or a regular
 * file read with pread) and stores it as one S3 object: one PutObject
 * for inputs of at most threshold bytes, else a multipart upload whose
 * part sizes follow partplan.h, uploaded by parallel workers.
 *
 * Stream input: the calling thread reads parts into buffers from a
 * fixed pool (at most jobs + 1 buffers and max_memory bytes; as parts
 * grow, fewer fit, so fewer are in flight); a part larger than the
 * whole budget goes to an unlinked temporary file in spool_dir. Each
 * buffer is reused once its part is uploaded. File input needs no
 * buffers: workers hash and send ranges of the file.
 *
 * Each part carries Content-MD5 and, with a checksum algorithm, its
 * x-amz-checksum-* value (declared at CreateMultipartUpload, listed in
 * the Complete body). Retries happen inside s3.h. The first failure
 * stops the upload: AbortMultipartUpload unless resume_path is set (the
 * state file then lets a rerun continue). After Complete, HEAD checks
 * the size and the ETag computed from the part MD5s.
 *
 * Nothing here prints or exits; notes for -v go to log.
 */
#ifndef UPLOAD_H
#define UPLOAD_H

#include <stdint.h>

#include "err.h"
#include "hash/etag.h"
#include "progress.h"
#include "s3.h"

struct upload_opts {
	const char	*bucket;
	const char	*key;
	int		 fd;		/* input; not closed */
	int		 seekable;	/* fd is a regular file: pread parts */
	int		 has_size;	/* size known (file) or announced */
	uint64_t	 size;
	uint64_t	 part_size;	/* 5 MiB..5 GiB */
	uint64_t	 threshold;	/* one PUT up to this; <= part_size */
	unsigned	 max_parts;	/* 1..10000 */
	unsigned	 jobs;		/* parallel part uploads, >= 1 */
	uint64_t	 max_memory;	/* part buffers in total */
	const char	*spool_dir;	/* NULL: $TMPDIR, else /tmp */
	const char	*checksum;	/* NULL, "crc32c", "crc64nvme", "sha256" */
	const char	*resume_path;	/* NULL: no state, abort on failure */
	int		 want_md5;	/* MD5 of the whole input */
	/*
	 * Parts hashed side by side (md5x) by the reader before they are
	 * queued: a stream part waits until this many are read, or until
	 * nothing else is in flight. 0: automatic (streams: jobs / 2, at
	 * most 8; files: 8, at most 2 * jobs; 1 without a SIMD kernel);
	 * 1: each part hashed alone by the worker that sends it.
	 */
	unsigned	 hash_group;
	struct s3_put_opts put;
	struct progress	*progress;	/* NULL: none */
	void		(*log)(void *, const char *);
	void		*log_arg;
};

struct upload_result {
	char		etag[ETAG_STR_MAX];	/* computed, no quotes */
	uint64_t	size;
	unsigned	parts;		/* 0: one PutObject */
	unsigned	skipped;	/* parts not resent (--resume) */
	int		etag_checked;	/* 0: the ETag is not an MD5 */
	int		checksum_checked;	/* the server's equals ours */
	uint8_t		md5[16];	/* when want_md5 */
	char		checksum[64];	/* full-object or composite, base64 */
	char		request_id[S3_REQUEST_ID_MAX];	/* Put/Complete */
	char		upload_id[S3_UPLOAD_ID_MAX];
};

struct upload;

/* Check options and plan. NULL with err (ERR_USAGE, ERR_NOMEM). */
struct upload *upload_new(struct s3_client *, const struct upload_opts *,
	    struct err *);

/*
 * Run to the end. 0 with res filled, or -1 with err: ERR_TRANSIENT
 * when retries ran out, ERR_REMOTE, ERR_IO (input), ERR_LIMIT (input
 * larger than max_parts parts can hold), ERR_USAGE (input differs from
 * the resume state: the upload is kept). Call once.
 */
int	upload_run(struct upload *, struct upload_result *res, struct err *);

/*
 * From another thread (a signal handler thread): stop, and abort the
 * multipart upload unless resume_path is set. Returns when the abort
 * was answered; parts still in flight may fail after it.
 */
void	upload_interrupt(struct upload *);

/* After upload_run returned (or never ran). NULL allowed. */
void	upload_free(struct upload *);

#endif
