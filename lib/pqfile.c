/*
 * pqfile.c: locate the Parquet footer from the end of a file and decode
 * it (see pqfile.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fdio.h"
#include "pqfile.h"

static const uint8_t magic[4] = { 'P', 'A', 'R', '1' };
static const uint8_t magic_enc[4] = { 'P', 'A', 'R', 'E' };

int
pq_footer_locate(const uint8_t trailer[PQ_TRAILER], uint64_t file_size,
    const struct pq_limits *lim, uint64_t *footer_off, uint32_t *footer_len,
    struct err *e)
{
	struct pq_limits l = pq_limits_resolve(lim);
	uint32_t len;

	if (file_size < PQ_TRAILER)
		return err_set(e, ERR_FORMAT, "not a Parquet file (only %llu "
		    "bytes)", (unsigned long long)file_size);
	if (memcmp(trailer + 4, magic_enc, 4) == 0)
		return err_set(e, ERR_UNSUPPORTED, "encrypted footer (PARE "
		    "magic): encrypted Parquet files are not supported");
	if (memcmp(trailer + 4, magic, 4) != 0)
		return err_set(e, ERR_FORMAT, "not a Parquet file (no PAR1 "
		    "magic at the end)");
	len = (uint32_t)trailer[0] | (uint32_t)trailer[1] << 8 |
	    (uint32_t)trailer[2] << 16 | (uint32_t)trailer[3] << 24;
	if (len == 0)
		return err_set(e, ERR_FORMAT, "footer length is zero");
	/* Leading magic + footer + trailer must fit. */
	if ((uint64_t)len + PQ_TRAILER + 4 > file_size)
		return err_set(e, ERR_FORMAT, "footer length %u larger than "
		    "the file (%llu bytes)", len,
		    (unsigned long long)file_size);
	if (len > l.max_footer)
		return err_set(e, ERR_LIMIT, "footer length %u exceeds the "
		    "limit of %llu bytes", len,
		    (unsigned long long)l.max_footer);
	*footer_off = file_size - PQ_TRAILER - len;
	*footer_len = len;
	return 0;
}

int
pq_parse_tail(const uint8_t *tail, size_t tail_len, uint64_t file_size,
    const struct pq_limits *lim, struct pq_meta **out, uint64_t *need_off,
    struct err *e)
{
	uint64_t off, tail_off;
	uint32_t len;

	*out = NULL;
	if (tail_len > file_size)
		return err_set(e, ERR_USAGE, "tail longer than the file");
	tail_off = file_size - tail_len;
	if (tail_len < PQ_TRAILER) {
		if (file_size >= PQ_TRAILER) {
			*need_off = file_size - PQ_TRAILER;
			return -2;
		}
		return err_set(e, ERR_FORMAT, "not a Parquet file (only %llu "
		    "bytes)", (unsigned long long)file_size);
	}
	if (pq_footer_locate(tail + tail_len - PQ_TRAILER, file_size, lim,
	    &off, &len, e) != 0)
		return -1;
	if (off < tail_off) {
		*need_off = off;
		return -2;
	}
	if (pq_meta_decode(tail + (off - tail_off), len, lim, out, e) != 0)
		return e->kind == ERR_FORMAT ? err_prefix(e, "corrupt footer") :
		    -1;
	return 0;
}

/*
 * After a failure: when the file does not end in a magic but begins with
 * PAR1, it was cut short; say so instead of "not a Parquet file".
 */
static void
classify(const struct pq_source *src, const uint8_t *tail, size_t tail_len,
    struct pq_read_stats *st, struct err *e)
{
	uint8_t head[4];
	struct err ignore;
	size_t n;

	if (tail_len >= PQ_TRAILER && (memcmp(tail + tail_len - 4, magic,
	    4) == 0 || memcmp(tail + tail_len - 4, magic_enc, 4) == 0))
		return;
	n = src->size < 4 ? (size_t)src->size : 4;
	if (n == 0)
		return;
	if (tail_len == src->size)
		memcpy(head, tail, n);
	else if (src->pread(src->ctx, head, n, 0, &ignore) != 0)
		return;
	else {
		st->reads++;
		st->bytes_read += n;
	}
	if (memcmp(head, magic, n) == 0)
		err_set(e, ERR_FORMAT, "truncated file (%llu bytes): it "
		    "begins with PAR1 but lacks the footer and trailing "
		    "magic", (unsigned long long)src->size);
}

int
pq_read(const struct pq_source *src, const struct pq_limits *lim,
    struct pq_meta **out, struct pq_read_stats *st, struct err *e)
{
	struct pq_read_stats dummy;
	uint8_t *buf, *big;
	uint64_t need_off;
	size_t n, total;
	int rc;

	if (st == NULL)
		st = &dummy;
	st->file_size = src->size;
	st->bytes_read = 0;
	st->reads = 0;
	*out = NULL;
	n = src->size < PQ_TAIL_READ ? (size_t)src->size : PQ_TAIL_READ;
	if ((buf = malloc(n ? n : 1)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	if (n > 0) {
		if (src->pread(src->ctx, buf, n, src->size - n, e) != 0)
			goto fail;
		st->reads++;
		st->bytes_read += n;
	}
	rc = pq_parse_tail(buf, n, src->size, lim, out, &need_off, e);
	if (rc == -2) {
		/* need_off < size - n: fetch only the missing front. */
		total = (size_t)(src->size - need_off);
		if ((big = malloc(total)) == NULL) {
			err_set(e, ERR_NOMEM, "out of memory (%zu bytes)",
			    total);
			goto fail;
		}
		memcpy(big + total - n, buf, n);
		free(buf);
		buf = big;
		if (src->pread(src->ctx, buf, total - n, need_off, e) != 0)
			goto fail;
		st->reads++;
		st->bytes_read += total - n;
		n = total;
		rc = pq_parse_tail(buf, total, src->size, lim, out, &need_off,
		    e);
		if (rc == -2)
			rc = err_set(e, ERR_FORMAT, "file changed while read");
	}
	if (rc != 0) {
		if (e->kind == ERR_FORMAT)
			classify(src, buf, n, st, e);
		goto fail;
	}
	(*out)->owned = buf;
	return 0;
fail:
	free(buf);
	return -1;
}

static int
fd_source_pread(void *ctx, void *buf, size_t len, uint64_t off,
    struct err *e)
{
	int fd = *(int *)ctx;
	ssize_t n;

	if (off > INT64_MAX)
		return err_set(e, ERR_IO, "offset out of range");
	n = fd_pread_full(fd, buf, len, (off_t)off);
	if (n < 0)
		return err_sys(e, errno, "read");
	if ((size_t)n != len)
		return err_set(e, ERR_FORMAT, "file shrank while being read");
	return 0;
}

int
pq_read_fd(int fd, const struct pq_limits *lim, struct pq_meta **out,
    struct pq_read_stats *st, struct err *e)
{
	struct pq_source src;
	struct stat sb;

	*out = NULL;
	if (st != NULL)
		memset(st, 0, sizeof(*st));
	if (fstat(fd, &sb) != 0)
		return err_sys(e, errno, "stat");
	if (!S_ISREG(sb.st_mode))
		return err_set(e, ERR_USAGE, "not a regular file");
	src.pread = fd_source_pread;
	src.ctx = &fd;
	src.size = (uint64_t)sb.st_size;
	return pq_read(&src, lim, out, st, e);
}
