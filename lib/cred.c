#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cred.h"
#include "ini.h"
#include "jsonflat.h"
#include "url.h"
#include "xml.h"

#define RESP_MAX	(64 * 1024)
#define WEBID_MAX	(16 * 1024)
#define URL_MAX		2048
#define IMDS_TTL	"21600"

static int
set(const char *s)
{
	return s != NULL && *s != '\0';
}

void
cred_env_get(struct cred_env *e)
{
	memset(e, 0, sizeof(*e));
	e->access_key_id = getenv("AWS_ACCESS_KEY_ID");
	e->secret_access_key = getenv("AWS_SECRET_ACCESS_KEY");
	e->session_token = getenv("AWS_SESSION_TOKEN");
	e->profile = getenv("AWS_PROFILE");
	e->config_file = getenv("AWS_CONFIG_FILE");
	e->credentials_file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	e->home = getenv("HOME");
	e->region = getenv("AWS_REGION");
	if (!set(e->region))
		e->region = getenv("AWS_DEFAULT_REGION");
	e->web_identity_token_file = getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	e->role_arn = getenv("AWS_ROLE_ARN");
	e->role_session_name = getenv("AWS_ROLE_SESSION_NAME");
	e->sts_endpoint = getenv("AWS_ENDPOINT_URL_STS");
	e->container_full_uri = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	e->container_relative_uri =
	    getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	e->container_token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	e->container_token_file =
	    getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	e->imds_endpoint = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	e->imds_disabled = getenv("AWS_EC2_METADATA_DISABLED");
}

#define NFIELDS	(sizeof(struct cred_env) / sizeof(const char *))

int
cred_chain_init(struct cred_chain *c, const struct cred_env *env,
    cred_fetch_fn fetch, void *fetch_ctx, struct err *e)
{
	const char *const *src = (const char *const *)(const void *)env;
	const char **dst;
	size_t total = 0, i, n;
	char *p;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NFIELDS; i++)
		if (src[i] != NULL) {
			n = strlen(src[i]);
			if (n > CRED_TOKEN_MAX)
				return err_set(e, ERR_USAGE,
				    "credentials: environment value too long");
			total += n + 1;
		}
	if ((c->strings = malloc(total + 1)) == NULL)
		return err_set(e, ERR_NOMEM, "credentials: out of memory");
	dst = (const char **)(void *)&c->env;
	p = c->strings;
	for (i = 0; i < NFIELDS; i++) {
		if (src[i] == NULL)
			continue;
		n = strlen(src[i]);
		memcpy(p, src[i], n + 1);
		dst[i] = p;
		p += n + 1;
	}
	c->fetch = fetch;
	c->fetch_ctx = fetch_ctx;
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c->strings);
		return err_set(e, ERR_NOMEM, "credentials: no mutex");
	}
	return 0;
}

void
cred_chain_free(struct cred_chain *c)
{
	const char *const *f = (const char *const *)(const void *)&c->env;
	size_t total = 0, i;

	for (i = 0; i < NFIELDS; i++)
		if (f[i] != NULL)
			total += strlen(f[i]) + 1;
	if (c->strings != NULL) {
		explicit_bzero(c->strings, total);
		free(c->strings);
	}
	cred_clear(&c->cur);
	pthread_mutex_destroy(&c->mu);
	memset(c, 0, sizeof(*c));
}

void
cred_clear(struct cred *cr)
{
	explicit_bzero(cr, sizeof(*cr));
}

int
cred_parse_time(const char *s, uint64_t *ms)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0;
	time_t t;
	const char *rest;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
	    &n) != 6 || n != 19)
		return -1;
	rest = s + n;
	if (*rest == '.') {
		rest++;
		while (*rest >= '0' && *rest <= '9')
			rest++;
	}
	if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || y < 1970)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*ms = (uint64_t)t * 1000;
	return 0;
}

static uint64_t
now_ms(struct cred_chain *c)
{
	struct timespec ts;

	if (c->now_ms != NULL)
		return c->now_ms(c->now_ctx);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Read a whole local file (at most max bytes) into sb. 1 read, 0 absent
 * (ENOENT), -1 error.
 */
static int
read_file(const char *path, size_t max, struct strbuf *sb, struct err *e)
{
	FILE *f;
	char buf[4096];
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_sys(e, errno, "credentials: %s", path);
	}
	sb->max = max;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, n);
	explicit_bzero(buf, sizeof(buf));
	if (ferror(f)) {
		fclose(f);
		return err_sys(e, EIO, "credentials: %s", path);
	}
	fclose(f);
	if (sb->failed)
		return err_set(e, ERR_LIMIT, "credentials: %s: larger than %zu "
		    "bytes", path, max);
	return 1;
}

static int
copy_key(char *dst, size_t n, const char *src, const char *what,
    struct err *e)
{
	size_t len = strlen(src);

	if (len == 0 || len >= n)
		return err_set(e, ERR_FORMAT, "credentials: %s: %s", what,
		    len == 0 ? "empty" : "too long");
	memcpy(dst, src, len + 1);
	return 0;
}

static int
from_env(struct cred_chain *c, struct cred *out, struct err *e)
{
	const struct cred_env *v = &c->env;

	if (!set(v->access_key_id) && !set(v->secret_access_key))
		return 0;
	if (!set(v->access_key_id) || !set(v->secret_access_key))
		return err_set(e, ERR_USAGE, "credentials: %s is set but %s "
		    "is not", set(v->access_key_id) ? "AWS_ACCESS_KEY_ID" :
		    "AWS_SECRET_ACCESS_KEY", set(v->access_key_id) ?
		    "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
	if (copy_key(out->access_key, sizeof(out->access_key),
	    v->access_key_id, "AWS_ACCESS_KEY_ID", e) != 0 ||
	    copy_key(out->secret_key, sizeof(out->secret_key),
	    v->secret_access_key, "AWS_SECRET_ACCESS_KEY", e) != 0)
		return -1;
	if (set(v->session_token) && copy_key(out->token, sizeof(out->token),
	    v->session_token, "AWS_SESSION_TOKEN", e) != 0)
		return -1;
	out->source = "env";
	return 1;
}

/* Path of a shared file: explicit, else $HOME/.aws/NAME. */
static int
aws_path(const char *explicit, const char *home, const char *name,
    char *out, size_t n)
{
	if (set(explicit))
		return snprintf(out, n, "%s", explicit) < (int)n ? 0 : -1;
	if (!set(home))
		return -1;
	return snprintf(out, n, "%s/.aws/%s", home, name) < (int)n ? 0 : -1;
}

/* Keys of section in text into out. 1 found keys, 0 none, -1 error. */
static int
profile_keys(const struct strbuf *text, const char *section,
    const char *path, struct cred *out, struct err *e)
{
	const char *t = text->data != NULL ? text->data : "";
	int a, s;

	a = ini_get(t, text->len, section, "aws_access_key_id",
	    out->access_key, sizeof(out->access_key));
	s = ini_get(t, text->len, section, "aws_secret_access_key",
	    out->secret_key, sizeof(out->secret_key));
	if (a < 0 || s < 0)
		return err_set(e, ERR_FORMAT, "credentials: %s [%s]: key too "
		    "long", path, section);
	if (a == 0 && s == 0)
		return 0;
	if (a == 0 || s == 0 || out->access_key[0] == '\0' ||
	    out->secret_key[0] == '\0')
		return err_set(e, ERR_FORMAT, "credentials: %s [%s]: needs "
		    "both aws_access_key_id and aws_secret_access_key", path,
		    section);
	if (ini_get(t, text->len, section, "aws_session_token", out->token,
	    sizeof(out->token)) < 0)
		return err_set(e, ERR_FORMAT, "credentials: %s [%s]: session "
		    "token too long", path, section);
	out->source = "profile";
	return 1;
}

static int
from_profile(struct cred_chain *c, struct cred *out, struct err *e)
{
	const struct cred_env *v = &c->env;
	const char *name = set(v->profile) ? v->profile : "default";
	char cpath[1024], fpath[1024], section[300];
	struct strbuf text;
	int rc, seen = 0;

	/* Shared credentials file: [NAME]. */
	if (aws_path(v->credentials_file, v->home, "credentials", cpath,
	    sizeof(cpath)) == 0) {
		sb_init(&text, CRED_FILE_MAX);
		rc = read_file(cpath, CRED_FILE_MAX, &text, e);
		if (rc == 1) {
			seen = ini_has_section(sb_cstr(&text), text.len, name);
			rc = profile_keys(&text, name, cpath, out, e);
		}
		sb_free(&text);
		if (rc != 0)
			return rc;
	}
	/* Config file: [profile NAME], or [default]. */
	if (aws_path(v->config_file, v->home, "config", fpath,
	    sizeof(fpath)) == 0) {
		sb_init(&text, CRED_FILE_MAX);
		rc = read_file(fpath, CRED_FILE_MAX, &text, e);
		if (rc == 1) {
			snprintf(section, sizeof(section), "profile %s", name);
			if (strcmp(name, "default") == 0 &&
			    !ini_has_section(sb_cstr(&text), text.len, section))
				snprintf(section, sizeof(section), "default");
			seen |= ini_has_section(sb_cstr(&text), text.len,
			    section);
			rc = profile_keys(&text, section, fpath, out, e);
		}
		sb_free(&text);
		if (rc != 0)
			return rc;
	}
	if (set(v->profile) && !seen)
		return err_set(e, ERR_USAGE, "credentials: profile '%.100s' "
		    "not found in the config or credentials file", name);
	return 0;
}

int
cred_profile_setting(const struct cred_env *v, const char *key, char *out,
    size_t n, struct err *e)
{
	const char *name = set(v->profile) ? v->profile : "default";
	char path[1024], section[300];
	struct strbuf text;
	int rc;

	if (n > 0)
		out[0] = '\0';
	if (aws_path(v->config_file, v->home, "config", path,
	    sizeof(path)) != 0)
		return 0;
	sb_init(&text, CRED_FILE_MAX);
	if ((rc = read_file(path, CRED_FILE_MAX, &text, e)) == 1) {
		snprintf(section, sizeof(section), "profile %s", name);
		if (strcmp(name, "default") == 0 &&
		    !ini_has_section(sb_cstr(&text), text.len, section))
			snprintf(section, sizeof(section), "default");
		rc = ini_get(sb_cstr(&text), text.len, section, key, out, n);
		if (rc < 0)
			err_set(e, ERR_FORMAT, "%s [%s]: %.40s too long", path,
			    section, key);
	}
	sb_free(&text);
	return rc;
}

/* HTTP through the injected client; 2xx required. */
static int
fetch(struct cred_chain *c, const char *what, const char *method,
    const char *url, const struct http_field *h, size_t nh,
    const char *body, struct strbuf *resp, struct err *e)
{
	int status = 0;

	if (c->fetch == NULL)
		return err_set(e, ERR_UNSUPPORTED, "credentials: %s needs "
		    "HTTP and no client was given", what);
	if (c->fetch(c->fetch_ctx, method, url, h, nh, body,
	    body != NULL ? strlen(body) : 0, &status, resp, e) != 0)
		return err_prefix(e, "credentials: %s: %s %s", what, method,
		    url);
	if (resp->failed)
		return err_set(e, ERR_LIMIT, "credentials: %s: response "
		    "larger than %zu bytes", what, resp->max);
	if (status < 200 || status > 299)
		return err_set(e, status >= 500 ? ERR_TRANSIENT : ERR_REMOTE,
		    "credentials: %s: %s %s: HTTP status %d", what, method,
		    url, status);
	return 0;
}

/* Credentials from an ECS/IMDS style JSON document. */
static int
from_json(const struct strbuf *body, const char *what, const char *token_key,
    struct cred *out, struct err *e)
{
	const char *t = body->data != NULL ? body->data : "";
	char code[64], exp[64];
	int a, s, k, x;

	if (jsonflat_get(t, body->len, "Code", code, sizeof(code)) == 1 &&
	    strcmp(code, "Success") != 0)
		return err_set(e, ERR_REMOTE, "credentials: %s: Code %.60s",
		    what, code);
	a = jsonflat_get(t, body->len, "AccessKeyId", out->access_key,
	    sizeof(out->access_key));
	s = jsonflat_get(t, body->len, "SecretAccessKey", out->secret_key,
	    sizeof(out->secret_key));
	k = jsonflat_get(t, body->len, token_key, out->token,
	    sizeof(out->token));
	x = jsonflat_get(t, body->len, "Expiration", exp, sizeof(exp));
	if (a != 1 || s != 1 || k < 0 || x < 0 || out->access_key[0] == '\0' ||
	    out->secret_key[0] == '\0')
		return err_set(e, ERR_FORMAT, "credentials: %s: response is "
		    "not a credentials document", what);
	if (x == 1 && cred_parse_time(exp, &out->expires_ms) != 0)
		return err_set(e, ERR_FORMAT, "credentials: %s: bad "
		    "Expiration '%.40s'", what, exp);
	return 0;
}

int
cred_container_url(const struct cred_env *v, char *out, size_t n,
    struct err *e)
{
	static const char *const allowed[] = {
		"127.0.0.1", "localhost", "::1", "169.254.170.2",
		"169.254.170.23", "fd00:ec2::23", NULL
	};
	struct url_endpoint ep;
	size_t i;

	if (set(v->container_relative_uri)) {
		if (v->container_relative_uri[0] != '/')
			return err_set(e, ERR_USAGE, "credentials: "
			    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start "
			    "with /");
		if (snprintf(out, n, "%s%s", CRED_CONTAINER_HOST,
		    v->container_relative_uri) >= (int)n)
			return err_set(e, ERR_USAGE, "credentials: container "
			    "URI too long");
		return 0;
	}
	if (!set(v->container_full_uri))
		return err_set(e, ERR_USAGE, "credentials: no container "
		    "credentials URI");
	if (url_parse_endpoint(v->container_full_uri, &ep, e) != 0)
		return err_prefix(e, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (!ep.tls) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(ep.host, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL && strncmp(ep.host, "127.", 4) != 0)
			return err_set(e, ERR_USAGE, "credentials: "
			    "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http "
			    "only to loopback or the container host, not %.100s",
			    ep.host);
	}
	if (snprintf(out, n, "%s", v->container_full_uri) >= (int)n)
		return err_set(e, ERR_USAGE, "credentials: container URI too "
		    "long");
	return 0;
}

static int
from_container(struct cred_chain *c, struct cred *out, struct err *e)
{
	const struct cred_env *v = &c->env;
	struct strbuf resp, tok;
	struct http_field h[1];
	char url[URL_MAX];
	size_t nh = 0;
	int rc = -1;

	if (!set(v->container_relative_uri) && !set(v->container_full_uri))
		return 0;
	if (cred_container_url(v, url, sizeof(url), e) != 0)
		return -1;
	sb_init(&resp, RESP_MAX);
	sb_init(&tok, CRED_TOKEN_MAX);
	if (set(v->container_token_file)) {
		if (read_file(v->container_token_file, CRED_TOKEN_MAX, &tok,
		    e) != 1) {
			if (e->kind == ERR_NONE || tok.len == 0)
				err_set(e, ERR_IO, "credentials: cannot read "
				    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s",
				    v->container_token_file);
			goto out;
		}
		while (tok.len > 0 && (tok.data[tok.len - 1] == '\n' ||
		    tok.data[tok.len - 1] == '\r'))
			tok.data[--tok.len] = '\0';
	} else if (set(v->container_token))
		sb_adds(&tok, v->container_token);
	if (tok.len > 0) {
		if (strpbrk(sb_cstr(&tok), "\r\n") != NULL) {
			err_set(e, ERR_FORMAT, "credentials: container "
			    "authorization token has a line break");
			goto out;
		}
		h[nh].name = "Authorization";
		h[nh++].value = sb_cstr(&tok);
	}
	if (fetch(c, "container credentials", "GET", url, h, nh, NULL, &resp,
	    e) != 0)
		goto out;
	if (from_json(&resp, "container credentials", "Token", out, e) != 0)
		goto out;
	out->source = "container";
	rc = 1;
out:
	sb_free(&resp);
	sb_free(&tok);
	return rc;
}

static int
from_imds(struct cred_chain *c, struct cred *out, struct err *e)
{
	const struct cred_env *v = &c->env;
	struct strbuf tok, resp;
	struct http_field h[1];
	char base[URL_MAX], url[URL_MAX + 300], role[256];
	size_t n;
	int rc = -1;

	if (set(v->imds_disabled) && strcasecmp(v->imds_disabled, "true") == 0)
		return 0;
	n = (size_t)snprintf(base, sizeof(base), "%s", set(v->imds_endpoint) ?
	    v->imds_endpoint : CRED_IMDS_DEFAULT);
	if (n >= sizeof(base))
		return err_set(e, ERR_USAGE, "credentials: metadata endpoint "
		    "too long");
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	sb_init(&tok, CRED_TOKEN_MAX);
	sb_init(&resp, RESP_MAX);
	h[0].name = "X-aws-ec2-metadata-token-ttl-seconds";
	h[0].value = IMDS_TTL;
	snprintf(url, sizeof(url), "%s/latest/api/token", base);
	if (fetch(c, "EC2 metadata token", "PUT", url, h, 1, "", &tok,
	    e) != 0)
		goto out;
	if (tok.len == 0 || strpbrk(sb_cstr(&tok), "\r\n") != NULL) {
		err_set(e, ERR_FORMAT, "credentials: EC2 metadata token is "
		    "empty or malformed");
		goto out;
	}
	h[0].name = "X-aws-ec2-metadata-token";
	h[0].value = sb_cstr(&tok);
	snprintf(url, sizeof(url), "%s/latest/meta-data/iam/security-"
	    "credentials/", base);
	if (fetch(c, "EC2 metadata role", "GET", url, h, 1, NULL, &resp,
	    e) != 0)
		goto out;
	n = strcspn(sb_cstr(&resp), "\r\n");
	if (n == 0 || n >= sizeof(role) || memchr(sb_cstr(&resp), '/', n) ||
	    memchr(sb_cstr(&resp), '?', n)) {
		err_set(e, ERR_FORMAT, "credentials: EC2 metadata: no usable "
		    "role name");
		goto out;
	}
	memcpy(role, sb_cstr(&resp), n);
	role[n] = '\0';
	sb_reset(&resp);
	snprintf(url, sizeof(url), "%s/latest/meta-data/iam/security-"
	    "credentials/%s", base, role);
	if (fetch(c, "EC2 metadata credentials", "GET", url, h, 1, NULL,
	    &resp, e) != 0)
		goto out;
	if (from_json(&resp, "EC2 metadata credentials", "Token", out,
	    e) != 0)
		goto out;
	out->source = "imds";
	rc = 1;
out:
	sb_free(&tok);
	sb_free(&resp);
	return rc;
}

/* STS XML: leaves under <Credentials> and <Error>. */
struct sts_doc {
	struct cred	*out;
	char		 exp[64];
	char		 code[128];
	char		 message[256];
	int		 too_long;
};

static int
sts_leaf(void *arg, const struct xml_event *ev, struct err *e)
{
	struct sts_doc *d = arg;
	char *dst = NULL;
	size_t n = 0;

	(void)e;
	if (ev->type != XML_TEXT)
		return 0;
	if (xml_parent_is(ev, "Credentials")) {
		if (xml_is(ev, "AccessKeyId")) {
			dst = d->out->access_key;
			n = sizeof(d->out->access_key);
		} else if (xml_is(ev, "SecretAccessKey")) {
			dst = d->out->secret_key;
			n = sizeof(d->out->secret_key);
		} else if (xml_is(ev, "SessionToken")) {
			dst = d->out->token;
			n = sizeof(d->out->token);
		} else if (xml_is(ev, "Expiration")) {
			dst = d->exp;
			n = sizeof(d->exp);
		}
	} else if (xml_parent_is(ev, "Error")) {
		if (xml_is(ev, "Code")) {
			dst = d->code;
			n = sizeof(d->code);
		} else if (xml_is(ev, "Message")) {
			dst = d->message;
			n = sizeof(d->message);
		}
	}
	if (dst == NULL)
		return 0;
	if (ev->textlen >= n) {
		d->too_long = 1;
		return 0;
	}
	memcpy(dst, ev->text, ev->textlen + 1);
	return 0;
}

static int
from_web_identity(struct cred_chain *c, struct cred *out, struct err *e)
{
	const struct cred_env *v = &c->env;
	struct strbuf tok, body, resp;
	struct http_field h[1] = { { "Content-Type",
	    "application/x-www-form-urlencoded; charset=utf-8" } };
	struct sts_doc d;
	char url[URL_MAX], session[80];
	int rc = -1, status;

	if (!set(v->web_identity_token_file) && !set(v->role_arn))
		return 0;
	if (!set(v->web_identity_token_file) || !set(v->role_arn))
		return err_set(e, ERR_USAGE, "credentials: web identity needs "
		    "both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN");
	if (set(v->sts_endpoint)) {
		const char *hp = strstr(v->sts_endpoint, "://");

		hp = hp != NULL ? hp + 3 : v->sts_endpoint;
		status = snprintf(url, sizeof(url), "%s%s", v->sts_endpoint,
		    strchr(hp, '/') != NULL ? "" : "/");
	}
	else if (set(v->region))
		status = snprintf(url, sizeof(url),
		    "https://sts.%s.amazonaws.com/", v->region);
	else
		status = snprintf(url, sizeof(url),
		    "https://sts.amazonaws.com/");
	if (status >= (int)sizeof(url))
		return err_set(e, ERR_USAGE, "credentials: STS URL too long");
	if (set(v->role_session_name))
		snprintf(session, sizeof(session), "%s", v->role_session_name);
	else
		snprintf(session, sizeof(session), "s3pipe-%llu",
		    (unsigned long long)(now_ms(c) / 1000));
	sb_init(&tok, WEBID_MAX);
	sb_init(&body, 4 * WEBID_MAX);
	sb_init(&resp, RESP_MAX);
	memset(&d, 0, sizeof(d));
	if ((status = read_file(v->web_identity_token_file, WEBID_MAX, &tok,
	    e)) != 1) {
		if (status == 0)
			err_set(e, ERR_IO, "credentials: "
			    "AWS_WEB_IDENTITY_TOKEN_FILE %s does not exist",
			    v->web_identity_token_file);
		goto out;
	}
	while (tok.len > 0 && strchr(" \r\n\t", tok.data[tok.len - 1]))
		tok.data[--tok.len] = '\0';
	url_query_add(&body, "Action", "AssumeRoleWithWebIdentity");
	url_query_add(&body, "RoleArn", v->role_arn);
	url_query_add(&body, "RoleSessionName", session);
	url_query_add(&body, "Version", "2011-06-15");
	url_query_add(&body, "WebIdentityToken", sb_cstr(&tok));
	if (sb_error(&body, "credentials: STS request", e) != 0)
		goto out;
	if (c->fetch == NULL) {
		err_set(e, ERR_UNSUPPORTED, "credentials: web identity needs "
		    "HTTP and no client was given");
		goto out;
	}
	status = 0;
	if (c->fetch(c->fetch_ctx, "POST", url, h, 1, sb_cstr(&body),
	    body.len, &status, &resp, e) != 0) {
		err_prefix(e, "credentials: STS AssumeRoleWithWebIdentity %s",
		    url);
		goto out;
	}
	d.out = out;
	if (resp.failed || xml_walk(sb_cstr(&resp), resp.len, sts_leaf, &d,
	    e) != 0 || d.too_long) {
		err_set(e, ERR_FORMAT, "credentials: STS %s: HTTP %d with a "
		    "malformed or oversized response", url, status);
		goto out;
	}
	if (status < 200 || status > 299 || d.code[0] != '\0') {
		err_set(e, status >= 500 ? ERR_TRANSIENT : ERR_REMOTE,
		    "credentials: STS AssumeRoleWithWebIdentity: HTTP %d %s: "
		    "%s", status, d.code, d.message);
		goto out;
	}
	if (out->access_key[0] == '\0' || out->secret_key[0] == '\0' ||
	    out->token[0] == '\0' || cred_parse_time(d.exp,
	    &out->expires_ms) != 0) {
		err_set(e, ERR_FORMAT, "credentials: STS response lacks "
		    "credentials or a valid Expiration");
		goto out;
	}
	out->source = "web-identity";
	rc = 1;
out:
	sb_free(&tok);
	sb_free(&body);
	sb_free(&resp);
	return rc;
}

/* Walk the chain into *out. 0 or -1. */
static int
resolve(struct cred_chain *c, struct cred *out, struct err *e)
{
	static int (*const src[])(struct cred_chain *, struct cred *,
	    struct err *) = {
		from_env, from_profile, from_web_identity, from_container,
		from_imds
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		cred_clear(out);
		e->kind = ERR_NONE;
		if ((rc = src[i](c, out, e)) == 1)
			return 0;
		if (rc < 0) {
			cred_clear(out);
			/* Metadata is the fallback of last resort: say so. */
			if (src[i] == from_imds)
				err_prefix(e, "no AWS credentials in the "
				    "environment or profile '%.60s', and the EC2 "
				    "metadata fallback failed",
				    set(c->env.profile) ? c->env.profile :
				    "default");
			return -1;
		}
	}
	cred_clear(out);
	return err_set(e, ERR_USAGE, "no AWS credentials: set "
	    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile ('%.60s') "
	    "in the shared config files, or web identity, container or EC2 "
	    "metadata credentials (metadata is %s)",
	    set(c->env.profile) ? c->env.profile : "default",
	    set(c->env.imds_disabled) &&
	    strcasecmp(c->env.imds_disabled, "true") == 0 ? "disabled" :
	    "enabled");
}

int
cred_get(struct cred_chain *c, struct cred *out, struct err *e)
{
	struct cred fresh;
	uint64_t now;
	int rc = 0;

	pthread_mutex_lock(&c->mu);
	now = now_ms(c);
	if (!c->have || (c->cur.expires_ms != 0 &&
	    now + CRED_REFRESH_MS >= c->cur.expires_ms)) {
		if (resolve(c, &fresh, e) == 0) {
			c->cur = fresh;
			c->have = 1;
		} else if (!c->have || c->cur.expires_ms <= now) {
			rc = -1;
		}
		cred_clear(&fresh);
	}
	if (rc == 0)
		*out = c->cur;
	pthread_mutex_unlock(&c->mu);
	return rc;
}
