/*
 * fuzz_tls_pem: CA bundle loading (PEM decoding, X.509 decoding, trust
 * anchor copies) over arbitrary bytes. Must never crash or leak; a
 * bundle that loads must report at least one anchor.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tls_config *tc;
	struct err e;

	tc = tls_config_from_pem(data, len, "fuzz", &e);
	if (tc != NULL && tls_config_anchors(tc) == 0)
		abort();
	tls_config_free(tc);
	return 0;
}
