/*
 * upload_end.c: the s3put engine's checksums, resume state checks,
 * CompleteMultipartUpload, verification by HEAD, and abort.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "hash/crc.h"
#include "upload_int.h"

/* --- checksums ------------------------------------------------------------ */

void
up_cksum_init(struct up_cksum *c, int alg)
{
	memset(c, 0, sizeof(*c));
	c->alg = alg;
	if (alg == 3)
		sha256_init(&c->sh);
}

void
up_cksum_update(struct up_cksum *c, const void *p, size_t n)
{
	if (c->alg == 1)
		c->c32 = crc32c_update(c->c32, p, n);
	else if (c->alg == 2)
		c->c64 = crc64nvme_update(c->c64, p, n);
	else if (c->alg == 3)
		sha256_update(&c->sh, p, n);
}

static void
be_b64(uint64_t v, size_t nbytes, char *out)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < nbytes; i++)
		b[i] = (uint8_t)(v >> (8 * (nbytes - 1 - i)));
	base64_encode(b, nbytes, out);
}

void
up_cksum_final(struct up_cksum *c, char *out)
{
	uint8_t d[SHA256_LEN];

	out[0] = '\0';
	if (c->alg == 1)
		be_b64(c->c32, 4, out);
	else if (c->alg == 2)
		be_b64(c->c64, 8, out);
	else if (c->alg == 3) {
		sha256_final(&c->sh, d);
		base64_encode(d, sizeof(d), out);
	}
}

/* Big-endian value of a base64 CRC of nbytes. -1 if malformed. */
static int
b64_be(const char *s, size_t nbytes, uint64_t *v)
{
	uint8_t b[8];
	size_t i;

	if (base64_decode(s, strlen(s), b, sizeof(b)) != (long)nbytes)
		return -1;
	for (*v = 0, i = 0; i < nbytes; i++)
		*v = *v << 8 | b[i];
	return 0;
}

/*
 * CRC32C and CRC64NVME uploads are FULL_OBJECT: the CRC of all bytes,
 * combined from the parts'. SHA-256 is COMPOSITE: base64 of the SHA-256
 * of the concatenated part digests, then "-N".
 */
int
up_cksum_object(struct upload *u, char *out, struct err *e)
{
	struct sha256 sh;
	uint8_t d[SHA256_LEN];
	uint64_t v, acc = 0;
	size_t nb = u->alg == 1 ? 4 : 8;
	unsigned i;
	int k;

	out[0] = '\0';
	if (u->alg == 0)
		return 0;
	sha256_init(&sh);
	for (i = 0; i < u->nparts; i++) {
		const char *c = u->parts[i].cksum;

		if (u->alg == 3) {
			if (base64_decode(c, strlen(c), d, sizeof(d)) !=
			    SHA256_LEN)
				return err_set(e, ERR_FORMAT, "part %u: bad "
				    "checksum '%s'", i + 1, c);
			sha256_update(&sh, d, sizeof(d));
			continue;
		}
		if (b64_be(c, nb, &v) != 0)
			return err_set(e, ERR_FORMAT, "part %u: bad checksum "
			    "'%s'", i + 1, c);
		if (i == 0)
			acc = v;
		else if (u->alg == 1)
			acc = crc32c_combine((uint32_t)acc, (uint32_t)v,
			    u->parts[i].size);
		else
			acc = crc64nvme_combine(acc, v, u->parts[i].size);
	}
	if (u->alg != 3) {
		be_b64(acc, nb, out);
		return 0;
	}
	sha256_final(&sh, d);
	base64_encode(d, sizeof(d), out);
	k = (int)strlen(out);
	snprintf(out + k, UP_CKSUM_MAX - (size_t)k, "-%u", u->nparts);
	return 0;
}

/* --- ETags ------------------------------------------------------------------ */

/* The ETag as sent without quotes (and W/), into out. */
static void
etag_bare(const char *etag, char *out, size_t cap)
{
	size_t n;

	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	if (*etag == '"')
		etag++;
	n = strlen(etag);
	if (n > 0 && etag[n - 1] == '"')
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, etag, n);
	out[n] = '\0';
}

int
up_etag_is_md5(const char *etag, const uint8_t md5[16])
{
	char bare[S3_ETAG_MAX], hex[33];

	etag_bare(etag, bare, sizeof(bare));
	hex_encode(md5, 16, hex);
	return strcasecmp(bare, hex) == 0;
}

/* --- resume ------------------------------------------------------------------ */

struct listed {
	struct upload	*u;
	unsigned	 confirmed;
};

/* ListParts: keep a state part only if the server has it, same ETag. */
static int
on_listed(void *arg, const struct s3_part *p, struct err *e)
{
	struct listed *l = arg;
	struct resume_part *rp;
	char a[S3_ETAG_MAX], b[S3_ETAG_MAX];

	(void)e;
	if (p->number < 1 || p->number > l->u->rs.max_parts)
		return 0;
	rp = &l->u->rs.parts[p->number - 1];
	if (!rp->done)
		return 0;
	etag_bare(p->etag, a, sizeof(a));
	etag_bare(rp->etag, b, sizeof(b));
	if (strcasecmp(a, b) == 0 && p->size == rp->size) {
		rp->done = 2;		/* confirmed */
		l->confirmed++;
	}
	return 0;
}

int
up_resume_load(struct upload *u, struct err *e)
{
	struct resume_state *rs = &u->rs;
	struct listed l = { u, 0 };
	unsigned i, dropped = 0;

	if (resume_load(u->o.resume_path, rs, e) != 0) {
		if (e->kind == ERR_IO && e->errnum == ENOENT)
			return 0;	/* a fresh start */
		return -1;
	}
	if (strcmp(rs->bucket, u->o.bucket) != 0 ||
	    strcmp(rs->key, u->o.key) != 0)
		return err_set(e, ERR_USAGE, "%s is the state of an upload to "
		    "s3://%s/%s", u->o.resume_path, rs->bucket, rs->key);
	if (strcmp(rs->checksum, u->o.checksum ? u->o.checksum : "none"))
		return err_set(e, ERR_USAGE, "%s was started with --checksum "
		    "%s", u->o.resume_path, rs->checksum);
	if (u->o.seekable && rs->has_size && rs->size != u->o.size)
		return err_set(e, ERR_USAGE, "input has %llu bytes, the "
		    "interrupted upload %llu; refusing to resume with it",
		    (unsigned long long)u->o.size,
		    (unsigned long long)rs->size);
	if (partplan_set(&u->plan, rs->base, rs->tier, rs->shift,
	    rs->max_parts, e) != 0)
		return err_prefix(e, "%s", u->o.resume_path);
	free(u->parts);
	if ((u->parts = calloc(u->plan.max_parts, sizeof(*u->parts))) == NULL)
		return err_set(e, ERR_NOMEM, "parts");
	snprintf(u->upload_id, sizeof(u->upload_id), "%s", rs->upload_id);
	if (s3_list_parts(u->cl, u->o.bucket, u->o.key, u->upload_id,
	    on_listed, &l, NULL, e) != 0)
		return err_prefix(e, "resuming upload %s", u->upload_id);
	for (i = 0; i < rs->max_parts; i++) {
		if (rs->parts[i].done == 1) {
			rs->parts[i].done = 0;	/* not on the server */
			dropped++;
		}
	}
	up_log(u, "resuming upload %s: %u parts confirmed, %u to resend",
	    u->upload_id, l.confirmed, dropped);
	if ((u->rf = resume_append(u->o.resume_path, e)) == NULL)
		return -1;
	u->resuming = 1;
	return 0;
}

int
up_resume_start(struct upload *u, struct err *e)
{
	struct resume_state *rs = &u->rs;

	resume_state_init(rs);
	snprintf(rs->bucket, sizeof(rs->bucket), "%s", u->o.bucket);
	snprintf(rs->key, sizeof(rs->key), "%s", u->o.key);
	snprintf(rs->upload_id, sizeof(rs->upload_id), "%s", u->upload_id);
	rs->base = u->plan.base;
	rs->tier = u->plan.tier;
	rs->shift = u->plan.shift;
	rs->max_parts = u->plan.max_parts;
	snprintf(rs->checksum, sizeof(rs->checksum), "%s",
	    u->o.checksum ? u->o.checksum : "none");
	rs->has_size = u->o.seekable;
	rs->size = u->o.size;
	if ((u->rf = resume_create(u->o.resume_path, rs, e)) == NULL)
		return -1;
	return 0;
}

int
up_resume_note(struct upload *u, unsigned n, struct err *e)
{
	struct resume_part rp;
	const struct up_part *p = &u->parts[n - 1];

	if (u->rf == NULL)
		return 0;
	memset(&rp, 0, sizeof(rp));
	rp.size = p->size;
	memcpy(rp.md5, p->md5, 16);
	if (strlen(p->etag) >= sizeof(rp.etag))
		return err_set(e, ERR_LIMIT, "part %u: ETag too long for the "
		    "state file", n);
	memcpy(rp.etag, p->etag, strlen(p->etag) + 1);
	snprintf(rp.checksum, sizeof(rp.checksum), "%s", p->cksum);
	return resume_add_part(u->rf, n, &rp, e);
}

/* --- Complete, verify, abort ------------------------------------------------ */

/*
 * The stored checksum of our algorithm against the one computed (a
 * composite one ends in "-N" on both sides). A server that keeps none
 * (Swift, MinIO without the feature) is logged, not failed.
 */
static int
check_checksum(struct upload *u, const struct s3_object *obj,
    struct upload_result *res, struct err *e)
{
	const char *got = u->alg == 1 ? obj->checksum_crc32c :
	    u->alg == 2 ? obj->checksum_crc64nvme : obj->checksum_sha256;

	if (got[0] == '\0') {
		up_log(u, "the server returned no %s checksum: not checked",
		    u->o.checksum);
		return 0;
	}
	if (strcmp(got, res->checksum) != 0)
		return err_set(e, ERR_REMOTE, "s3://%s/%s has %s checksum %s, "
		    "the data sent has %s", u->o.bucket, u->o.key,
		    u->o.checksum, got, res->checksum);
	res->checksum_checked = 1;
	return 0;
}

int
up_verify(struct upload *u, const char *etag, uint64_t size,
    struct upload_result *res, struct err *e)
{
	struct s3_object obj;
	char bare[S3_ETAG_MAX];
	int ck = u->alg != 0 && res->checksum[0] != '\0';

	if ((ck ? s3_head_checksums(u->cl, u->o.bucket, u->o.key, &obj, NULL,
	    e) : s3_head(u->cl, u->o.bucket, u->o.key, &obj, NULL, e)) != 0)
		return err_prefix(e, "verifying the upload");
	if (obj.size != size)
		return err_set(e, ERR_REMOTE, "s3://%s/%s has %llu bytes after "
		    "the upload, %llu were sent", u->o.bucket, u->o.key,
		    (unsigned long long)obj.size, (unsigned long long)size);
	res->size = size;
	if (ck && check_checksum(u, &obj, res, e) != 0)
		return -1;
	if (obj.etag_not_md5 || (u->o.put.sse && strcmp(u->o.put.sse,
	    "AES256") != 0)) {
		up_log(u, "the ETag is not an MD5 (SSE-KMS or SSE-C): only the "
		    "size%s was checked", res->checksum_checked ?
		    " and the checksum" : "");
		return 0;
	}
	etag_bare(obj.etag, bare, sizeof(bare));
	if (strcasecmp(bare, etag) != 0)
		return err_set(e, ERR_REMOTE, "s3://%s/%s has ETag %s, the "
		    "data sent has %s", u->o.bucket, u->o.key, bare, etag);
	res->etag_checked = 1;
	return 0;
}

int
up_complete(struct upload *u, struct upload_result *res, struct err *e)
{
	struct s3_part *parts;
	struct s3_complete_opts co;
	struct s3_status st;
	struct etag et;
	char etag[S3_ETAG_MAX];
	unsigned i;
	int rc;

	etag_init(&et);
	if ((parts = calloc(u->nparts, sizeof(*parts))) == NULL)
		return err_set(e, ERR_NOMEM, "parts list");
	for (i = 0; i < u->nparts; i++) {
		if (!u->parts[i].done) {
			free(parts);
			etag_free(&et);
			return err_set(e, ERR_REMOTE, "part %u was not sent",
			    i + 1);
		}
		parts[i].number = i + 1;
		snprintf(parts[i].etag, sizeof(parts[i].etag), "%s",
		    u->parts[i].etag);
		parts[i].checksum = u->parts[i].cksum[0] ? u->parts[i].cksum :
		    NULL;
		if (etag_set_part(&et, i, u->parts[i].md5, e) != 0)
			goto out;
	}
	if (etag_format_multipart(&et, res->etag, e) != 0 ||
	    up_cksum_object(u, res->checksum, e) != 0)
		goto out;
	res->parts = u->nparts;
	snprintf(res->upload_id, sizeof(res->upload_id), "%s", u->upload_id);
	memset(&co, 0, sizeof(co));
	co.checksum_algorithm = u->o.checksum;
	co.full_checksum = res->checksum[0] ? res->checksum : NULL;
	co.if_none_match = u->o.put.if_none_match;
	rc = s3_complete_multipart(u->cl, u->o.bucket, u->o.key, u->upload_id,
	    parts, u->nparts, &co, etag, &st, e);
	snprintf(res->request_id, sizeof(res->request_id), "%s",
	    st.request_id);
	if (rc != 0 && strcmp(st.code, "NoSuchUpload") == 0) {
		/* a retried Complete whose first attempt went through */
		up_log(u, "Complete answered NoSuchUpload: checking the object");
		if (up_verify(u, res->etag, u->total, res, e) != 0) {
			err_prefix(e, "CompleteMultipartUpload answered "
			    "NoSuchUpload and");
			goto out;
		}
		rc = 0;
		goto done;
	}
	if (rc != 0)
		goto out;
	if (etag[0] == '\0')
		up_log(u, "Complete returned an empty ETag");
	rc = up_verify(u, res->etag, u->total, res, e);
done:
	u->have_upload = rc == 0 ? 0 : u->have_upload;	/* nothing to abort */
	free(parts);
	etag_free(&et);
	return rc;
out:
	free(parts);
	etag_free(&et);
	return -1;
}

void
up_abort(struct upload *u)
{
	char id[S3_UPLOAD_ID_MAX];
	struct err e;
	int have;

	pthread_mutex_lock(&u->mu);
	have = u->have_upload;
	u->have_upload = 0;
	memcpy(id, u->upload_id, sizeof(id));
	pthread_mutex_unlock(&u->mu);
	if (!have)
		return;
	if (u->o.resume_path) {
		up_log(u, "upload %s kept for --resume %s", id,
		    u->o.resume_path);
		return;
	}
	if (u->refused)
		return;
	if (s3_abort_multipart(u->cl, u->o.bucket, u->o.key, id, NULL, &e) !=
	    0)
		up_log(u, "could not abort upload %s: %s", id, e.msg);
	else
		up_log(u, "aborted upload %s", id);
}
