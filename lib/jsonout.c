/*
 * jsonout.c: JSON string literals on a stdio stream (jsonout.h).
 */
#include "jsonout.h"

void
jsonout_chars(FILE *f, const char *s)
{
	unsigned char c;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
}

void
jsonout_str(FILE *f, const char *s)
{
	putc('"', f);
	jsonout_chars(f, s);
	putc('"', f);
}
