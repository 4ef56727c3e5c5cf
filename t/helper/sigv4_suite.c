/*
 * sigv4_suite: run one aws-c-auth SigV4 test case through lib/sigv4.
 *
 *	sigv4_suite CASEDIR OUTDIR
 *
 * Reads CASEDIR/request.txt and CASEDIR/context.json and writes
 * OUTDIR/{header,query}-{canonical-request,string-to-sign,signature,
 * signed-request}.txt in the suite's format, for byte comparison by
 * the test script. The JSON reader handles just what context.json uses:
 * nested objects, strings with escapes, numbers, booleans.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigv4.h"
#include "hash/sha256.h"

#define MAX_KV	32

struct kv {
	char	key[64];
	char	val[4096];
};

static struct kv kvs[MAX_KV];
static int nkv;

static void
die(const char *what)
{
	fprintf(stderr, "sigv4_suite: %s\n", what);
	exit(1);
}

static char *
slurp(const char *dir, const char *name, size_t *lenp)
{
	char path[4096];
	FILE *f;
	char *buf;
	size_t cap = 1 << 16, len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	if ((buf = malloc(cap + 1)) == NULL)
		die("out of memory");
	len = fread(buf, 1, cap, f);
	if (!feof(f))
		die("input too large");
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* JSON string at *p (after the quote) into out; advances *p. */
static void
json_string(const char **p, char *out, size_t n)
{
	size_t o = 0;
	const char *s = *p;
	unsigned long u;
	char hex[5];

	while (*s != '"') {
		if (*s == '\0' || o + 4 >= n)
			die("bad JSON string");
		if (*s != '\\') {
			out[o++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'u':
			memcpy(hex, s + 1, 4);
			hex[4] = '\0';
			u = strtoul(hex, NULL, 16);
			if (u >= 0x80)
				die("non-ASCII \\u escape not supported");
			out[o++] = (char)u;
			s += 4;
			break;
		case '\0':
			die("bad JSON escape");
			break;
		default: out[o++] = *s; break;
		}
		s++;
	}
	out[o] = '\0';
	*p = s + 1;
}

static void
skip_ws(const char **p)
{
	while (isspace((unsigned char)**p))
		(*p)++;
}

/* Record every scalar member of every object, flattened by key. */
static void
json_object(const char **p, int depth)
{
	char key[64];
	struct kv *kv;
	size_t n;

	if (depth > 8)
		die("JSON too deep");
	skip_ws(p);
	if (**p != '{')
		die("JSON object expected");
	(*p)++;
	for (;;) {
		skip_ws(p);
		if (**p == '}') {
			(*p)++;
			return;
		}
		if (**p != '"')
			die("JSON key expected");
		(*p)++;
		json_string(p, key, sizeof(key));
		skip_ws(p);
		if (*(*p)++ != ':')
			die("JSON ':' expected");
		skip_ws(p);
		if (**p == '{') {
			json_object(p, depth + 1);
		} else {
			if (nkv == MAX_KV)
				die("too many JSON members");
			kv = &kvs[nkv++];
			memcpy(kv->key, key, sizeof(key));
			if (**p == '"') {
				(*p)++;
				json_string(p, kv->val, sizeof(kv->val));
			} else {
				n = strcspn(*p, ",} \t\r\n");
				if (n == 0 || n >= sizeof(kv->val))
					die("bad JSON value");
				memcpy(kv->val, *p, n);
				kv->val[n] = '\0';
				*p += n;
			}
		}
		skip_ws(p);
		if (**p == ',')
			(*p)++;
		else if (**p != '}')
			die("JSON ',' or '}' expected");
	}
}

static const char *
get(const char *key)
{
	int i;

	for (i = 0; i < nkv; i++)
		if (strcmp(kvs[i].key, key) == 0)
			return kvs[i].val;
	return NULL;
}

static int
get_bool(const char *key)
{
	const char *v = get(key);

	return v != NULL && strcmp(v, "true") == 0;
}

static void
put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

#define MAXH	SIGV4_MAX_HEADERS

int
main(int argc, char **argv)
{
	struct sigv4_header hdr[MAXH];
	char *names[MAXH], *values[MAXH];
	size_t nh = 0, reqlen, jlen, i, n, bodylen, headlen;
	char *req, *json, *line, *next, *sp, *target, *path, *query, *method;
	const char *body, *jp, *token;
	char phash[2 * SHA256_LEN + 1];
	uint8_t digest[SHA256_LEN];
	struct sigv4_request rq;
	struct sigv4_creds cr;
	struct sigv4_scope sc;
	struct sigv4_result res;
	struct strbuf out, head;
	struct err e;
	long expires;
	int sign_body;

	if (argc != 3)
		die("usage: sigv4_suite CASEDIR OUTDIR");
	json = slurp(argv[1], "context.json", &jlen);
	jp = json;
	json_object(&jp, 0);
	req = slurp(argv[1], "request.txt", &reqlen);

	/* Header block: up to a blank line; the rest is the body. */
	if ((sp = strstr(req, "\n\n")) != NULL) {
		headlen = (size_t)(sp - req) + 1;
		body = sp + 2;
	} else {
		headlen = reqlen;
		body = req + reqlen;
	}
	bodylen = reqlen - (size_t)(body - req);
	sb_init(&head, 0);
	sb_add(&head, req, headlen);
	if (headlen > 0 && req[headlen - 1] != '\n')
		sb_addc(&head, '\n');

	/* Request line: METHOD SP TARGET SP HTTP/1.1 (target may hold SP). */
	line = req;
	next = strchr(line, '\n');
	if (next == NULL)
		die("no request line");
	*next = '\0';
	if ((sp = strchr(line, ' ')) == NULL)
		die("bad request line");
	*sp = '\0';
	method = line;
	target = sp + 1;
	if ((sp = strrchr(target, ' ')) == NULL)
		die("bad request line");
	*sp = '\0';
	path = target;
	query = NULL;
	if ((sp = strchr(target, '?')) != NULL) {
		*sp = '\0';
		query = sp + 1;
	}
	/* Headers, with obsolete line folding joined by '\n'. */
	for (line = next + 1; line < req + headlen; line = next + 1) {
		next = strchr(line, '\n');
		if (next == NULL || next > req + headlen)
			next = req + headlen;
		*next = '\0';
		if (*line == '\0')
			break;
		if ((*line == ' ' || *line == '\t') && nh > 0) {
			n = strlen(values[nh - 1]);
			values[nh - 1] = realloc(values[nh - 1],
			    n + strlen(line) + 2);
			if (values[nh - 1] == NULL)
				die("out of memory");
			values[nh - 1][n] = '\n';
			memcpy(values[nh - 1] + n + 1, line, strlen(line) + 1);
			continue;
		}
		if ((sp = strchr(line, ':')) == NULL || nh == MAXH)
			die("bad header line");
		*sp = '\0';
		names[nh] = strdup(line);
		values[nh] = strdup(sp + 1);
		if (names[nh] == NULL || values[nh] == NULL)
			die("out of memory");
		nh++;
	}
	for (i = 0; i < nh; i++) {
		hdr[i].name = names[i];
		hdr[i].value = values[i];
	}

	sign_body = get_bool("sign_body");
	sha256(body, bodylen, digest);
	for (i = 0; i < SHA256_LEN; i++)
		snprintf(phash + 2 * i, 3, "%02x", digest[i]);
	rq.method = method;
	rq.path = path;
	rq.query = query;
	rq.headers = hdr;
	rq.nheaders = nh;
	rq.payload_hash = phash;
	cr.access_key = get("access_key_id");
	cr.secret_key = get("secret_access_key");
	cr.token = token = get("token");
	memset(&sc, 0, sizeof(sc));
	sc.region = get("region");
	sc.service = get("service");
	if (cr.access_key == NULL || cr.secret_key == NULL ||
	    sc.region == NULL || sc.service == NULL || get("timestamp") == NULL)
		die("context.json lacks a field");
	if (sigv4_date_parse(get("timestamp"), sc.amz_date) != 0)
		die("bad timestamp");
	/* The suite's services use double encoding; S3 would not. */
	sc.flags = SIGV4_ENCODE_PATH;
	if (get_bool("normalize"))
		sc.flags |= SIGV4_NORMALIZE_PATH;
	if (get_bool("omit_session_token"))
		sc.flags |= SIGV4_OMIT_TOKEN;
	expires = get("expiration_in_seconds") ?
	    strtol(get("expiration_in_seconds"), NULL, 10) : 3600;

	/* Header signing. */
	if (sign_body)
		sc.flags |= SIGV4_CONTENT_SHA256;
	sigv4_result_init(&res);
	if (sigv4_sign_headers(&rq, &cr, &sc, NULL, &res, &e) != 0) {
		fprintf(stderr, "sigv4_suite: %s\n", e.msg);
		return 1;
	}
	put(argv[2], "header-canonical-request.txt", sb_cstr(&res.canonical),
	    res.canonical.len);
	put(argv[2], "header-string-to-sign.txt",
	    sb_cstr(&res.string_to_sign), res.string_to_sign.len);
	put(argv[2], "header-signature.txt", res.signature,
	    strlen(res.signature));
	sb_init(&out, 0);
	sb_add(&out, sb_cstr(&head), head.len);
	if (token != NULL)
		sb_addf(&out, "X-Amz-Security-Token:%s\n", token);
	sb_addf(&out, "X-Amz-Date:%s\n", sc.amz_date);
	if (sign_body)
		sb_addf(&out, "x-amz-content-sha256:%s\n", phash);
	sb_addf(&out, "Authorization:%s\n\n", sb_cstr(&res.authorization));
	sb_add(&out, body, bodylen);
	put(argv[2], "header-signed-request.txt", sb_cstr(&out), out.len);
	sigv4_result_free(&res);

	/* Query signing (presigned URL): the body hash is still signed. */
	sc.flags &= ~(unsigned)SIGV4_CONTENT_SHA256;
	sigv4_result_init(&res);
	if (sigv4_presign(&rq, &cr, &sc, expires, NULL, &res, &e) != 0) {
		fprintf(stderr, "sigv4_suite: %s\n", e.msg);
		return 1;
	}
	put(argv[2], "query-canonical-request.txt", sb_cstr(&res.canonical),
	    res.canonical.len);
	put(argv[2], "query-string-to-sign.txt", sb_cstr(&res.string_to_sign),
	    res.string_to_sign.len);
	put(argv[2], "query-signature.txt", res.signature,
	    strlen(res.signature));
	sb_reset(&out);
	sb_addf(&out, "%s %s?", method, path);
	if (query != NULL && *query != '\0')
		sb_addf(&out, "%s&", query);
	sb_add(&out, sb_cstr(&res.query), res.query.len);
	sb_adds(&out, " HTTP/1.1\n");
	/* Headers as in the request, minus the request line. */
	sp = memchr(sb_cstr(&head), '\n', head.len);
	sb_add(&out, sp + 1, head.len - (size_t)(sp + 1 - sb_cstr(&head)));
	sb_addc(&out, '\n');
	sb_add(&out, body, bodylen);
	put(argv[2], "query-signed-request.txt", sb_cstr(&out), out.len);
	if (sb_error(&out, "output", &e) != 0)
		die(e.msg);
	sigv4_result_free(&res);
	sb_free(&out);
	sb_free(&head);
	for (i = 0; i < nh; i++) {
		free(names[i]);
		free(values[i]);
	}
	free(req);
	free(json);
	return 0;
}
