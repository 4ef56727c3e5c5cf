/*
 * stats.c: document counts, group-by distribution, JSON rendering.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

struct group {
	char	*key;		/* NULL: empty slot */
	size_t	len;
	int64_t	count;
};

struct stats {
	char		*group_by;
	int64_t		docs;
	uint64_t	bytes;
	struct group	*tab;
	size_t		cap;		/* power of two */
	size_t		used;
	int64_t		gnull;
	int64_t		gother;
};

/* A string builder with a sticky failure flag. */
struct sb {
	char	*p;
	size_t	len;
	size_t	cap;
	int	failed;
};

static void
sb_add(struct sb *s, const char *p, size_t n)
{
	size_t ncap;
	char *np;

	if (s->failed)
		return;
	if (n + 1 > s->cap - s->len) {
		if (n > SIZE_MAX / 4 - s->len) {
			s->failed = 1;
			return;
		}
		ncap = s->cap ? s->cap : 256;
		while (n + 1 > ncap - s->len)
			ncap *= 2;
		if ((np = realloc(s->p, ncap)) == NULL) {
			s->failed = 1;
			return;
		}
		s->p = np;
		s->cap = ncap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = 0;
}

static void
sb_printf(struct sb *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sb *s, const char *fmt, ...)
{
	char buf[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(buf)) {
		sb_add(s, buf, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL) {
		s->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(s, big, (size_t)n);
	free(big);
}

/* A JSON string literal; bytes >= 0x80 pass through (UTF-8). */
static void
sb_json_str(struct sb *s, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	size_t i, start = 0;
	unsigned char c;

	sb_add(s, "\"", 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_add(s, p + start, i - start);
		start = i + 1;
		if (c == '"')
			sb_add(s, "\\\"", 2);
		else if (c == '\\')
			sb_add(s, "\\\\", 2);
		else if (c == '\n')
			sb_add(s, "\\n", 2);
		else if (c == '\t')
			sb_add(s, "\\t", 2);
		else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			sb_add(s, esc, 6);
		}
	}
	sb_add(s, p + start, n - start);
	sb_add(s, "\"", 1);
}

struct stats *
stats_new(const char *group_by, struct err *e)
{
	struct stats *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	if (group_by != NULL) {
		if ((s->group_by = strdup(group_by)) == NULL)
			goto nomem;
		s->cap = 64;
		if ((s->tab = calloc(s->cap, sizeof(*s->tab))) == NULL)
			goto nomem;
	}
	return s;
nomem:
	stats_free(s);
	err_set(e, ERR_NOMEM, "stats: out of memory");
	return NULL;
}

void
stats_free(struct stats *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++)
		free(s->tab[i].key);
	free(s->tab);
	free(s->group_by);
	free(s);
}

static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

static int
grow_table(struct stats *s)
{
	struct group *nt, *g;
	size_t i, j, ncap = s->cap * 2;

	if ((nt = calloc(ncap, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->tab[i].key == NULL)
			continue;
		j = hash(s->tab[i].key, s->tab[i].len) & (ncap - 1);
		while (nt[j].key != NULL)
			j = (j + 1) & (ncap - 1);
		nt[j] = s->tab[i];
	}
	g = s->tab;
	s->tab = nt;
	s->cap = ncap;
	free(g);
	return 0;
}

static int
count_value(struct stats *s, const char *p, size_t n, struct err *e)
{
	size_t j;

	if (n > STATS_MAX_VALUE)
		n = STATS_MAX_VALUE;
	j = hash(p, n) & (s->cap - 1);
	while (s->tab[j].key != NULL) {
		if (s->tab[j].len == n && memcmp(s->tab[j].key, p, n) == 0) {
			s->tab[j].count++;
			return 0;
		}
		j = (j + 1) & (s->cap - 1);
	}
	if (s->used >= STATS_MAX_GROUPS) {
		s->gother++;
		return 0;
	}
	if ((s->tab[j].key = malloc(n + 1)) == NULL)
		return err_set(e, ERR_NOMEM, "stats: out of memory");
	memcpy(s->tab[j].key, p, n);
	s->tab[j].key[n] = 0;
	s->tab[j].len = n;
	s->tab[j].count = 1;
	if (++s->used * 2 > s->cap && grow_table(s) != 0)
		return err_set(e, ERR_NOMEM, "stats: out of memory");
	return 0;
}

int
stats_doc(struct stats *s, const bson_t *doc, struct err *e)
{
	bson_iter_t it, found;
	bson_t tmp = BSON_INITIALIZER;
	const char *p;
	char *json;
	uint32_t n;
	size_t len;
	int rc;

	s->docs++;
	s->bytes += doc->len;
	if (s->group_by == NULL)
		return 0;
	if (!bson_iter_init(&it, doc) ||
	    !bson_iter_find_descendant(&it, s->group_by, &found) ||
	    BSON_ITER_HOLDS_NULL(&found) ||
	    bson_iter_type(&found) == BSON_TYPE_UNDEFINED) {
		s->gnull++;
		return 0;
	}
	if (BSON_ITER_HOLDS_UTF8(&found)) {
		p = bson_iter_utf8(&found, &n);
		return count_value(s, p, n, e);
	}
	/* Other types: canonical extended JSON of the value. */
	if (!bson_append_iter(&tmp, "v", 1, &found) ||
	    (json = bson_as_canonical_extended_json(&tmp, &len)) == NULL) {
		bson_destroy(&tmp);
		return err_set(e, ERR_FORMAT, "stats: cannot render %s",
		    s->group_by);
	}
	rc = len >= 10 ? count_value(s, json + 8, len - 10, e) :
	    count_value(s, json, len, e);
	bson_free(json);
	bson_destroy(&tmp);
	return rc;
}

int64_t
stats_docs(const struct stats *s)
{
	return s->docs;
}

uint64_t
stats_bytes(const struct stats *s)
{
	return s->bytes;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void
groups_json(struct stats *s, struct sb *sb)
{
	struct group *g;
	size_t i, n = 0;

	sb_add(sb, ",\"group_by\":{\"field\":", 21);
	sb_json_str(sb, s->group_by, strlen(s->group_by));
	sb_add(sb, ",\"values\":{", 11);
	if ((g = calloc(s->used + 1, sizeof(*g))) == NULL) {
		sb->failed = 1;
		return;
	}
	for (i = 0; i < s->cap; i++)
		if (s->tab[i].key != NULL)
			g[n++] = s->tab[i];
	qsort(g, n, sizeof(*g), cmp_group);
	for (i = 0; i < n; i++) {
		if (i)
			sb_add(sb, ",", 1);
		sb_json_str(sb, g[i].key, g[i].len);
		sb_printf(sb, ":%lld", (long long)g[i].count);
	}
	free(g);
	sb_printf(sb, "},\"null\":%lld,\"other\":%lld}", (long long)s->gnull,
	    (long long)s->gother);
}

int
stats_json(struct stats *s, struct b2a *b, const struct stats_extra *x,
    char **out, struct err *e)
{
	const struct b2a_field_stat *f = NULL;
	struct sb sb = { 0 };
	size_t i, n = 0;

	sb_printf(&sb, "{\"documents\":%lld,\"bson_bytes\":%llu,"
	    "\"batches\":%lld,\"arrow_bytes\":%llu,\"retries\":%lld,"
	    "\"mismatches\":%lld,\"seconds\":%.3f,\"fields\":{",
	    (long long)s->docs, (unsigned long long)s->bytes,
	    (long long)x->batches, (unsigned long long)x->arrow_bytes,
	    (long long)x->retries, (long long)x->mismatches, x->seconds);
	if (b != NULL && (f = b2a_field_stats(b, &n)) == NULL)
		sb.failed = 1;
	for (i = 0; i < n; i++) {
		if (i)
			sb_add(&sb, ",", 1);
		sb_json_str(&sb, f[i].path, strlen(f[i].path));
		sb_add(&sb, ":{\"type\":", 9);
		sb_json_str(&sb, f[i].type, strlen(f[i].type));
		sb_printf(&sb, ",\"nulls\":%lld", (long long)f[i].nulls);
		if (f[i].is_list && f[i].list_min >= 0)
			sb_printf(&sb, ",\"list_length_min\":%lld,"
			    "\"list_length_max\":%lld",
			    (long long)f[i].list_min, (long long)f[i].list_max);
		sb_add(&sb, "}", 1);
	}
	sb_add(&sb, "}", 1);
	if (s->group_by != NULL)
		groups_json(s, &sb);
	sb_add(&sb, "}", 1);
	if (sb.failed) {
		free(sb.p);
		return err_set(e, ERR_NOMEM, "stats: out of memory");
	}
	*out = sb.p;
	return 0;
}

int
stats_summary(struct stats *s, const struct stats_extra *x, char **out,
    struct err *e)
{
	struct sb sb = { 0 };
	double mb = s->bytes / 1e6;

	sb_printf(&sb, "%lld documents, %.1f MB BSON, %lld batches, "
	    "%.1f MB Arrow, %lld retries, %.2f s (%.0f docs/s, %.1f MB/s)",
	    (long long)s->docs, mb, (long long)x->batches,
	    x->arrow_bytes / 1e6, (long long)x->retries, x->seconds,
	    x->seconds > 0 ? s->docs / x->seconds : 0.0,
	    x->seconds > 0 ? mb / x->seconds : 0.0);
	if (sb.failed) {
		free(sb.p);
		return err_set(e, ERR_NOMEM, "stats: out of memory");
	}
	*out = sb.p;
	return 0;
}
