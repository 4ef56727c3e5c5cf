/*
 * tls_int.h: internals shared by tls.c and tls_ca.c. Not for callers.
 */
#ifndef TLS_INT_H
#define TLS_INT_H

#include <stddef.h>

#include <bearssl.h>

struct tls_config {
	br_x509_trust_anchor	*ta;	/* owned copies of DN and key */
	size_t			n;
	size_t			cap;
	int			insecure;
};

#endif
