/* libFuzzer target: the s3put --resume state file (resume_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "resume.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct resume_state st;
	struct err e;
	unsigned i, n = 0;

	resume_state_init(&st);
	if (resume_parse((const char *)data, len, &st, &e) == 0) {
		/* what the parser promises its callers */
		if (st.max_parts < 1 || st.max_parts > RESUME_MAX_PARTS ||
		    st.parts == NULL || strlen(st.key) == 0 ||
		    strlen(st.upload_id) >= RESUME_UPLOAD_MAX)
			abort();
		for (i = 0; i < st.max_parts; i++)
			if (st.parts[i].done) {
				n++;
				if (strlen(st.parts[i].etag) >= RESUME_ETAG_MAX)
					abort();
			}
		if (n != st.ndone)
			abort();
	} else if (e.msg[0] == '\0')
		abort();
	resume_state_free(&st);
	return 0;
}
