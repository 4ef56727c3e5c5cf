/*
 * fuzz_bson2arrow: untrusted BSON documents → lib/bson2arrow (schema
 * inference, the raw array fast paths, every column builder, batches)
 * → lib/arrow into a sink that only counts.
 *
 * Input: one control byte (bits 0-1 mismatch policy, 2 decimal mode,
 * 3-4 sample size - 1, 5 plain metadata, 6 zstd), then BSON documents
 * back to back, each with its own int32 length prefix (as on the wire).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bson2arrow.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_DOCS	64

static volatile size_t sink_bytes;

static int
sink(void *ctx, const void *p, size_t n, struct err *e)
{
	(void)ctx;
	(void)e;
	if (n > 0)
		sink_bytes += ((const uint8_t *)p)[n - 1] + n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bson_t docs[MAX_DOCS];
	struct arrow_writer w;
	struct err e = { 0 };
	struct b2a *b;
	const struct arrow_field *const *f;
	size_t pos = 1, ndocs = 0, i, nf, nsample;
	uint32_t len;
	uint8_t ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
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
	nsample = 1 + ((ctl >> 3) & 3);
	if ((b = b2a_new((enum b2a_mismatch)((ctl & 3) % 3),
	    (ctl & 4) ? B2A_DECIMAL_ARROW : B2A_DECIMAL_EXT, &e)) == NULL)
		return 0;
	b2a_set_plain_metadata(b, (ctl >> 5) & 1);
	if (arrow_writer_init(&w, sink, NULL, (ctl & 64) ? ARROW_ZSTD :
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
	arrow_writer_free(&w);
	b2a_free(b);
	return 0;
}
