/*
 * upload_int.h: internals shared by upload.c (reader, workers) and
 * upload_end.c (checksums, resume checks, Complete and verification).
 * Not for use outside lib/upload*.c.
 */
#ifndef UPLOAD_INT_H
#define UPLOAD_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "hash/md5.h"
#include "hash/md5x.h"
#include "hash/sha256.h"
#include "partplan.h"
#include "resume.h"
#include "upload.h"

#define UP_CKSUM_MAX	64
#define UP_SCRATCH	(1u << 20)	/* hashing and spool copies */
#define UP_GROUP_STEP	(256u << 10)	/* group hashing, per part */

/* What we know of one part once it is on the server. */
struct up_part {
	int		done;
	uint64_t	size;
	uint8_t		md5[16];
	char		etag[S3_ETAG_MAX];
	char		cksum[UP_CKSUM_MAX];	/* base64 or "" */
};

/* A part buffer of the pool. */
struct up_buf {
	uint8_t		*p;
	uint64_t	 cap;
	struct up_buf	*next;
};

/* One part to hash and send. */
struct up_job {
	unsigned	 n;		/* part number */
	uint64_t	 len;
	struct up_buf	*buf;		/* memory body, or NULL */
	int		 fd;		/* file body when buf is NULL */
	off_t		 off;
	int		 own_fd;	/* a spool file: close after use */
	int		 hashed;	/* md5 and cksum set by the reader */
	uint8_t		 md5[16];
	char		 cksum[UP_CKSUM_MAX];
	struct up_job	*next;
};

/*
 * Parts of a stream wait here after they are read, and are hashed side
 * by side (md5x) before they are queued for sending: MD5 cannot go
 * faster on one part, but several cost about as much as one.
 */
struct up_group {
	struct up_job	*job[MD5X_MAX];
	unsigned	 n;
	unsigned	 size;		/* hash when this many wait; 1: off */
};

/* Running checksum of one algorithm. */
struct up_cksum {
	int		alg;		/* 0 none, 1 crc32c, 2 crc64nvme, 3 sha */
	uint32_t	c32;
	uint64_t	c64;
	struct sha256	sh;
};

struct upload {
	struct s3_client *cl;
	struct upload_opts o;
	struct partplan	 plan;
	int		 alg;

	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_job;	/* queued, or no more to come */
	pthread_cond_t	 cv_free;	/* buffer or slot released */
	struct up_job	*head, *tail;
	int		 no_more;
	unsigned	 inflight;	/* jobs queued or being sent */
	struct up_buf	*free_bufs;
	unsigned	 nbufs;		/* allocated, free or in use */
	uint64_t	 mem_used;
	int		 failed;
	struct err	 err;		/* the first failure */
	int		 refused;	/* input differs from the state */
	int		 cancel;	/* atomic */

	char		 upload_id[S3_UPLOAD_ID_MAX];
	int		 have_upload;
	struct up_part	*parts;		/* plan.max_parts */
	unsigned	 nparts;
	uint64_t	 total;
	unsigned	 skipped;

	int		 resuming;
	struct resume_state rs;
	struct resume_file *rf;

	pthread_t	*threads;
	unsigned	 nthreads;
	uint8_t		*rscratch;	/* reader: spool copies */
	struct up_group	 group;		/* reader: parts waiting for MD5 */
	uint8_t		*gscratch;	/* file parts: MD5X_MAX steps */
};

void	up_log(struct upload *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Record the first failure (thread-safe); always returns -1. */
int	up_fail(struct upload *, const struct err *);
int	up_cancelled(struct upload *);

void	up_cksum_init(struct up_cksum *, int alg);
void	up_cksum_update(struct up_cksum *, const void *, size_t);
/* base64 of the value into out (UP_CKSUM_MAX), "" for none. */
void	up_cksum_final(struct up_cksum *, char *out);
/* Checksum over all parts (CRC combine, or the SHA-256 composite). */
int	up_cksum_object(struct upload *, char *out, struct err *);

/*
 * MD5 and checksum of a job's body (buffer, or pread from its file in
 * chunks through scratch, UP_SCRATCH bytes). -1 with err on a read error.
 */
int	up_job_hash(struct upload *, struct up_job *, uint8_t *scratch,
	    struct err *);
/* The group size for these options (see upload_opts.hash_group). */
unsigned up_group_size(const struct upload_opts *);
/*
 * Hash the jobs of the group side by side, in steps of UP_GROUP_STEP
 * bytes; file parts are read through scratch (MD5X_MAX steps). Jobs are
 * marked hashed; the group is kept. 0, or -1 with err on a read error.
 */
int	up_group_hash(struct upload *, uint8_t *scratch, struct err *);

/* Load and check the resume state, confirm parts with ListParts. */
int	up_resume_load(struct upload *, struct err *);
/* Start the state file once the upload exists. */
int	up_resume_start(struct upload *, struct err *);
/* Append part n (caller holds mu). */
int	up_resume_note(struct upload *, unsigned n, struct err *);

/* Complete, HEAD and verify; res filled. */
int	up_complete(struct upload *, struct upload_result *, struct err *);
/* HEAD and compare with what was sent. */
int	up_verify(struct upload *, const char *etag, uint64_t size,
	    struct upload_result *, struct err *);
/* AbortMultipartUpload unless resuming; notes the outcome. */
void	up_abort(struct upload *);

/* ETag as sent, without quotes, equals hex of md5. */
int	up_etag_is_md5(const char *etag, const uint8_t md5[16]);

#endif
