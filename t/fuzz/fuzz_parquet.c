/*
 * fuzz_parquet.c: libFuzzer target for the Parquet footer decoder.
 *
 * The input is taken twice: as the end of a file (footer + length +
 * magic, via pq_parse_tail, as if 4 bytes of leading magic preceded it)
 * and as a bare Thrift FileMetaData (pq_meta_decode). Whatever decodes
 * is rendered as JSON with every detail, which walks the schema tree and
 * formats every statistics value. Small limits keep runs fast and check
 * that the limits themselves fail cleanly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "parquet.h"
#include "pqfile.h"
#include "pqout.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
render(const struct pq_meta *m)
{
	static FILE *null;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	pq_out_json(null, "fuzz", 0, m, 1);
	/* Touch every derived index the CLI uses. */
	for (uint32_t i = 0; i < m->n_leaves; i++)
		if (pq_meta_leaf(m, i) == NULL || m->leaves[i] >= m->n_schema)
			abort();
	(void)pq_meta_total_compressed(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pq_limits lim = { 1 << 20, 64 << 20, 0 };
	struct pq_meta *m;
	struct err e;
	uint64_t need;
	int rc;

	rc = pq_parse_tail(data, size, (uint64_t)size + 4, &lim, &m, &need,
	    &e);
	if (rc == 0) {
		render(m);
		pq_meta_free(m);
	} else if (rc == -2 && need >= (uint64_t)size + 4)
		abort();	/* "need more" must point before the tail */
	if (pq_meta_decode(data, size, &lim, &m, &e) == 0) {
		render(m);
		pq_meta_free(m);
	}
	return 0;
}
