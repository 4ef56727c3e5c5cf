#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

#define AWS_DEFAULT_REGION	"us-east-1"

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

void
url_encode(struct strbuf *sb, const char *s, size_t n, int flags)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	char esc[3];
	size_t i, run;

	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && (unreserved(u[i + run]) ||
		    (u[i + run] == '/' && (flags & URL_KEEP_SLASH))); run++)
			;
		if (run > 0) {
			sb_add(sb, s + i, run);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[u[i] >> 4];
		esc[2] = hex[u[i] & 15];
		sb_add(sb, esc, 3);
		run = 1;
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
url_decode(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && n - i >= 3 &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			sb_addc(sb, hi << 4 | lo);
			i += 2;
		} else
			sb_addc(sb, s[i]);
	}
}

void
url_query_add(struct strbuf *sb, const char *name, const char *value)
{
	if (sb->len > 0)
		sb_addc(sb, '&');
	url_encode(sb, name, strlen(name), 0);
	sb_addc(sb, '=');
	if (value != NULL)
		url_encode(sb, value, strlen(value), 0);
}

static int
ci_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int
valid_host_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_';
}

int
url_parse_endpoint(const char *s, struct url_endpoint *ep, struct err *e)
{
	const char *p, *hs, *he, *end;
	size_t n, i;
	unsigned long port;
	char *ep_end;

	memset(ep, 0, sizeof(*ep));
	if (ci_prefix(s, "https://")) {
		ep->tls = 1;
		p = s + 8;
	} else if (ci_prefix(s, "http://")) {
		p = s + 7;
	} else
		return err_set(e, ERR_USAGE,
		    "endpoint URL '%.200s': scheme must be http or https", s);
	end = p + strcspn(p, "/?#");
	if (*end == '?' || *end == '#' || strchr(end, '?') != NULL ||
	    strchr(end, '#') != NULL)
		return err_set(e, ERR_USAGE,
		    "endpoint URL '%.200s': no query or fragment allowed", s);
	if (memchr(p, '@', (size_t)(end - p)) != NULL)
		return err_set(e, ERR_USAGE,
		    "endpoint URL '%.200s': user info not allowed", s);
	if (*p == '[') {
		hs = p + 1;
		if ((he = memchr(hs, ']', (size_t)(end - hs))) == NULL)
			return err_set(e, ERR_USAGE,
			    "endpoint URL '%.200s': unclosed '['", s);
		for (i = 0; hs + i < he; i++)
			if (!isxdigit((unsigned char)hs[i]) && hs[i] != ':' &&
			    hs[i] != '.')
				return err_set(e, ERR_USAGE,
				    "endpoint URL '%.200s': bad IPv6 address",
				    s);
		ep->ipv6 = 1;
		p = he + 1;
	} else {
		hs = p;
		for (he = hs; he < end && *he != ':'; he++)
			if (!valid_host_char((unsigned char)*he))
				return err_set(e, ERR_USAGE,
				    "endpoint URL '%.200s': bad host name", s);
		p = he;
	}
	n = (size_t)(he - hs);
	if (n == 0 || n > URL_HOST_MAX || (ep->ipv6 &&
	    memchr(hs, ':', n) == NULL))
		return err_set(e, ERR_USAGE,
		    "endpoint URL '%.200s': bad or empty host", s);
	for (i = 0; i < n; i++)
		ep->host[i] = (char)tolower((unsigned char)hs[i]);
	ep->host[n] = '\0';
	ep->port = ep->tls ? 443 : 80;
	if (p < end && *p == ':') {
		p++;
		if (p == end || !isdigit((unsigned char)*p))
			return err_set(e, ERR_USAGE,
			    "endpoint URL '%.200s': bad port", s);
		port = strtoul(p, &ep_end, 10);
		if (ep_end != end || port == 0 || port > 65535)
			return err_set(e, ERR_USAGE,
			    "endpoint URL '%.200s': bad port", s);
		ep->port = (unsigned)port;
		ep->port_given = 1;
	} else if (p != end)
		return err_set(e, ERR_USAGE,
		    "endpoint URL '%.200s': bad host", s);
	n = strlen(end);
	while (n > 0 && end[n - 1] == '/')
		n--;
	if (n > URL_PATH_MAX)
		return err_set(e, ERR_USAGE,
		    "endpoint URL '%.200s': path too long", s);
	memcpy(ep->path, end, n);
	ep->path[n] = '\0';
	return 0;
}

void
url_host_header(const struct url_endpoint *ep, char *out, size_t n)
{
	int dflt = ep->port == (ep->tls ? 443u : 80u);

	if (ep->ipv6)
		snprintf(out, n, dflt ? "[%s]" : "[%s]:%u", ep->host, ep->port);
	else
		snprintf(out, n, dflt ? "%s" : "%s:%u", ep->host, ep->port);
}

static int
bucket_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-' || (c >= 'A' && c <= 'Z') || c == '_';
}

int
url_parse_s3(const char *s, struct url_s3 *u, struct err *e)
{
	const char *b, *slash;
	size_t n, i;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, "s3://", 5) != 0)
		return err_set(e, ERR_USAGE,
		    "'%.200s': not an s3://bucket/key URL", s);
	b = s + 5;
	slash = strchr(b, '/');
	n = slash != NULL ? (size_t)(slash - b) : strlen(b);
	if (n == 0 && slash == NULL)
		return 0;
	if (n < 3 || n > URL_BUCKET_MAX)
		return err_set(e, ERR_USAGE,
		    "'%.200s': bucket name must be 3 to 63 characters", s);
	for (i = 0; i < n; i++)
		if (!bucket_char((unsigned char)b[i]))
			return err_set(e, ERR_USAGE,
			    "'%.200s': bad character in bucket name", s);
	memcpy(u->bucket, b, n);
	u->bucket[n] = '\0';
	if (slash == NULL)
		return 0;
	n = strlen(slash + 1);
	if (n > URL_KEY_MAX)
		return err_set(e, ERR_USAGE,
		    "'%.200s...': key longer than %d bytes", s, URL_KEY_MAX);
	memcpy(u->key, slash + 1, n + 1);
	return 0;
}

int
url_bucket_dns_ok(const char *bucket, int tls)
{
	size_t n = strlen(bucket), i;

	if (n < 3 || n > 63 || !isalnum((unsigned char)bucket[0]) ||
	    !isalnum((unsigned char)bucket[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		if (bucket[i] == '.') {
			if (tls || bucket[i + 1] == '.' || bucket[i + 1] == '-' ||
			    (i > 0 && bucket[i - 1] == '-'))
				return 0;
		} else if (!((bucket[i] >= 'a' && bucket[i] <= 'z') ||
		    (bucket[i] >= '0' && bucket[i] <= '9') || bucket[i] == '-'))
			return 0;
	}
	return 1;
}

void
url_s3_env_get(struct url_s3_env *env)
{
	env->endpoint_s3 = getenv("AWS_ENDPOINT_URL_S3");
	env->endpoint = getenv("AWS_ENDPOINT_URL");
	env->region = getenv("AWS_REGION");
	env->default_region = getenv("AWS_DEFAULT_REGION");
}

static const char *
first_set(const char *a, const char *b, const char *c)
{
	if (a != NULL && *a != '\0')
		return a;
	if (b != NULL && *b != '\0')
		return b;
	if (c != NULL && *c != '\0')
		return c;
	return NULL;
}

static int
region_ok(const char *r)
{
	size_t i, n = strlen(r);

	if (n == 0 || n > URL_REGION_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)r[i]) && r[i] != '-')
			return 0;
	return 1;
}

int
url_s3_set_region(struct url_s3_config *c, const char *region,
    struct err *e)
{
	if (!region_ok(region))
		return err_set(e, ERR_USAGE, "bad region name '%.80s'", region);
	memcpy(c->region, region, strlen(region) + 1);
	if (!c->custom) {
		memset(&c->ep, 0, sizeof(c->ep));
		c->ep.tls = 1;
		c->ep.port = 443;
		snprintf(c->ep.host, sizeof(c->ep.host), "s3.%s.amazonaws.com",
		    region);
	}
	return 0;
}

int
url_s3_config(const struct url_s3_env *env, struct url_s3_config *c,
    struct err *e)
{
	const char *ep, *region;

	memset(c, 0, sizeof(*c));
	region = first_set(env->region_flag, env->region, env->default_region);
	if (region == NULL && env->profile_region != NULL &&
	    env->profile_region[0] != '\0')
		region = env->profile_region;
	if (region == NULL)
		region = AWS_DEFAULT_REGION;
	ep = first_set(env->endpoint_flag, env->endpoint_s3, env->endpoint);
	if (ep != NULL) {
		if (url_parse_endpoint(ep, &c->ep, e) != 0)
			return -1;
		c->custom = 1;
		c->path_style = 1;
	}
	if (env->force_path_style)
		c->path_style = 1;
	return url_s3_set_region(c, region, e);
}

int
url_s3_request(const struct url_s3_config *c, const char *bucket,
    const char *key, const char *query, struct url_s3_request *r,
    struct err *e)
{
	int vhost;

	memset(r->host, 0, sizeof(r->host));
	sb_init(&r->path, 4 * URL_KEY_MAX + URL_PATH_MAX + 128);
	sb_init(&r->target, 0);
	if (key == NULL)
		key = "";
	if (*bucket == '\0' && *key != '\0')
		return err_set(e, ERR_USAGE, "a key needs a bucket");
	vhost = *bucket != '\0' && !c->path_style &&
	    url_bucket_dns_ok(bucket, c->ep.tls);
	r->port = c->ep.port;
	r->tls = c->ep.tls;
	if (vhost) {
		if (snprintf(r->host, sizeof(r->host), "%s.%s", bucket,
		    c->ep.host) >= (int)sizeof(r->host))
			return err_set(e, ERR_USAGE, "host name too long");
		if (c->ep.port_given && c->ep.port != (c->ep.tls ? 443u : 80u))
			snprintf(r->host_header, sizeof(r->host_header),
			    "%s:%u", r->host, c->ep.port);
		else
			snprintf(r->host_header, sizeof(r->host_header), "%s",
			    r->host);
	} else {
		memcpy(r->host, c->ep.host, sizeof(r->host));
		url_host_header(&c->ep, r->host_header,
		    sizeof(r->host_header));
	}
	sb_adds(&r->path, c->ep.path);
	if (!vhost && *bucket != '\0') {
		sb_addc(&r->path, '/');
		url_encode(&r->path, bucket, strlen(bucket), 0);
	}
	if (vhost || *key != '\0' || r->path.len == 0)
		sb_addc(&r->path, '/');
	url_encode(&r->path, key, strlen(key), URL_KEEP_SLASH);
	sb_add(&r->target, sb_cstr(&r->path), r->path.len);
	if (query != NULL && *query != '\0') {
		sb_addc(&r->target, '?');
		sb_adds(&r->target, query);
	}
	if (sb_error(&r->path, "request path", e) != 0 ||
	    sb_error(&r->target, "request target", e) != 0)
		return -1;
	return 0;
}

void
url_s3_request_free(struct url_s3_request *r)
{
	sb_free(&r->path);
	sb_free(&r->target);
}
