/*
 * upload_hash.c: the MD5 (and optional checksum) of each part, one part
 * at a time in the worker that sends it, or a group of parts side by
 * side in the reader.
 */
#include <errno.h>
#include <string.h>

#include "fdio.h"
#include "md5side.h"
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

static void
group_cksum(void *arg, unsigned i, const uint8_t *p, size_t len)
{
	up_cksum_update(&((struct up_cksum *)arg)[i], p, len);
}

int
up_group_hash(struct upload *u, uint8_t *scratch, struct err *e)
{
	struct up_group *g = &u->group;
	struct md5side_range r[MD5X_MAX];
	struct up_cksum ck[MD5X_MAX];
	struct up_job *j;
	unsigned i, bad;

	for (i = 0; i < g->n; i++) {
		j = g->job[i];
		r[i].mem = j->buf != NULL ? j->buf->p : NULL;
		r[i].fd = j->fd;
		r[i].off = j->off;
		r[i].len = j->len;
		up_cksum_init(&ck[i], u->alg);
	}
	/* the checksum reads each step while the MD5 left it in cache */
	if (md5side(r, g->n, scratch, UP_GROUP_STEP, u->alg ? group_cksum :
	    NULL, ck, &bad, e) != 0)
		return err_prefix(e, "part %u", g->job[bad]->n);
	for (i = 0; i < g->n; i++) {
		memcpy(g->job[i]->md5, r[i].md5, MD5_LEN);
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
