/*
 * tls.h: TLS 1.2 client conns over another conn, with BearSSL.
 *
 * A struct tls_config holds the trust anchors parsed from a PEM bundle;
 * it is read-only after tls_config_new, so threads share one. tls_connect
 * wraps a connected conn (usually from net_connect), runs the handshake
 * at once so certificate problems surface there, and returns a conn
 * that encrypts. The handshake:
 *   - sends SNI and verifies the chain and the host name with BearSSL's
 *     minimal X.509 engine. That engine matches DNS names only (no IP
 *     address SANs): connect by name ("localhost", not "127.0.0.1");
 *   - offers TLS 1.2 only (BearSSL has no 1.3), ECDHE and AES-GCM suites
 *     first (AES-NI/PCLMUL when the CPU has them), then ChaCha20, then
 *     CBC;
 *   - with insecure set, accepts any certificate (no chain, name or date
 *     check). Only for an explicit --insecure.
 *
 * Writes are buffered into one TLS record (up to 16 KiB of plaintext)
 * until flush or until the record is full, so a request head and a small
 * body travel as one record. Reads flush pending writes first.
 *
 * Reads take one record at a time from the inner conn (header, then
 * body), so nothing past what the caller needs leaves the socket, except
 * after tls_conn_expect: then the bytes the peer is bound to send anyway
 * are read ahead in one call (up to 256 KiB) and the inner conn is told
 * to sleep until that much is there (net_conn_wait_min), so one wake-up
 * and one syscall serve several records.
 *
 * The server picks the suite among those offered (most servers by their
 * own order: OpenSSL-based ones such as Swift's take AES-256-GCM, and
 * ChaCha20 before AES-128-GCM), so the offer is not trimmed for speed.
 *
 * Errors: a certificate or handshake refusal is ERR_REMOTE with a
 * message naming the BearSSL error (e.g. "certificate not trusted
 * (BR_ERR_X509_NOT_TRUSTED)" or "certificate does not match host name
 * (BR_ERR_X509_BAD_SERVER_NAME)"); an I/O failure below keeps the inner
 * conn's kind (ERR_TRANSIENT for resets and timeouts); a peer that
 * closes without close_notify gives ERR_TRANSIENT ("truncated").
 * tls_close wipes all buffers and session keys (explicit_bzero), except
 * the read-ahead buffer, which holds only ciphertext as sent on the wire.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "err.h"

#define TLS_DEFAULT_CA	"/etc/ssl/certs/ca-certificates.crt"
#define TLS_CA_MAX_BYTES	(16 * 1024 * 1024)
#define TLS_CA_MAX_CERTS	4096

struct tls_config;

/*
 * Load trust anchors from the PEM file ca_file (NULL or "": the
 * AWS_CA_BUNDLE variable, else TLS_DEFAULT_CA). Certificates with RSA or
 * EC keys become anchors; others are skipped. A file with no usable
 * certificate is an error unless insecure is set, in which case the
 * file is not read at all. NULL with err on failure.
 */
struct tls_config *tls_config_new(const char *ca_file, int insecure,
	    struct err *);

/*
 * As tls_config_new, from PEM text in memory (at most TLS_CA_MAX_BYTES;
 * name is used in messages only). Never reads the environment.
 */
struct tls_config *tls_config_from_pem(const void *pem, size_t len,
	    const char *name, struct err *);

/* Number of trust anchors loaded. */
size_t	tls_config_anchors(const struct tls_config *);

void	tls_config_free(struct tls_config *);

/*
 * Handshake over *inner as a client of server_name (used for SNI and
 * name verification; at most 255 bytes). On success *out is the TLS conn
 * and owns *inner. On failure *inner is closed too. The config must
 * outlive the conn.
 */
int	tls_connect(const struct tls_config *, struct conn *inner,
	    const char *server_name, struct conn *out, struct err *);

/* The conn under a tls_connect conn, or NULL for any other conn. */
const struct conn *tls_conn_inner(const struct conn *);

/* Negotiated cipher suite name, e.g. "ECDHE-RSA-AES128-GCM-SHA256". */
const char *tls_conn_suite(const struct conn *);

/*
 * Hint for the next read or peek of a tls_connect conn (no-op for any
 * other conn): the peer is bound to send at least bytes more plaintext
 * (the rest of a Content-Length body). Waits for records then end only
 * once about that much ciphertext is there (net_conn_wait_min), so one
 * wake-up serves several records. Cleared by the read.
 */
void	tls_conn_expect(struct conn *, uint64_t bytes);

/*
 * Zero-copy read of a tls_connect conn: as conn->read, but instead of
 * copying, points *p at up to max decrypted bytes inside the engine and
 * returns their count (> 0), or 0 at a clean close, or -1 with err
 * (ERR_USAGE for a conn that is not TLS). The bytes stay valid until the
 * next call on the conn; tls_conn_consume(c, n) then marks the first n
 * (at most the count) as read. Bytes not consumed are returned again.
 */
ssize_t	tls_conn_peek(struct conn *, const void **p, size_t max,
	    struct err *);
void	tls_conn_consume(struct conn *, size_t n);

#endif
