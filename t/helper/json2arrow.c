/*
 * json2arrow: test driver for lib/bson2arrow and lib/arrow without a
 * server. Reads extended JSON documents, one per line, and writes an
 * Arrow IPC stream on stdout.
 *
 *	json2arrow [-z] [-D] [-P] [-m error|null|string] [-s SAMPLE] [-r ROWS]
 *	    [-t]  < docs.jsonl > out.arrows
 *
 * -t times the conversion alone (documents parsed up front, output to
 * a counting sink) and prints "docs bytes seconds MB/s" on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bson2arrow.h"
#include "fdio.h"

static int
sink_fd(void *ctx, const void *p, size_t n, struct err *e)
{
	(void)ctx;
	if (fd_write_full(1, p, n) != 0)
		return err_sys(e, 2, "write stdout");
	return 0;
}

static int
sink_null(void *ctx, const void *p, size_t n, struct err *e)
{
	(void)ctx;
	(void)p;
	(void)n;
	(void)e;
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	enum b2a_mismatch mm = B2A_MISMATCH_ERROR;
	enum b2a_decimal dm = B2A_DECIMAL_EXT;
	int c, zstd = 0, timing = 0, plain = 0;
	long sample = 1000, rows = 65536;
	size_t cap = 0, ndocs = 0, i, nf, bytes = 0;
	bson_t **docs = NULL;
	char *line = NULL;
	ssize_t len;
	size_t lcap = 0;
	bson_error_t be;
	struct arrow_writer w;
	struct b2a *b = NULL;
	int w_ok = 0, status = 1;
	struct err e = { 0 };
	double t0;
	const struct arrow_field *const *fields;

	while ((c = getopt(argc, argv, "zDPm:s:r:t")) != -1) {
		switch (c) {
		case 'z': zstd = 1; break;
		case 'D': dm = B2A_DECIMAL_ARROW; break;
		case 'P': plain = 1; break;
		case 'm':
			mm = strcmp(optarg, "null") == 0 ? B2A_MISMATCH_NULL :
			    strcmp(optarg, "string") == 0 ?
			    B2A_MISMATCH_STRING : B2A_MISMATCH_ERROR;
			break;
		case 's': sample = strtol(optarg, NULL, 10); break;
		case 'r': rows = strtol(optarg, NULL, 10); break;
		case 't': timing = 1; break;
		default: return 2;
		}
	}
	while ((len = getline(&line, &lcap, stdin)) > 0) {
		if (len <= 1)
			continue;
		if (ndocs == cap) {
			cap = cap ? cap * 2 : 64;
			docs = realloc(docs, cap * sizeof(*docs));
			if (docs == NULL)
				return 1;
		}
		if ((docs[ndocs] = bson_new_from_json((uint8_t *)line, len,
		    &be)) == NULL) {
			fprintf(stderr, "json2arrow: line %zu: %s\n", ndocs + 1,
			    be.message);
			return 1;
		}
		bytes += docs[ndocs]->len;
		ndocs++;
	}
	free(line);
	if ((b = b2a_new(mm, dm, &e)) == NULL ||
	    arrow_writer_init(&w, timing ? sink_null : sink_fd, NULL,
	    zstd ? ARROW_ZSTD : ARROW_NONE, 1, &e) != 0)
		goto fail;
	w_ok = 1;
	b2a_set_plain_metadata(b, plain);
	t0 = now();
	for (i = 0; i < ndocs && (long)i < sample; i++)
		if (b2a_sample(b, docs[i], &e) != 0)
			goto fail;
	if (b2a_finish_schema(b, &e) != 0)
		goto fail;
	fields = b2a_fields(b, &nf);
	if (arrow_write_schema(&w, fields, nf, &e) != 0)
		goto fail;
	for (i = 0; i < ndocs; i++) {
		if (b2a_append(b, docs[i], &e) != 0)
			goto fail;
		if (b2a_rows(b) >= rows && b2a_flush(b, &w, &e) != 0)
			goto fail;
	}
	if (b2a_flush(b, &w, &e) != 0 || arrow_write_eos(&w, &e) != 0)
		goto fail;
	if (timing)
		fprintf(stderr, "%zu %zu %.3f %.1f\n", ndocs, bytes,
		    now() - t0, bytes / 1e6 / (now() - t0));
	status = 0;
fail:
	if (status)
		fprintf(stderr, "json2arrow: %s\n", e.msg);
	if (w_ok)
		arrow_writer_free(&w);
	b2a_free(b);
	for (i = 0; i < ndocs; i++)
		bson_destroy(docs[i]);
	free(docs);
	return status;
}
