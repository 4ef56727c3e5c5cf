/* libFuzzer target: one md5sum-format check line (sumline_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sumline.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sumline s;
	char *line, esc[256];

	if ((line = malloc(len + 1)) == NULL)
		return 0;
	memcpy(line, data, len);
	line[len] = '\0';
	if (sumline_parse(line, &s) == 0) {
		/* the parsed parts stay inside the line */
		if (s.hash < line || s.hash + s.hash_len > line + len ||
		    s.name < line || s.name > line + len)
			abort();
		(void)sumline_escape(s.name, esc, sizeof(esc));
	}
	free(line);
	return 0;
}
