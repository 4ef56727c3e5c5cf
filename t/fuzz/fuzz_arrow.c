/*
 * fuzz_arrow: Arrow IPC stream bytes → lib/arrow_read (message framing,
 * flatbuffer verification, schema and record batch headers) and, for
 * ZSTD bodies, the per-buffer length prefixes.
 */
#include <stddef.h>
#include <stdint.h>

#include "arrow_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile int64_t sink;	/* keeps the reads */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arrow_msg m;
	struct arrow_schema s;
	struct arrow_batch b;
	struct err e = { 0 };
	size_t pos = 0, n = 0;
	int64_t off, len, total = 0;
	uint32_t i;

	while (pos < size && n++ < 100000) {
		if (arrow_msg_parse(data + pos, size - pos, &m, &e) != 0)
			break;
		pos += m.size;
		if (m.type == ARROW_MSG_EOS)
			break;
		if (m.type == ARROW_MSG_SCHEMA) {
			if (arrow_schema_decode(&m, &s, &e) == 0)
				arrow_schema_free(&s);
			continue;
		}
		if (arrow_batch_decode(&m, &b, &e) != 0)
			continue;
		for (i = 0; i < b.buffers.n; i++) {
			arrow_batch_buffer(&b, i, &off, &len);
			/* Touch the prefix and last byte: they must be inside. */
			if (b.codec >= 0 && len >= 8)
				total += fb_load_i64(m.body + off);
			if (len > 0)
				total += m.body[off + len - 1];
		}
	}
	sink = total;
	return 0;
}
