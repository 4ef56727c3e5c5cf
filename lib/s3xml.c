#include <stddef.h>
#include <string.h>

#include "s3xml.h"
#include "xml.h"

enum ftype { F_STR, F_U64, F_BOOL };

struct field {
	const char	*name;
	enum ftype	 type;
	size_t		 off;
	size_t		 size;
};

#define STR(s, m, n)	{ n, F_STR, offsetof(s, m), sizeof(((s *)0)->m) }
#define U64(s, m, n)	{ n, F_U64, offsetof(s, m), sizeof(uint64_t) }
#define BOOL(s, m, n)	{ n, F_BOOL, offsetof(s, m), sizeof(int) }
#define END		{ NULL, F_STR, 0, 0 }
#define NOREC		{ NULL, NULL, NULL, 0, NULL }

typedef int (*rec_fn)(const void *, const void *, struct err *);

struct rec_spec {
	const char		*parent;
	const char		*name;
	const struct field	*fields;
	size_t			 size;
	rec_fn			 fn;
};

struct spec {
	const char		*root;
	const struct field	*top;
	struct rec_spec		 rec[2];
};

struct state {
	const struct spec	*sp;
	void			*top;
	const void		*arg;		/* for rec fns */
	unsigned char		*rec;		/* record buffer */
	int			 inrec;		/* rec index or -1 */
	int			 recdepth;
	struct s3xml_error	*se;
	int			 is_error;
};

static const struct field error_fields[] = {
	STR(struct s3xml_error, code, "Code"),
	STR(struct s3xml_error, message, "Message"),
	STR(struct s3xml_error, request_id, "RequestId"),
	STR(struct s3xml_error, host_id, "HostId"),
	STR(struct s3xml_error, region, "Region"),
	STR(struct s3xml_error, resource, "Resource"),
	END
};

static int
set_field(const struct field *fl, const struct xml_event *ev, void *dst,
    struct err *e)
{
	unsigned char *p = (unsigned char *)dst + fl->off;
	uint64_t v = 0;
	size_t i;

	switch (fl->type) {
	case F_STR:
		if (ev->textlen >= fl->size)
			return err_set(e, ERR_LIMIT,
			    "xml: <%s> longer than %zu bytes", fl->name,
			    fl->size - 1);
		memcpy(p, ev->text, ev->textlen + 1);
		return 0;
	case F_U64:
		if (ev->textlen == 0 || ev->textlen > 19)
			return err_set(e, ERR_FORMAT, "xml: bad number in <%s>",
			    fl->name);
		for (i = 0; i < ev->textlen; i++) {
			if (ev->text[i] < '0' || ev->text[i] > '9')
				return err_set(e, ERR_FORMAT,
				    "xml: bad number in <%s>", fl->name);
			v = v * 10 + (uint64_t)(ev->text[i] - '0');
		}
		memcpy(p, &v, sizeof(v));
		return 0;
	case F_BOOL:
		if (strcmp(ev->text, "true") == 0)
			i = 1;
		else if (strcmp(ev->text, "false") == 0)
			i = 0;
		else
			return err_set(e, ERR_FORMAT,
			    "xml: bad boolean in <%s>", fl->name);
		*(int *)(void *)p = (int)i;
		return 0;
	}
	return 0;
}

static int
match(const struct field *fl, const struct xml_event *ev, void *dst,
    struct err *e)
{
	for (; fl != NULL && fl->name != NULL; fl++)
		if (xml_is(ev, fl->name))
			return set_field(fl, ev, dst, e);
	return 0;
}

static int
on_event(void *arg, const struct xml_event *ev, struct err *e)
{
	struct state *st = arg;
	const struct spec *sp = st->sp;
	const struct rec_spec *rs;
	int i;

	if (ev->depth == 1 && ev->type == XML_OPEN) {
		if (xml_is(ev, "Error")) {
			st->is_error = 1;
			return 0;
		}
		if (sp->root != NULL && !xml_is(ev, sp->root))
			return err_set(e, ERR_FORMAT,
			    "xml: root <%.*s>, expected <%s>",
			    (int)(ev->namelen > 64 ? 64 : ev->namelen),
			    ev->name, sp->root);
		return 0;
	}
	if (st->is_error) {
		if (ev->type == XML_TEXT && ev->depth == 2)
			return match(error_fields, ev, st->se, e);
		return 0;
	}
	if (st->inrec >= 0) {
		rs = &sp->rec[st->inrec];
		if (ev->type == XML_TEXT && ev->depth == st->recdepth + 1)
			return match(rs->fields, ev, st->rec, e);
		if (ev->type == XML_CLOSE && ev->depth == st->recdepth) {
			st->inrec = -1;
			return rs->fn != NULL ? rs->fn(st->arg, st->rec, e) : 0;
		}
		return 0;
	}
	for (i = 0; i < 2; i++) {
		rs = &sp->rec[i];
		if (rs->name != NULL && ev->type == XML_OPEN &&
		    xml_is(ev, rs->name) && xml_parent_is(ev, rs->parent)) {
			memset(st->rec, 0, rs->size);
			st->inrec = i;
			st->recdepth = ev->depth;
			return 0;
		}
	}
	if (ev->type == XML_TEXT && ev->depth == 2 && st->top != NULL)
		return match(sp->top, ev, st->top, e);
	return 0;
}

/* Largest record any spec uses. */
union records {
	struct s3xml_object	o;
	struct s3xml_bucket	b;
	struct s3xml_upload	u;
	struct s3xml_part	p;
	char			prefix[S3XML_KEY];
};

static int
run(const char *doc, size_t len, const struct spec *sp, void *top,
    size_t topsize, const void *arg, struct s3xml_error *se, struct err *e)
{
	union records rec;
	struct s3xml_error local;
	struct state st;

	memset(&st, 0, sizeof(st));
	st.sp = sp;
	st.top = top;
	st.arg = arg;
	st.rec = (unsigned char *)&rec;
	st.inrec = -1;
	st.se = se != NULL ? se : &local;
	memset(st.se, 0, sizeof(*st.se));
	if (top != NULL)
		memset(top, 0, topsize);
	if (xml_walk(doc, len, on_event, &st, e) != 0)
		return -1;
	return st.is_error;
}

static int
root_fn(void *arg, const struct xml_event *ev, struct err *e)
{
	char **out = arg;
	size_t n = (size_t)(out[1] - out[0]), m;

	(void)e;
	if (ev->depth == 1 && ev->type == XML_OPEN && n > 0) {
		m = ev->namelen < n - 1 ? ev->namelen : n - 1;
		memcpy(out[0], ev->name, m);
		out[0][m] = '\0';
	}
	return 0;
}

int
s3xml_root(const char *doc, size_t len, char *out, size_t n, struct err *e)
{
	char *span[2] = { out, out + n };

	if (n > 0)
		out[0] = '\0';
	return xml_walk(doc, len, root_fn, span, e);
}

int
s3xml_error(const char *doc, size_t len, struct s3xml_error *se,
    struct err *e)
{
	static const struct spec sp = { NULL, NULL, { NOREC, NOREC } };

	return run(doc, len, &sp, NULL, 0, NULL, se, e);
}

/* ListObjectsV2 */

static int
object_fn(const void *arg, const void *rec, struct err *e)
{
	const struct s3xml_list_cb *cb = arg;

	return cb->object != NULL ? cb->object(cb->arg, rec, e) : 0;
}

static int
prefix_fn(const void *arg, const void *rec, struct err *e)
{
	const struct s3xml_list_cb *cb = arg;

	return cb->prefix != NULL ? cb->prefix(cb->arg, rec, e) : 0;
}

struct prefix_rec {
	char	prefix[S3XML_KEY];
};

int
s3xml_list_objects(const char *doc, size_t len,
    const struct s3xml_list_cb *cb, struct s3xml_list *out,
    struct s3xml_error *se, struct err *e)
{
	static const struct field top[] = {
		BOOL(struct s3xml_list, is_truncated, "IsTruncated"),
		STR(struct s3xml_list, next_token, "NextContinuationToken"),
		U64(struct s3xml_list, key_count, "KeyCount"),
		STR(struct s3xml_list, prefix, "Prefix"),
		STR(struct s3xml_list, delimiter, "Delimiter"),
		END
	};
	static const struct field obj[] = {
		STR(struct s3xml_object, key, "Key"),
		U64(struct s3xml_object, size, "Size"),
		STR(struct s3xml_object, etag, "ETag"),
		STR(struct s3xml_object, last_modified, "LastModified"),
		STR(struct s3xml_object, storage_class, "StorageClass"),
		END
	};
	static const struct field pfx[] = {
		STR(struct prefix_rec, prefix, "Prefix"),
		END
	};
	static const struct spec sp = { "ListBucketResult", top, {
		{ "ListBucketResult", "Contents", obj,
		    sizeof(struct s3xml_object), object_fn },
		{ "ListBucketResult", "CommonPrefixes", pfx,
		    sizeof(struct prefix_rec), prefix_fn } } };

	return run(doc, len, &sp, out, sizeof(*out), cb, se, e);
}

/* ListBuckets, ListMultipartUploads, ListParts: one record type each. */

static int
bucket_fn(const void *arg, const void *rec, struct err *e)
{
	struct {
		int (*fn)(void *, const struct s3xml_bucket *, struct err *);
		void *arg;
	} const *cb = arg;

	return cb->fn != NULL ? cb->fn(cb->arg, rec, e) : 0;
}

int
s3xml_list_buckets(const char *doc, size_t len,
    int (*fn)(void *, const struct s3xml_bucket *, struct err *), void *arg,
    struct s3xml_error *se, struct err *e)
{
	static const struct field fl[] = {
		STR(struct s3xml_bucket, name, "Name"),
		STR(struct s3xml_bucket, creation_date, "CreationDate"),
		END
	};
	static const struct spec sp = { "ListAllMyBucketsResult", NULL, {
		{ "Buckets", "Bucket", fl, sizeof(struct s3xml_bucket),
		    bucket_fn }, NOREC } };
	struct {
		int (*fn)(void *, const struct s3xml_bucket *, struct err *);
		void *arg;
	} cb = { fn, arg };

	return run(doc, len, &sp, NULL, 0, &cb, se, e);
}

static int
upload_fn(const void *arg, const void *rec, struct err *e)
{
	struct {
		int (*fn)(void *, const struct s3xml_upload *, struct err *);
		void *arg;
	} const *cb = arg;

	return cb->fn != NULL ? cb->fn(cb->arg, rec, e) : 0;
}

int
s3xml_list_uploads(const char *doc, size_t len,
    int (*fn)(void *, const struct s3xml_upload *, struct err *), void *arg,
    struct s3xml_uploads *out, struct s3xml_error *se, struct err *e)
{
	static const struct field top[] = {
		BOOL(struct s3xml_uploads, is_truncated, "IsTruncated"),
		STR(struct s3xml_uploads, next_key_marker, "NextKeyMarker"),
		STR(struct s3xml_uploads, next_upload_id_marker,
		    "NextUploadIdMarker"),
		END
	};
	static const struct field fl[] = {
		STR(struct s3xml_upload, key, "Key"),
		STR(struct s3xml_upload, upload_id, "UploadId"),
		STR(struct s3xml_upload, initiated, "Initiated"),
		STR(struct s3xml_upload, storage_class, "StorageClass"),
		END
	};
	static const struct spec sp = { "ListMultipartUploadsResult", top, {
		{ "ListMultipartUploadsResult", "Upload", fl,
		    sizeof(struct s3xml_upload), upload_fn }, NOREC } };
	struct {
		int (*fn)(void *, const struct s3xml_upload *, struct err *);
		void *arg;
	} cb = { fn, arg };

	return run(doc, len, &sp, out, sizeof(*out), &cb, se, e);
}

static int
part_fn(const void *arg, const void *rec, struct err *e)
{
	struct {
		int (*fn)(void *, const struct s3xml_part *, struct err *);
		void *arg;
	} const *cb = arg;

	return cb->fn != NULL ? cb->fn(cb->arg, rec, e) : 0;
}

int
s3xml_list_parts(const char *doc, size_t len,
    int (*fn)(void *, const struct s3xml_part *, struct err *), void *arg,
    struct s3xml_parts *out, struct s3xml_error *se, struct err *e)
{
	static const struct field top[] = {
		BOOL(struct s3xml_parts, is_truncated, "IsTruncated"),
		U64(struct s3xml_parts, next_part_number_marker,
		    "NextPartNumberMarker"),
		STR(struct s3xml_parts, upload_id, "UploadId"),
		END
	};
	static const struct field fl[] = {
		U64(struct s3xml_part, part_number, "PartNumber"),
		U64(struct s3xml_part, size, "Size"),
		STR(struct s3xml_part, etag, "ETag"),
		STR(struct s3xml_part, last_modified, "LastModified"),
		END
	};
	static const struct spec sp = { "ListPartsResult", top, {
		{ "ListPartsResult", "Part", fl, sizeof(struct s3xml_part),
		    part_fn }, NOREC } };
	struct {
		int (*fn)(void *, const struct s3xml_part *, struct err *);
		void *arg;
	} cb = { fn, arg };

	return run(doc, len, &sp, out, sizeof(*out), &cb, se, e);
}

int
s3xml_initiate(const char *doc, size_t len, struct s3xml_initiate *out,
    struct s3xml_error *se, struct err *e)
{
	static const struct field top[] = {
		STR(struct s3xml_initiate, bucket, "Bucket"),
		STR(struct s3xml_initiate, key, "Key"),
		STR(struct s3xml_initiate, upload_id, "UploadId"),
		END
	};
	static const struct spec sp = { "InitiateMultipartUploadResult", top,
		{ NOREC, NOREC } };
	int rc = run(doc, len, &sp, out, sizeof(*out), NULL, se, e);

	if (rc == 0 && out->upload_id[0] == '\0')
		return err_set(e, ERR_FORMAT,
		    "xml: InitiateMultipartUploadResult without UploadId");
	return rc;
}

int
s3xml_complete(const char *doc, size_t len, struct s3xml_complete *out,
    struct s3xml_error *se, struct err *e)
{
	static const struct field top[] = {
		STR(struct s3xml_complete, location, "Location"),
		STR(struct s3xml_complete, bucket, "Bucket"),
		STR(struct s3xml_complete, key, "Key"),
		STR(struct s3xml_complete, etag, "ETag"),
		END
	};
	static const struct spec sp = { "CompleteMultipartUploadResult", top,
		{ NOREC, NOREC } };
	int rc = run(doc, len, &sp, out, sizeof(*out), NULL, se, e);

	if (rc == 0 && out->etag[0] == '\0')
		return err_set(e, ERR_FORMAT,
		    "xml: CompleteMultipartUploadResult without ETag");
	return rc;
}
