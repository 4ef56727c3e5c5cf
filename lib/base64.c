#include <string.h>

#include "base64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_encode(const uint8_t *p, size_t len, char *out)
{
	uint32_t v;

	for (; len >= 3; len -= 3, p += 3) {
		v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		*out++ = alphabet[v >> 18];
		*out++ = alphabet[(v >> 12) & 63];
		*out++ = alphabet[(v >> 6) & 63];
		*out++ = alphabet[v & 63];
	}
	if (len > 0) {
		v = (uint32_t)p[0] << 16 | (len > 1 ? (uint32_t)p[1] << 8 : 0);
		*out++ = alphabet[v >> 18];
		*out++ = alphabet[(v >> 12) & 63];
		*out++ = len > 1 ? alphabet[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

static int
val(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(alphabet, c)) == NULL)
		return -1;
	return (int)(p - alphabet);
}

long
base64_decode(const char *s, size_t slen, uint8_t *out, size_t cap)
{
	size_t i, n = 0;
	int a, b, c, d;

	if (slen % 4 != 0)
		return -1;
	for (i = 0; i < slen; i += 4) {
		a = val(s[i]);
		b = val(s[i + 1]);
		if (a < 0 || b < 0)
			return -1;
		if (s[i + 2] == '=') {
			if (i + 4 != slen || s[i + 3] != '=' || (b & 15))
				return -1;
			if (n + 1 > cap)
				return -1;
			out[n++] = (uint8_t)(a << 2 | b >> 4);
			break;
		}
		c = val(s[i + 2]);
		if (c < 0)
			return -1;
		if (s[i + 3] == '=') {
			if (i + 4 != slen || (c & 3) || n + 2 > cap)
				return -1;
			out[n++] = (uint8_t)(a << 2 | b >> 4);
			out[n++] = (uint8_t)(b << 4 | c >> 2);
			break;
		}
		d = val(s[i + 3]);
		if (d < 0 || n + 3 > cap)
			return -1;
		out[n++] = (uint8_t)(a << 2 | b >> 4);
		out[n++] = (uint8_t)(b << 4 | c >> 2);
		out[n++] = (uint8_t)(c << 6 | d);
	}
	return (long)n;
}
