/*
 * s3.c: the S3 operations of s3.h, each one struct s3_call run by the
 * engine in s3req.c; and the client's life cycle.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "s3int.h"
#include "s3xml.h"

void
s3_opts_init(struct s3_opts *o)
{
	memset(o, 0, sizeof(*o));
}

struct s3_client *
s3_client_new(const struct s3_opts *o, struct err *e)
{
	struct s3_client *cl;
	struct url_s3_env env;
	struct retry_policy pol;

	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&cl->mu, NULL);
	cl->clock = &clock_real;
	rate_init(&cl->rate, o->limit_rate, cl->clock);
	memset(&env, 0, sizeof(env));
	url_s3_env_get(&env);
	env.endpoint_flag = o->endpoint_url;
	env.region_flag = o->region;
	env.force_path_style = o->path_style;
	cl->region_locked = (o->region && *o->region) ||
	    (env.region && *env.region) ||
	    (env.default_region && *env.default_region);
	if (url_s3_config(&env, &cl->cfg, e) != 0)
		goto fail;
	if (cl->cfg.ep.tls || o->insecure || o->ca_bundle) {
		cl->tls = tls_config_new(o->ca_bundle, o->insecure, e);
		if (cl->tls == NULL)
			goto fail;
	}
	cl->nopts.connect_timeout_ms = o->connect_timeout_ms > 0 ?
	    o->connect_timeout_ms : 10000;
	cl->nopts.io_timeout_ms = o->stall_timeout_ms > 0 ?
	    o->stall_timeout_ms : 60000;
	if ((cl->pool = net_pool_new(o->max_conns ? o->max_conns : 16, 0,
	    e)) == NULL)
		goto fail;
	retry_policy_default(&pol);
	if (o->max_attempts > 0)
		pol.max_attempts = (unsigned)o->max_attempts;
	else if (retry_policy_max_attempts(&pol, getenv("AWS_MAX_ATTEMPTS"),
	    e) != 0)
		goto fail;
	if (retry_init(&cl->retry, &pol, NULL, e) != 0)
		goto fail;
	cl->retry_ok = 1;
	cl->log = o->log;
	cl->log_arg = o->log_arg;
	cl->sign_payload = o->sign_payload;
	if (o->metrics_path && (cl->metrics = metrics_open(o->metrics_path,
	    e)) == NULL)
		goto fail;
	if (s3_creds_load(cl, e) != 0)
		goto fail;
	return cl;
fail:
	s3_client_free(cl);
	return NULL;
}

void
s3_client_free(struct s3_client *cl)
{
	struct err e;

	if (cl == NULL)
		return;
	net_pool_free(cl->pool);
	tls_config_free(cl->tls);
	(void)metrics_close(cl->metrics, &e);
	s3_creds_free(cl);
	rate_destroy(&cl->rate);
	if (cl->retry_ok)
		retry_free(&cl->retry);
	pthread_mutex_destroy(&cl->mu);
	free(cl);
}

void
s3_client_totals(struct s3_client *cl, struct s3_totals *t)
{
	pthread_mutex_lock(&cl->mu);
	*t = cl->totals;
	pthread_mutex_unlock(&cl->mu);
}

static void
copy_status(struct s3_status *out, const struct s3_call *c)
{
	if (out != NULL)
		*out = c->st;
}

/* --- HEAD ------------------------------------------------------------ */

void
s3_fill_object(struct s3_object *obj, const struct http_response *r)
{
	char v[64], sse[64];

	memset(obj, 0, sizeof(*obj));
	http_get(r, "ETag", obj->etag, sizeof(obj->etag));
	http_get(r, "Last-Modified", obj->last_modified,
	    sizeof(obj->last_modified));
	http_get(r, "Content-Type", obj->content_type,
	    sizeof(obj->content_type));
	http_get(r, "Content-Length", v, sizeof(v));
	obj->size = strtoull(v, NULL, 10);
	http_get(r, "x-amz-mp-parts-count", v, sizeof(v));
	obj->parts = (int)strtol(v, NULL, 10);
	http_get(r, "x-amz-server-side-encryption", sse, sizeof(sse));
	if (strcmp(sse, "aws:kms") == 0 || strcmp(sse, "aws:kms:dsse") == 0)
		obj->etag_not_md5 = 1;
	http_get(r, "x-amz-server-side-encryption-customer-algorithm", sse,
	    sizeof(sse));
	if (sse[0])
		obj->etag_not_md5 = 1;
	http_get(r, "x-amz-checksum-crc32c", obj->checksum_crc32c,
	    sizeof(obj->checksum_crc32c));
	http_get(r, "x-amz-checksum-crc64nvme", obj->checksum_crc64nvme,
	    sizeof(obj->checksum_crc64nvme));
	http_get(r, "x-amz-checksum-sha256", obj->checksum_sha256,
	    sizeof(obj->checksum_sha256));
	http_get(r, "x-amz-checksum-type", obj->checksum_type,
	    sizeof(obj->checksum_type));
}

static int
head_on_head(struct s3_call *c, const struct http_response *r,
    struct err *e)
{
	(void)e;
	s3_fill_object(c->arg, r);
	return 0;
}

static int
head_call(struct s3_client *cl, const char *bucket, const char *key,
    int checksums, struct s3_object *obj, struct s3_status *st,
    struct err *e)
{
	struct s3_call c;
	int rc;

	s3_call_init(&c, "HeadObject", "HEAD", bucket, key);
	if (checksums)
		s3_call_field(&c, "x-amz-checksum-mode", "ENABLED");
	c.head = 1;
	c.on_head = head_on_head;
	c.arg = obj;
	rc = s3_call_run(cl, &c, e);
	copy_status(st, &c);
	s3_call_free(&c);
	return rc;
}

int
s3_head(struct s3_client *cl, const char *bucket, const char *key,
    struct s3_object *obj, struct s3_status *st, struct err *e)
{
	return head_call(cl, bucket, key, 0, obj, st, e);
}

int
s3_head_checksums(struct s3_client *cl, const char *bucket, const char *key,
    struct s3_object *obj, struct s3_status *st, struct err *e)
{
	return head_call(cl, bucket, key, 1, obj, st, e);
}

/* --- PUT, multipart ------------------------------------------------- */

struct put_ctx {
	char	*etag_out;
};

static int
etag_on_head(struct s3_call *c, const struct http_response *r,
    struct err *e)
{
	struct put_ctx *p = c->arg;

	(void)e;
	if (p->etag_out)
		http_get(r, "ETag", p->etag_out, S3_ETAG_MAX);
	return 0;
}

/* Header name for a checksum algorithm, or NULL if unknown. */
static const char *
checksum_header(const char *alg)
{
	if (alg == NULL)
		return NULL;
	if (strcmp(alg, "crc32c") == 0)
		return "x-amz-checksum-crc32c";
	if (strcmp(alg, "crc64nvme") == 0)
		return "x-amz-checksum-crc64nvme";
	if (strcmp(alg, "sha256") == 0)
		return "x-amz-checksum-sha256";
	return NULL;
}

/* Common object headers of PutObject and CreateMultipartUpload. */
/*
 * The body of a PutObject or UploadPart, bound by its signed Content-MD5
 * (md5b64: the caller's buffer, alive until the call ran) and with the
 * checksum header ch when one is given.
 */
static void
body_fields(struct s3_call *c, const struct s3_body *body,
    const uint8_t md5[16], char md5b64[BASE64_LEN(16) + 1], const char *ch,
    const char *checksum)
{
	base64_encode(md5, 16, md5b64);
	s3_call_field(c, "Content-MD5", md5b64);
	c->md5_signed = 1;
	if (ch && checksum)
		s3_call_field(c, ch, checksum);
	c->body = body;
}

/* Object headers of po; If-None-Match only when conditional is set. */
static int
put_headers(struct s3_call *c, const struct s3_put_opts *po, int conditional,
    struct strbuf *names, struct err *e)
{
	const char *const *m;
	const char *eq;
	size_t off;

	if (po == NULL)
		return 0;
	if (po->content_type)
		s3_call_field(c, "Content-Type", po->content_type);
	if (po->storage_class)
		s3_call_field(c, "x-amz-storage-class", po->storage_class);
	if (po->sse)
		s3_call_field(c, "x-amz-server-side-encryption", po->sse);
	if (conditional && po->if_none_match)
		s3_call_field(c, "If-None-Match", "*");
	/* metadata names are built into one buffer: "x-amz-meta-k\0v\0" */
	for (m = po->metadata; m && *m; m++) {
		if ((eq = strchr(*m, '=')) == NULL || eq == *m)
			return err_set(e, ERR_USAGE, "metadata '%s' is not k=v",
			    *m);
		sb_adds(names, "x-amz-meta-");
		sb_add(names, *m, (size_t)(eq - *m));
		sb_addc(names, '\0');
		sb_adds(names, eq + 1);
		sb_addc(names, '\0');
	}
	if (sb_error(names, "metadata", e) != 0)
		return -1;
	for (off = 0; off < names->len;) {
		const char *n = names->data + off;
		const char *v = n + strlen(n) + 1;

		s3_call_field(c, n, v);
		off = (size_t)(v - names->data) + strlen(v) + 1;
	}
	return 0;
}

int
s3_put_object(struct s3_client *cl, const char *bucket, const char *key,
    const struct s3_body *body, const uint8_t md5[16], const char *checksum,
    const struct s3_put_opts *po, char *etag_out, struct s3_status *st,
    struct err *e)
{
	struct s3_call c;
	struct put_ctx p = { etag_out };
	struct strbuf names;
	char md5b64[BASE64_LEN(16) + 1];
	const char *ch = checksum_header(po ? po->checksum_algorithm : NULL);
	int rc = -1;

	s3_call_init(&c, "PutObject", "PUT", bucket, key);
	sb_init(&names, 64 * 1024);
	body_fields(&c, body, md5, md5b64, ch, checksum);
	if (put_headers(&c, po, 1, &names, e) == 0) {
		c.on_head = etag_on_head;
		c.arg = &p;
		rc = s3_call_run(cl, &c, e);
	}
	copy_status(st, &c);
	s3_call_free(&c);
	sb_free(&names);
	return rc;
}

static int
initiate_check(struct s3_call *c, char *code, size_t n, char *msg, size_t mn,
    struct err *e)
{
	struct s3xml_initiate ini;
	struct s3xml_error xe;
	int r;

	r = s3xml_initiate(c->doc.data ? c->doc.data : "", c->doc.len, &ini,
	    &xe, e);
	if (r == 1) {
		s3_copy(code, n, xe.code);
		s3_copy(msg, mn, xe.message);
		return 1;
	}
	if (r < 0)
		return -1;
	if (ini.upload_id[0] == '\0')
		return err_set(e, ERR_FORMAT, "no UploadId in the answer");
	s3_copy(c->arg, S3_UPLOAD_ID_MAX, ini.upload_id);
	return 0;
}

int
s3_create_multipart(struct s3_client *cl, const char *bucket,
    const char *key, const struct s3_put_opts *po, char *upload_id,
    struct s3_status *st, struct err *e)
{
	struct s3_call c;
	struct strbuf names;
	const char *alg = po ? po->checksum_algorithm : NULL;
	int rc = -1;

	s3_call_init(&c, "CreateMultipartUpload", "POST", bucket, key);
	sb_init(&names, 64 * 1024);
	c.query = "uploads=";
	if (checksum_header(alg)) {
		/* S3 rules: CRC64NVME full-object only, SHA-256 composite only */
		s3_call_field(&c, "x-amz-checksum-algorithm",
		    strcmp(alg, "crc32c") == 0 ? "CRC32C" :
		    strcmp(alg, "crc64nvme") == 0 ? "CRC64NVME" : "SHA256");
		s3_call_field(&c, "x-amz-checksum-type",
		    strcmp(alg, "sha256") == 0 ? "COMPOSITE" : "FULL_OBJECT");
	}
	if (put_headers(&c, po, 0, &names, e) == 0) {
		c.check_doc = initiate_check;
		c.arg = upload_id;
		rc = s3_call_run(cl, &c, e);
	}
	copy_status(st, &c);
	s3_call_free(&c);
	sb_free(&names);
	return rc;
}

int
s3_upload_part(struct s3_client *cl, const char *bucket, const char *key,
    const char *upload_id, unsigned part, const struct s3_body *body,
    const uint8_t md5[16], const char *checksum_algorithm,
    const char *checksum, char *etag_out, struct s3_status *st,
    struct err *e)
{
	struct s3_call c;
	struct put_ctx p = { etag_out };
	struct strbuf q;
	char md5b64[BASE64_LEN(16) + 1], num[16];
	const char *ch = checksum_header(checksum_algorithm);
	int rc;

	if (part < 1 || part > S3_MAX_PARTS)
		return err_set(e, ERR_USAGE, "part number %u out of range", part);
	s3_call_init(&c, "UploadPart", "PUT", bucket, key);
	sb_init(&q, 0);
	snprintf(num, sizeof(num), "%u", part);
	url_query_add(&q, "partNumber", num);
	url_query_add(&q, "uploadId", upload_id);
	if (sb_error(&q, "query", e) != 0) {
		s3_call_free(&c);
		sb_free(&q);
		return -1;
	}
	c.query = sb_cstr(&q);
	c.part = (int)part;
	body_fields(&c, body, md5, md5b64, ch, checksum);
	c.on_head = etag_on_head;
	c.arg = &p;
	rc = s3_call_run(cl, &c, e);
	copy_status(st, &c);
	s3_call_free(&c);
	sb_free(&q);
	return rc;
}

static int
complete_check(struct s3_call *c, char *code, size_t n, char *msg,
    size_t mn, struct err *e)
{
	struct s3xml_complete done;
	struct s3xml_error xe;
	int r;

	r = s3xml_complete(c->doc.data ? c->doc.data : "", c->doc.len, &done,
	    &xe, e);
	if (r == 1) {	/* 200 with an <Error> body */
		s3_copy(code, n, xe.code);
		s3_copy(msg, mn, xe.message);
		return 1;
	}
	if (r < 0)
		return -1;
	if (c->arg)
		s3_copy(c->arg, S3_ETAG_MAX, done.etag);
	return 0;
}

int
s3_complete_multipart(struct s3_client *cl, const char *bucket,
    const char *key, const char *upload_id, const struct s3_part *parts,
    size_t nparts, const struct s3_complete_opts *co, char *etag_out,
    struct s3_status *st, struct err *e)
{
	struct s3_call c;
	struct strbuf q, xml;
	struct s3_body body;
	const char *checksum_algorithm = co ? co->checksum_algorithm : NULL;
	const char *tag = NULL, *ch;
	size_t i;
	int rc = -1;

	if (checksum_algorithm && strcmp(checksum_algorithm, "crc32c") == 0)
		tag = "ChecksumCRC32C";
	else if (checksum_algorithm &&
	    strcmp(checksum_algorithm, "crc64nvme") == 0)
		tag = "ChecksumCRC64NVME";
	else if (checksum_algorithm &&
	    strcmp(checksum_algorithm, "sha256") == 0)
		tag = "ChecksumSHA256";
	s3_call_init(&c, "CompleteMultipartUpload", "POST", bucket, key);
	sb_init(&q, 0);
	sb_init(&xml, 4u << 20);
	url_query_add(&q, "uploadId", upload_id);
	sb_adds(&xml, "<CompleteMultipartUpload xmlns=\""
	    "http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (i = 0; i < nparts; i++) {
		sb_addf(&xml, "<Part><PartNumber>%u</PartNumber>"
		    "<ETag>%s</ETag>", parts[i].number, parts[i].etag);
		if (tag && parts[i].checksum)
			sb_addf(&xml, "<%s>%s</%s>", tag, parts[i].checksum,
			    tag);
		sb_adds(&xml, "</Part>");
	}
	sb_adds(&xml, "</CompleteMultipartUpload>");
	if (sb_error(&q, "query", e) == 0 &&
	    sb_error(&xml, "CompleteMultipartUpload body", e) == 0) {
		memset(&body, 0, sizeof(body));
		body.data = xml.data;
		body.len = xml.len;
		c.query = sb_cstr(&q);
		c.body = &body;
		c.check_doc = complete_check;
		c.arg = etag_out;
		if (etag_out)
			etag_out[0] = '\0';
		s3_call_field(&c, "Content-Type", "application/xml");
		ch = checksum_header(checksum_algorithm);
		if (ch && co->full_checksum &&
		    strcmp(checksum_algorithm, "sha256") != 0) {
			s3_call_field(&c, ch, co->full_checksum);
			s3_call_field(&c, "x-amz-checksum-type", "FULL_OBJECT");
		}
		if (co && co->if_none_match)
			s3_call_field(&c, "If-None-Match", "*");
		rc = s3_call_run(cl, &c, e);
	}
	copy_status(st, &c);
	s3_call_free(&c);
	sb_free(&q);
	sb_free(&xml);
	return rc;
}

/* DELETE-like calls where "already gone" (404) is success. */
static int
delete_call(struct s3_client *cl, struct s3_call *c, struct s3_status *st,
    struct err *e)
{
	int rc = s3_call_run(cl, c, e);

	/* gone already is done; a missing bucket is not */
	if (rc != 0 && c->st.http_status == 404 &&
	    strcmp(c->st.code, "NoSuchBucket") != 0)
		rc = 0;
	copy_status(st, c);
	s3_call_free(c);
	return rc;
}

int
s3_abort_multipart(struct s3_client *cl, const char *bucket,
    const char *key, const char *upload_id, struct s3_status *st,
    struct err *e)
{
	struct s3_call c;
	struct strbuf q;
	int rc;

	s3_call_init(&c, "AbortMultipartUpload", "DELETE", bucket, key);
	sb_init(&q, 0);
	url_query_add(&q, "uploadId", upload_id);
	if (sb_error(&q, "query", e) != 0) {
		sb_free(&q);
		s3_call_free(&c);
		return -1;
	}
	c.query = sb_cstr(&q);
	rc = delete_call(cl, &c, st, e);
	sb_free(&q);
	return rc;
}

int
s3_delete(struct s3_client *cl, const char *bucket, const char *key,
    struct s3_status *st, struct err *e)
{
	struct s3_call c;

	s3_call_init(&c, "DeleteObject", "DELETE", bucket, key);
	return delete_call(cl, &c, st, e);
}
