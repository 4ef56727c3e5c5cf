/*
 * s3cred.c: the client's credentials. The chain itself is cred.c (env,
 * profiles, web identity, container, IMDSv2, refresh before expiry);
 * this file gives it the real HTTP client it needs: one request per
 * call over a fresh connection, TLS for https URLs, short timeouts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpconn.h"
#include "s3int.h"

#define FETCH_BODY_MAX	(1u << 20)

static int
sink_resp(void *arg, const void *buf, size_t len, struct err *e)
{
	struct strbuf *sb = arg;

	sb_add(sb, buf, len);
	return sb_error(sb, "credential response", e);
}

struct mem_body {
	const char	*p;
	size_t		 left;
};

static ssize_t
mem_read(void *arg, void *buf, size_t cap, struct err *e)
{
	struct mem_body *m = arg;
	size_t n = m->left < cap ? m->left : cap;

	(void)e;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

static int
fetch(void *ctx, const char *method, const char *url,
    const struct http_field *headers, size_t nheaders, const char *body,
    size_t bodylen, int *status, struct strbuf *resp, struct err *e)
{
	struct s3_client *cl = ctx;
	struct url_endpoint ep;
	struct net_opts no = { 2000, 5000 };
	struct conn raw, c;
	struct httpc h;
	struct http_request rq;
	struct mem_body mb = { body, bodylen };
	const struct http_response *r;
	char base[URL_HOST_MAX + URL_PATH_MAX + 32], target[4096], port[16];
	char hosthdr[URL_HOST_MAX + 16];
	const char *q = strchr(url, '?'), *slash;
	size_t blen = q ? (size_t)(q - url) : strlen(url);
	int rc = -1;

	if (blen >= sizeof(base))
		return err_set(e, ERR_USAGE, "credential URL too long");
	memcpy(base, url, blen);
	base[blen] = '\0';
	if (url_parse_endpoint(base, &ep, e) != 0)
		return -1;
	/* the target as written (url_parse_endpoint drops a trailing '/') */
	slash = strchr(strstr(url, "://") + 3, '/');
	if (q != NULL && (slash == NULL || slash > q))
		slash = NULL;
	snprintf(target, sizeof(target), "%s%s", slash ? "" : "/",
	    slash ? slash : (q ? q : ""));
	snprintf(port, sizeof(port), "%u", ep.port);
	url_host_header(&ep, hosthdr, sizeof(hosthdr));
	if (net_connect(ep.host, port, &no, &raw, e) != 0)
		return -1;
	if (ep.tls) {
		if (cl->tls == NULL && (cl->tls = tls_config_new(NULL, 0,
		    e)) == NULL) {
			raw.close(raw.ctx);
			return -1;
		}
		if (tls_connect(cl->tls, &raw, ep.host, &c, e) != 0)
			return -1;
	} else
		c = raw;
	if (httpc_init(&h, &c, e) != 0) {
		c.close(c.ctx);
		return -1;
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.target = target;
	rq.host = hosthdr;
	rq.fields = headers;
	rq.nfields = nheaders;
	rq.body_length = body ? (int64_t)bodylen :
	    (strcmp(method, "PUT") == 0 || strcmp(method, "POST") == 0 ? 0 :
	    HTTP_NO_BODY);
	if (httpc_send(&h, &rq, body ? mem_read : NULL, &mb, e) == 0 &&
	    (r = httpc_response(&h, e)) != NULL) {
		*status = r->status;
		if (httpc_body_to(&h, sink_resp, resp, e) >= 0)
			rc = 0;
	}
	httpc_free(&h);
	c.close(c.ctx);
	return rc;
}

int
s3_creds_load(struct s3_client *cl, struct err *e)
{
	struct cred_env env;
	struct cred cur;

	cred_env_get(&env);
	if (cred_chain_init(&cl->chain, &env, fetch, cl, e) != 0)
		return -1;
	cl->chain_ok = 1;
	/* resolve now, so a missing or broken source fails at start */
	if (cred_get(&cl->chain, &cur, e) != 0)
		return -1;
	cred_clear(&cur);
	return 0;
}

void
s3_creds_free(struct s3_client *cl)
{
	if (cl->chain_ok)
		cred_chain_free(&cl->chain);
	cl->chain_ok = 0;
}
