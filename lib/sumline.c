#include <string.h>

#include "sumline.h"

static int
ishex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

int
sumline_parse(char *line, struct sumline *out)
{
	char *p = line, *r, *w;
	int escaped = 0;

	if (*p == '\\') {
		escaped = 1;
		p++;
	}
	out->hash = p;
	while (ishex(*p))
		p++;
	if (p == out->hash)
		return -1;
	if (*p == '-') {		/* multipart ETag "-N" */
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	out->hash_len = (size_t)(p - out->hash);
	if (p[0] != ' ' || (p[1] != ' ' && p[1] != '*') || p[2] == '\0')
		return -1;
	out->binary = p[1] == '*';
	out->name = p + 2;
	if (!escaped)
		return 0;
	for (r = w = out->name; *r; r++, w++) {
		if (*r != '\\') {
			*w = *r;
			continue;
		}
		r++;
		if (*r == '\\')
			*w = '\\';
		else if (*r == 'n')
			*w = '\n';
		else
			return -1;
	}
	*w = '\0';
	return 0;
}

int
sumline_needs_escape(const char *name)
{
	return strpbrk(name, "\\\n") != NULL;
}

long
sumline_escape(const char *name, char *out, size_t cap)
{
	size_t n = 0;

	for (; *name; name++) {
		if (*name == '\\' || *name == '\n') {
			if (n + 2 >= cap)
				return -1;
			out[n++] = '\\';
			out[n++] = *name == '\n' ? 'n' : '\\';
		} else {
			if (n + 1 >= cap)
				return -1;
			out[n++] = *name;
		}
	}
	if (n >= cap)
		return -1;
	out[n] = '\0';
	return (long)n;
}
