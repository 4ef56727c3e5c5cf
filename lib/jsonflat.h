/*
 * jsonflat.h: read string members of one flat JSON object, as the
 * EC2 instance metadata service and the ECS/EKS container credential
 * endpoints send them.
 *
 * Pure and strict: the whole text must be one JSON object; nested
 * objects and arrays are skipped (depth at most 16), escapes are
 * decoded (\uXXXX to UTF-8, surrogate pairs joined). Anything else is
 * an error.
 */
#ifndef JSONFLAT_H
#define JSONFLAT_H

#include <stddef.h>

/*
 * Find the top-level member name whose value is a string: 1 with the
 * decoded value in out (NUL-terminated), 0 when absent or not a string,
 * -1 when the text is not valid JSON or the value does not fit in n.
 */
int	jsonflat_get(const char *text, size_t len, const char *name,
	    char *out, size_t n);

#endif
