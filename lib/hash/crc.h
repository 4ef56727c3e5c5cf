/*
 * crc.h: CRC-32C (Castagnoli) and CRC-64/NVME, the checksums S3 carries
 * in x-amz-checksum-crc32c and x-amz-checksum-crc64nvme.
 *
 * Both are reflected CRCs with all-ones init and xorout. The update
 * functions chain like zlib's crc32(): start with 0, feed pieces in
 * order, the return value after the last piece is the checksum.
 *	crc32c_update(0, "123456789", 9)    == 0xE3069283
 *	crc64nvme_update(0, "123456789", 9) == 0xAE8B14860A799888
 *
 * Kernels: carry-less multiply folding (PCLMULQDQ) when the CPU has
 * it, slicing-by-8 tables otherwise; chosen at run time, identical
 * results. All functions are thread-safe after the first call returns.
 */
#ifndef HASH_CRC_H
#define HASH_CRC_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c_update(uint32_t crc, const void *, size_t);
uint64_t crc64nvme_update(uint64_t crc, const void *, size_t);

/*
 * Checksum of A || B from crc(A), crc(B) and len(B), for checksums of
 * parts computed in parallel. O(log len) work.
 */
uint32_t crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);
uint64_t crc64nvme_combine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b);

/*
 * Kernel in use: "pclmul" or "portable". crc_select("portable") forces
 * the tables, "auto" restores detection. 0, or -1 if unavailable. Call
 * before starting threads.
 */
const char *crc_impl(void);
int	crc_select(const char *);

#endif
