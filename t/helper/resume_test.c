/*
 * resume_test DIR: lib/resume.c round trip and parser checks, TAP.
 * Writes DIR/state: header, parts appended; loads it back; then parses
 * every truncation of the file and every single-byte corruption.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resume.h"

static int failed, n;

static void
ok(int cond, const char *what)
{
	n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
	if (!cond)
		failed++;
}

static void
fill(struct resume_state *st)
{
	resume_state_init(st);
	snprintf(st->bucket, sizeof(st->bucket), "bkt.x-1");
	snprintf(st->key, sizeof(st->key), "dir/a key\twith \"odd\" bytes\n");
	snprintf(st->upload_id, sizeof(st->upload_id), "2~Up_load.ID-9");
	st->base = 8 << 20;
	st->tier = 1089;
	st->shift = 1;
	st->max_parts = 10000;
	snprintf(st->checksum, sizeof(st->checksum), "crc32c");
	st->has_size = 1;
	st->size = 123456789;
}

int
main(int argc, char **argv)
{
	struct resume_state st, got;
	struct resume_part p;
	struct resume_file *rf;
	struct err e;
	char path[4096], *buf;
	size_t len, i;
	FILE *f;
	int good, torn_ok = 1, flips = 0;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/state", argv[1]);
	fill(&st);
	rf = resume_create(path, &st, &e);
	ok(rf != NULL, "create");
	if (rf == NULL)
		return 1;
	for (i = 1; i <= 3; i++) {
		memset(&p, 0, sizeof(p));
		p.size = i * 1000;
		memset(p.md5, (int)i * 17, sizeof(p.md5));
		snprintf(p.etag, sizeof(p.etag), "\"etag%zu\"", i);
		snprintf(p.checksum, sizeof(p.checksum), "AAAA%zu===",
		    i);
		p.checksum[5] = '=';
		ok(resume_add_part(rf, (unsigned)(i == 3 ? 7 : i), &p, &e) ==
		    0, "add part");
	}
	/* part 2 again: replaces */
	p.size = 42;
	ok(resume_add_part(rf, 2, &p, &e) == 0, "add part 2 again");
	resume_close(rf);
	resume_state_init(&got);
	ok(resume_load(path, &got, &e) == 0, "load");
	ok(strcmp(got.bucket, st.bucket) == 0 && strcmp(got.key, st.key) ==
	    0 && strcmp(got.upload_id, st.upload_id) == 0 &&
	    got.base == st.base && got.tier == st.tier && got.shift == 1 &&
	    got.max_parts == 10000 && strcmp(got.checksum, "crc32c") == 0 &&
	    got.has_size && got.size == st.size, "header round trip");
	ok(got.ndone == 3 && got.parts[0].done && got.parts[1].done &&
	    got.parts[6].done && !got.parts[2].done &&
	    got.parts[1].size == 42 && got.parts[0].size == 1000 &&
	    strcmp(got.parts[6].etag, "\"etag3\"") == 0 &&
	    got.parts[6].md5[0] == 51, "parts round trip, last line wins");
	/* every truncation: header cut -> error; a cut part line -> ignored */
	f = fopen(path, "rb");
	buf = malloc(RESUME_FILE_MAX);
	len = f ? fread(buf, 1, RESUME_FILE_MAX, f) : 0;
	if (f)
		fclose(f);
	for (i = 0; i < len; i++) {
		good = resume_parse(buf, i, &got, &e) == 0;
		/* header is 7 lines: complete iff the 7th newline is in */
		{
			size_t k, nl = 0;

			for (k = 0; k < i; k++)
				nl += buf[k] == '\n';
			if (good != (nl >= 7))
				torn_ok = 0;
			if (good && got.ndone > (nl >= 8 ? nl - 7 : 0))
				torn_ok = 0;
		}
	}
	ok(torn_ok, "truncation at every offset: header needed, torn part "
	    "line ignored");
	/* all but the final newline (that makes the last line torn) */
	for (i = 0; i + 1 < len; i++) {
		char c = buf[i];

		buf[i] = (char)0xff;
		if (resume_parse(buf, len, &got, &e) != 0)
			flips++;
		buf[i] = c;
	}
	ok(flips == (int)len - 1, "a 0xff byte anywhere is refused");
	ok(resume_parse(buf, RESUME_FILE_MAX + 1, &got, &e) == -1 &&
	    e.kind == ERR_LIMIT, "size limit");
	ok(resume_remove(path, &e) == 0 && resume_remove(path, &e) == 0,
	    "remove, twice");
	ok(resume_load(path, &got, &e) == -1 && e.kind == ERR_IO,
	    "missing file");
	resume_state_free(&got);
	free(buf);
	printf("1..%d\n", n);
	return failed != 0;
}
