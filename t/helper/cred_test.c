/*
 * cred_test: drive lib/cred with a fake HTTP client.
 *
 *	cred_test get          resolve the chain from this process's
 *	                       environment; print source and credentials,
 *	                       or "error: MESSAGE" (exit 1)
 *	cred_test url          the container credentials URL, or the error
 *	cred_test refresh      expiry and refresh on a virtual clock
 *	cred_test setting KEY  a setting of the active profile
 *	cred_test ini FILE SECTION KEY
 *	cred_test json FILE NAME
 *
 * The fake client answers from CRED_FAKE, lines of
 *	METHOD URL STATUS BODYFILE      (BODYFILE "-" = empty body;
 *	                                 STATUS 0 = no answer at all)
 * and appends every request (method, URL, headers, body) to CRED_LOG.
 * It never opens a socket.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "ini.h"
#include "jsonflat.h"

static int fetches;

static void
slurp_into(const char *path, struct strbuf *sb)
{
	FILE *f;
	char buf[4096];
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, n);
	fclose(f);
}

static int
fake_fetch(void *ctx, const char *method, const char *url,
    const struct http_field *h, size_t nh, const char *body, size_t bodylen,
    int *status, struct strbuf *resp, struct err *e)
{
	const char *spec = getenv("CRED_FAKE"), *logp = getenv("CRED_LOG");
	char line[4096], m[16], u[2048], file[2048];
	FILE *f, *log;
	size_t i;
	int st;

	(void)ctx;
	fetches++;
	if (logp != NULL && (log = fopen(logp, "a")) != NULL) {
		fprintf(log, "%s %s\n", method, url);
		for (i = 0; i < nh; i++)
			fprintf(log, "  %s: %s\n", h[i].name, h[i].value);
		if (body != NULL && bodylen > 0)
			fprintf(log, "  body: %.*s\n", (int)bodylen, body);
		fclose(log);
	}
	if (spec == NULL || (f = fopen(spec, "r")) == NULL)
		return err_set(e, ERR_TRANSIENT, "fake: connection refused");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%15s %2047s %d %2047s", m, u, &st, file) != 4)
			continue;
		if (strcmp(m, method) != 0 || strcmp(u, url) != 0)
			continue;
		fclose(f);
		if (st == 0)
			return err_set(e, ERR_TRANSIENT,
			    "fake: connection refused");
		*status = st;
		if (strcmp(file, "-") != 0)
			slurp_into(file, resp);
		return 0;
	}
	fclose(f);
	return err_set(e, ERR_TRANSIENT, "fake: connection refused");
}

static void
show(const struct cred *c)
{
	printf("source=%s akid=%s secret=%s token=%s expires=%" PRIu64 "\n",
	    c->source, c->access_key, c->secret_key, c->token, c->expires_ms);
}

static int
get(void)
{
	struct cred_env env;
	struct cred_chain ch;
	struct cred c;
	struct err e;

	cred_env_get(&env);
	if (cred_chain_init(&ch, &env, fake_fetch, NULL, &e) != 0) {
		printf("error: %s\n", e.msg);
		return 1;
	}
	if (cred_get(&ch, &c, &e) != 0) {
		printf("error: %s\n", e.msg);
		cred_chain_free(&ch);
		return 1;
	}
	show(&c);
	cred_clear(&c);
	cred_chain_free(&ch);
	return 0;
}

static uint64_t vnow;

static uint64_t
v_now(void *ctx)
{
	(void)ctx;
	return vnow;
}

/* Needs CRED_FAKE serving IMDS credentials expiring at EXPIRES_MS. */
static int
refresh(void)
{
	struct cred_env env;
	struct cred_chain ch;
	struct cred c;
	struct err e;
	uint64_t exp;
	int rc;
	char *good = getenv("CRED_FAKE");

	cred_env_get(&env);
	cred_chain_init(&ch, &env, fake_fetch, NULL, &e);
	ch.now_ms = v_now;
	exp = strtoull(getenv("EXPIRES_MS"), NULL, 10);
	vnow = exp - 60 * 60 * 1000;
	rc = cred_get(&ch, &c, &e);
	printf("t-60m: rc %d fetches %d expires %d\n", rc, fetches,
	    c.expires_ms == exp);
	vnow = exp - 10 * 60 * 1000;
	rc = cred_get(&ch, &c, &e);
	printf("t-10m: rc %d fetches %d (cached)\n", rc, fetches);
	vnow = exp - 4 * 60 * 1000;
	rc = cred_get(&ch, &c, &e);
	printf("t-4m: rc %d fetches %d (refreshed)\n", rc, fetches);
	/* Metadata gone: the old credentials serve until they expire. */
	unsetenv("CRED_FAKE");
	vnow = exp - 2 * 60 * 1000;
	rc = cred_get(&ch, &c, &e);
	printf("t-2m, source down: rc %d akid %s\n", rc, c.access_key);
	vnow = exp + 1;
	rc = cred_get(&ch, &c, &e);
	printf("expired, source down: rc %d\n", rc);
	setenv("CRED_FAKE", good, 1);
	rc = cred_get(&ch, &c, &e);
	printf("source back: rc %d akid %s\n", rc, c.access_key);
	cred_clear(&c);
	cred_chain_free(&ch);
	return 0;
}

int
main(int argc, char **argv)
{
	struct cred_env env;
	struct strbuf sb;
	struct err e;
	char out[8192];
	int rc;

	if (argc == 2 && strcmp(argv[1], "get") == 0)
		return get();
	if (argc == 2 && strcmp(argv[1], "refresh") == 0)
		return refresh();
	if (argc == 2 && strcmp(argv[1], "url") == 0) {
		cred_env_get(&env);
		if (cred_container_url(&env, out, sizeof(out), &e) != 0)
			printf("error: %s\n", e.msg);
		else
			printf("%s\n", out);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "setting") == 0) {
		cred_env_get(&env);
		rc = cred_profile_setting(&env, argv[2], out, sizeof(out), &e);
		printf("%d [%s]\n", rc, rc < 0 ? e.msg : out);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "ini") == 0) {
		sb_init(&sb, 0);
		slurp_into(argv[2], &sb);
		rc = ini_get(sb_cstr(&sb), sb.len, argv[3], argv[4], out,
		    sizeof(out));
		printf("%d [%s]\n", rc, out);
		sb_free(&sb);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "json") == 0) {
		sb_init(&sb, 0);
		slurp_into(argv[2], &sb);
		rc = jsonflat_get(sb_cstr(&sb), sb.len, argv[3], out,
		    sizeof(out));
		printf("%d [%s]\n", rc, out);
		sb_free(&sb);
		return 0;
	}
	fprintf(stderr, "usage: cred_test get|url|refresh|ini FILE SECTION "
	    "KEY|json FILE NAME\n");
	return 2;
}
