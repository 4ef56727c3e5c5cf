/*
 * base64.h: RFC 4648 base64 with padding (Content-MD5 and the
 * x-amz-checksum-* headers carry digests this way).
 */
#ifndef BASE64_H
#define BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Encoded length of n bytes, without the NUL. */
#define BASE64_LEN(n)	((((n) + 2) / 3) * 4)

/* Encode len bytes into out (BASE64_LEN(len) + 1 bytes, NUL-terminated). */
void	base64_encode(const uint8_t *, size_t len, char *out);

/*
 * Decode a padded base64 string of slen chars into out (capacity cap).
 * Returns the decoded length, or -1 on bad characters, bad padding or
 * insufficient capacity.
 */
long	base64_decode(const char *, size_t slen, uint8_t *out, size_t cap);

#endif
