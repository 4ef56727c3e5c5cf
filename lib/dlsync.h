/*
 * dlsync.h: download every object under a prefix into a directory,
 * skipping files that are already current (s3get -r).
 *
 * The prefix is a directory: "data" and "data/" both mean the keys
 * under "data/"; the part after it is the file's path under dir
 * (parent directories made as needed). Keys ending in '/' (directory
 * markers) are ignored; keys whose relative path is empty or has "",
 * "." or ".." components are refused (counted as failed), so a listing
 * cannot write outside dir.
 *
 * A file is current when its size equals the object's and its ETag
 * does: the ETag is kept in the extended attribute user.s3get.etag of
 * every file we write; without it (another tool wrote the file, or the
 * file system has no user xattrs) a plain (single-PUT) ETag is checked
 * against the file's md5, and a multipart one means download again.
 *
 * Objects of at most part_size bytes go jobs files at a time (one GET
 * each); larger ones one at a time, jobs ranges at once. Each file is
 * written under FILE.part and renamed when complete (dlfile.h).
 */
#ifndef DLSYNC_H
#define DLSYNC_H

#include <stdint.h>

#include "err.h"
#include "progress.h"
#include "s3.h"

#define DLSYNC_XATTR	"user.s3get.etag"
#define DLSYNC_MAX_KEYS	10000000	/* entries kept from one listing */

struct dlsync_stats {
	uint64_t	listed, downloaded, skipped, failed;
};

/*
 * Sync bucket/prefix into dir. log (optional) gets one line per failed
 * file (the others go on). 0 when every file is current at the end;
 * -1 with err: the listing failed, or "N of M files failed" (kind
 * ERR_TRANSIENT when every failure was transient, else ERR_REMOTE or
 * the kind of the failure).
 */
int	dlsync_run(struct s3_client *, const char *bucket, const char *prefix,
	    const char *dir, unsigned jobs, uint64_t part_size,
	    struct progress *, void (*log)(void *, const char *), void *log_arg,
	    struct dlsync_stats *, struct err *);

#endif
