/*
 * jsonout.h: JSON string literals written to a caller's stdio stream,
 * for the --json lines of the command-line tools.
 *
 * These functions only write to the FILE * they are given (never to
 * stdout/stderr on their own); stream errors are left in the stream
 * (ferror) for the caller's final check.
 */
#ifndef JSONOUT_H
#define JSONOUT_H

#include <stdio.h>

/*
 * The bytes of the NUL-terminated s as the inside of a JSON string (no
 * quotes): '"' and '\\' get a backslash, bytes below 0x20 become
 * \u00XX, every other byte is written as it is (UTF-8 is not checked).
 */
void	jsonout_chars(FILE *, const char *s);

/* s as a JSON string literal: jsonout_chars between double quotes. */
void	jsonout_str(FILE *, const char *s);

#endif
