/*
 * upload_hash.c: the MD5 (and optional checksum) of each part, one part
 * at a time in the worker that sends it, or a group of parts side by
 * side in the reader.
 */
#include <errno.h>
#include <string.h>

#include "fdio.h"
#include "upload_int.h"

int
up_job_hash(struct upload *u, struct up_job *j, uint8_t *scratch,
    struct err *e)
{
	struct up_cksum ck;
	struct md5 m;
	uint64_t done = 0;
	size_t want;
	ssize_t r;

	if (j->hashed)
		return 0;
	md5_init(&m);
	up_cksum_init(&ck, u->alg);
	if (j->buf) {
		md5_update(&m, j->buf->p, (size_t)j->len);
		up_cksum_update(&ck, j->buf->p, (size_t)j->len);
	} else
		for (; done < j->len; done += (uint64_t)r) {
			want = j->len - done < UP_SCRATCH ? (size_t)(j->len -
			    done) : UP_SCRATCH;
			r = fd_pread_full(j->fd, scratch, want,
			    j->off + (off_t)done);
			if (r < 0)
				return err_sys(e, errno, "read part %u", j->n);
			if ((size_t)r != want)
				return err_set(e, ERR_IO, "input shrank while "
				    "reading part %u", j->n);
			md5_update(&m, scratch, want);
			up_cksum_update(&ck, scratch, want);
		}
	md5_final(&m, j->md5);
	up_cksum_final(&ck, j->cksum);
	j->hashed = 1;
	return 0;
}

int
up_group_hash(struct upload *u, uint8_t *scratch, struct err *e)
{
	struct up_group *g = &u->group;
	struct md5 m[MD5X_MAX], *mp[MD5X_MAX];
	struct up_cksum ck[MD5X_MAX];
	const uint8_t *p[MD5X_MAX];
	size_t len[MD5X_MAX];
	struct up_job *j;
	uint64_t off, most = 0;
	unsigned i;
	ssize_t r;

	for (i = 0; i < g->n; i++) {
		md5_init(&m[i]);
		mp[i] = &m[i];
		up_cksum_init(&ck[i], u->alg);
		if (g->job[i]->len > most)
			most = g->job[i]->len;
	}
	/* in steps, so the checksum reads what the MD5 left in cache */
	for (off = 0; off < most; off += UP_GROUP_STEP) {
		for (i = 0; i < g->n; i++) {
			j = g->job[i];
			len[i] = j->len <= off ? 0 : j->len - off < UP_GROUP_STEP ?
			    (size_t)(j->len - off) : UP_GROUP_STEP;
			if (j->buf != NULL) {
				p[i] = j->buf->p + off;
				continue;
			}
			p[i] = scratch + (size_t)i * UP_GROUP_STEP;
			if (len[i] == 0)
				continue;
			r = fd_pread_full(j->fd, scratch + (size_t)i *
			    UP_GROUP_STEP, len[i], j->off + (off_t)off);
			if (r < 0)
				return err_sys(e, errno, "read part %u", j->n);
			if ((size_t)r != len[i])
				return err_set(e, ERR_IO, "input shrank while "
				    "reading part %u", j->n);
		}
		md5x_update(mp, p, len, g->n);
		for (i = 0; i < g->n; i++)
			up_cksum_update(&ck[i], p[i], len[i]);
	}
	for (i = 0; i < g->n; i++) {
		md5_final(&m[i], g->job[i]->md5);
		up_cksum_final(&ck[i], g->job[i]->cksum);
		g->job[i]->hashed = 1;
	}
	return 0;
}

unsigned
up_group_size(const struct upload_opts *o)
{
	unsigned g = o->hash_group;

	if (g == 0 && md5x_lanes() == 1)
		g = 1;
	else if (g == 0)	/* file parts take no buffers: 8 pays best */
		g = o->seekable ? 8 : o->jobs / 2 > 8 ? 8 : o->jobs / 2;
	if (o->seekable && g > 2 * o->jobs)	/* within the job slots */
		g = 2 * o->jobs;
	if (g > MD5X_MAX)
		g = MD5X_MAX;
	return g < 1 ? 1 : g;
}
