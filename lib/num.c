#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

int
num_parse(const char *s, long long min, long long max, long long *out,
    struct err *e)
{
	char *end;
	long long v;

	if (*s == '\0' || (min >= 0 && (*s == '-' || *s == '+')))
		return err_set(e, ERR_USAGE, "invalid number '%s'", s);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		return err_set(e, ERR_USAGE, "invalid number '%s'", s);
	if (errno == ERANGE || v < min || v > max)
		return err_set(e, ERR_USAGE, "'%s' out of range %lld..%lld",
		    s, min, max);
	*out = v;
	return 0;
}

int
num_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    struct err *e)
{
	static const char units[] = "KMGTPE";
	const char *p;
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return err_set(e, ERR_USAGE, "invalid size '%s'", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno == ERANGE)
		return err_set(e, ERR_USAGE, "invalid size '%s'", s);
	if (*end != '\0') {
		p = strchr(units, end[0] & ~0x20);
		if (p == NULL || end[0] == '\0')
			return err_set(e, ERR_USAGE, "invalid size suffix in '%s'"
			    " (use K, M, G or T)", s);
		shift = 10 * (unsigned)(p - units + 1);
		end++;
		if ((end[0] == 'i' && (end[1] == 'B' || end[1] == 'b') &&
		    end[2] == '\0'))
			end += 2;
		else if ((end[0] == 'B' || end[0] == 'b') && end[1] == '\0')
			end++;
		if (*end != '\0')
			return err_set(e, ERR_USAGE, "invalid size '%s'", s);
	}
	if (shift && v > (UINT64_MAX >> shift))
		return err_set(e, ERR_USAGE, "size '%s' too large", s);
	v <<= shift;
	if (v < min || v > max)
		return err_set(e, ERR_USAGE, "size '%s' out of range %llu..%llu",
		    s, (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int
num_parse_duration(const char *s, uint64_t max_ms, uint64_t *out_ms,
    struct err *e)
{
	char *end;
	double v, mul = 1000;

	if ((*s < '0' || *s > '9') && *s != '.')
		return err_set(e, ERR_USAGE, "invalid duration '%s'", s);
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE)
		return err_set(e, ERR_USAGE, "invalid duration '%s'", s);
	if (strcmp(end, "ms") == 0)
		mul = 1;
	else if (strcmp(end, "s") == 0 || *end == '\0')
		mul = 1000;
	else if (strcmp(end, "m") == 0)
		mul = 60e3;
	else if (strcmp(end, "h") == 0)
		mul = 3600e3;
	else if (strcmp(end, "d") == 0)
		mul = 86400e3;
	else
		return err_set(e, ERR_USAGE, "invalid duration suffix in '%s'"
		    " (use ms, s, m, h or d)", s);
	v *= mul;
	if (!(v >= 0) || v > (double)max_ms)
		return err_set(e, ERR_USAGE, "duration '%s' out of range", s);
	*out_ms = (uint64_t)v;
	return 0;
}
