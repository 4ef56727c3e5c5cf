/*
 * sumline.h: the "HASH  NAME" line format of md5sum and sha256sum,
 * shared by sum8m's output and its -c check mode.
 *
 * A name containing a backslash or newline is escaped (\\ and \n) and
 * the line starts with a backslash, as GNU coreutils does. The hash
 * field is hex, optionally followed by "-N" (S3 multipart ETag).
 */
#ifndef SUMLINE_H
#define SUMLINE_H

#include <stddef.h>

struct sumline {
	const char	*hash;		/* points into the line */
	size_t		hash_len;
	char		*name;		/* unescaped in place, NUL-terminated */
	int		binary;		/* '*' marker */
};

/*
 * Parse one line (without its newline; may be modified in place).
 * Accepts "HASH  NAME" and "HASH *NAME". Returns 0, or -1 when the line
 * is not properly formatted.
 */
int	sumline_parse(char *line, struct sumline *);

/* 1 when name needs escaping (and the line a leading backslash). */
int	sumline_needs_escape(const char *name);

/*
 * Escape name into out (capacity cap): returns the length written
 * without the NUL, or -1 if it does not fit.
 */
long	sumline_escape(const char *name, char *out, size_t cap);

#endif
