#include <string.h>
#include <strings.h>

#include "ini.h"

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trim s[0..*n) in place (pointer and length). */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && blank((unsigned char)s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && blank((unsigned char)s[*n - 1]))
		(*n)--;
	return s;
}

/*
 * Walk lines; for key lines in the wanted section call back with the
 * value. Returns 1 if the section was seen.
 */
static int
scan(const char *text, size_t len, const char *section, const char *key,
    const char **val, size_t *vlen)
{
	const char *p = text, *end = text + len, *nl, *s, *eq;
	size_t n, kn;
	int in = 0, seen = 0;

	*val = NULL;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			/* continuation / nested setting: never top level */
		} else {
			s = trim(p, &n);
			if (n == 0 || s[0] == '#' || s[0] == ';') {
				/* comment or blank */
			} else if (s[0] == '[') {
				const char *close = memchr(s, ']', n);

				in = 0;
				if (close != NULL) {
					size_t sn = (size_t)(close - s - 1);
					const char *nm = trim(s + 1, &sn);

					in = strlen(section) == sn &&
					    memcmp(nm, section, sn) == 0;
					seen |= in;
				}
			} else if (in && key != NULL &&
			    (eq = memchr(s, '=', n)) != NULL) {
				kn = (size_t)(eq - s);
				const char *k = trim(s, &kn);
				size_t vn = n - (size_t)(eq + 1 - s);
				const char *v = trim(eq + 1, &vn);

				if (kn == strlen(key) &&
				    strncasecmp(k, key, kn) == 0) {
					*val = v;
					*vlen = vn;
				}
			}
		}
		p = nl + 1;
	}
	return seen;
}

int
ini_get(const char *text, size_t len, const char *section, const char *key,
    char *out, size_t n)
{
	const char *v;
	size_t vn = 0;

	if (n > 0)
		out[0] = '\0';
	scan(text, len, section, key, &v, &vn);
	if (v == NULL)
		return 0;
	if (vn >= n)
		return -1;
	memcpy(out, v, vn);
	out[vn] = '\0';
	return 1;
}

int
ini_has_section(const char *text, size_t len, const char *section)
{
	const char *v;
	size_t vn;

	return scan(text, len, section, NULL, &v, &vn);
}
