#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define SB_DEFAULT_MAX	((size_t)64 << 20)

void
sb_init(struct strbuf *sb, size_t max)
{
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->max = max ? max : SB_DEFAULT_MAX;
	sb->failed = 0;
}

/* Make room for n more bytes plus a NUL. 0 or -1 (sticky). */
static int
sb_grow(struct strbuf *sb, size_t n)
{
	size_t need, ncap;
	char *p;

	if (sb->failed)
		return -1;
	if (n > sb->max - sb->len) {
		sb->failed = 2;
		return -1;
	}
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return 0;
	ncap = sb->cap ? sb->cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if ((p = realloc(sb->data, ncap)) == NULL) {
		sb->failed = 1;
		return -1;
	}
	sb->data = p;
	sb->cap = ncap;
	return 0;
}

void
sb_add(struct strbuf *sb, const void *p, size_t n)
{
	if (sb_grow(sb, n) != 0)
		return;
	if (n > 0)
		memcpy(sb->data + sb->len, p, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, int c)
{
	char ch = (char)c;

	sb_add(sb, &ch, 1);
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = 1;
		return;
	}
	if (sb_grow(sb, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void
sb_addhex(struct strbuf *sb, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = p;
	size_t i;

	if (n > SIZE_MAX / 2 || sb_grow(sb, 2 * n) != 0) {
		sb->failed = sb->failed ? sb->failed : 1;
		return;
	}
	for (i = 0; i < n; i++) {
		sb->data[sb->len++] = hex[u[i] >> 4];
		sb->data[sb->len++] = hex[u[i] & 15];
	}
	sb->data[sb->len] = '\0';
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = 0;
	if (sb->data != NULL)
		sb->data[0] = '\0';
}

const char *
sb_cstr(struct strbuf *sb)
{
	return sb->data != NULL ? sb->data : "";
}

int
sb_error(const struct strbuf *sb, const char *what, struct err *e)
{
	if (sb->failed == 0)
		return 0;
	if (sb->failed == 2)
		return err_set(e, ERR_LIMIT, "%s: longer than %zu bytes", what,
		    sb->max);
	return err_set(e, ERR_NOMEM, "%s: out of memory", what);
}

void
sb_free(struct strbuf *sb)
{
	if (sb->data != NULL) {
		explicit_bzero(sb->data, sb->cap);
		free(sb->data);
	}
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->failed = 0;
}

char *
sb_take(struct strbuf *sb, size_t *lenp)
{
	char *p;

	if (sb->failed) {
		sb_free(sb);
		return NULL;
	}
	if (sb->data == NULL && (sb->data = calloc(1, 1)) == NULL)
		return NULL;
	p = sb->data;
	if (lenp != NULL)
		*lenp = sb->len;
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
	return p;
}
