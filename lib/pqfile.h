/*
 * pqfile.h: find and decode the footer of a Parquet file, reading only
 * its end.
 *
 * A Parquet file ends with: FileMetaData (Thrift), its length as a
 * 4-byte little-endian integer, and the magic "PAR1" ("PARE" when the
 * footer is encrypted, which we do not support). Two ways in:
 *
 *  - pq_parse_tail(): the caller already holds the last bytes of the
 *    file (e.g. one suffix-range GET "bytes=-65536" on S3, whose
 *    Content-Range gives the size). Returns 0 with the metadata, or -2
 *    with the absolute offset the footer starts at when it begins before
 *    the bytes given: the caller fetches [need_off, file_size - tail_len)
 *    (one ranged GET), puts it in front of the tail, and calls again
 *    with the joined buffer, which then succeeds or fails for good.
 *  - pq_read(): over a random-access source (pread-like callback):
 *    reads min(size, PQ_TAIL_READ) bytes from the end, then, only if the
 *    footer is larger, exactly the missing front part. pq_read_fd() is
 *    that for a local file descriptor.
 *
 * Errors (-1, struct err; messages do not name the file, the caller
 * prefixes it):
 *  ERR_FORMAT       not Parquet (no trailing magic), truncated file
 *                   (pq_read: begins with PAR1 but does not end with
 *                   it, or too short), footer length zero or larger
 *                   than the file, corrupt Thrift ("corrupt footer: ...")
 *  ERR_UNSUPPORTED  encrypted footer (PARE)
 *  ERR_LIMIT        footer larger than lim->max_footer, or a decode limit
 *  ERR_IO           the source failed (pq_read only)
 *  ERR_NOMEM
 */
#ifndef PQFILE_H
#define PQFILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "parquet.h"

#define PQ_TAIL_READ	(64u << 10)	/* first read from the end */
#define PQ_TRAILER	8		/* footer length + magic */

/*
 * Check the trailing 8 bytes (trailer) of a file of file_size bytes and
 * return the footer's absolute offset and length. lim may be NULL.
 */
int	pq_footer_locate(const uint8_t trailer[PQ_TRAILER], uint64_t file_size,
	    const struct pq_limits *lim, uint64_t *footer_off,
	    uint32_t *footer_len, struct err *e);

/*
 * Decode from tail[0..tail_len), the last tail_len bytes of a file of
 * file_size bytes (tail_len <= file_size, tail_len >= 8 unless the file
 * is shorter). Returns 0 and *out (strings point into tail, which must
 * outlive *out; the meta does not own it), -2 with *need_off set (see
 * above), or -1.
 */
int	pq_parse_tail(const uint8_t *tail, size_t tail_len, uint64_t file_size,
	    const struct pq_limits *lim, struct pq_meta **out,
	    uint64_t *need_off, struct err *e);

/* A random-access byte source of known size. */
struct pq_source {
	/*
	 * Read exactly len bytes at offset off into buf: 0, or -1 with err
	 * (a short read is an error: the file changed under us).
	 */
	int		(*pread)(void *ctx, void *buf, size_t len, uint64_t off,
			    struct err *e);
	void		*ctx;
	uint64_t	 size;
};

/* What pq_read did, for benchmarks and -v output. */
struct pq_read_stats {
	uint64_t	 file_size;	/* the source's size */
	uint64_t	 bytes_read;
	unsigned	 reads;
};

/*
 * Read and decode the footer of src. On success *out owns its buffer
 * (pq_meta_free releases both). st may be NULL; it is filled in on
 * failure too.
 */
int	pq_read(const struct pq_source *src, const struct pq_limits *lim,
	    struct pq_meta **out, struct pq_read_stats *st, struct err *e);

/* pq_read on an open file descriptor (size from fstat, pread). */
int	pq_read_fd(int fd, const struct pq_limits *lim, struct pq_meta **out,
	    struct pq_read_stats *st, struct err *e);

#endif
