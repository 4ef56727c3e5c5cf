/*
 * fuzz_cfg: the small configuration parsers on arbitrary bytes: URL
 * and s3:// parsing, INI and flat-JSON lookups, Retry-After and
 * credential timestamps, SigV4 path and query canonicalisation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "ini.h"
#include "jsonflat.h"
#include "retry.h"
#include "sigv4.h"
#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct url_endpoint ep;
	struct url_s3 u;
	struct strbuf sb;
	struct err e;
	uint64_t ms;
	char out[256], *s;

	/* Text lookups see the raw bytes; string parsers a C string. */
	(void)ini_get((const char *)data, size, "default", "region", out,
	    sizeof(out));
	(void)ini_has_section((const char *)data, size, "profile x");
	(void)jsonflat_get((const char *)data, size, "AccessKeyId", out,
	    sizeof(out));
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (url_parse_endpoint(s, &ep, &e) == 0)
		url_host_header(&ep, out, sizeof(out));
	(void)url_parse_s3(s, &u, &e);
	(void)retry_after_ms(s, 1700000000000ULL);
	(void)cred_parse_time(s, &ms);
	(void)sigv4_date_parse(s, out);
	sb_init(&sb, 0);
	(void)sigv4_canonical_path(&sb, s, SIGV4_NORMALIZE_PATH |
	    SIGV4_ENCODE_PATH, &e);
	sb_reset(&sb);
	(void)sigv4_canonical_query(&sb, s, "a=b", &e);
	sb_reset(&sb);
	url_decode(&sb, s, size);
	url_encode(&sb, s, size, URL_KEEP_SLASH);
	sb_free(&sb);
	free(s);
	return 0;
}
