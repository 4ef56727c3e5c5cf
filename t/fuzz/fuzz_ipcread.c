/*
 * fuzz_ipcread.c: libFuzzer target for lib/ipcread + lib/arrow2bson.
 * Reads the input as an Arrow IPC stream, converting every row, in
 * small reads so framing edge cases are exercised.
 */
#include <stdint.h>
#include <string.h>

#include "arrow2bson.h"
#include "ipcread.h"

struct mem {
	const uint8_t	*p;
	size_t		n;
};

static ssize_t
rd(void *ctx, void *buf, size_t n, struct err *e)
{
	struct mem *m = ctx;

	(void)e;
	if (n > m->n)
		n = m->n;
	if (n > 4096)
		n = 4096;
	memcpy(buf, m->p, n);
	m->p += n;
	m->n -= n;
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct mem m = { data, len };
	const struct ipcr_batch *b;
	const struct ipcr_field *f;
	struct ipcr *r;
	struct err e = { 0 };
	size_t nf;
	int64_t row;
	int id_col;
	bson_t doc;

	if ((r = ipcr_open(rd, &m, &e)) == NULL)
		return 0;
	f = ipcr_fields(r, &nf);
	if (a2b_check_schema(f, nf, &id_col, &e) == 0)
		while (ipcr_next(r, &b, &e) == 1)
			for (row = 0; row < b->length && row < 100000; row++) {
				bson_init(&doc);
				(void)a2b_row(b, row, id_col, row & 1, 1, &doc,
				    &e);
				bson_destroy(&doc);
			}
	ipcr_free(r);
	return 0;
}
