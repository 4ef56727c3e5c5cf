/*
 * ipcr_schema.c: Arrow Schema/Field flatbuffer tables → struct ipcr_field
 * trees, with every type parameter range-checked.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcr_int.h"

/* Schema.fbs table field ids. */
enum { SCHEMA_ENDIAN = 0, SCHEMA_FIELDS = 1 };
enum { FIELD_NAME = 0, FIELD_NULLABLE, FIELD_TYPE_TYPE, FIELD_TYPE,
	FIELD_DICT, FIELD_CHILDREN, FIELD_META };

struct walk {
	size_t	total;
};

static char *
dup_span(const char *s, size_t n)
{
	char *p;

	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
field_free(struct ipcr_field *f)
{
	free(f->name);
	free(f->timezone);
	free(f->ext_name);
	ipcr_fields_free(f->children, f->nchildren);
}

void
ipcr_fields_free(struct ipcr_field *fs, size_t n)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < n; i++)
		field_free(&fs[i]);
	free(fs);
}

size_t
ipcr_field_count(const struct ipcr_field *f)
{
	size_t i, n = 1;

	for (i = 0; i < f->nchildren; i++)
		n += ipcr_field_count(&f->children[i]);
	return n;
}

const struct ipcr_field *
ipcr_find_dict(const struct ipcr_field *fs, size_t n, int64_t id)
{
	const struct ipcr_field *r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (fs[i].is_dict && fs[i].dict_id == id)
			return &fs[i];
		r = ipcr_find_dict(fs[i].children, fs[i].nchildren, id);
		if (r != NULL)
			return r;
	}
	return NULL;
}

static enum ipcr_ext
classify(const char *n)
{
	if (strcmp(n, "s3pipe.bson.objectid") == 0)
		return IPCR_EXT_OBJECTID;
	if (strcmp(n, "s3pipe.bson.decimal128") == 0)
		return IPCR_EXT_DECIMAL128;
	if (strcmp(n, "s3pipe.bson.extjson") == 0)
		return IPCR_EXT_EXTJSON;
	if (strcmp(n, "arrow.uuid") == 0)
		return IPCR_EXT_UUID;
	return IPCR_EXT_OTHER;
}

/* Extension name from custom_metadata, if any. */
static int
ext_name(const struct fb_table *t, struct ipcr_field *f, struct err *e)
{
	struct fb_vec v;
	struct fb_table kv;
	const char *k, *val;
	size_t kn, vn;
	uint32_t i;
	int rc, rk, rv;

	if ((rc = fb_vector(t, FIELD_META, 4, &v, e)) <= 0)
		return rc;
	if (v.n > 1024)
		return err_set(e, ERR_LIMIT, "field metadata: %u entries",
		    (unsigned)v.n);
	for (i = 0; i < v.n; i++) {
		if (fb_vec_table(&v, i, &kv, e) != 0 ||
		    (rk = fb_str(&kv, 0, &k, &kn, e)) < 0 ||
		    (rv = fb_str(&kv, 1, &val, &vn, e)) < 0)
			return -1;
		if (rk == 0 || rv == 0)
			continue;
		if ((kn == 20 && memcmp(k, "ARROW:extension:name", 20) == 0) ||
		    (kn == 16 && memcmp(k, "s3pipe.bson.type", 16) == 0)) {
			free(f->ext_name);
			if ((f->ext_name = dup_span(val, vn)) == NULL)
				return err_set(e, ERR_NOMEM, "field metadata");
			f->ext = classify(f->ext_name);
		}
	}
	return 0;
}

static int
int_params(const struct fb_table *ty, int *bits, int *sign, struct err *e)
{
	int32_t w;
	uint8_t s;

	if (fb_i32(ty, 0, 0, &w, e) != 0 || fb_u8(ty, 1, 0, &s, e) != 0)
		return -1;
	if (w != 8 && w != 16 && w != 32 && w != 64)
		return err_set(e, ERR_FORMAT, "Int bitWidth %d", (int)w);
	*bits = w;
	*sign = s != 0;
	return 0;
}

static int
unit_param(const struct fb_table *ty, int has, int16_t def, int max,
    int *unit, struct err *e)
{
	int16_t u = def;

	if (has && fb_i16(ty, 0, def, &u, e) != 0)
		return -1;
	if (u < 0 || u > max)
		return err_set(e, ERR_FORMAT, "time unit %d", (int)u);
	*unit = u;
	return 0;
}

/* Type union → f->type and its parameters. */
static int
type_params(uint8_t tt, const struct fb_table *ty, int has,
    struct ipcr_field *f, struct err *e)
{
	int16_t prec;
	int32_t v, w;
	const char *tz;
	size_t tzn;
	int rc;

	switch (tt) {
	case ARROW_NULL: case ARROW_BINARY: case ARROW_UTF8: case ARROW_BOOL:
	case ARROW_LIST: case ARROW_STRUCT: case ARROW_MAP:
	case ARROW_LARGE_BINARY: case ARROW_LARGE_UTF8: case ARROW_LARGE_LIST:
		break;
	case ARROW_INT:
		if (!has)
			return err_set(e, ERR_FORMAT, "Int without parameters");
		if (int_params(ty, &f->bit_width, &f->is_signed, e) != 0)
			return -1;
		break;
	case ARROW_FLOAT:
		prec = 0;
		if (has && fb_i16(ty, 0, 0, &prec, e) != 0)
			return -1;
		if (prec < 0 || prec > 2)
			return err_set(e, ERR_FORMAT, "float precision %d",
			    (int)prec);
		f->bit_width = 16 << prec;
		break;
	case ARROW_DECIMAL:
		if (!has)
			return err_set(e, ERR_FORMAT, "Decimal without parameters");
		if (fb_i32(ty, 0, 0, &v, e) != 0 ||
		    fb_i32(ty, 1, 0, &f->scale, e) != 0 ||
		    fb_i32(ty, 2, 128, &w, e) != 0)
			return -1;
		if (w != 128)
			return err_set(e, ERR_UNSUPPORTED,
			    "decimal%d is not supported", (int)w);
		if (v < 1 || v > 38 || f->scale < -6000 || f->scale > 6000)
			return err_set(e, ERR_FORMAT, "decimal(%d,%d)", (int)v,
			    f->scale);
		f->precision = v;
		f->bit_width = 128;
		break;
	case ARROW_DATE:
		if (unit_param(ty, has, 1, 1, &f->unit, e) != 0)
			return -1;
		break;
	case ARROW_TIME:
		if (unit_param(ty, has, 1, 3, &f->unit, e) != 0)
			return -1;
		w = 32;
		if (has && fb_i32(ty, 1, 32, &w, e) != 0)
			return -1;
		if (w != (f->unit < 2 ? 32 : 64))
			return err_set(e, ERR_FORMAT, "time bitWidth %d", (int)w);
		f->bit_width = w;
		break;
	case ARROW_TIMESTAMP:
		if (unit_param(ty, has, 0, 3, &f->unit, e) != 0)
			return -1;
		if (has && (rc = fb_str(ty, 1, &tz, &tzn, e)) != 0) {
			if (rc < 0)
				return -1;
			if ((f->timezone = dup_span(tz, tzn)) == NULL)
				return err_set(e, ERR_NOMEM, "timezone");
		}
		break;
	case ARROW_DURATION:
		if (unit_param(ty, has, 1, 3, &f->unit, e) != 0)
			return -1;
		break;
	case ARROW_FIXED_BINARY:
		if (!has || fb_i32(ty, 0, -1, &v, e) != 0)
			return has ? -1 : err_set(e, ERR_FORMAT,
			    "FixedSizeBinary without byteWidth");
		if (v < 0 || v > (1 << 30))
			return err_set(e, ERR_FORMAT, "byteWidth %d", (int)v);
		f->byte_width = v;
		break;
	case ARROW_FIXED_LIST:
		if (!has || fb_i32(ty, 0, -1, &v, e) != 0)
			return has ? -1 : err_set(e, ERR_FORMAT,
			    "FixedSizeList without listSize");
		if (v < 0 || v > (1 << 30))
			return err_set(e, ERR_FORMAT, "listSize %d", (int)v);
		f->list_size = v;
		break;
	default:
		return err_set(e, ERR_UNSUPPORTED, "Arrow type id %u is not "
		    "supported (union, interval, view and decimal256 are not)",
		    (unsigned)tt);
	}
	f->type = (enum arrow_type)tt;
	return 0;
}

static int
check_children(const struct ipcr_field *f, struct err *e)
{
	size_t want;

	switch (f->type) {
	case ARROW_LIST: case ARROW_LARGE_LIST: case ARROW_FIXED_LIST:
	case ARROW_MAP:
		want = 1;
		break;
	case ARROW_STRUCT:
		return 0;
	default:
		want = 0;
	}
	if (f->nchildren != want)
		return err_set(e, ERR_FORMAT, "field %s: type %d with %zu "
		    "children", f->name, (int)f->type, f->nchildren);
	if (f->type == ARROW_MAP && (f->children[0].type != ARROW_STRUCT ||
	    f->children[0].nchildren != 2 || f->children[0].is_dict))
		return err_set(e, ERR_FORMAT, "field %s: map entries must be a "
		    "struct of key and value", f->name);
	return 0;
}

static int parse_fields(const struct fb_table *, unsigned id,
    struct ipcr_field **, size_t *, int depth, struct walk *, struct err *);

static int
parse_field(const struct fb_table *t, struct ipcr_field *f, int depth,
    struct walk *w, struct err *e)
{
	struct fb_table ty, dict, it;
	const char *name;
	size_t nn;
	uint8_t tt, nullable;
	int has, rc;

	if (++w->total > IPCR_MAX_FIELDS)
		return err_set(e, ERR_LIMIT, "schema: more than %d fields",
		    IPCR_MAX_FIELDS);
	if (depth > IPCR_MAX_DEPTH)
		return err_set(e, ERR_LIMIT, "schema: nesting deeper than %d",
		    IPCR_MAX_DEPTH);
	if ((rc = fb_str(t, FIELD_NAME, &name, &nn, e)) < 0)
		return -1;
	if ((f->name = dup_span(rc ? name : "", rc ? nn : 0)) == NULL)
		return err_set(e, ERR_NOMEM, "schema");
	f->name_len = strlen(f->name);
	if (fb_u8(t, FIELD_NULLABLE, 0, &nullable, e) != 0 ||
	    fb_u8(t, FIELD_TYPE_TYPE, 0, &tt, e) != 0 ||
	    (has = fb_table(t, FIELD_TYPE, &ty, e)) < 0)
		return err_prefix(e, "field %s", f->name);
	f->nullable = nullable != 0;
	if (type_params(tt, &ty, has, f, e) != 0 || ext_name(t, f, e) != 0)
		return err_prefix(e, "field %s", f->name);
	if ((rc = fb_table(t, FIELD_DICT, &dict, e)) < 0)
		return -1;
	if (rc) {
		f->is_dict = 1;
		f->index_width = 32;
		f->index_signed = 1;
		if (fb_i64(&dict, 0, 0, &f->dict_id, e) != 0 ||
		    (rc = fb_table(&dict, 1, &it, e)) < 0 ||
		    (rc && int_params(&it, &f->index_width, &f->index_signed,
		    e) != 0))
			return err_prefix(e, "field %s: dictionary", f->name);
	}
	if (parse_fields(t, FIELD_CHILDREN, &f->children, &f->nchildren,
	    depth + 1, w, e) != 0)
		return err_prefix(e, "field %s", f->name);
	return check_children(f, e);
}

static int
parse_fields(const struct fb_table *t, unsigned id, struct ipcr_field **out,
    size_t *n, int depth, struct walk *w, struct err *e)
{
	struct fb_vec v;
	struct fb_table ft;
	struct ipcr_field *fs;
	uint32_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = fb_vector(t, id, 4, &v, e)) <= 0)
		return rc;
	if (v.n == 0)
		return 0;
	if (v.n > IPCR_MAX_FIELDS)
		return err_set(e, ERR_LIMIT, "schema: %u fields", (unsigned)v.n);
	if ((fs = calloc(v.n, sizeof(*fs))) == NULL)
		return err_set(e, ERR_NOMEM, "schema");
	*out = fs;
	for (i = 0; i < v.n; i++) {
		*n = i + 1;
		if (fb_vec_table(&v, i, &ft, e) != 0 ||
		    parse_field(&ft, &fs[i], depth, w, e) != 0)
			return -1;
	}
	return 0;
}

int
ipcr_schema_parse(const struct fb_table *schema, struct ipcr_field **out,
    size_t *n, size_t *total, struct err *e)
{
	struct walk w = { 0 };
	int16_t endian;

	*out = NULL;
	*n = 0;
	if (fb_i16(schema, SCHEMA_ENDIAN, 0, &endian, e) != 0)
		return -1;
	if (endian != 0)
		return err_set(e, ERR_UNSUPPORTED,
		    "big-endian Arrow streams are not supported");
	if (parse_fields(schema, SCHEMA_FIELDS, out, n, 1, &w, e) != 0) {
		ipcr_fields_free(*out, *n);
		*out = NULL;
		*n = 0;
		return err_prefix(e, "schema");
	}
	*total = w.total;
	return 0;
}
