/*
 * ini.h: lookups in AWS-style INI text (~/.aws/config, credentials).
 *
 * Pure: works on text the caller read. Sections are "[name]" (spaces
 * around the name ignored); "key = value" lines; '#' and ';' start
 * comment lines; indented lines continue the previous key (AWS nested
 * settings such as "s3 =\n  max_concurrent_requests = 20") and are never
 * matched as top-level keys. Keys compare case-insensitively, section
 * names exactly. The last occurrence of a key wins, also across
 * repeated sections of the same name (botocore merges them).
 */
#ifndef INI_H
#define INI_H

#include <stddef.h>

/*
 * Find key in section: 1 and the value (trimmed, truncated to n - 1)
 * in out, or 0 when absent (out set to ""). -1 when the value does not
 * fit in out (nothing copied).
 */
int	ini_get(const char *text, size_t len, const char *section,
	    const char *key, char *out, size_t n);

/* 1 if the section exists at all. */
int	ini_has_section(const char *text, size_t len, const char *section);

#endif
