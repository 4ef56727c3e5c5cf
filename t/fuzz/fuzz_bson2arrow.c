/*
 * fuzz_bson2arrow: untrusted BSON documents → lib/bson2arrow (schema
 * inference, the raw array fast paths, every column builder, batches)
 * → lib/arrow into a sink that hashes the stream. Each input runs twice,
 * with and without the raw array fast paths (struct b2a no_fast): the
 * two streams must be identical, or the target aborts.
 *
 * Input: one control byte (bits 0-1 mismatch policy, 2 decimal mode,
 * 3-4 sample size - 1, 5 plain metadata, 6 zstd), then BSON documents
 * back to back, each with its own int32 length prefix (as on the wire).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b2a_col.h"
#include "bson2arrow.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_DOCS	64

static int
sink(void *ctx, const void *p, size_t n, struct err *e)
{
	uint64_t *h = ctx;
	const uint8_t *q = p;
	size_t i;

	(void)e;
	for (i = 0; i < n; i++)
		*h = (*h ^ q[i]) * 1099511628211ULL;
	return 0;
}

/* Convert; the stream's hash, with the error kind and rows mixed in. */
static uint64_t
convert(bson_t *docs, size_t ndocs, uint8_t ctl, int no_fast)
{
	struct arrow_writer w;
	struct err e = { 0 };
	struct b2a *b;
	const struct arrow_field *const *f;
	uint64_t h = 1469598103934665603ULL;
	size_t i, nf, nsample = 1 + ((ctl >> 3) & 3);

	if ((b = b2a_new((enum b2a_mismatch)((ctl & 3) % 3),
	    (ctl & 4) ? B2A_DECIMAL_ARROW : B2A_DECIMAL_EXT, &e)) == NULL)
		return 0;
	b->no_fast = no_fast;
	b2a_set_plain_metadata(b, (ctl >> 5) & 1);
	if (arrow_writer_init(&w, sink, &h, (ctl & 64) ? ARROW_ZSTD :
	    ARROW_NONE, 1, &e) != 0) {
		b2a_free(b);
		return 0;
	}
	for (i = 0; i < ndocs && i < nsample; i++)
		if (b2a_sample(b, &docs[i], &e) != 0)
			goto done;
	if (b2a_finish_schema(b, &e) != 0)
		goto done;
	f = b2a_fields(b, &nf);
	if (arrow_write_schema(&w, f, nf, &e) != 0)
		goto done;
	for (i = 0; i < ndocs; i++) {
		/* A failed row leaves the batch unusable: stop there. */
		if (b2a_append(b, &docs[i], &e) != 0)
			goto done;
		if (b2a_rows(b) >= 3 && b2a_flush(b, &w, &e) != 0)
			goto done;
	}
	if (b2a_flush(b, &w, &e) == 0)
		arrow_write_eos(&w, &e);
done:
	b2a_field_stats(b, &nf);
	h = (h ^ (uint64_t)e.kind) * 1099511628211ULL;
	h = (h ^ (uint64_t)i) * 1099511628211ULL;
	arrow_writer_free(&w);
	b2a_free(b);
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bson_t docs[MAX_DOCS];
	size_t pos = 1, ndocs = 0;
	uint32_t len;

	if (size < 1)
		return 0;
	while (size - pos >= 5 && ndocs < MAX_DOCS) {
		len = (uint32_t)data[pos] | (uint32_t)data[pos + 1] << 8 |
		    (uint32_t)data[pos + 2] << 16 |
		    (uint32_t)data[pos + 3] << 24;
		if (len > size - pos ||
		    !bson_init_static(&docs[ndocs], data + pos, len))
			break;
		pos += len;
		ndocs++;
	}
	if (convert(docs, ndocs, data[0], 0) !=
	    convert(docs, ndocs, data[0], 1))
		abort();	/* the fast paths changed the output */
	return 0;
}
