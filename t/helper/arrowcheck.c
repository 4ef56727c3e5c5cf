/*
 * arrowcheck: test driver for lib/arrow_read. Reads an Arrow IPC stream
 * (file or stdin) and prints one line per message:
 *
 *	schema NAME:TYPE ...	(nested: NAME:struct<...>, list<...>)
 *	batch ROWS codec=none|zstd|lz4 buffers=N
 *	eos
 *
 * Exit 0 only for a complete stream ending in EOS; 1 with "truncated"
 * or "error: MESSAGE" otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow_read.h"

static const char *names[] = { "none", "null", "int", "float", "binary",
	"utf8", "bool", "decimal", "date", "time", "timestamp", "interval",
	"list", "struct", "union", "fixed_size_binary", "fixed_size_list",
	"map", "duration", "large_binary", "large_utf8", "large_list" };

static void
print_field(const struct arrow_rfield *f)
{
	size_t i;

	printf("%.*s:%s", (int)f->name_len, f->name ? f->name : "",
	    names[f->type]);
	if (f->type == ARROW_INT)
		printf("%d", f->bit_width);
	if (f->type == ARROW_FIXED_BINARY)
		printf("(%d)", f->byte_width);
	if (f->type == ARROW_DECIMAL)
		printf("(%d,%d)", f->precision, f->scale);
	if (f->type == ARROW_TIMESTAMP)
		printf("[%d,%.*s]", f->unit, (int)f->timezone_len,
		    f->timezone ? f->timezone : "");
	if (f->ext_name)
		printf("{%.*s}", (int)f->ext_name_len, f->ext_name);
	if (f->nchildren) {
		printf("<");
		for (i = 0; i < f->nchildren; i++) {
			if (i)
				printf(",");
			print_field(&f->children[i]);
		}
		printf(">");
	}
}

int
main(int argc, char **argv)
{
	FILE *in = stdin;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, pos = 0, i, got;
	struct arrow_msg m;
	struct arrow_schema s;
	struct arrow_batch b;
	struct err e = { 0 };
	int rc, status = 1;

	if (argc > 1 && (in = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				return 2;
		}
		if ((got = fread(buf + len, 1, cap - len, in)) == 0)
			break;
		len += got;
	}
	while (pos < len) {
		rc = arrow_msg_parse(buf + pos, len - pos, &m, &e);
		if (rc == -2)
			break;
		if (rc != 0) {
			printf("error: %s\n", e.msg);
			goto done;
		}
		pos += m.size;
		if (m.type == ARROW_MSG_EOS) {
			printf("eos\n");
			if (pos == len)
				status = 0;
			else
				printf("trailing bytes\n");
			goto done;
		}
		if (m.type == ARROW_MSG_SCHEMA) {
			if (arrow_schema_decode(&m, &s, &e) != 0) {
				printf("error: %s\n", e.msg);
				goto done;
			}
			printf("schema");
			for (i = 0; i < s.nfields; i++) {
				printf(" ");
				print_field(&s.fields[i]);
			}
			printf("\n");
			arrow_schema_free(&s);
			continue;
		}
		if (arrow_batch_decode(&m, &b, &e) != 0) {
			printf("error: %s\n", e.msg);
			goto done;
		}
		printf("%s %lld codec=%s buffers=%u\n", m.type ==
		    ARROW_MSG_BATCH ? "batch" : "dictionary",
		    (long long)b.length, b.codec < 0 ? "none" :
		    b.codec ? "zstd" : "lz4", b.buffers.n);
	}
	printf("truncated\n");
done:
	free(buf);
	if (in != stdin)
		fclose(in);
	return status;
}
