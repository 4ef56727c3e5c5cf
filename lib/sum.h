/*
 * sum.h: checksum a file descriptor in 8 MiB reads, using both cores
 * where the algorithm allows.
 *
 * Regular files: etag parts and CRC segments are hashed by parallel
 * workers, each reading its own ranges with pread (CRC segments are
 * joined with crc*_combine). Pipes, stdin and tee mode: one reader
 * thread (which also copies to tee_fd) feeding hashing threads through a
 * bounded pool of chunk buffers; etag parts alternate between workers.
 * Memory: at most SUM_MAX_BUFFERS chunk buffers.
 */
#ifndef SUM_H
#define SUM_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "hash/etag.h"

enum sum_alg {
	SUM_MD5,
	SUM_ETAG,	/* S3 ETag for a part size */
	SUM_CRC32C,
	SUM_CRC64NVME,
	SUM_SHA256
};

#define SUM_DEFAULT_CHUNK	(8u << 20)
#define SUM_DEFAULT_PART	(8u << 20)
#define SUM_MAX_BUFFERS		16
#define SUM_TEXT_MAX		(ETAG_STR_MAX > 65 ? ETAG_STR_MAX : 65)

/* "md5", "etag", "crc32c", "crc64nvme", "sha256". 0 or -1. */
int	sum_alg_parse(const char *, enum sum_alg *);
const char *sum_alg_name(enum sum_alg);

struct sum_opts {
	enum sum_alg	alg;
	uint64_t	part_size;	/* etag; 0 = SUM_DEFAULT_PART */
	int		force_multipart; /* etag: "-N" form even for 1 part */
	int		tee_fd;		/* -1, or copy every byte read here */
	unsigned	threads;	/* 0 = online CPUs (at most 8) */
	size_t		chunk_size;	/* 0 = SUM_DEFAULT_CHUNK */
};

/* Defaults: md5, no tee. */
void	sum_opts_init(struct sum_opts *);

struct sum_result {
	uint8_t		digest[32];	/* CRCs big-endian, as S3 sends them */
	size_t		digest_len;
	uint64_t	size;		/* bytes read */
	uint64_t	parts;		/* etag: N of "-N", 0 for plain md5 */
	char		text[SUM_TEXT_MAX]; /* hex; "hex-N" for multipart */
};

/*
 * Read fd to end of file and checksum it. Returns 0, or -1 with err:
 * ERR_IO for read errors (and tee write errors, EPIPE included),
 * ERR_NOMEM. fd is not closed. Not async-signal-safe.
 */
int	sum_fd(int fd, const struct sum_opts *, struct sum_result *,
	    struct err *);

/* Base64 of the digest into out (at least 45 bytes). */
void	sum_base64(const struct sum_result *, char *out);

#endif
