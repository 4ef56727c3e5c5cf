/*
 * dlfile.h: the output file of a download (-o FILE), written under a
 * temporary name and renamed only after success, with a resume record.
 *
 *   FILE.part        the bytes so far (never looks complete: other name)
 *   FILE.part.s3get  the record: source URL, first byte of the wanted
 *                    range, object ETag and size, written (atomically,
 *                    by rename) before the first byte of data
 *
 * A later run with resume continues FILE.part from its length when the
 * record names the same source and range start; the caller then checks
 * that the object still has the recorded ETag and size.
 */
#ifndef DLFILE_H
#define DLFILE_H

#include <stdint.h>

#include "err.h"
#include "s3.h"

struct dlfile {
	char		*path;		/* FILE */
	char		*part;		/* FILE.part */
	char		*rec;		/* FILE.part.s3get */
	int		 fd;		/* FILE.part, open for writing */
	uint64_t	 have;		/* bytes kept from an earlier run */
	char		 etag[S3_ETAG_MAX];	/* from the record */
	uint64_t	 size;			/* from the record */
};

/*
 * Open FILE.part. With resume and a record for the same url and start,
 * keep its bytes (have = its length; etag and size from the record);
 * otherwise start empty. The fd is positioned at the end of the kept
 * bytes. 0 or -1 with err (ERR_IO).
 */
int	dlfile_open(struct dlfile *, const char *path, const char *url,
	    uint64_t start, int resume, struct err *);

/* Drop the kept bytes: truncate to 0, have = 0. */
int	dlfile_restart(struct dlfile *, struct err *);

/* Write the record for url/start and obj (atomic replace). */
int	dlfile_record(struct dlfile *, const char *url, uint64_t start,
	    const struct s3_object *, struct err *);

/*
 * Success: fsync, close, rename FILE.part to FILE, remove the record,
 * free. -1 with err (then as dlfile_keep).
 */
int	dlfile_commit(struct dlfile *, struct err *);

/* Failure, resumable: close and free, leaving part and record. */
void	dlfile_keep(struct dlfile *);

/* Failure, not resumable: close, remove part and record, free. */
void	dlfile_discard(struct dlfile *);

#endif
