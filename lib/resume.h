/*
 * resume.h: the s3put --resume state file: which multipart upload, how
 * its parts are sized, and which parts the server has, so a rerun with
 * the same input continues where a killed run stopped.
 *
 * Text, one record per line, the header written once (atomically:
 * temp file, fsync, rename, fsync of the directory), then one "part"
 * line appended and fdatasync'ed per finished part:
 *
 *	s3put-resume 1
 *	bucket NAME
 *	key HEX			(key bytes, lower-case hex)
 *	upload UPLOADID		(printable, no spaces)
 *	plan BASE TIER SHIFT MAXPARTS	(partplan.h)
 *	checksum none|crc32c|crc64nvme|sha256
 *	size BYTES|-		(input size when known)
 *	part N SIZE MD5HEX ETAG CHECKSUM|-
 *	...
 *
 * A later line for the same part replaces the earlier one. A last line
 * without its newline is a write torn by a crash and is ignored.
 * The file is untrusted input: resume_parse is a stateless parser over
 * a byte span with hard limits (RESUME_FILE_MAX bytes, lines of
 * RESUME_LINE_MAX, part numbers up to max parts).
 */
#ifndef RESUME_H
#define RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define RESUME_FILE_MAX		(8u << 20)
#define RESUME_LINE_MAX		2048
#define RESUME_MAX_PARTS	10000u
#define RESUME_BUCKET_MAX	64	/* 63 + NUL */
#define RESUME_KEY_MAX		1025	/* 1024 + NUL */
#define RESUME_UPLOAD_MAX	1024
#define RESUME_ETAG_MAX		128
#define RESUME_CKSUM_MAX	64	/* base64 of up to 32 bytes + NUL */

struct resume_part {
	int		done;
	uint64_t	size;
	uint8_t		md5[16];
	char		etag[RESUME_ETAG_MAX];		/* quoted, as sent */
	char		checksum[RESUME_CKSUM_MAX];	/* base64 or "" */
};

struct resume_state {
	char		bucket[RESUME_BUCKET_MAX];
	char		key[RESUME_KEY_MAX];
	char		upload_id[RESUME_UPLOAD_MAX];
	uint64_t	base;
	unsigned	tier, shift, max_parts;
	char		checksum[16];	/* "none" or an algorithm */
	int		has_size;
	uint64_t	size;
	/* max_parts entries, part n at parts[n - 1]; owned */
	struct resume_part *parts;
	unsigned	ndone;
};

/* Free parts; the struct may be reused after resume_state_init. */
void	resume_state_init(struct resume_state *);
void	resume_state_free(struct resume_state *);

/*
 * Parse len bytes. 0 with st filled (parts allocated), or -1 with err:
 * ERR_FORMAT (malformed, with the line number), ERR_LIMIT (too large),
 * ERR_NOMEM. st needs resume_state_free either way.
 */
int	resume_parse(const char *buf, size_t len, struct resume_state *st,
	    struct err *);

/* Read and parse path. -1 with err (ERR_IO errnum ENOENT: no file). */
int	resume_load(const char *path, struct resume_state *st, struct err *);

/* An open state file being appended to. */
struct resume_file;

/*
 * Write the header of st (its parts are not written) atomically to
 * path, replacing any file there, and open it for appending.
 */
struct resume_file *resume_create(const char *path,
	    const struct resume_state *st, struct err *);
/* Open an existing state file for appending. */
struct resume_file *resume_append(const char *path, struct err *);

/*
 * Append the record of part n and fdatasync. Not thread-safe: callers
 * serialise. 0, or -1 with err (ERR_IO).
 */
int	resume_add_part(struct resume_file *, unsigned n,
	    const struct resume_part *, struct err *);

/* Close; NULL allowed. */
void	resume_close(struct resume_file *);

/* Remove path (after success). 0, or -1 with err; a missing file is 0. */
int	resume_remove(const char *path, struct err *);

#endif
