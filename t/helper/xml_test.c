/*
 * xml_test: drive lib/xml and lib/s3xml.
 *
 *	xml_test KIND FILE        parse FILE as KIND (list buckets uploads
 *	                          parts initiate complete error root) and
 *	                          print every field and record
 *	xml_test trunc KIND FILE  every strict prefix must be rejected,
 *	                          except FILE minus trailing whitespace
 *	xml_test entities         entity decoding table
 *
 * Exit 0 when the checks hold (parse errors are printed, not failures).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3xml.h"
#include "xml.h"

static int
obj(void *arg, const struct s3xml_object *o, struct err *e)
{
	(void)e;
	if (arg != NULL)
		fprintf(arg, "object key=[%s] size=%" PRIu64 " etag=[%s] "
		    "modified=[%s] class=[%s]\n", o->key, o->size, o->etag,
		    o->last_modified, o->storage_class);
	return 0;
}

static int
pfx(void *arg, const char *p, struct err *e)
{
	(void)e;
	if (arg != NULL)
		fprintf(arg, "prefix [%s]\n", p);
	return 0;
}

static int
bkt(void *arg, const struct s3xml_bucket *b, struct err *e)
{
	(void)e;
	if (arg != NULL)
		fprintf(arg, "bucket name=[%s] created=[%s]\n", b->name,
		    b->creation_date);
	return 0;
}

static int
upl(void *arg, const struct s3xml_upload *u, struct err *e)
{
	(void)e;
	if (arg != NULL)
		fprintf(arg, "upload key=[%s] id=[%s] initiated=[%s] "
		    "class=[%s]\n", u->key, u->upload_id, u->initiated,
		    u->storage_class);
	return 0;
}

static int
prt(void *arg, const struct s3xml_part *p, struct err *e)
{
	(void)e;
	if (arg != NULL)
		fprintf(arg, "part %" PRIu64 " size=%" PRIu64 " etag=[%s] "
		    "modified=[%s]\n", p->part_number, p->size, p->etag,
		    p->last_modified);
	return 0;
}

/* Parse doc as kind; print to out (NULL: quiet). Returns the rc. */
static int
parse(const char *kind, const char *doc, size_t len, FILE *out,
    struct err *e)
{
	struct s3xml_error se;
	struct s3xml_list l;
	struct s3xml_list_cb cb = { obj, pfx, out };
	struct s3xml_uploads us;
	struct s3xml_parts ps;
	struct s3xml_initiate in;
	struct s3xml_complete c;
	char root[64];
	int rc;

	if (strcmp(kind, "list") == 0) {
		rc = s3xml_list_objects(doc, len, &cb, &l, &se, e);
		if (rc == 0 && out != NULL)
			fprintf(out, "truncated=%d next=[%s] count=%" PRIu64
			    " prefix=[%s] delimiter=[%s]\n", l.is_truncated,
			    l.next_token, l.key_count, l.prefix, l.delimiter);
	} else if (strcmp(kind, "buckets") == 0) {
		rc = s3xml_list_buckets(doc, len, bkt, out, &se, e);
	} else if (strcmp(kind, "uploads") == 0) {
		rc = s3xml_list_uploads(doc, len, upl, out, &us, &se, e);
		if (rc == 0 && out != NULL)
			fprintf(out, "truncated=%d next-key=[%s] next-id=[%s]\n",
			    us.is_truncated, us.next_key_marker,
			    us.next_upload_id_marker);
	} else if (strcmp(kind, "parts") == 0) {
		rc = s3xml_list_parts(doc, len, prt, out, &ps, &se, e);
		if (rc == 0 && out != NULL)
			fprintf(out, "truncated=%d next=%" PRIu64 " id=[%s]\n",
			    ps.is_truncated, ps.next_part_number_marker,
			    ps.upload_id);
	} else if (strcmp(kind, "initiate") == 0) {
		rc = s3xml_initiate(doc, len, &in, &se, e);
		if (rc == 0 && out != NULL)
			fprintf(out, "bucket=[%s] key=[%s] id=[%s]\n",
			    in.bucket, in.key, in.upload_id);
	} else if (strcmp(kind, "complete") == 0) {
		rc = s3xml_complete(doc, len, &c, &se, e);
		if (rc == 0 && out != NULL)
			fprintf(out, "location=[%s] bucket=[%s] key=[%s] "
			    "etag=[%s]\n", c.location, c.bucket, c.key, c.etag);
	} else if (strcmp(kind, "error") == 0) {
		rc = s3xml_error(doc, len, &se, e);
	} else if (strcmp(kind, "root") == 0) {
		rc = s3xml_root(doc, len, root, sizeof(root), e);
		if (rc == 0 && out != NULL)
			fprintf(out, "root=[%s]\n", root);
		if (rc == -1 && out != NULL)
			fprintf(out, "error kind %d: %s\n", e->kind, e->msg);
		return rc;
	} else {
		fprintf(stderr, "xml_test: unknown kind %s\n", kind);
		exit(2);
	}
	if (rc == 1 && out != NULL)
		fprintf(out, "S3 error code=[%s] message=[%s] request-id=[%s] "
		    "host-id=[%s] region=[%s] resource=[%s]\n", se.code,
		    se.message, se.request_id, se.host_id, se.region,
		    se.resource);
	if (rc == -1 && out != NULL)
		fprintf(out, "error kind %d: %s\n", e->kind, e->msg);
	return rc;
}

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f;
	char *buf;
	size_t cap = 1 << 22;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	if ((buf = malloc(cap)) == NULL)
		exit(1);
	*lenp = fread(buf, 1, cap, f);
	fclose(f);
	return buf;
}

static int
trunc_check(const char *kind, const char *path)
{
	struct err e;
	size_t len, cut, trimmed;
	char *doc = slurp(path, &len), *copy;
	int rc, full, fails = 0;

	full = parse(kind, doc, len, NULL, &e);
	if (full < 0) {
		fprintf(stderr, "%s: full document fails: %s\n", path, e.msg);
		return 1;
	}
	trimmed = len;
	while (trimmed > 0 && strchr(" \t\r\n", doc[trimmed - 1]) != NULL)
		trimmed--;
	for (cut = 0; cut < len; cut++) {
		/* Exact-size copy: ASan sees any read past the span. */
		copy = malloc(cut ? cut : 1);
		memcpy(copy, doc, cut);
		rc = parse(kind, copy, cut, NULL, &e);
		free(copy);
		if (cut >= trimmed ? rc != full : rc != -1) {
			fprintf(stderr, "%s: prefix %zu of %zu gave %d\n",
			    path, cut, len, rc);
			fails++;
		} else if (cut < trimmed && e.kind != ERR_FORMAT) {
			fprintf(stderr, "%s: prefix %zu: kind %d: %s\n", path,
			    cut, e.kind, e.msg);
			fails++;
		}
	}
	printf("trunc %s: %zu prefixes, %d failures\n", path, len, fails);
	free(doc);
	return fails ? 1 : 0;
}

static int
entities(void)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "a&amp;b", "a&b" }, { "&lt;&gt;&quot;&apos;", "<>\"'" },
		{ "&#65;&#x42;&#x63;", "ABc" }, { "&#233;", "\xc3\xa9" },
		{ "&#x20AC;", "\xe2\x82\xac" },
		{ "&#x1F600;", "\xf0\x9f\x98\x80" }, { "plain", "plain" },
		{ "", "" },
	};
	static const char *bad[] = {
		"&", "&amp", "&foo;", "&#;", "&#x;", "&#0;", "&#xD800;",
		"&#x110000;", "&#12a;", "&#x99999999999;", "& amp;",
	};
	struct strbuf sb;
	struct err e;
	size_t i;
	int fails = 0;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		sb_init(&sb, 0);
		if (xml_decode(&sb, ok[i].in, strlen(ok[i].in), &e) != 0 ||
		    strcmp(sb_cstr(&sb), ok[i].out) != 0) {
			fprintf(stderr, "decode '%s' wrong\n", ok[i].in);
			fails++;
		}
		sb_free(&sb);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sb_init(&sb, 0);
		if (xml_decode(&sb, bad[i], strlen(bad[i]), &e) == 0) {
			fprintf(stderr, "decode '%s' accepted\n", bad[i]);
			fails++;
		}
		sb_free(&sb);
	}
	printf("entities: %d failures\n", fails);
	return fails ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct err e;
	size_t len;
	char *doc;

	if (argc == 2 && strcmp(argv[1], "entities") == 0)
		return entities();
	if (argc == 4 && strcmp(argv[1], "trunc") == 0)
		return trunc_check(argv[2], argv[3]);
	if (argc != 3) {
		fprintf(stderr, "usage: xml_test KIND FILE | trunc KIND FILE |"
		    " entities\n");
		return 2;
	}
	doc = slurp(argv[2], &len);
	parse(argv[1], doc, len, stdout, &e);
	free(doc);
	return 0;
}
