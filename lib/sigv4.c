#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sigv4.h"
#include "url.h"

#define ALGORITHM	"AWS4-HMAC-SHA256"
#define MAX_CANONICAL	((size_t)1 << 20)
#define MAX_SEGMENTS	512

/* One header prepared for the canonical form. */
struct chdr {
	char		*name;		/* lower-case, owned */
	const char	*value;
	size_t		 order;		/* input position, for ties */
};

/* One decoded-then-encoded query parameter. */
struct qparam {
	char	*name;
	char	*value;
};

int
sigv4_date(time_t t, char out[SIGV4_DATE_LEN + 1])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 1970)
		return -1;
	if (strftime(out, SIGV4_DATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) !=
	    SIGV4_DATE_LEN)
		return -1;
	return 0;
}

int
sigv4_date_parse(const char *s, char out[SIGV4_DATE_LEN + 1])
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o < SIGV4_DATE_LEN; i++) {
		if (s[i] == '-' || s[i] == ':')
			continue;
		if (o == 8 ? s[i] != 'T' : o == 15 ? s[i] != 'Z' :
		    !isdigit((unsigned char)s[i]))
			return -1;
		out[o++] = s[i];
	}
	if (o != SIGV4_DATE_LEN || s[i] != '\0')
		return -1;
	out[o] = '\0';
	return 0;
}

void
sigv4_result_init(struct sigv4_result *r)
{
	sb_init(&r->canonical, MAX_CANONICAL);
	sb_init(&r->string_to_sign, 4096);
	sb_init(&r->signed_headers, 16384);
	sb_init(&r->authorization, 20000);
	sb_init(&r->query, MAX_CANONICAL);
	r->signature[0] = '\0';
}

void
sigv4_result_free(struct sigv4_result *r)
{
	sb_free(&r->canonical);
	sb_free(&r->string_to_sign);
	sb_free(&r->signed_headers);
	sb_free(&r->authorization);
	sb_free(&r->query);
}

void
sigv4_cache_clear(struct sigv4_cache *c)
{
	explicit_bzero(c, sizeof(*c));
}

void
sigv4_signing_key(const char *secret, const char *day, const char *region,
    const char *service, uint8_t out[SHA256_LEN])
{
	uint8_t k1[SHA256_LEN], k2[SHA256_LEN], k3[SHA256_LEN];
	struct strbuf kb;

	sb_init(&kb, 0);
	sb_adds(&kb, "AWS4");
	sb_adds(&kb, secret);
	hmac_sha256(sb_cstr(&kb), kb.len, day, strlen(day), k1);
	sb_free(&kb);
	hmac_sha256(k1, sizeof(k1), region, strlen(region), k2);
	hmac_sha256(k2, sizeof(k2), service, strlen(service), k3);
	hmac_sha256(k3, sizeof(k3), "aws4_request", 12, out);
	explicit_bzero(k1, sizeof(k1));
	explicit_bzero(k2, sizeof(k2));
	explicit_bzero(k3, sizeof(k3));
}

/* The signing key, from the cache when day/region/service/secret match. */
static void
signing_key(const struct sigv4_creds *cr, const struct sigv4_scope *sc,
    struct sigv4_cache *cache, uint8_t out[SHA256_LEN])
{
	uint8_t id[SHA256_LEN];
	char day[9];

	memcpy(day, sc->amz_date, 8);
	day[8] = '\0';
	if (cache == NULL) {
		sigv4_signing_key(cr->secret_key, day, sc->region, sc->service,
		    out);
		return;
	}
	sha256(cr->secret_key, strlen(cr->secret_key), id);
	if (!cache->valid || strcmp(cache->day, day) != 0 ||
	    strcmp(cache->region, sc->region) != 0 ||
	    strcmp(cache->service, sc->service) != 0 ||
	    memcmp(cache->secret_id, id, sizeof(id)) != 0 ||
	    strlen(sc->region) >= sizeof(cache->region) ||
	    strlen(sc->service) >= sizeof(cache->service)) {
		sigv4_signing_key(cr->secret_key, day, sc->region, sc->service,
		    cache->key);
		memcpy(cache->day, day, sizeof(day));
		cache->valid = strlen(sc->region) < sizeof(cache->region) &&
		    strlen(sc->service) < sizeof(cache->service);
		if (cache->valid) {
			memcpy(cache->region, sc->region,
			    strlen(sc->region) + 1);
			memcpy(cache->service, sc->service,
			    strlen(sc->service) + 1);
			memcpy(cache->secret_id, id, sizeof(id));
		}
	}
	memcpy(out, cache->key, SHA256_LEN);
	explicit_bzero(id, sizeof(id));
}

int
sigv4_canonical_path(struct strbuf *out, const char *path, unsigned flags,
    struct err *e)
{
	const char *seg[MAX_SEGMENTS];
	size_t seglen[MAX_SEGMENTS];
	size_t nseg = 0, i, len;
	const char *p, *end, *s;
	int trailing = 0;
	struct strbuf tmp;

	if (path == NULL || *path == '\0')
		path = "/";
	if (!(flags & SIGV4_NORMALIZE_PATH)) {
		if (flags & SIGV4_ENCODE_PATH)
			url_encode(out, path, strlen(path), URL_KEEP_SLASH);
		else
			sb_adds(out, path);
		return 0;
	}
	/* RFC 3986 5.2.4, and empty segments dropped. */
	p = path;
	end = path + strlen(path);
	while (p < end) {
		s = p;
		while (p < end && *p != '/')
			p++;
		len = (size_t)(p - s);
		trailing = 1;
		if (len == 0 || (len == 1 && s[0] == '.')) {
			/* skipped */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (nseg > 0)
				nseg--;
		} else {
			if (nseg == MAX_SEGMENTS)
				return err_set(e, ERR_LIMIT,
				    "sigv4: path has over %d segments",
				    MAX_SEGMENTS);
			seg[nseg] = s;
			seglen[nseg++] = len;
			trailing = 0;
		}
		if (p < end)
			p++;
	}
	if (path[strlen(path) - 1] == '/')
		trailing = 1;
	sb_init(&tmp, MAX_CANONICAL);
	for (i = 0; i < nseg; i++) {
		sb_addc(&tmp, '/');
		sb_add(&tmp, seg[i], seglen[i]);
	}
	if (nseg == 0 || trailing)
		sb_addc(&tmp, '/');
	if (flags & SIGV4_ENCODE_PATH)
		url_encode(out, sb_cstr(&tmp), tmp.len, URL_KEEP_SLASH);
	else
		sb_add(out, sb_cstr(&tmp), tmp.len);
	if (sb_error(&tmp, "sigv4: path", e) != 0) {
		sb_free(&tmp);
		return -1;
	}
	sb_free(&tmp);
	return 0;
}

static int
qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->value, y->value);
}

/* Decode then encode s[0..n) into a new string (NULL on failure). */
static char *
reencode(const char *s, size_t n)
{
	struct strbuf dec, enc;
	char *r;

	sb_init(&dec, MAX_CANONICAL);
	sb_init(&enc, MAX_CANONICAL);
	url_decode(&dec, s, n);
	url_encode(&enc, sb_cstr(&dec), dec.len, 0);
	if (dec.failed)
		enc.failed = dec.failed;
	sb_free(&dec);
	r = sb_take(&enc, NULL);
	return r;
}

/* Split query into params[]; returns count or -1. */
static int
split_query(const char *q, struct qparam *params, size_t *np, struct err *e)
{
	const char *p, *amp, *eq, *end;

	if (q == NULL)
		return 0;
	p = q;
	end = q + strlen(q);
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp > p) {
			if (*np == SIGV4_MAX_PARAMS)
				return err_set(e, ERR_LIMIT,
				    "sigv4: over %d query parameters",
				    SIGV4_MAX_PARAMS);
			if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
				eq = amp;
			params[*np].name = reencode(p, (size_t)(eq - p));
			params[*np].value = eq < amp ?
			    reencode(eq + 1, (size_t)(amp - eq - 1)) :
			    reencode("", 0);
			(*np)++;
			if (params[*np - 1].name == NULL ||
			    params[*np - 1].value == NULL)
				return err_set(e, ERR_NOMEM,
				    "sigv4: out of memory");
		}
		p = amp + 1;
	}
	return 0;
}

int
sigv4_canonical_query(struct strbuf *out, const char *query,
    const char *extra, struct err *e)
{
	struct qparam *params;
	size_t n = 0, i;
	int rc;

	if ((params = calloc(SIGV4_MAX_PARAMS, sizeof(*params))) == NULL)
		return err_set(e, ERR_NOMEM, "sigv4: out of memory");
	rc = split_query(query, params, &n, e);
	if (rc == 0)
		rc = split_query(extra, params, &n, e);
	if (rc == 0) {
		qsort(params, n, sizeof(*params), qparam_cmp);
		for (i = 0; i < n; i++) {
			if (i > 0)
				sb_addc(out, '&');
			sb_adds(out, params[i].name);
			sb_addc(out, '=');
			sb_adds(out, params[i].value);
		}
	}
	for (i = 0; i < n; i++) {
		free(params[i].name);
		free(params[i].value);
	}
	free(params);
	return rc;
}

static int
chdr_cmp(const void *a, const void *b)
{
	const struct chdr *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Headers that proxies may change or that SDKs never sign. */
static int
unsigned_header(const char *lname)
{
	static const char *const skip[] = {
		"authorization", "user-agent", "expect", "x-amzn-trace-id",
		"connection", "keep-alive", "proxy-authenticate",
		"proxy-authorization", "te",
		"trailer", "transfer-encoding", "upgrade", NULL
	};
	size_t i;

	for (i = 0; skip[i] != NULL; i++)
		if (strcmp(lname, skip[i]) == 0)
			return 1;
	return 0;
}

/* Trimmed value with runs of whitespace folded to one space. */
static void
add_value(struct strbuf *sb, const char *v)
{
	int space = 0, any = 0;

	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n') {
			space = any;
			continue;
		}
		if (space)
			sb_addc(sb, ' ');
		space = 0;
		any = 1;
		sb_addc(sb, *v);
	}
}

static char *
lower_dup(const char *s)
{
	size_t n = strlen(s), i;
	char *r;

	if ((r = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i <= n; i++)
		r[i] = (char)tolower((unsigned char)s[i]);
	return r;
}

/*
 * Append "name:value\n" lines and fill signed_headers. extra[] are the
 * x-amz-* headers the signature itself adds.
 */
static int
canonical_headers(struct strbuf *out, struct strbuf *signed_headers,
    const struct sigv4_request *rq, const struct sigv4_header *extra,
    size_t nextra, struct err *e)
{
	struct chdr h[SIGV4_MAX_HEADERS + 4];
	size_t n = 0, i, j;
	const struct sigv4_header *src;
	int rc = 0, have_host = 0;

	if (rq->nheaders > SIGV4_MAX_HEADERS)
		return err_set(e, ERR_LIMIT, "sigv4: over %d headers",
		    SIGV4_MAX_HEADERS);
	for (i = 0; i < rq->nheaders + nextra; i++) {
		src = i < rq->nheaders ? &rq->headers[i] :
		    &extra[i - rq->nheaders];
		if ((h[n].name = lower_dup(src->name)) == NULL) {
			rc = err_set(e, ERR_NOMEM, "sigv4: out of memory");
			break;
		}
		if (h[n].name[0] == '\0' || unsigned_header(h[n].name)) {
			free(h[n].name);
			continue;
		}
		if (strcmp(h[n].name, "host") == 0)
			have_host = 1;
		h[n].value = src->value;
		h[n].order = i;
		n++;
	}
	if (rc == 0 && !have_host)
		rc = err_set(e, ERR_USAGE, "sigv4: request has no Host header");
	if (rc == 0) {
		qsort(h, n, sizeof(h[0]), chdr_cmp);
		for (i = 0; i < n; i = j) {
			sb_adds(out, h[i].name);
			sb_addc(out, ':');
			if (signed_headers->len > 0)
				sb_addc(signed_headers, ';');
			sb_adds(signed_headers, h[i].name);
			for (j = i; j < n && strcmp(h[j].name, h[i].name) == 0;
			    j++) {
				if (j > i)
					sb_addc(out, ',');
				add_value(out, h[j].value);
			}
			sb_addc(out, '\n');
		}
	}
	for (i = 0; i < n; i++)
		free(h[i].name);
	return rc;
}

static int
check_inputs(const struct sigv4_request *rq, const struct sigv4_creds *cr,
    const struct sigv4_scope *sc, struct err *e)
{
	if (rq->method == NULL || rq->method[0] == '\0' ||
	    rq->payload_hash == NULL)
		return err_set(e, ERR_USAGE, "sigv4: no method or payload hash");
	if (cr->access_key == NULL || cr->secret_key == NULL ||
	    cr->access_key[0] == '\0' || cr->secret_key[0] == '\0')
		return err_set(e, ERR_USAGE, "sigv4: no credentials");
	if (sc->region == NULL || sc->service == NULL ||
	    sc->region[0] == '\0' || sc->service[0] == '\0' ||
	    strlen(sc->amz_date) != SIGV4_DATE_LEN)
		return err_set(e, ERR_USAGE,
		    "sigv4: no region, service or date");
	if (strchr(cr->access_key, '/') != NULL ||
	    strchr(sc->region, '/') != NULL ||
	    strchr(sc->service, '/') != NULL)
		return err_set(e, ERR_USAGE,
		    "sigv4: '/' in access key, region or service");
	return 0;
}

/* Credential scope "20150830/us-east-1/service/aws4_request". */
static void
add_scope(struct strbuf *sb, const struct sigv4_scope *sc)
{
	sb_add(sb, sc->amz_date, 8);
	sb_addf(sb, "/%s/%s/aws4_request", sc->region, sc->service);
}

/*
 * Canonical request (method, path, query + extra_query, headers +
 * extra), string to sign and signature into r.
 */
static int
sign_common(const struct sigv4_request *rq, const struct sigv4_creds *cr,
    const struct sigv4_scope *sc, const char *extra_query,
    const struct sigv4_header *extra, size_t nextra,
    struct sigv4_cache *cache, struct sigv4_result *r, struct err *e)
{
	uint8_t hash[SHA256_LEN], key[SHA256_LEN], sig[SHA256_LEN];
	struct strbuf *c = &r->canonical;
	static const char hex[] = "0123456789abcdef";
	size_t i;

	sb_adds(c, rq->method);
	sb_addc(c, '\n');
	if (sigv4_canonical_path(c, rq->path, sc->flags, e) != 0)
		return -1;
	sb_addc(c, '\n');
	if (sigv4_canonical_query(c, rq->query, extra_query, e) != 0)
		return -1;
	sb_addc(c, '\n');
	if (canonical_headers(c, &r->signed_headers, rq, extra, nextra,
	    e) != 0)
		return -1;
	sb_addc(c, '\n');
	sb_add(c, sb_cstr(&r->signed_headers), r->signed_headers.len);
	sb_addc(c, '\n');
	sb_adds(c, rq->payload_hash);
	if (sb_error(c, "sigv4: canonical request", e) != 0 ||
	    sb_error(&r->signed_headers, "sigv4: signed headers", e) != 0)
		return -1;

	sha256(sb_cstr(c), c->len, hash);
	sb_adds(&r->string_to_sign, ALGORITHM "\n");
	sb_adds(&r->string_to_sign, sc->amz_date);
	sb_addc(&r->string_to_sign, '\n');
	add_scope(&r->string_to_sign, sc);
	sb_addc(&r->string_to_sign, '\n');
	sb_addhex(&r->string_to_sign, hash, sizeof(hash));
	if (sb_error(&r->string_to_sign, "sigv4: string to sign", e) != 0)
		return -1;

	signing_key(cr, sc, cache, key);
	hmac_sha256(key, sizeof(key), sb_cstr(&r->string_to_sign),
	    r->string_to_sign.len, sig);
	explicit_bzero(key, sizeof(key));
	for (i = 0; i < SHA256_LEN; i++) {
		r->signature[2 * i] = hex[sig[i] >> 4];
		r->signature[2 * i + 1] = hex[sig[i] & 15];
	}
	r->signature[2 * SHA256_LEN] = '\0';
	return 0;
}

int
sigv4_sign_headers(const struct sigv4_request *rq,
    const struct sigv4_creds *cr, const struct sigv4_scope *sc,
    struct sigv4_cache *cache, struct sigv4_result *r, struct err *e)
{
	struct sigv4_header extra[3];
	size_t n = 0;

	if (check_inputs(rq, cr, sc, e) != 0)
		return -1;
	extra[n].name = "x-amz-date";
	extra[n++].value = sc->amz_date;
	if (cr->token != NULL && cr->token[0] != '\0' &&
	    !(sc->flags & SIGV4_OMIT_TOKEN)) {
		extra[n].name = "x-amz-security-token";
		extra[n++].value = cr->token;
	}
	if (sc->flags & SIGV4_CONTENT_SHA256) {
		extra[n].name = "x-amz-content-sha256";
		extra[n++].value = rq->payload_hash;
	}
	if (sign_common(rq, cr, sc, NULL, extra, n, cache, r, e) != 0)
		return -1;
	sb_adds(&r->authorization, ALGORITHM " Credential=");
	sb_adds(&r->authorization, cr->access_key);
	sb_addc(&r->authorization, '/');
	add_scope(&r->authorization, sc);
	sb_adds(&r->authorization, ", SignedHeaders=");
	sb_add(&r->authorization, sb_cstr(&r->signed_headers),
	    r->signed_headers.len);
	sb_adds(&r->authorization, ", Signature=");
	sb_adds(&r->authorization, r->signature);
	return sb_error(&r->authorization, "sigv4: authorization", e);
}

/* "&name=" + encoded value. */
static void
add_param(struct strbuf *sb, const char *name, const char *value)
{
	if (sb->len > 0)
		sb_addc(sb, '&');
	sb_adds(sb, name);
	sb_addc(sb, '=');
	url_encode(sb, value, strlen(value), 0);
}

int
sigv4_presign(const struct sigv4_request *rq, const struct sigv4_creds *cr,
    const struct sigv4_scope *sc, long expires, struct sigv4_cache *cache,
    struct sigv4_result *r, struct err *e)
{
	struct strbuf head, cred, sh;
	char exp[24];
	int rc = -1, token;

	if (check_inputs(rq, cr, sc, e) != 0)
		return -1;
	if (expires < 1 || expires > 604800)
		return err_set(e, ERR_USAGE,
		    "sigv4: presign expiry %ld not in 1..604800 seconds",
		    expires);
	snprintf(exp, sizeof(exp), "%ld", expires);
	token = cr->token != NULL && cr->token[0] != '\0';
	sb_init(&head, MAX_CANONICAL);
	sb_init(&cred, 4096);
	sb_init(&sh, 16384);

	/* Signed headers first: they are part of the query. */
	{
		struct strbuf scratch;

		sb_init(&scratch, MAX_CANONICAL);
		rc = canonical_headers(&scratch, &sh, rq, NULL, 0, e);
		sb_free(&scratch);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	sb_adds(&cred, cr->access_key);
	sb_addc(&cred, '/');
	add_scope(&cred, sc);
	add_param(&head, "X-Amz-Algorithm", ALGORITHM);
	add_param(&head, "X-Amz-Credential", sb_cstr(&cred));
	add_param(&head, "X-Amz-Date", sc->amz_date);
	add_param(&head, "X-Amz-SignedHeaders", sb_cstr(&sh));
	add_param(&head, "X-Amz-Expires", exp);
	if (token && !(sc->flags & SIGV4_OMIT_TOKEN))
		add_param(&head, "X-Amz-Security-Token", cr->token);
	if (sb_error(&head, "sigv4: query", e) != 0 ||
	    sb_error(&cred, "sigv4: credential", e) != 0)
		goto out;
	if (sign_common(rq, cr, sc, sb_cstr(&head), NULL, 0, cache, r,
	    e) != 0)
		goto out;
	sb_add(&r->query, sb_cstr(&head), head.len);
	if (token && (sc->flags & SIGV4_OMIT_TOKEN))
		add_param(&r->query, "X-Amz-Security-Token", cr->token);
	add_param(&r->query, "X-Amz-Signature", r->signature);
	rc = sb_error(&r->query, "sigv4: query", e);
out:
	sb_free(&head);
	sb_free(&cred);
	sb_free(&sh);
	return rc;
}
