#include <string.h>

#include "jsonflat.h"
#include "strbuf.h"

#define MAX_DEPTH	16

struct jp {
	const char	*p, *end;
};

static void
ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			v |= (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			v |= (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			v |= (unsigned)(s[i] - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct strbuf *sb, unsigned long c)
{
	if (c < 0x80) {
		sb_addc(sb, (int)c);
	} else if (c < 0x800) {
		sb_addc(sb, (int)(0xc0 | c >> 6));
		sb_addc(sb, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		sb_addc(sb, (int)(0xe0 | c >> 12));
		sb_addc(sb, (int)(0x80 | ((c >> 6) & 0x3f)));
		sb_addc(sb, (int)(0x80 | (c & 0x3f)));
	} else {
		sb_addc(sb, (int)(0xf0 | c >> 18));
		sb_addc(sb, (int)(0x80 | ((c >> 12) & 0x3f)));
		sb_addc(sb, (int)(0x80 | ((c >> 6) & 0x3f)));
		sb_addc(sb, (int)(0x80 | (c & 0x3f)));
	}
}

/* String at j->p == '"'; decoded into sb (may be NULL to skip). */
static int
string(struct jp *j, struct strbuf *sb)
{
	unsigned u, lo;
	unsigned long c;

	if (j->p == j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		if ((unsigned char)*j->p < 0x20)
			return -1;
		if (*j->p != '\\') {
			if (sb != NULL)
				sb_addc(sb, *j->p);
			j->p++;
			continue;
		}
		if (++j->p == j->end)
			return -1;
		switch (*j->p) {
		case '"': case '\\': case '/':
			c = (unsigned char)*j->p;
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (j->end - j->p < 5 || hex4(j->p + 1, &u) != 0)
				return -1;
			j->p += 4;
			c = u;
			if (u >= 0xd800 && u <= 0xdbff) {
				if (j->end - j->p < 7 || j->p[1] != '\\' ||
				    j->p[2] != 'u' || hex4(j->p + 3, &lo) != 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					return -1;
				c = 0x10000 +
				    ((unsigned long)(u - 0xd800) << 10) +
				    (lo - 0xdc00);
				j->p += 6;
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return -1;
			}
			if (c == 0)
				return -1;
			break;
		default:
			return -1;
		}
		if (sb != NULL)
			put_utf8(sb, c);
		j->p++;
	}
	if (j->p == j->end)
		return -1;
	j->p++;
	return 0;
}

static int value(struct jp *, int, struct strbuf *, int *);

static int
literal(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int
number(struct jp *j)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') ||
	    *j->p == '.' || *j->p == 'e' || *j->p == 'E' || *j->p == '+' ||
	    *j->p == '-'))
		j->p++;
	return j->p > s && (j->p[-1] >= '0' && j->p[-1] <= '9') ? 0 : -1;
}

/* Members of an object at j->p == '{'. */
static int
object(struct jp *j, int depth, const char *name, struct strbuf *out,
    int *found)
{
	struct strbuf key;
	int match, rc = 0, is_str;

	if (depth > MAX_DEPTH)
		return -1;
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		ws(j);
		sb_init(&key, 4096);
		rc = string(j, &key);
		match = rc == 0 && name != NULL && !key.failed &&
		    strcmp(sb_cstr(&key), name) == 0 && key.len == strlen(name);
		sb_free(&key);
		if (rc != 0)
			return -1;
		ws(j);
		if (j->p == j->end || *j->p++ != ':')
			return -1;
		ws(j);
		is_str = j->p < j->end && *j->p == '"';
		if (match && is_str) {
			sb_reset(out);
			if (string(j, out) != 0)
				return -1;
			*found = 1;
		} else if (value(j, depth, NULL, NULL) != 0)
			return -1;
		ws(j);
		if (j->p == j->end)
			return -1;
		if (*j->p == '}') {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int
value(struct jp *j, int depth, struct strbuf *out, int *found)
{
	ws(j);
	if (j->p == j->end)
		return -1;
	switch (*j->p) {
	case '{':
		return object(j, depth + 1, NULL, out, found);
	case '[':
		if (depth + 1 > MAX_DEPTH)
			return -1;
		j->p++;
		ws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		for (;;) {
			if (value(j, depth + 1, NULL, NULL) != 0)
				return -1;
			ws(j);
			if (j->p == j->end)
				return -1;
			if (*j->p == ']') {
				j->p++;
				return 0;
			}
			if (*j->p++ != ',')
				return -1;
		}
	case '"':
		return string(j, NULL);
	case 't':
		return literal(j, "true");
	case 'f':
		return literal(j, "false");
	case 'n':
		return literal(j, "null");
	default:
		return number(j);
	}
}

int
jsonflat_get(const char *text, size_t len, const char *name, char *out,
    size_t n)
{
	struct jp j = { text, text + len };
	struct strbuf val;
	int found = 0, rc;

	if (n > 0)
		out[0] = '\0';
	ws(&j);
	if (j.p == j.end || *j.p != '{')
		return -1;
	sb_init(&val, n > 0 ? n : 1);
	rc = object(&j, 1, name, &val, &found);
	ws(&j);
	if (rc != 0 || j.p != j.end || val.failed) {
		sb_free(&val);
		return -1;
	}
	if (found) {
		if (val.len >= n || memchr(sb_cstr(&val), '\0', val.len)) {
			sb_free(&val);
			return -1;
		}
		memcpy(out, sb_cstr(&val), val.len + 1);
	}
	sb_free(&val);
	return found;
}
