/*
 * dlverify PARTSIZE < data: print the ETag struct dl_verify computes
 * for data uploaded in parts of PARTSIZE (0: one PUT, plain md5). Feeds
 * the input in odd-sized pieces to cross part boundaries mid-buffer.
 */
#include <stdio.h>
#include <stdlib.h>

#include "download.h"
#include "fdio.h"
#include "num.h"

int
main(int argc, char **argv)
{
	static char buf[777777];
	struct dl_verify v;
	char out[ETAG_STR_MAX];
	struct err e;
	uint64_t part;
	ssize_t n;

	if (argc != 2 || (num_parse_size(argv[1], 0, 1ULL << 40, &part,
	    &e) != 0)) {
		fprintf(stderr, "usage: dlverify PARTSIZE < data\n");
		return 2;
	}
	dl_verify_init(&v, part);
	while ((n = fd_read_full(0, buf, sizeof(buf))) > 0)
		if (dl_verify_update(&v, buf, (size_t)n, &e) != 0)
			goto fail;
	if (n < 0 || dl_verify_final(&v, out, &e) != 0)
		goto fail;
	dl_verify_free(&v);
	printf("%s\n", out);
	return 0;
fail:
	fprintf(stderr, "dlverify: %s\n", n < 0 ? "read error" : e.msg);
	dl_verify_free(&v);
	return 1;
}
