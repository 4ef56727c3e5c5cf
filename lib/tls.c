/*
 * tls.c: BearSSL client conn (see tls.h).
 *
 * The engine is pumped the way br_sslio does it: outgoing records are
 * written to the inner conn (which batches them), and the inner conn is
 * flushed only before we wait for incoming records or on tls flush.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>

#include "net.h"
#include "tls.h"
#include "tls_int.h"

/* Accept-anything X.509 engine for --insecure: keeps the leaf key. */
struct tls_noverify {
	const br_x509_class	*vtable;
	br_x509_decoder_context	dec;
	int			depth;
};

/* Ciphertext read ahead when more is sure to come (see tls_feed). */
#define TLS_READAHEAD	(256 * 1024)

struct tls_conn {
	br_ssl_client_context	sc;
	br_x509_minimal_context	xc;
	struct tls_noverify	nv;
	struct conn		inner;
	uint64_t		sure;		/* bytes the peer must still send */
	int			broken;		/* sticky I/O failure */
	char			host[256];
	size_t			raoff;		/* unread: ra[raoff..ralen) */
	size_t			ralen;
	unsigned char		iobuf[BR_SSL_BUFSIZE_BIDI];
	unsigned char		ra[TLS_READAHEAD];
};

static const uint16_t tls_suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	BR_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	BR_TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	BR_TLS_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_RSA_WITH_AES_128_CBC_SHA256,
	BR_TLS_RSA_WITH_AES_256_CBC_SHA256,
	BR_TLS_RSA_WITH_AES_128_CBC_SHA,
	BR_TLS_RSA_WITH_AES_256_CBC_SHA,
};

static const struct {
	uint16_t	id;
	const char	*name;
} tls_suite_names[] = {
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	    "ECDHE-ECDSA-AES128-GCM-SHA256" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	    "ECDHE-RSA-AES128-GCM-SHA256" },
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	    "ECDHE-ECDSA-AES256-GCM-SHA384" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	    "ECDHE-RSA-AES256-GCM-SHA384" },
	{ BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	    "ECDHE-ECDSA-CHACHA20-POLY1305" },
	{ BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	    "ECDHE-RSA-CHACHA20-POLY1305" },
	{ BR_TLS_RSA_WITH_AES_128_GCM_SHA256, "AES128-GCM-SHA256" },
	{ BR_TLS_RSA_WITH_AES_256_GCM_SHA384, "AES256-GCM-SHA384" },
};

static const struct {
	int		code;
	const char	*name;
	const char	*text;
} tls_errors[] = {
	{ BR_ERR_X509_EXPIRED, "BR_ERR_X509_EXPIRED",
	    "certificate expired or not yet valid" },
	{ BR_ERR_X509_BAD_SERVER_NAME, "BR_ERR_X509_BAD_SERVER_NAME",
	    "certificate does not match host name" },
	{ BR_ERR_X509_NOT_TRUSTED, "BR_ERR_X509_NOT_TRUSTED",
	    "certificate not trusted (issuer not in CA bundle)" },
	{ BR_ERR_X509_NOT_CA, "BR_ERR_X509_NOT_CA",
	    "issuer certificate is not a CA" },
	{ BR_ERR_X509_BAD_SIGNATURE, "BR_ERR_X509_BAD_SIGNATURE",
	    "certificate signature invalid" },
	{ BR_ERR_X509_EMPTY_CHAIN, "BR_ERR_X509_EMPTY_CHAIN",
	    "server sent no certificate" },
	{ BR_ERR_X509_WEAK_PUBLIC_KEY, "BR_ERR_X509_WEAK_PUBLIC_KEY",
	    "certificate key too weak" },
	{ BR_ERR_X509_UNSUPPORTED, "BR_ERR_X509_UNSUPPORTED",
	    "certificate uses an unsupported algorithm" },
	{ BR_ERR_X509_CRITICAL_EXTENSION, "BR_ERR_X509_CRITICAL_EXTENSION",
	    "certificate has an unknown critical extension" },
	{ BR_ERR_X509_FORBIDDEN_KEY_USAGE, "BR_ERR_X509_FORBIDDEN_KEY_USAGE",
	    "certificate key usage forbids this use" },
	{ BR_ERR_X509_WRONG_KEY_TYPE, "BR_ERR_X509_WRONG_KEY_TYPE",
	    "certificate key type does not match" },
	{ BR_ERR_X509_LIMIT_EXCEEDED, "BR_ERR_X509_LIMIT_EXCEEDED",
	    "certificate chain exceeds limits" },
	{ BR_ERR_X509_TIME_UNKNOWN, "BR_ERR_X509_TIME_UNKNOWN",
	    "current time unknown" },
	{ BR_ERR_X509_DN_MISMATCH, "BR_ERR_X509_DN_MISMATCH",
	    "certificate chain names do not link" },
	{ BR_ERR_BAD_VERSION, "BR_ERR_BAD_VERSION",
	    "server does not speak TLS 1.2" },
	{ BR_ERR_UNSUPPORTED_VERSION, "BR_ERR_UNSUPPORTED_VERSION",
	    "server chose an unsupported TLS version" },
	{ BR_ERR_BAD_CIPHER_SUITE, "BR_ERR_BAD_CIPHER_SUITE",
	    "server chose a cipher suite we did not offer" },
	{ BR_ERR_BAD_MAC, "BR_ERR_BAD_MAC", "record authentication failed" },
	{ BR_ERR_BAD_SIGNATURE, "BR_ERR_BAD_SIGNATURE",
	    "server key exchange signature invalid" },
	{ BR_ERR_UNKNOWN_TYPE, "BR_ERR_UNKNOWN_TYPE",
	    "peer is not speaking TLS" },
	{ BR_ERR_BAD_LENGTH, "BR_ERR_BAD_LENGTH",
	    "malformed record (peer is not speaking TLS?)" },
	{ BR_ERR_BAD_HANDSHAKE, "BR_ERR_BAD_HANDSHAKE",
	    "malformed handshake message" },
	{ BR_ERR_UNEXPECTED, "BR_ERR_UNEXPECTED", "unexpected message" },
	{ BR_ERR_WRONG_KEY_USAGE, "BR_ERR_WRONG_KEY_USAGE",
	    "server key usage does not allow the key exchange" },
	{ BR_ERR_IO, "BR_ERR_IO", "I/O error" },
};

static ssize_t	tls_read(void *, void *, size_t, struct err *);
static int	tls_write(void *, const void *, size_t, struct err *);
static int	tls_flush(void *, struct err *);
static void	tls_close(void *);

/* --- the accept-anything X.509 engine --- */

static void
nv_start_chain(const br_x509_class **ctx, const char *server_name)
{
	struct tls_noverify *nv = (struct tls_noverify *)(void *)ctx;

	(void)server_name;
	nv->depth = 0;
}

static void
nv_start_cert(const br_x509_class **ctx, uint32_t length)
{
	struct tls_noverify *nv = (struct tls_noverify *)(void *)ctx;

	(void)length;
	if (nv->depth == 0)
		br_x509_decoder_init(&nv->dec, NULL, NULL);
}

static void
nv_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct tls_noverify *nv = (struct tls_noverify *)(void *)ctx;

	if (nv->depth == 0)
		br_x509_decoder_push(&nv->dec, buf, len);
}

static void
nv_end_cert(const br_x509_class **ctx)
{
	struct tls_noverify *nv = (struct tls_noverify *)(void *)ctx;

	nv->depth++;
}

static unsigned
nv_end_chain(const br_x509_class **ctx)
{
	struct tls_noverify *nv = (struct tls_noverify *)(void *)ctx;
	int err;

	if (nv->depth == 0)
		return BR_ERR_X509_EMPTY_CHAIN;
	err = br_x509_decoder_last_error(&nv->dec);
	if (err != 0)
		return (unsigned)err;
	return br_x509_decoder_get_pkey(&nv->dec) != NULL ? 0 :
	    BR_ERR_X509_UNSUPPORTED;
}

static const br_x509_pkey *
nv_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	struct tls_noverify *nv = (struct tls_noverify *)(void *)ctx;

	if (usages != NULL)
		*usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
	return br_x509_decoder_get_pkey(&nv->dec);
}

static const br_x509_class tls_noverify_vtable = {
	sizeof(struct tls_noverify),
	nv_start_chain,
	nv_start_cert,
	nv_append,
	nv_end_cert,
	nv_end_chain,
	nv_get_pkey
};

/* --- errors --- */

static const char *
tls_alert_name(int a)
{
	switch (a) {
	case 40: return " (handshake_failure: no common cipher suite?)";
	case 42: return " (bad_certificate)";
	case 48: return " (unknown_ca)";
	case 70: return " (protocol_version: server refuses TLS 1.2)";
	case 71: return " (insufficient_security)";
	case 80: return " (internal_error)";
	case 112: return " (unrecognized_name: SNI refused)";
	default: return "";
	}
}

static int
tls_engine_err(struct tls_conn *t, struct err *e)
{
	int code;
	size_t i;

	code = br_ssl_engine_last_error(&t->sc.eng);
	if (code >= BR_ERR_SEND_FATAL_ALERT)
		return err_set(e, ERR_REMOTE, "TLS %s: handshake failed: we "
		    "sent fatal alert %d%s", t->host,
		    code - BR_ERR_SEND_FATAL_ALERT,
		    tls_alert_name(code - BR_ERR_SEND_FATAL_ALERT));
	if (code >= BR_ERR_RECV_FATAL_ALERT)
		return err_set(e, ERR_REMOTE, "TLS %s: handshake failed: "
		    "server sent fatal alert %d%s", t->host,
		    code - BR_ERR_RECV_FATAL_ALERT,
		    tls_alert_name(code - BR_ERR_RECV_FATAL_ALERT));
	for (i = 0; i < sizeof(tls_errors) / sizeof(tls_errors[0]); i++)
		if (tls_errors[i].code == code)
			return err_set(e, ERR_REMOTE, "TLS %s: %s (%s)",
			    t->host, tls_errors[i].text, tls_errors[i].name);
	if (code >= BR_ERR_X509_OK && code < BR_ERR_X509_OK + 64)
		return err_set(e, ERR_REMOTE, "TLS %s: bad certificate "
		    "(BearSSL X.509 error %d)", t->host, code);
	return err_set(e, ERR_REMOTE, "TLS %s: failed (BearSSL error %d)",
	    t->host, code);
}

/* --- the engine pump --- */

/*
 * Bytes the peer is bound to send from now on, with len bytes of the
 * current record still to come: at least those, and at least t->sure
 * (what tls_conn_expect promised, less what was read since), at most
 * max.
 */
static size_t
tls_sure(const struct tls_conn *t, size_t len, size_t max)
{
	uint64_t n;

	n = t->sure > len ? t->sure : len;
	return n > max ? max : (size_t)n;
}

/*
 * Give the engine the bytes it asks for (len at buf: the rest of the
 * current record, or a record header). Bytes read ahead go first. When
 * more is sure to come than the engine asks for, read that much ahead
 * in one call, so a few syscalls serve many records; never more, so
 * nothing beyond the expected body is taken from the socket. > 0 bytes
 * given, 0 at end of stream, -1 with e.
 */
static ssize_t
tls_feed(struct tls_conn *t, unsigned char *buf, size_t len, struct err *e)
{
	size_t want;
	ssize_t n;

	if (t->raoff == t->ralen) {
		t->raoff = t->ralen = 0;
		want = tls_sure(t, len, sizeof(t->ra));
		net_conn_wait_min(&t->inner, tls_sure(t, len,
		    NET_WAIT_MIN_MAX));
		if (want <= len)
			n = t->inner.read(t->inner.ctx, buf, len, e);
		else
			n = t->inner.read(t->inner.ctx, t->ra, want, e);
		if (n <= 0)
			return n;
		t->sure -= (uint64_t)n < t->sure ? (uint64_t)n : t->sure;
		if (want <= len)
			return n;
		t->ralen = (size_t)n;
	}
	n = (ssize_t)(t->ralen - t->raoff < len ? t->ralen - t->raoff : len);
	memcpy(buf, t->ra + t->raoff, (size_t)n);
	t->raoff += (size_t)n;
	return n;
}

/*
 * Run the engine until one of the target states is reached. 0 on
 * success, 1 when the engine closed cleanly, -1 on error.
 */
static int
tls_run(struct tls_conn *t, unsigned target, struct err *e)
{
	br_ssl_engine_context *eng = &t->sc.eng;
	unsigned char *buf;
	unsigned state;
	size_t len;
	ssize_t n;

	if (t->broken)
		return err_set(e, ERR_TRANSIENT, "TLS %s: connection "
		    "already failed", t->host);
	for (;;) {
		state = br_ssl_engine_current_state(eng);
		if (state & BR_SSL_CLOSED) {
			if (br_ssl_engine_last_error(eng) == BR_ERR_OK)
				return 1;
			t->broken = 1;
			return tls_engine_err(t, e);
		}
		if (state & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			if (t->inner.write(t->inner.ctx, buf, len, e) != 0)
				goto ioerr;
			br_ssl_engine_sendrec_ack(eng, len);
			continue;
		}
		if (state & target)
			return 0;
		if (state & BR_SSL_RECVREC) {
			if (t->raoff == t->ralen &&
			    t->inner.flush(t->inner.ctx, e) != 0)
				goto ioerr;
			buf = br_ssl_engine_recvrec_buf(eng, &len);
			n = tls_feed(t, buf, len, e);
			if (n < 0)
				goto ioerr;
			if (n == 0) {
				t->broken = 1;
				err_set(e, ERR_TRANSIENT, "TLS %s: connection "
				    "closed by peer without close_notify "
				    "(truncated)", t->host);
				return -1;
			}
			br_ssl_engine_recvrec_ack(eng, (size_t)n);
			continue;
		}
		/* Pending application data blocks the way: send it. */
		br_ssl_engine_flush(eng, 0);
		if ((br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) == 0) {
			t->broken = 1;
			return err_set(e, ERR_REMOTE, "TLS %s: engine stuck "
			    "(state %u)", t->host, state);
		}
	}
ioerr:
	t->broken = 1;
	return err_prefix(e, "TLS %s", t->host);
}

int
tls_connect(const struct tls_config *tc, struct conn *inner,
    const char *server_name, struct conn *out, struct err *e)
{
	br_ssl_engine_context *eng;
	struct tls_conn *t;
	size_t nlen;
	int r;

	nlen = server_name != NULL ? strlen(server_name) : 0;
	if (nlen == 0 || nlen > 255) {
		inner->close(inner->ctx);
		return err_set(e, ERR_USAGE, "TLS: bad server name");
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		inner->close(inner->ctx);
		return err_set(e, ERR_NOMEM, "TLS: out of memory");
	}
	t->inner = *inner;
	memcpy(t->host, server_name, nlen + 1);
	eng = &t->sc.eng;
	br_ssl_client_init_full(&t->sc, &t->xc, tc->ta, tc->n);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(eng, tls_suites,
	    sizeof(tls_suites) / sizeof(tls_suites[0]));
	/* Picks AES-NI + PCLMUL when present, else constant-time code. */
	br_ssl_engine_set_default_aes_gcm(eng);
	if (tc->insecure) {
		t->nv.vtable = &tls_noverify_vtable;
		br_ssl_engine_set_x509(eng, &t->nv.vtable);
	}
	br_ssl_engine_set_buffer(eng, t->iobuf, sizeof(t->iobuf), 1);
	if (!br_ssl_client_reset(&t->sc, t->host, 0)) {
		tls_engine_err(t, e);
		tls_close(t);
		return -1;
	}
	r = tls_run(t, BR_SSL_SENDAPP, e);
	if (r != 0) {
		if (r == 1)
			err_set(e, ERR_TRANSIENT, "TLS %s: closed during "
			    "handshake", t->host);
		tls_close(t);
		return -1;
	}
	out->read = tls_read;
	out->write = tls_write;
	out->flush = tls_flush;
	out->close = tls_close;
	out->ctx = t;
	return 0;
}

const struct conn *
tls_conn_inner(const struct conn *c)
{
	if (c == NULL || c->read != tls_read || c->ctx == NULL)
		return NULL;
	return &((struct tls_conn *)c->ctx)->inner;
}

const char *
tls_conn_suite(const struct conn *c)
{
	br_ssl_session_parameters sp;
	struct tls_conn *t;
	uint16_t id;
	size_t i;

	if (c == NULL || c->read != tls_read || c->ctx == NULL)
		return "?";
	t = c->ctx;
	br_ssl_engine_get_session_parameters(&t->sc.eng, &sp);
	id = sp.cipher_suite;
	explicit_bzero(&sp, sizeof(sp));	/* holds the master secret */
	for (i = 0; i < sizeof(tls_suite_names) / sizeof(tls_suite_names[0]);
	    i++)
		if (tls_suite_names[i].id == id)
			return tls_suite_names[i].name;
	return "other";
}

void
tls_conn_expect(struct conn *c, uint64_t bytes)
{
	/*
	 * Ciphertext is never shorter than its plaintext, and the record
	 * being received may hold part of it already.
	 */
	if (c != NULL && c->read == tls_read && c->ctx != NULL)
		((struct tls_conn *)c->ctx)->sure = bytes >
		    BR_SSL_BUFSIZE_INPUT ? bytes - BR_SSL_BUFSIZE_INPUT : 0;
}

/* Decrypted bytes at *p: count > 0, 0 at clean close, -1 with e. */
static ssize_t
tls_recvapp(struct tls_conn *t, unsigned char **p, struct err *e)
{
	br_ssl_engine_context *eng = &t->sc.eng;
	size_t avail;
	int r;

	/* A reader waits for a reply: whatever was written must go out. */
	br_ssl_engine_flush(eng, 0);
	r = tls_run(t, BR_SSL_RECVAPP, e);
	t->sure = 0;
	if (r < 0)
		return -1;
	if (r == 1)
		return 0;
	*p = br_ssl_engine_recvapp_buf(eng, &avail);
	return (ssize_t)avail;
}

ssize_t
tls_conn_peek(struct conn *c, const void **p, size_t max, struct err *e)
{
	unsigned char *buf;
	ssize_t n;

	if (c == NULL || c->read != tls_read || c->ctx == NULL)
		return err_set(e, ERR_USAGE, "TLS peek: not a TLS conn");
	if (max == 0)
		return err_set(e, ERR_USAGE, "TLS peek: zero length");
	n = tls_recvapp(c->ctx, &buf, e);
	if (n <= 0)
		return n;
	*p = buf;
	return (size_t)n > max ? (ssize_t)max : n;
}

void
tls_conn_consume(struct conn *c, size_t n)
{
	struct tls_conn *t;
	size_t avail;

	if (c == NULL || c->read != tls_read || c->ctx == NULL || n == 0)
		return;
	t = c->ctx;
	if (br_ssl_engine_recvapp_buf(&t->sc.eng, &avail) != NULL &&
	    n <= avail)
		br_ssl_engine_recvapp_ack(&t->sc.eng, n);
}

static ssize_t
tls_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct tls_conn *t = ctx;
	unsigned char *p;
	ssize_t n;

	if (len == 0)
		return err_set(e, ERR_USAGE, "TLS read: zero length");
	n = tls_recvapp(t, &p, e);
	if (n <= 0)
		return n;
	if ((size_t)n > len)
		n = (ssize_t)len;
	memcpy(buf, p, (size_t)n);
	br_ssl_engine_recvapp_ack(&t->sc.eng, (size_t)n);
	return n;
}

static int
tls_write(void *ctx, const void *buf, size_t len, struct err *e)
{
	struct tls_conn *t = ctx;
	br_ssl_engine_context *eng = &t->sc.eng;
	const unsigned char *src = buf;
	unsigned char *p;
	size_t avail;
	int r;

	while (len > 0) {
		r = tls_run(t, BR_SSL_SENDAPP, e);
		if (r == 1)
			return err_set(e, ERR_TRANSIENT, "TLS %s: closed by "
			    "peer while writing", t->host);
		if (r < 0)
			return -1;
		p = br_ssl_engine_sendapp_buf(eng, &avail);
		if (avail > len)
			avail = len;
		memcpy(p, src, avail);
		br_ssl_engine_sendapp_ack(eng, avail);
		src += avail;
		len -= avail;
	}
	return 0;
}

static int
tls_flush(void *ctx, struct err *e)
{
	struct tls_conn *t = ctx;
	br_ssl_engine_context *eng = &t->sc.eng;
	unsigned char *buf;
	size_t len;

	if (t->broken)
		return err_set(e, ERR_TRANSIENT, "TLS %s: connection "
		    "already failed", t->host);
	br_ssl_engine_flush(eng, 0);
	while (br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) {
		buf = br_ssl_engine_sendrec_buf(eng, &len);
		if (t->inner.write(t->inner.ctx, buf, len, e) != 0) {
			t->broken = 1;
			return err_prefix(e, "TLS %s", t->host);
		}
		br_ssl_engine_sendrec_ack(eng, len);
	}
	if (br_ssl_engine_current_state(eng) & BR_SSL_CLOSED &&
	    br_ssl_engine_last_error(eng) != BR_ERR_OK) {
		t->broken = 1;
		return tls_engine_err(t, e);
	}
	if (t->inner.flush(t->inner.ctx, e) != 0) {
		t->broken = 1;
		return err_prefix(e, "TLS %s", t->host);
	}
	return 0;
}

static void
tls_close(void *ctx)
{
	struct tls_conn *t = ctx;
	br_ssl_engine_context *eng;
	struct err ignored;
	unsigned char *buf;
	size_t len;

	if (t == NULL)
		return;
	eng = &t->sc.eng;
	/* Best effort close_notify; the peer may be gone already. */
	if (!t->broken &&
	    (br_ssl_engine_current_state(eng) & BR_SSL_CLOSED) == 0) {
		br_ssl_engine_close(eng);
		while (br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			if (t->inner.write(t->inner.ctx, buf, len,
			    &ignored) != 0)
				break;
			br_ssl_engine_sendrec_ack(eng, len);
		}
		(void)t->inner.flush(t->inner.ctx, &ignored);
	}
	t->inner.close(t->inner.ctx);
	/* ra holds only ciphertext, as sent on the wire: no need to wipe */
	explicit_bzero(t, offsetof(struct tls_conn, ra));
	free(t);
}
