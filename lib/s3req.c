/*
 * s3req.c: the request engine. One attempt: take a connection (pool or
 * new, TLS when the endpoint is https), sign, send the head and the
 * body, read the answer; then classify and maybe retry with backoff.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "hash/etag.h"
#include "httpconn.h"
#include "retry.h"
#include "s3int.h"
#include "s3xml.h"

#define USER_AGENT	"s3pipe/0.1"

void
s3_call_init(struct s3_call *c, const char *op, const char *method,
    const char *bucket, const char *key)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->method = method;
	c->bucket = bucket;
	c->key = key;
	sb_init(&c->doc, S3_DOC_MAX);
}

void
s3_call_field(struct s3_call *c, const char *name, const char *value)
{
	if (c->nfields < S3_MAX_FIELDS) {
		c->fields[c->nfields].name = name;
		c->fields[c->nfields].value = value;
		c->nfields++;
	}
}

void
s3_call_free(struct s3_call *c)
{
	sb_free(&c->doc);
}

void
s3_header(const struct http_response *r, const char *name, char *out,
    size_t n)
{
	http_get(r, name, out, n);
}

/* --- connections ------------------------------------------------------ */

struct s3_conn {
	struct conn	conn;
	char		key[URL_HOST_MAX + 32];
	int		fd;		/* socket under it, for the pool */
	int		pooled;		/* taken from the pool, not new */
};

static int
conn_get(struct s3_client *cl, const struct url_s3_request *ur, int fresh,
    struct s3_conn *sc, struct err *e)
{
	struct conn raw;
	const struct conn *inner;
	char port[16];

	snprintf(sc->key, sizeof(sc->key), "%s://%s:%u",
	    ur->tls ? "https" : "http", ur->host, ur->port);
	if (!fresh && net_pool_get(cl->pool, sc->key, &sc->conn)) {
		sc->pooled = 1;
		inner = ur->tls ? tls_conn_inner(&sc->conn) : &sc->conn;
		sc->fd = inner ? net_conn_fd(inner) : -1;
		return 0;
	}
	snprintf(port, sizeof(port), "%u", ur->port);
	if (net_connect(ur->host, port, &cl->nopts, &raw, e) != 0)
		return -1;
	sc->fd = net_conn_fd(&raw);
	if (!ur->tls) {
		sc->conn = raw;
		return 0;
	}
	if (cl->tls == NULL)
		return err_set(e, ERR_USAGE, "https endpoint without TLS "
		    "configuration");
	return tls_connect(cl->tls, &raw, ur->host, &sc->conn, e);
}

static void
conn_release(struct s3_client *cl, struct s3_conn *sc, int reusable)
{
	if (sc->conn.close == NULL)
		return;
	if (reusable && sc->fd >= 0)
		net_pool_put(cl->pool, sc->key, &sc->conn, sc->fd);
	else
		sc->conn.close(sc->conn.ctx);
	memset(&sc->conn, 0, sizeof(sc->conn));
}

/* --- request body and response sinks -------------------------------- */

struct body_src {
	struct s3_client	*cl;
	const struct s3_body	*b;
	uint64_t		 off;
	uint64_t		*sent;
};

static ssize_t
body_read(void *arg, void *buf, size_t cap, struct err *e)
{
	struct body_src *s = arg;
	uint64_t left = s->b->len - s->off;
	size_t n = left < cap ? (size_t)left : cap;
	ssize_t got;

	if (n == 0)
		return 0;
	rate_take(&s->cl->rate, n);
	if (s->b->data != NULL)
		memcpy(buf, (const char *)s->b->data + s->off, n);
	else {
		got = pread(s->b->fd, buf, n, s->b->off + (off_t)s->off);
		if (got < 0)
			return err_sys(e, errno, "read");
		if (got == 0)
			return err_set(e, ERR_IO, "input shrank while uploading");
		n = (size_t)got;
	}
	s->off += n;
	*s->sent += n;
	return (ssize_t)n;
}

/* A memory body, handed to the connection in place. */
static ssize_t
body_ref(void *arg, const void **p, size_t cap, struct err *e)
{
	struct body_src *s = arg;
	uint64_t left = s->b->len - s->off;
	size_t n = left < cap ? (size_t)left : cap;

	(void)e;
	if (n == 0)
		return 0;
	rate_take(&s->cl->rate, n);
	*p = (const char *)s->b->data + s->off;
	s->off += n;
	*s->sent += n;
	return (ssize_t)n;
}

struct sink_wrap {
	struct s3_client	*cl;
	struct s3_call		*call;
};

static int
sink_counted(void *arg, const void *buf, size_t len, struct err *e)
{
	struct sink_wrap *w = arg;

	rate_take(&w->cl->rate, len);
	w->call->bytes_in += len;
	return w->call->sink(w->call->arg, buf, len, e);
}

static int
sink_doc(void *arg, const void *buf, size_t len, struct err *e)
{
	struct sink_wrap *w = arg;

	w->call->bytes_in += len;
	sb_add(&w->call->doc, buf, len);
	return sb_error(&w->call->doc, "response document", e);
}

/*
 * May the body go as UNSIGNED-PAYLOAD? Over TLS, yes; over plain HTTP
 * when a signed Content-MD5 binds it, unless the user asked for SHA-256
 * payload signing (the same rule the s3.h header states).
 */
static int
unsigned_ok(const struct s3_client *cl, const struct s3_call *call, int tls)
{
	return tls || (call->md5_signed && !cl->sign_payload);
}

/* Hex SHA-256 of the body, read from memory or the file. */
static int
hash_body(const struct s3_body *b, char out[2 * SHA256_LEN + 1],
    struct err *e)
{
	struct sha256 h;
	uint8_t d[SHA256_LEN], *buf;
	uint64_t off = 0;
	size_t n;
	ssize_t got;

	sha256_init(&h);
	if (b->data != NULL)
		sha256_update(&h, b->data, b->len);
	else {
		if ((buf = malloc(1 << 20)) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		while (off < b->len) {
			n = b->len - off < (1 << 20) ? (size_t)(b->len - off) :
			    (1 << 20);
			got = pread(b->fd, buf, n, b->off + (off_t)off);
			if (got <= 0) {
				free(buf);
				return got < 0 ? err_sys(e, errno, "read") :
				    err_set(e, ERR_IO, "input shrank");
			}
			sha256_update(&h, buf, (size_t)got);
			off += (uint64_t)got;
		}
		free(buf);
	}
	sha256_final(&h, d);
	hex_encode(d, SHA256_LEN, out);
	return 0;
}

/* --- one attempt ---------------------------------------------------- */

/* What an attempt ended with, for the retry decision. */
struct outcome {
	int	status;			/* 0 if no response */
	char	code[S3_CODE_MAX];
	char	message[512];
	char	region[64];		/* a region the server named */
	char	retry_after[64];	/* Retry-After header */
	int	transport;		/* failed below HTTP (reset, timeout) */
	int	stale;			/* a pooled conn died unanswered */
};

static int
read_error_doc(struct httpc *h, struct outcome *o, struct s3_call *call,
    struct err *e)
{
	struct strbuf sb;
	struct s3xml_error xe;
	char buf[8192];
	ssize_t n;
	struct err xerr;

	sb_init(&sb, S3_ERRDOC_MAX);
	while ((n = httpc_read_body(h, buf, sizeof(buf), e)) > 0)
		sb_add(&sb, buf, (size_t)n);
	if (n < 0) {
		sb_free(&sb);
		return -1;
	}
	memset(&xe, 0, sizeof(xe));
	if (sb.len > 0 && s3xml_error(sb.data, sb.len, &xe, &xerr) == 1) {
		s3_copy(o->code, sizeof(o->code), xe.code);
		s3_copy(o->message, sizeof(o->message), xe.message);
		if (xe.region[0])
			s3_copy(o->region, sizeof(o->region), xe.region);
		if (xe.request_id[0] && call->st.request_id[0] == '\0')
			s3_copy(call->st.request_id, sizeof(call->st.request_id), xe.request_id);
	}
	sb_free(&sb);
	return 0;
}

static int
attempt(struct s3_client *cl, struct s3_call *call, struct outcome *o,
    struct err *e)
{
	struct url_s3_config cfg;
	struct url_s3_request ur;
	struct sigv4_header sh[S3_MAX_FIELDS + 4];
	struct sigv4_request sr;
	struct sigv4_creds cr;
	struct sigv4_scope scope;
	struct sigv4_result res;
	struct http_field hf[S3_MAX_FIELDS + 6];
	struct http_request hr;
	const struct http_response *resp;
	struct s3_conn sc;
	struct httpc h;
	struct body_src src;
	struct sink_wrap sw = { cl, call };
	struct cred cur;
	int have_cred = 0;
	const char *phash;
	size_t i, nh = 0, nf = 0;
	int rc = -1, have_h = 0, reusable = 0, sent;

	memset(&sc, 0, sizeof(sc));
	memset(o, 0, sizeof(*o));
	sigv4_result_init(&res);
	memset(&ur, 0, sizeof(ur));

	pthread_mutex_lock(&cl->mu);
	cfg = cl->cfg;
	pthread_mutex_unlock(&cl->mu);
	if (cred_get(&cl->chain, &cur, e) != 0)
		goto out;
	have_cred = 1;
	if (url_s3_request(&cfg, call->bucket ? call->bucket : "",
	    call->key, call->query, &ur, e) != 0)
		goto out;

	/* sign */
	phash = call->body == NULL ? SIGV4_EMPTY_SHA256 :
	    (unsigned_ok(cl, call, ur.tls) ? SIGV4_UNSIGNED_PAYLOAD :
	    call->payload_hash);
	sh[nh].name = "Host";
	sh[nh++].value = ur.host_header;
	for (i = 0; i < call->nfields; i++) {
		sh[nh].name = call->fields[i].name;
		sh[nh++].value = call->fields[i].value;
	}
	memset(&sr, 0, sizeof(sr));
	sr.method = call->method;
	sr.path = sb_cstr(&ur.path);
	sr.query = call->query;
	sr.headers = sh;
	sr.nheaders = nh;
	sr.payload_hash = phash;
	cr.access_key = cur.access_key;
	cr.secret_key = cur.secret_key;
	cr.token = cur.token[0] ? cur.token : NULL;
	memset(&scope, 0, sizeof(scope));
	scope.region = cfg.region;
	scope.service = "s3";
	scope.flags = SIGV4_CONTENT_SHA256;
	if (sigv4_date(time(NULL), scope.amz_date) != 0) {
		err_set(e, ERR_USAGE, "clock out of range");
		goto out;
	}
	if (sigv4_sign_headers(&sr, &cr, &scope, NULL, &res, e) != 0)
		goto out;
	for (i = 0; i < call->nfields; i++)
		hf[nf++] = call->fields[i];
	hf[nf].name = "X-Amz-Date";
	hf[nf++].value = scope.amz_date;
	hf[nf].name = "x-amz-content-sha256";
	hf[nf++].value = phash;
	if (cur.token[0]) {
		hf[nf].name = "X-Amz-Security-Token";
		hf[nf++].value = cur.token;
	}
	hf[nf].name = "Authorization";
	hf[nf++].value = sb_cstr(&res.authorization);
	hf[nf].name = "User-Agent";
	hf[nf++].value = USER_AGENT;

	memset(&hr, 0, sizeof(hr));
	hr.method = call->method;
	hr.target = sb_cstr(&ur.target);
	hr.host = ur.host_header;
	hr.fields = hf;
	hr.nfields = nf;
	hr.body_length = call->body ? (int64_t)call->body->len :
	    (strcmp(call->method, "PUT") == 0 ||
	    strcmp(call->method, "POST") == 0 ? 0 : HTTP_NO_BODY);

	/* send */
	if (conn_get(cl, &ur, call->stale_retry_done, &sc, e) != 0) {
		o->transport = e->kind == ERR_TRANSIENT;
		goto out;
	}
	if (httpc_init(&h, &sc.conn, e) != 0)
		goto out;
	have_h = 1;
	h.head_request = call->head;
	src.cl = cl;
	src.b = call->body;
	src.off = 0;
	src.sent = &call->bytes_out;
	if (call->body != NULL && call->body->data != NULL)
		sent = httpc_send_ref(&h, &hr, body_ref, &src, e);
	else
		sent = httpc_send(&h, &hr, call->body ? body_read : NULL,
		    &src, e);
	if (sent != 0 || (resp = httpc_response(&h, e)) == NULL) {
		o->transport = e->kind == ERR_TRANSIENT || e->kind == ERR_IO;
		/*
		 * An idle connection the server closed just before we used
		 * it: the request went nowhere (no answer byte, no timeout).
		 */
		o->stale = o->transport && sc.pooled && !h.heard &&
		    e->errnum != ETIMEDOUT;
		goto out;
	}
	o->status = resp->status;
	http_get(resp, "x-amz-request-id", call->st.request_id,
	    sizeof(call->st.request_id));
	http_get(resp, "x-amz-bucket-region", o->region, sizeof(o->region));
	http_get(resp, "Retry-After", o->retry_after, sizeof(o->retry_after));

	if (resp->status < 200 || resp->status > 299) {
		if (read_error_doc(&h, o, call, e) != 0) {
			o->transport = 1;
			goto out;
		}
		if (o->code[0] == '\0') {	/* HEAD, or no XML body */
			if (resp->status == 404)
				s3_copy(o->code, sizeof(o->code), "NotFound");
			else if (resp->status == 403)
				s3_copy(o->code, sizeof(o->code), "Forbidden");
			else if (resp->status == 412)
				s3_copy(o->code, sizeof(o->code),
				    "PreconditionFailed");
		}
		reusable = httpc_reusable(&h);
		rc = 1;		/* an S3 refusal: classified by the caller */
		goto out;
	}
	if (call->on_head != NULL && call->on_head(call, resp, e) != 0) {
		o->transport = e->kind == ERR_TRANSIENT;
		goto out;
	}
	if (!call->head) {
		if (httpc_body_to(&h, call->sink ? sink_counted : sink_doc,
		    &sw, e) < 0) {
			o->transport = e->kind == ERR_TRANSIENT;
			goto out;
		}
	}
	reusable = httpc_reusable(&h);
	if (call->check_doc != NULL) {
		int r = call->check_doc(call, o->code, sizeof(o->code),
		    o->message, sizeof(o->message), e);

		if (r < 0)
			goto out;
		if (r == 1) {
			rc = 1;
			goto out;
		}
	}
	rc = 0;
out:
	if (have_h)
		httpc_free(&h);
	conn_release(cl, &sc, reusable && rc >= 0);
	url_s3_request_free(&ur);
	sigv4_result_free(&res);
	if (have_cred)
		cred_clear(&cur);
	return rc;
}

/* --- retries --------------------------------------------------------- */

static void
logf_(struct s3_client *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
logf_(struct s3_client *cl, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (cl->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	cl->log(cl->log_arg, line);
}

static void
record(struct s3_call *call, const struct outcome *o)
{
	unsigned i = call->mop.nstatus;

	if (i >= METRICS_MAX_ATTEMPTS)
		return;
	call->mop.statuses[i] = o->status;
	s3_copy(call->ids[i], sizeof(call->ids[i]), call->st.request_id);
	call->mop.request_ids[i] = call->ids[i];
	call->mop.nstatus++;
}

static void
describe(struct s3_call *call, const struct outcome *o, const struct err *te,
    struct err *e, enum err_kind kind)
{
	char where[1200], what[800];

	if (call->key && call->key[0])
		snprintf(where, sizeof(where), "%s s3://%s/%s", call->op,
		    call->bucket, call->key);
	else if (call->bucket && call->bucket[0])
		snprintf(where, sizeof(where), "%s s3://%s", call->op,
		    call->bucket);
	else
		s3_copy(where, sizeof(where), call->op);
	if (o->status != 0)
		snprintf(what, sizeof(what), "%d%s%s%s%s", o->status,
		    o->code[0] ? " " : "", o->code, o->message[0] ? ": " : "",
		    o->message);
	else
		s3_copy(what, sizeof(what), te->msg);
	err_set(e, kind, "%s: %s (request id %s, %u attempt%s)", where, what,
	    call->st.request_id[0] ? call->st.request_id : "none",
	    call->st.attempts, call->st.attempts == 1 ? "" : "s");
}

int
s3_call_run(struct s3_client *cl, struct s3_call *call, struct err *e)
{
	struct outcome o;
	struct err te;
	struct retry_attempt ra;
	struct retry_outcome ro;
	uint64_t t0 = cl->clock->now_ns(cl->clock->ctx);
	int rc, again;

	memset(&te, 0, sizeof(te));
	if (call->body != NULL && !unsigned_ok(cl, call, cl->cfg.ep.tls) &&
	    hash_body(call->body, call->payload_hash, e) != 0)
		return -1;
	retry_begin(&ra);
	for (;;) {
		call->st.request_id[0] = '\0';
		if (call->prepare != NULL && call->prepare(call, e) != 0)
			return -1;
		sb_reset(&call->doc);
		call->st.attempts++;
		te.kind = ERR_NONE;
		te.msg[0] = '\0';
		rc = attempt(cl, call, &o, &te);
		call->st.http_status = o.status;
		s3_copy(call->st.code, sizeof(call->st.code), o.code);
		record(call, &o);
		logf_(cl, "%s %s%s%s -> %d%s%s (request id %s)", call->method,
		    call->bucket ? call->bucket : "", call->key ? "/" : "",
		    call->key ? call->key : "", o.status,
		    o.code[0] || te.msg[0] ? " " : "",
		    o.code[0] ? o.code : te.msg,
		    call->st.request_id[0] ? call->st.request_id : "none");
		if (rc == 0) {
			retry_success(&cl->retry, &ra);
			break;
		}
		/* another region: re-sign there once, not counted as a retry */
		if (rc == 1 && o.region[0] && !call->region_retry_done &&
		    (o.status == 301 || o.status == 400) && !cl->region_locked) {
			call->region_retry_done = 1;
			pthread_mutex_lock(&cl->mu);
			again = strcmp(cl->cfg.region, o.region) != 0 &&
			    url_s3_set_region(&cl->cfg, o.region, &te) == 0;
			pthread_mutex_unlock(&cl->mu);
			if (again) {
				logf_(cl, "bucket %s is in region %s; re-signing",
				    call->bucket, o.region);
				continue;
			}
		}
		/*
		 * A pooled connection that had died: send again at once on a
		 * new one, outside the retry budget (the server never saw the
		 * request, so even --retries 0 should not fail on it).
		 */
		if (rc < 0 && o.stale && !call->stale_retry_done) {
			call->stale_retry_done = 1;
			logf_(cl, "idle connection closed by the server (%s); "
			    "sending %s again on a new one", te.msg, call->op);
			continue;
		}
		memset(&ro, 0, sizeof(ro));
		ro.kind = rc < 0 ? te.kind : ERR_NONE;
		ro.errnum = te.errnum;
		ro.status = rc < 0 ? 0 : o.status;
		ro.code = o.code[0] ? o.code : NULL;
		ro.retry_after = o.retry_after[0] ? o.retry_after : NULL;
		if (rc < 0 && !o.transport && te.kind != ERR_TRANSIENT &&
		    te.kind != ERR_FORMAT) {
			/* a local failure (usage, memory, input): not retried */
			*e = te;
			err_prefix(e, "%s", call->op);
			rc = -1;
			break;
		}
		if (!retry_decide(&cl->retry, &ra, &ro)) {
			if (rc < 0)	/* failed below HTTP: say how */
				o.status = 0;
			describe(call, &o, &te, e,
			    retry_classify(&ro) != RETRY_NEVER ? ERR_TRANSIENT :
			    (rc < 0 ? te.kind : ERR_REMOTE));
			if (retry_classify(&ro) != RETRY_NEVER) {
				size_t n = strlen(e->msg);

				snprintf(e->msg + n, sizeof(e->msg) - n, ": %s",
				    ra.why);
			}
			rc = -1;
			break;
		}
		pthread_mutex_lock(&cl->mu);
		cl->totals.retries++;
		pthread_mutex_unlock(&cl->mu);
		logf_(cl, "retrying %s (attempt %u) in %.3f s after %s",
		    call->op, call->st.attempts + 1,
		    (double)ra.delay_ms / 1e3, o.status && o.code[0] ? o.code :
		    (te.msg[0] ? te.msg : "an error status"));
		retry_wait(&cl->retry, &ra);
	}
	pthread_mutex_lock(&cl->mu);
	cl->totals.requests += call->st.attempts;
	cl->totals.bytes_out += call->bytes_out;
	cl->totals.bytes_in += call->bytes_in;
	pthread_mutex_unlock(&cl->mu);
	call->mop.op = call->op;
	call->mop.bucket = call->bucket;
	call->mop.key = call->key;
	call->mop.part = call->part;
	call->mop.status = call->st.http_status;
	call->mop.bytes_out = call->bytes_out;
	call->mop.bytes_in = call->bytes_in;
	call->mop.attempts = call->st.attempts;
	call->mop.seconds = (double)(cl->clock->now_ns(cl->clock->ctx) - t0) /
	    1e9;
	call->mop.error = rc == 0 ? NULL : e->msg;
	metrics_write(cl->metrics, &call->mop);
	return rc == 0 ? 0 : -1;
}
