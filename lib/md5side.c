/*
 * md5side.c: MD5s of several ranges side by side (see md5side.h).
 */
#include <errno.h>

#include "fdio.h"
#include "md5side.h"

int
md5side(struct md5side_range *r, unsigned n, uint8_t *scratch, size_t step,
    md5side_fn each, void *arg, unsigned *failed, struct err *e)
{
	struct md5 m[MD5X_MAX], *mp[MD5X_MAX];
	const uint8_t *p[MD5X_MAX];
	size_t len[MD5X_MAX];
	uint64_t off, most = 0;
	unsigned i;
	ssize_t got;

	for (i = 0; i < n; i++) {
		md5_init(&m[i]);
		mp[i] = &m[i];
		if (r[i].len > most)
			most = r[i].len;
	}
	for (off = 0; off < most; off += step) {
		for (i = 0; i < n; i++) {
			len[i] = r[i].len <= off ? 0 : r[i].len - off < step ?
			    (size_t)(r[i].len - off) : step;
			if (r[i].mem != NULL) {
				p[i] = r[i].mem + off;
				continue;
			}
			p[i] = scratch + (size_t)i * step;
			if (len[i] == 0)
				continue;
			got = fd_pread_full(r[i].fd, scratch + (size_t)i * step,
			    len[i], r[i].off + (off_t)off);
			if (got < 0 || (size_t)got != len[i]) {
				*failed = i;
				return got < 0 ? err_sys(e, errno, "read") :
				    err_set(e, ERR_IO, "input shrank while "
				    "reading");
			}
		}
		md5x_update(mp, p, len, n);
		for (i = 0; each != NULL && i < n; i++)
			if (len[i] > 0)
				each(arg, i, p[i], len[i]);
	}
	for (i = 0; i < n; i++)
		md5_final(&m[i], r[i].md5);
	return 0;
}
