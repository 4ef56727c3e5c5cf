/*
 * fuzz_xml: the XML scanner and every S3 document parser on arbitrary
 * bytes. The first byte picks the parser so one corpus covers all.
 */
#include <stdint.h>
#include <string.h>

#include "s3xml.h"
#include "xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
count(void *arg, const struct xml_event *ev, struct err *e)
{
	size_t *n = arg;

	(void)e;
	if (ev->type == XML_TEXT && ev->text[ev->textlen] != '\0')
		__builtin_trap();
	(*n)++;
	return 0;
}

static int
obj(void *arg, const struct s3xml_object *o, struct err *e)
{
	(void)arg;
	(void)e;
	return strlen(o->key) < S3XML_KEY ? 0 : -1;
}

static int
pfx(void *arg, const char *p, struct err *e)
{
	(void)arg;
	(void)e;
	return strlen(p) < S3XML_KEY ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *doc = (const char *)data;
	struct s3xml_error se;
	struct s3xml_list l;
	struct s3xml_list_cb cb = { obj, pfx, NULL };
	struct s3xml_uploads us;
	struct s3xml_parts ps;
	struct s3xml_initiate in;
	struct s3xml_complete c;
	struct err e;
	size_t n = 0;
	char root[32];

	(void)xml_walk(doc, size, count, &n, &e);
	switch (size > 0 ? data[0] % 7 : 0) {
	case 0:
		(void)s3xml_list_objects(doc, size, &cb, &l, &se, &e);
		break;
	case 1:
		(void)s3xml_list_buckets(doc, size, NULL, NULL, &se, &e);
		break;
	case 2:
		(void)s3xml_list_uploads(doc, size, NULL, NULL, &us, &se, &e);
		break;
	case 3:
		(void)s3xml_list_parts(doc, size, NULL, NULL, &ps, &se, &e);
		break;
	case 4:
		(void)s3xml_initiate(doc, size, &in, &se, &e);
		break;
	case 5:
		(void)s3xml_complete(doc, size, &c, &se, &e);
		break;
	default:
		(void)s3xml_root(doc, size, root, sizeof(root), &e);
		(void)s3xml_error(doc, size, &se, &e);
		break;
	}
	return 0;
}
