/*
 * tls_ca.c: trust anchors from a PEM bundle (tls_config_* in tls.h).
 *
 * PEM objects named CERTIFICATE or X509 CERTIFICATE are decoded with
 * br_x509_decoder; each RSA or EC certificate becomes one
 * br_x509_trust_anchor holding copies of its subject DN and public key.
 * A CA certificate (basicConstraints CA) anchors chains; a non-CA one
 * (a self-signed server certificate) anchors only itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl.h>

#include "fdio.h"
#include "tls.h"
#include "tls_int.h"

#define TLS_DER_MAX	(64 * 1024)	/* one certificate */
#define TLS_DN_MAX	(8 * 1024)

struct tls_bytes {
	unsigned char	*p;
	size_t		len;
	size_t		cap;
	size_t		max;
	int		over;
};

static void
bytes_add(void *ctx, const void *buf, size_t len)
{
	struct tls_bytes *b = ctx;
	unsigned char *np;
	size_t ncap;

	if (b->over)
		return;
	if (len > b->max - b->len) {
		b->over = 1;
		return;
	}
	if (b->len + len > b->cap) {
		ncap = b->cap ? b->cap : 2048;
		while (ncap < b->len + len)
			ncap *= 2;
		if (ncap > b->max)
			ncap = b->max;
		np = realloc(b->p, ncap);
		if (np == NULL) {
			b->over = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, buf, len);
	b->len += len;
}

static unsigned char *
dup_bytes(const unsigned char *p, size_t n)
{
	unsigned char *d;

	d = malloc(n ? n : 1);
	if (d != NULL && n > 0)
		memcpy(d, p, n);
	return d;
}

static void
anchor_free(br_x509_trust_anchor *ta)
{
	free(ta->dn.data);
	if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
		free(ta->pkey.key.rsa.n);
		free(ta->pkey.key.rsa.e);
	} else if (ta->pkey.key_type == BR_KEYTYPE_EC) {
		free(ta->pkey.key.ec.q);
	}
	memset(ta, 0, sizeof(*ta));
}

/* 1 added, 0 skipped (unsupported key or bad DER), -1 out of memory. */
static int
add_anchor(struct tls_config *tc, const unsigned char *der, size_t len)
{
	br_x509_decoder_context dc;
	br_x509_trust_anchor ta;
	br_x509_trust_anchor *na;
	const br_x509_pkey *pk;
	struct tls_bytes dn;
	size_t ncap;

	memset(&dn, 0, sizeof(dn));
	dn.max = TLS_DN_MAX;
	br_x509_decoder_init(&dc, bytes_add, &dn);
	br_x509_decoder_push(&dc, der, len);
	pk = br_x509_decoder_get_pkey(&dc);
	if (pk == NULL || dn.over || (pk->key_type != BR_KEYTYPE_RSA &&
	    pk->key_type != BR_KEYTYPE_EC)) {
		free(dn.p);
		return 0;
	}
	if (tc->n == tc->cap) {
		ncap = tc->cap ? tc->cap * 2 : 64;
		na = reallocarray(tc->ta, ncap, sizeof(*na));
		if (na == NULL) {
			free(dn.p);
			return -1;
		}
		tc->ta = na;
		tc->cap = ncap;
	}
	memset(&ta, 0, sizeof(ta));
	ta.dn.data = dn.p != NULL ? dn.p : dup_bytes(NULL, 0);
	ta.dn.len = dn.len;
	ta.flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta.pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta.pkey.key.rsa.n = dup_bytes(pk->key.rsa.n, pk->key.rsa.nlen);
		ta.pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta.pkey.key.rsa.e = dup_bytes(pk->key.rsa.e, pk->key.rsa.elen);
		ta.pkey.key.rsa.elen = pk->key.rsa.elen;
		if (ta.pkey.key.rsa.n == NULL || ta.pkey.key.rsa.e == NULL)
			goto nomem;
	} else {
		ta.pkey.key.ec.curve = pk->key.ec.curve;
		ta.pkey.key.ec.q = dup_bytes(pk->key.ec.q, pk->key.ec.qlen);
		ta.pkey.key.ec.qlen = pk->key.ec.qlen;
		if (ta.pkey.key.ec.q == NULL)
			goto nomem;
	}
	if (ta.dn.data == NULL)
		goto nomem;
	tc->ta[tc->n++] = ta;
	return 1;
nomem:
	anchor_free(&ta);
	return -1;
}

static int
read_file(const char *path, unsigned char **out, size_t *outlen,
    struct err *e)
{
	struct stat st;
	unsigned char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(e, errno, "CA bundle %s", path);
	if (fstat(fd, &st) != 0) {
		close(fd);
		return err_sys(e, errno, "CA bundle %s", path);
	}
	if (st.st_size > TLS_CA_MAX_BYTES) {
		close(fd);
		return err_set(e, ERR_LIMIT, "CA bundle %s: over %d bytes",
		    path, TLS_CA_MAX_BYTES);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return err_set(e, ERR_NOMEM, "CA bundle %s: out of memory",
		    path);
	}
	n = fd_read_full(fd, buf, (size_t)st.st_size);
	if (n < 0) {
		err_sys(e, errno, "CA bundle %s", path);
		close(fd);
		free(buf);
		return -1;
	}
	close(fd);
	*out = buf;
	*outlen = (size_t)n;
	return 0;
}

static int
load_pem(struct tls_config *tc, const char *path, const unsigned char *buf,
    size_t len, struct err *e)
{
	br_pem_decoder_context pc;
	struct tls_bytes der;
	const char *name;
	size_t used;
	int incert;
	int rc;
	int pass;

	memset(&der, 0, sizeof(der));
	der.max = TLS_DER_MAX;
	br_pem_decoder_init(&pc);
	incert = 0;
	rc = 0;
	/* A final newline flushes a bundle that lacks one. */
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass == 1) {
			buf = (const unsigned char *)"\n";
			len = 1;
		}
		while (len > 0 && rc == 0) {
			used = br_pem_decoder_push(&pc, buf, len);
			buf += used;
			len -= used;
			switch (br_pem_decoder_event(&pc)) {
			case BR_PEM_BEGIN_OBJ:
				name = br_pem_decoder_name(&pc);
				incert = strcmp(name, "CERTIFICATE") == 0 ||
				    strcmp(name, "X509 CERTIFICATE") == 0;
				der.len = 0;
				der.over = 0;
				br_pem_decoder_setdest(&pc, incert ?
				    bytes_add : NULL, incert ? &der : NULL);
				break;
			case BR_PEM_END_OBJ:
				if (incert && !der.over &&
				    add_anchor(tc, der.p, der.len) < 0)
					rc = err_set(e, ERR_NOMEM,
					    "CA bundle %s: out of memory",
					    path);
				if (incert && der.over)
					rc = err_set(e, ERR_LIMIT, "CA bundle "
					    "%s: certificate over %d bytes",
					    path, TLS_DER_MAX);
				incert = 0;
				if (tc->n > TLS_CA_MAX_CERTS)
					rc = err_set(e, ERR_LIMIT, "CA bundle "
					    "%s: over %d certificates", path,
					    TLS_CA_MAX_CERTS);
				break;
			case BR_PEM_ERROR:
				rc = err_set(e, ERR_FORMAT,
				    "CA bundle %s: bad PEM", path);
				break;
			default:
				break;
			}
		}
	}
	free(der.p);
	return rc;
}

struct tls_config *
tls_config_new(const char *ca_file, int insecure, struct err *e)
{
	struct tls_config *tc;
	unsigned char *buf = NULL;
	size_t len = 0;

	if (insecure) {
		tc = calloc(1, sizeof(*tc));
		if (tc == NULL)
			err_set(e, ERR_NOMEM, "TLS: out of memory");
		else
			tc->insecure = 1;
		return tc;
	}
	if (ca_file == NULL || *ca_file == '\0')
		ca_file = getenv("AWS_CA_BUNDLE");
	if (ca_file == NULL || *ca_file == '\0')
		ca_file = TLS_DEFAULT_CA;
	if (read_file(ca_file, &buf, &len, e) != 0)
		return NULL;
	tc = tls_config_from_pem(buf, len, ca_file, e);
	free(buf);
	return tc;
}

struct tls_config *
tls_config_from_pem(const void *pem, size_t len, const char *name,
    struct err *e)
{
	struct tls_config *tc;
	int rc;

	if (len > TLS_CA_MAX_BYTES) {
		err_set(e, ERR_LIMIT, "CA bundle %s: over %d bytes", name,
		    TLS_CA_MAX_BYTES);
		return NULL;
	}
	tc = calloc(1, sizeof(*tc));
	if (tc == NULL) {
		err_set(e, ERR_NOMEM, "TLS: out of memory");
		return NULL;
	}
	rc = load_pem(tc, name, pem, len, e);
	if (rc == 0 && tc->n == 0)
		rc = err_set(e, ERR_FORMAT, "CA bundle %s: no RSA or EC "
		    "certificate found", name);
	if (rc != 0) {
		tls_config_free(tc);
		return NULL;
	}
	return tc;
}

size_t
tls_config_anchors(const struct tls_config *tc)
{
	return tc->n;
}

void
tls_config_free(struct tls_config *tc)
{
	size_t i;

	if (tc == NULL)
		return;
	for (i = 0; i < tc->n; i++)
		anchor_free(&tc->ta[i]);
	free(tc->ta);
	free(tc);
}
