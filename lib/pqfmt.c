/*
 * pqfmt.c: enum names and typed rendering of Parquet statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqfmt.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *
lookup(const char *const *names, size_t n, int32_t v)
{
	if (v < 0 || (size_t)v >= n)
		return NULL;
	return names[v];
}

const char *
pq_type_name(int32_t v)
{
	static const char *const n[] = { "BOOLEAN", "INT32", "INT64", "INT96",
	    "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_repetition_name(int32_t v)
{
	static const char *const n[] = { "REQUIRED", "OPTIONAL", "REPEATED" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_converted_name(int32_t v)
{
	static const char *const n[] = { "UTF8", "MAP", "MAP_KEY_VALUE",
	    "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS", "TIME_MICROS",
	    "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16",
	    "UINT_32", "UINT_64", "INT_8", "INT_16", "INT_32", "INT_64",
	    "JSON", "BSON", "INTERVAL" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_codec_name(int32_t v)
{
	static const char *const n[] = { "UNCOMPRESSED", "SNAPPY", "GZIP",
	    "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_encoding_name(int32_t v)
{
	static const char *const n[] = { "PLAIN", NULL, "PLAIN_DICTIONARY",
	    "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
	    "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY",
	    "BYTE_STREAM_SPLIT", "ALP" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_logical_name(int32_t v)
{
	static const char *const n[] = { NULL, "STRING", "MAP", "LIST",
	    "ENUM", "DECIMAL", "DATE", "TIME", "TIMESTAMP", NULL, "INTEGER",
	    "UNKNOWN", "JSON", "BSON", "UUID", "FLOAT16", "VARIANT",
	    "GEOMETRY", "GEOGRAPHY", "FILE" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_unit_name(int32_t v)
{
	static const char *const n[] = { NULL, "MILLIS", "MICROS", "NANOS" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_column_order_name(int32_t v)
{
	static const char *const n[] = { NULL, "TYPE_ORDER",
	    "IEEE_754_TOTAL_ORDER", "INT96_TIMESTAMP_ORDER" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_encryption_name(int32_t v)
{
	static const char *const n[] = { NULL, "AES_GCM_V1",
	    "AES_GCM_CTR_V1" };

	return lookup(n, NELEM(n), v);
}

const char *
pq_edge_algorithm_name(int32_t v)
{
	static const char *const n[] = { "SPHERICAL", "VINCENTY", "THOMAS",
	    "ANDOYER", "KARNEY" };

	return lookup(n, NELEM(n), v);
}

char *
pq_logical_format(const struct pq_logical *lt, char *buf, size_t cap)
{
	const char *name = pq_logical_name(lt->kind);
	const char *unit = pq_unit_name(lt->unit);

	if (name == NULL) {
		snprintf(buf, cap, "UNKNOWN_LOGICAL(%d)", (int)lt->kind);
		return buf;
	}
	switch (lt->kind) {
	case PQ_LT_DECIMAL:
		snprintf(buf, cap, "DECIMAL(%d,%d)", (int)lt->precision,
		    (int)lt->scale);
		break;
	case PQ_LT_TIME:
	case PQ_LT_TIMESTAMP:
		snprintf(buf, cap, "%s(%s,%s)", name, unit ? unit : "?",
		    lt->utc ? "UTC" : "local");
		break;
	case PQ_LT_INTEGER:
		snprintf(buf, cap, "INTEGER(%d,%s)", (int)lt->bit_width,
		    lt->is_signed ? "signed" : "unsigned");
		break;
	default:
		snprintf(buf, cap, "%s", name);
	}
	return buf;
}

int
pq_utf8_valid(const uint8_t *p, size_t len)
{
	size_t i = 0, n, k;
	uint32_t c;

	while (i < len) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, c &= 0x07;
		else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if ((n == 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
		    (n == 3 && (c < 0x10000 || c > 0x10ffff)))
			return 0;
		i += n + 1;
	}
	return 1;
}

static uint64_t
le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil(int64_t z, long long *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

static void
fmt_date(char *buf, int64_t days)
{
	long long y;
	unsigned m, d;

	civil(days, &y, &m, &d);
	snprintf(buf, PQ_VALUE_MAX, "%04lld-%02u-%02u", y, m, d);
}

/* Fraction digits and units per second for a TimeUnit. */
static int
unit_scale(int32_t unit, int64_t *per_sec)
{
	switch (unit) {
	case PQ_UNIT_MILLIS:
		*per_sec = 1000;
		return 3;
	case PQ_UNIT_MICROS:
		*per_sec = 1000000;
		return 6;
	case PQ_UNIT_NANOS:
		*per_sec = 1000000000;
		return 9;
	default:
		return -1;
	}
}

/* "HH:MM:SS.fff" for rem units of a day (0 <= rem). */
static int
fmt_clock(char *buf, size_t cap, int64_t rem, int64_t per_sec, int digits)
{
	int64_t secs = rem / per_sec;

	return snprintf(buf, cap, "%02lld:%02lld:%02lld.%0*lld",
	    (long long)(secs / 3600), (long long)(secs / 60 % 60),
	    (long long)(secs % 60), digits, (long long)(rem % per_sec));
}

static void
fmt_timestamp(char *buf, int64_t days, int64_t rem, int64_t per_sec,
    int digits, int utc)
{
	size_t n;

	fmt_date(buf, days);
	n = strlen(buf);
	buf[n++] = 'T';
	n += (size_t)fmt_clock(buf + n, PQ_VALUE_MAX - n, rem, per_sec,
	    digits);
	if (utc && n + 1 < PQ_VALUE_MAX) {
		buf[n++] = 'Z';
		buf[n] = '\0';
	}
}

static void
split_day(int64_t v, int64_t per_day, int64_t *days, int64_t *rem)
{
	*days = v / per_day;
	*rem = v % per_day;
	if (*rem < 0) {
		*rem += per_day;
		(*days)--;
	}
}

/*
 * Big-endian two's complement be[0..len) scaled by 10^-scale, exactly.
 * Returns 0, or -1 when len or scale is outside what fits buf.
 */
static int
fmt_decimal(char *buf, const uint8_t *be, size_t len, int32_t scale)
{
	uint8_t mag[32];
	char digits[80];
	size_t nd = 0, i, o = 0;
	unsigned rem, carry;
	int neg, nonzero;

	if (len == 0 || len > sizeof(mag) || scale < 0 || scale > 76)
		return -1;
	memcpy(mag, be, len);
	neg = (mag[0] & 0x80) != 0;
	if (neg) {
		carry = 1;
		for (i = len; i-- > 0;) {
			carry += (uint8_t)~mag[i];
			mag[i] = (uint8_t)carry;
			carry >>= 8;
		}
	}
	do {
		rem = 0;
		nonzero = 0;
		for (i = 0; i < len; i++) {
			rem = rem << 8 | mag[i];
			mag[i] = (uint8_t)(rem / 10);
			rem %= 10;
			nonzero |= mag[i];
		}
		digits[nd++] = (char)('0' + rem);
	} while (nonzero);
	while (nd <= (size_t)scale)
		digits[nd++] = '0';
	if (neg)
		buf[o++] = '-';
	for (i = nd; i-- > 0;) {
		buf[o++] = digits[i];
		if (i == (size_t)scale && scale > 0)
			buf[o++] = '.';
	}
	buf[o] = '\0';
	return 0;
}

static double
half_to_double(uint16_t h)
{
	int e = (h >> 10) & 0x1f;
	double m = h & 0x3ff, v;

	if (e == 0)
		v = ldexp(m, -24);
	else if (e == 31)
		v = m == 0 ? INFINITY : NAN;
	else
		v = ldexp(m + 1024, e - 25);
	return (h & 0x8000) ? -v : v;
}

/* Shortest %g text that reads back as the same float or double. */
static enum pq_vkind
fmt_float(char *buf, double v, int is_float)
{
	int p;

	if (isnan(v)) {
		snprintf(buf, PQ_VALUE_MAX, "NaN");
		return PQ_V_TEXT;
	}
	if (isinf(v)) {
		snprintf(buf, PQ_VALUE_MAX, v < 0 ? "-Infinity" : "Infinity");
		return PQ_V_TEXT;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(buf, PQ_VALUE_MAX, "%.*g", p, v);
		if (is_float ? (float)strtod(buf, NULL) == (float)v :
		    strtod(buf, NULL) == v)
			break;
	}
	return PQ_V_NUMBER;
}

static int
is_unsigned(const struct pq_schema_elem *se)
{
	if (se->logical.kind == PQ_LT_INTEGER)
		return !se->logical.is_signed;
	return (se->has & PQ_SE_CONVERTED) &&
	    se->converted_type >= PQ_CT_UINT_8 &&
	    se->converted_type <= PQ_CT_UINT_64;
}

/* Decimal scale of se, or -1 when it is no decimal. */
static int32_t
decimal_scale(const struct pq_schema_elem *se)
{
	if (se->logical.kind == PQ_LT_DECIMAL)
		return se->logical.scale;
	if ((se->has & PQ_SE_CONVERTED) && se->converted_type == PQ_CT_DECIMAL)
		return se->scale;
	return -1;
}

/* Time unit and UTC flag of a TIME/TIMESTAMP column; 0 for neither. */
static int
time_kind(const struct pq_schema_elem *se, int32_t *unit, int *utc)
{
	const struct pq_logical *lt = &se->logical;
	int32_t ct = (se->has & PQ_SE_CONVERTED) ? se->converted_type : -1;

	if (lt->kind == PQ_LT_TIME || lt->kind == PQ_LT_TIMESTAMP) {
		*unit = lt->unit;
		*utc = lt->utc;
		return lt->kind;
	}
	*utc = 1;
	switch (ct) {
	case PQ_CT_TIME_MILLIS:
	case PQ_CT_TIME_MICROS:
		*unit = ct == PQ_CT_TIME_MILLIS ? PQ_UNIT_MILLIS :
		    PQ_UNIT_MICROS;
		return PQ_LT_TIME;
	case PQ_CT_TIMESTAMP_MILLIS:
	case PQ_CT_TIMESTAMP_MICROS:
		*unit = ct == PQ_CT_TIMESTAMP_MILLIS ? PQ_UNIT_MILLIS :
		    PQ_UNIT_MICROS;
		return PQ_LT_TIMESTAMP;
	}
	return 0;
}

static enum pq_vkind
fmt_integer(const struct pq_schema_elem *se, int64_t v, int width,
    const uint8_t *raw, char *buf)
{
	uint8_t be[8];
	int64_t per_sec, days, rem;
	int32_t scale, unit;
	int i, utc, digits, kind;

	if (se != NULL && (scale = decimal_scale(se)) >= 0) {
		for (i = 0; i < width; i++)
			be[i] = raw[width - 1 - i];
		if (fmt_decimal(buf, be, (size_t)width, scale) == 0)
			return PQ_V_TEXT;
	}
	if (se != NULL && width == 4 && (se->logical.kind == PQ_LT_DATE ||
	    ((se->has & PQ_SE_CONVERTED) && se->converted_type ==
	    PQ_CT_DATE))) {
		fmt_date(buf, v);
		return PQ_V_TEXT;
	}
	if (se != NULL && (kind = time_kind(se, &unit, &utc)) != 0 &&
	    (digits = unit_scale(unit, &per_sec)) >= 0) {
		split_day(v, per_sec * 86400, &days, &rem);
		if (kind == PQ_LT_TIMESTAMP)
			fmt_timestamp(buf, days, rem, per_sec, digits, utc);
		else if (days == 0)
			fmt_clock(buf, PQ_VALUE_MAX, rem, per_sec, digits);
		else
			goto plain;
		return PQ_V_TEXT;
	}
plain:
	if (se != NULL && is_unsigned(se))
		snprintf(buf, PQ_VALUE_MAX, "%llu", (unsigned long long)
		    (width == 4 ? (uint32_t)v : (uint64_t)v));
	else
		snprintf(buf, PQ_VALUE_MAX, "%lld", (long long)v);
	return PQ_V_NUMBER;
}

static enum pq_vkind
fmt_bytes(const struct pq_schema_elem *se, struct pq_bytes v, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	int32_t scale, ct;
	size_t i, o = 0;

	if (se == NULL)
		return PQ_V_BINARY;
	ct = (se->has & PQ_SE_CONVERTED) ? se->converted_type : -1;
	if ((scale = decimal_scale(se)) >= 0)
		return fmt_decimal(buf, v.ptr, v.len, scale) == 0 ? PQ_V_TEXT :
		    PQ_V_BINARY;
	if (se->logical.kind == PQ_LT_UUID && v.len == 16) {
		for (i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				buf[o++] = '-';
			buf[o++] = hex[v.ptr[i] >> 4];
			buf[o++] = hex[v.ptr[i] & 15];
		}
		buf[o] = '\0';
		return PQ_V_TEXT;
	}
	if (se->logical.kind == PQ_LT_FLOAT16 && v.len == 2)
		return fmt_float(buf, half_to_double((uint16_t)le(v.ptr, 2)),
		    1);
	if (se->logical.kind == PQ_LT_STRING || se->logical.kind ==
	    PQ_LT_ENUM || se->logical.kind == PQ_LT_JSON ||
	    ct == PQ_CT_UTF8 || ct == PQ_CT_ENUM || ct == PQ_CT_JSON)
		return pq_utf8_valid(v.ptr, v.len) ? PQ_V_STRING : PQ_V_BINARY;
	return PQ_V_BINARY;
}

enum pq_vkind
pq_value_format(const struct pq_schema_elem *leaf, int32_t type,
    struct pq_bytes v, char buf[PQ_VALUE_MAX])
{
	uint64_t u, nanos;
	int64_t days, rem;
	float f;
	double d;

	buf[0] = '\0';
	switch (type) {
	case PQ_BOOLEAN:
		if (v.len != 1 || v.ptr[0] > 1)
			return PQ_V_BINARY;
		snprintf(buf, PQ_VALUE_MAX, v.ptr[0] ? "true" : "false");
		return PQ_V_BOOL;
	case PQ_INT32:
		if (v.len != 4)
			return PQ_V_BINARY;
		return fmt_integer(leaf, (int32_t)(uint32_t)le(v.ptr, 4), 4,
		    v.ptr, buf);
	case PQ_INT64:
		if (v.len != 8)
			return PQ_V_BINARY;
		return fmt_integer(leaf, (int64_t)le(v.ptr, 8), 8, v.ptr, buf);
	case PQ_INT96:
		if (v.len != 12)
			return PQ_V_BINARY;
		nanos = le(v.ptr, 8);
		days = (int64_t)le(v.ptr + 8, 4) - 2440588 +
		    (int64_t)(nanos / 86400000000000ull);
		rem = (int64_t)(nanos % 86400000000000ull);
		fmt_timestamp(buf, days, rem, 1000000000, 9, 0);
		return PQ_V_TEXT;
	case PQ_FLOAT:
		if (v.len != 4)
			return PQ_V_BINARY;
		u = le(v.ptr, 4);
		memcpy(&f, &(uint32_t){ (uint32_t)u }, 4);
		return fmt_float(buf, f, 1);
	case PQ_DOUBLE:
		if (v.len != 8)
			return PQ_V_BINARY;
		u = le(v.ptr, 8);
		memcpy(&d, &u, 8);
		return fmt_float(buf, d, 0);
	default:
		return fmt_bytes(leaf, v, buf);
	}
}
