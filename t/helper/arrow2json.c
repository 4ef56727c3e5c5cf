/*
 * arrow2json: test driver for lib/ipcread + lib/arrow2bson. Reads an
 * Arrow IPC stream on stdin and prints every row as one line of
 * canonical extended JSON (no generated _id). Flags: -n keep nulls,
 * -s print the schema (name:type per top-level field) first, -c N
 * convert only the first N top-level columns, -b write the documents as
 * raw BSON instead, -t only convert and print "rows bytes seconds MB/s"
 * (BSON bytes made per second) on stderr.
 * Exit 0, or 1 with the reader's message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "arrow2bson.h"
#include "fdio.h"
#include "ipcread.h"

static ssize_t
rd(void *ctx, void *buf, size_t n, struct err *e)
{
	ssize_t k;

	(void)ctx;
	if ((k = read(0, buf, n)) < 0)
		return err_sys(e, errno, "read stdin");
	return k;
}

int
main(int argc, char **argv)
{
	const struct ipcr_batch *b;
	const struct ipcr_field *f;
	struct ipcr *r;
	struct err e = { 0 };
	size_t nf, i;
	int64_t row, rows = 0;
	struct ipcr_batch proj;
	long ncols = -1;
	int c, keep = 0, schema = 0, raw = 0, timing = 0, id_col, rc;
	uint64_t bytes = 0;
	struct timespec t0, t1;
	double secs;
	char *s;
	bson_t doc;

	while ((c = getopt(argc, argv, "bc:nst")) != -1) {
		if (c == 'b')
			raw = 1;
		else if (c == 't')
			timing = 1;
		else if (c == 'c')
			ncols = strtol(optarg, NULL, 10);
		else if (c == 'n')
			keep = 1;
		else if (c == 's')
			schema = 1;
		else
			return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((r = ipcr_open(rd, NULL, &e)) == NULL)
		goto fail;
	f = ipcr_fields(r, &nf);
	if (a2b_check_schema(f, nf, &id_col, &e) != 0)
		goto fail;
	if (schema)
		for (i = 0; i < nf; i++)
			printf("field %s:%d%s%s\n", f[i].name, (int)f[i].type,
			    f[i].ext_name ? ":" : "",
			    f[i].ext_name ? f[i].ext_name : "");
	while ((rc = ipcr_next(r, &b, &e)) == 1) {
		if (ncols >= 0 && (size_t)ncols < b->ncolumns) {
			proj = *b;
			proj.ncolumns = (size_t)ncols;
			b = &proj;
		}
		for (row = 0; row < b->length; row++) {
			bson_init(&doc);
			if (a2b_row(b, row, id_col, keep, 0, &doc, &e) != 0) {
				bson_destroy(&doc);
				goto fail;
			}
			bytes += doc.len;
			if (timing)
				;
			else if (raw)
				fwrite(bson_get_data(&doc), 1, doc.len, stdout);
			else {
				s = bson_as_canonical_extended_json(&doc, NULL);
				printf("%s\n", s);
				bson_free(s);
			}
			bson_destroy(&doc);
			rows++;
		}
	}
	if (rc < 0)
		goto fail;
	ipcr_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (timing)
		fprintf(stderr, "%lld %llu %.3f %.1f\n", (long long)rows,
		    (unsigned long long)bytes, secs, bytes / 1e6 / secs);
	else
		fprintf(stderr, "rows %lld\n", (long long)rows);
	return 0;
fail:
	fflush(stdout);
	fprintf(stderr, "arrow2json: %s\n", e.msg);
	ipcr_free(r);
	return 1;
}
