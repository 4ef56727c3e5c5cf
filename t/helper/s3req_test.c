/*
 * s3req_test: one signed S3 request, written as bytes: url + sigv4 +
 * http together, the way the S3 client builds requests.
 *
 *	s3req_test METHOD s3://BUCKET[/KEY] QUERY BODYFILE|- DATE [H: V]...
 *
 * QUERY: raw "name=value&..." pairs (encoded here), or "" for none.
 * DATE: "YYYYMMDDTHHMMSSZ". Credentials from AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; endpoint and region as
 * url_s3_env_get reads them. S3REQ_UNSIGNED=1 signs UNSIGNED-PAYLOAD.
 * Writes the request head and body to stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "sigv4.h"
#include "url.h"
#include "hash/sha256.h"

#define MAXF	16

static void
die(const char *m)
{
	fprintf(stderr, "s3req_test: %s\n", m);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct url_s3_env env;
	struct url_s3_config cfg;
	struct url_s3_request req;
	struct url_s3 u;
	struct strbuf query, body, head;
	struct sigv4_header sh[MAXF + 1];
	struct http_field f[MAXF + 4];
	struct sigv4_request rq;
	struct sigv4_creds cr;
	struct sigv4_scope sc;
	struct sigv4_result res;
	struct http_request hr;
	struct err e;
	char *pairs, *p, *eq, *name[MAXF], *val[MAXF];
	char phash[2 * SHA256_LEN + 1];
	uint8_t d[SHA256_LEN];
	size_t nf = 0, i, n;
	FILE *bf;
	char buf[4096];

	if (argc < 6)
		die("usage: METHOD URL QUERY BODYFILE DATE [H: V]...");
	memset(&env, 0, sizeof(env));
	url_s3_env_get(&env);
	if (url_s3_config(&env, &cfg, &e) != 0 ||
	    url_parse_s3(argv[2], &u, &e) != 0)
		die(e.msg);
	sb_init(&query, 0);
	if ((pairs = strdup(argv[3])) == NULL)
		die("out of memory");
	for (p = strtok(pairs, "&"); p != NULL; p = strtok(NULL, "&")) {
		if ((eq = strchr(p, '=')) != NULL)
			*eq++ = '\0';
		url_query_add(&query, p, eq != NULL ? eq : "");
	}
	if (url_s3_request(&cfg, u.bucket, u.key, sb_cstr(&query), &req,
	    &e) != 0)
		die(e.msg);
	sb_init(&body, 0);
	if (strcmp(argv[4], "-") != 0) {
		if ((bf = fopen(argv[4], "rb")) == NULL)
			die("cannot open body");
		while ((n = fread(buf, 1, sizeof(buf), bf)) > 0)
			sb_add(&body, buf, n);
		fclose(bf);
	}
	sha256(sb_cstr(&body), body.len, d);
	for (i = 0; i < SHA256_LEN; i++)
		snprintf(phash + 2 * i, 3, "%02x", d[i]);
	for (i = 6; i < (size_t)argc && nf < MAXF; i++) {
		if ((p = strchr(argv[i], ':')) == NULL)
			die("header without ':'");
		name[nf] = strndup(argv[i], (size_t)(p - argv[i]));
		val[nf] = strdup(p + (p[1] == ' ' ? 2 : 1));
		nf++;
	}
	/* What SigV4 sees: Host and the caller's headers. */
	sh[0].name = "Host";
	sh[0].value = req.host_header;
	for (i = 0; i < nf; i++) {
		sh[i + 1].name = name[i];
		sh[i + 1].value = val[i];
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = argv[1];
	rq.path = sb_cstr(&req.path);
	rq.query = sb_cstr(&query);
	rq.headers = sh;
	rq.nheaders = nf + 1;
	rq.payload_hash = getenv("S3REQ_UNSIGNED") != NULL ?
	    SIGV4_UNSIGNED_PAYLOAD : phash;
	cr.access_key = getenv("AWS_ACCESS_KEY_ID");
	cr.secret_key = getenv("AWS_SECRET_ACCESS_KEY");
	cr.token = getenv("AWS_SESSION_TOKEN");
	memset(&sc, 0, sizeof(sc));
	sc.region = cfg.region;
	sc.service = "s3";
	sc.flags = SIGV4_CONTENT_SHA256;
	if (cr.access_key == NULL || cr.secret_key == NULL ||
	    sigv4_date_parse(argv[5], sc.amz_date) != 0)
		die("need credentials and a date");
	sigv4_result_init(&res);
	if (sigv4_sign_headers(&rq, &cr, &sc, NULL, &res, &e) != 0)
		die(e.msg);
	sb_init(&head, 0);
	if (getenv("S3REQ_CANONICAL") != NULL) {
		printf("%s\n", sb_cstr(&res.canonical));
		goto out;
	}
	/* What goes on the wire. */
	for (i = 0; i < nf; i++) {
		f[i].name = name[i];
		f[i].value = val[i];
	}
	f[nf].name = "x-amz-content-sha256";
	f[nf++].value = rq.payload_hash;
	f[nf].name = "x-amz-date";
	f[nf++].value = sc.amz_date;
	if (cr.token != NULL && cr.token[0] != '\0') {
		f[nf].name = "x-amz-security-token";
		f[nf++].value = cr.token;
	}
	f[nf].name = "Authorization";
	f[nf++].value = sb_cstr(&res.authorization);
	memset(&hr, 0, sizeof(hr));
	hr.method = argv[1];
	hr.target = sb_cstr(&req.target);
	hr.host = req.host_header;
	hr.fields = f;
	hr.nfields = nf;
	hr.body_length = strcmp(argv[4], "-") != 0 ? (int64_t)body.len :
	    HTTP_NO_BODY;
	if (http_write_head(&head, &hr, &e) != 0)
		die(e.msg);
	fwrite(sb_cstr(&head), 1, head.len, stdout);
	fwrite(sb_cstr(&body), 1, body.len, stdout);
out:
	sigv4_result_free(&res);
	url_s3_request_free(&req);
	sb_free(&head);
	sb_free(&body);
	sb_free(&query);
	for (i = 0; i < (size_t)argc - 6 && i < MAXF; i++) {
		free(name[i]);
		free(val[i]);
	}
	free(pairs);
	return 0;
}
