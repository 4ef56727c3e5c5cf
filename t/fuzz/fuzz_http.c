/*
 * fuzz_http: the response head parser, the chunk parsers and the
 * streaming client over a memory pipe, on arbitrary bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "httpconn.h"
#include "../helper/mempipe.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
client(const char *in, size_t len, size_t step)
{
	struct mempipe mp;
	struct conn c;
	struct httpc h;
	struct http_request rq;
	struct err e;
	char buf[61];
	int i;

	mp_init(&mp, &c, in, len, step);
	if (httpc_init(&h, &c, &e) != 0) {
		mp_close(&mp);
		return;
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.target = "/";
	rq.host = "h";
	rq.body_length = HTTP_NO_BODY;
	/* Up to two exchanges: the second runs on what the first left. */
	for (i = 0; i < 2; i++) {
		if (httpc_send(&h, &rq, NULL, NULL, &e) != 0 ||
		    httpc_response(&h, &e) == NULL)
			break;
		while (httpc_read_body(&h, buf, sizeof(buf), &e) > 0)
			;
		if (!httpc_reusable(&h))
			break;
	}
	httpc_free(&h);
	mp_close(&mp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response r;
	struct err e;
	const char *p = (const char *)data;
	uint64_t csize;
	int n;

	n = http_parse_response(p, size, 0, &r, &e);
	if (n > 0) {
		/* Walk chunk framing over the rest, as far as it goes. */
		size_t off = (size_t)n;
		int k;

		for (k = 0; k < 64 && off < size; k++) {
			n = http_parse_chunk_size(p + off, size - off, &csize,
			    &e);
			if (n <= 0)
				break;
			off += (size_t)n;
			if (csize == 0) {
				(void)http_parse_trailer(p + off, size - off,
				    &e);
				break;
			}
			if (csize > size - off)
				break;
			off += (size_t)csize;
			if ((n = http_parse_crlf(p + off, size - off, &e)) <= 0)
				break;
			off += (size_t)n;
		}
	}
	client(p, size, 0);
	client(p, size, 3);
	return 0;
}
