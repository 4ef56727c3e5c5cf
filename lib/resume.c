/* resume.c: the s3put --resume state file (format in resume.h). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "resume.h"

#define MAGIC		"s3put-resume 1"
#define NFIELDS		8

struct resume_file {
	int	fd;
	char	path[4096];
};

void
resume_state_init(struct resume_state *st)
{
	memset(st, 0, sizeof(*st));
}

void
resume_state_free(struct resume_state *st)
{
	free(st->parts);
	st->parts = NULL;
}

/* A field: bytes up to the next space. */
struct field {
	const char	*p;
	size_t		 n;
};

/* Split line into at most NFIELDS fields on single spaces. -1: bad. */
static int
split(const char *line, size_t len, struct field *f, size_t *nf)
{
	size_t i, start = 0;

	*nf = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] != ' ')
			continue;
		if (i == start || *nf == NFIELDS)
			return -1;	/* empty field or too many */
		f[*nf].p = line + start;
		f[*nf].n = i - start;
		(*nf)++;
		start = i + 1;
	}
	return 0;
}

static int
is(const struct field *f, const char *s)
{
	return f->n == strlen(s) && memcmp(f->p, s, f->n) == 0;
}

/* Decimal without sign or leading zeros (except "0"), <= max. */
static int
num(const struct field *f, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (f->n == 0 || f->n > 20 || (f->n > 1 && f->p[0] == '0'))
		return -1;
	for (i = 0; i < f->n; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(f->p[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(f->p[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Lower-case hex into out (cap bytes); decoded length or -1. */
static long
unhex(const struct field *f, uint8_t *out, size_t cap)
{
	size_t i;
	int hi, lo;

	if (f->n % 2 != 0 || f->n / 2 > cap)
		return -1;
	for (i = 0; i < f->n; i += 2) {
		if ((hi = hexval(f->p[i])) < 0 || (lo = hexval(f->p[i + 1])) < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(f->n / 2);
}

/* Copy a field of printable non-space ASCII (first char first0 if set). */
static int
text(const struct field *f, char *out, size_t cap, const char *allowed)
{
	size_t i;

	if (f->n >= cap)
		return -1;
	for (i = 0; i < f->n; i++) {
		unsigned char c = (unsigned char)f->p[i];

		if (c <= 0x20 || c >= 0x7f)
			return -1;
		if (allowed && strchr(allowed, c) == NULL)
			return -1;
	}
	memcpy(out, f->p, f->n);
	out[f->n] = '\0';
	return 0;
}

#define BUCKET_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789.-_"	\
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define B64_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789+/="

static int
header_line(unsigned lineno, const struct field *f, size_t nf,
    struct resume_state *st)
{
	uint64_t v[4];
	long n;

	switch (lineno) {
	case 1:
		return nf == 2 && is(&f[0], "s3put-resume") &&
		    is(&f[1], "1") ? 0 : -1;
	case 2:
		return nf == 2 && is(&f[0], "bucket") ? text(&f[1], st->bucket,
		    sizeof(st->bucket), BUCKET_CHARS) : -1;
	case 3:
		if (nf != 2 || !is(&f[0], "key"))
			return -1;
		n = unhex(&f[1], (uint8_t *)st->key, sizeof(st->key) - 1);
		if (n <= 0 || memchr(st->key, '\0', (size_t)n) != NULL)
			return -1;
		st->key[n] = '\0';
		return 0;
	case 4:
		return nf == 2 && is(&f[0], "upload") ? text(&f[1],
		    st->upload_id, sizeof(st->upload_id), NULL) : -1;
	case 5:
		if (nf != 5 || !is(&f[0], "plan") ||
		    num(&f[1], UINT64_MAX, &v[0]) || num(&f[2], 10000, &v[1]) ||
		    num(&f[3], 64, &v[2]) || num(&f[4], RESUME_MAX_PARTS, &v[3]))
			return -1;
		if (v[3] == 0)
			return -1;
		st->base = v[0];
		st->tier = (unsigned)v[1];
		st->shift = (unsigned)v[2];
		st->max_parts = (unsigned)v[3];
		return 0;
	case 6:
		if (nf != 2 || !is(&f[0], "checksum") || !(is(&f[1], "none") ||
		    is(&f[1], "crc32c") || is(&f[1], "crc64nvme") ||
		    is(&f[1], "sha256")))
			return -1;
		return text(&f[1], st->checksum, sizeof(st->checksum), NULL);
	case 7:
		if (nf != 2 || !is(&f[0], "size"))
			return -1;
		if (is(&f[1], "-"))
			return 0;
		st->has_size = 1;
		return num(&f[1], UINT64_MAX, &st->size);
	}
	return -1;
}

static int
part_line(const struct field *f, size_t nf, struct resume_state *st)
{
	struct resume_part p;
	uint64_t n;

	memset(&p, 0, sizeof(p));
	if (nf != 6 || !is(&f[0], "part") || num(&f[1], st->max_parts, &n) ||
	    n == 0 || num(&f[2], UINT64_MAX, &p.size) ||
	    f[3].n != 32 || unhex(&f[3], p.md5, sizeof(p.md5)) != 16 ||
	    text(&f[4], p.etag, sizeof(p.etag), NULL) ||
	    (!is(&f[5], "-") && text(&f[5], p.checksum, sizeof(p.checksum),
	    B64_CHARS)))
		return -1;
	p.done = 1;
	if (!st->parts[n - 1].done)
		st->ndone++;
	st->parts[n - 1] = p;
	return 0;
}

int
resume_parse(const char *buf, size_t len, struct resume_state *st,
    struct err *e)
{
	struct field f[NFIELDS];
	const char *nl;
	size_t off = 0, ll, nf;
	unsigned lineno = 0;

	resume_state_free(st);
	resume_state_init(st);
	if (len > RESUME_FILE_MAX)
		return err_set(e, ERR_LIMIT, "state file larger than %u bytes",
		    RESUME_FILE_MAX);
	while (off < len) {
		if ((nl = memchr(buf + off, '\n', len - off)) == NULL)
			break;		/* torn last write: ignored */
		ll = (size_t)(nl - (buf + off));
		lineno++;
		if (ll > RESUME_LINE_MAX)
			return err_set(e, ERR_LIMIT, "state line %u longer "
			    "than %d bytes", lineno, RESUME_LINE_MAX);
		if (split(buf + off, ll, f, &nf) != 0)
			goto bad;
		if (lineno <= 7) {
			if (header_line(lineno, f, nf, st) != 0)
				goto bad;
			if (lineno == 7 && (st->parts = calloc(st->max_parts,
			    sizeof(*st->parts))) == NULL)
				return err_set(e, ERR_NOMEM, "state parts");
		} else if (part_line(f, nf, st) != 0)
			goto bad;
		off += ll + 1;
	}
	if (lineno < 7)
		return err_set(e, ERR_FORMAT, "state file incomplete (%u header "
		    "lines of 7)", lineno);
	return 0;
bad:
	return err_set(e, ERR_FORMAT, "state file line %u is malformed",
	    lineno);
}

int
resume_load(const char *path, struct resume_state *st, struct err *e)
{
	char *buf;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_sys(e, errno, "%s", path);
	if ((buf = malloc(RESUME_FILE_MAX + 1)) == NULL) {
		close(fd);
		return err_set(e, ERR_NOMEM, "state buffer");
	}
	n = fd_read_full(fd, buf, RESUME_FILE_MAX + 1);
	if (n < 0)
		rc = err_sys(e, errno, "%s", path);
	else if ((rc = resume_parse(buf, (size_t)n, st, e)) != 0)
		err_prefix(e, "%s", path);
	free(buf);
	close(fd);
	return rc;
}

static int
add_hex(char *out, size_t cap, size_t *len, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	if (n > (cap - *len - 1) / 2)
		return -1;
	for (i = 0; i < n; i++) {
		out[(*len)++] = hx[p[i] >> 4];
		out[(*len)++] = hx[p[i] & 15];
	}
	out[*len] = '\0';
	return 0;
}

/* fsync the directory holding path, so a rename survives a crash. */
static int
sync_dir(const char *path, struct err *e)
{
	char tmp[4096], *dir;
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return err_set(e, ERR_USAGE, "state path too long");
	dir = dirname(tmp);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys(e, errno, "%s", dir);
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = err_sys(e, errno, "fsync %s", dir);
	close(fd);
	return rc;
}

static struct resume_file *
open_append(const char *path, struct err *e)
{
	struct resume_file *rf;

	if ((rf = calloc(1, sizeof(*rf))) == NULL) {
		err_set(e, ERR_NOMEM, "state file");
		return NULL;
	}
	if (snprintf(rf->path, sizeof(rf->path), "%s", path) >=
	    (int)sizeof(rf->path)) {
		free(rf);
		err_set(e, ERR_USAGE, "state path too long");
		return NULL;
	}
	if ((rf->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
		err_sys(e, errno, "%s", path);
		free(rf);
		return NULL;
	}
	return rf;
}

#define HDR_MAX	8192	/* > 2 * RESUME_KEY_MAX + RESUME_UPLOAD_MAX + 200 */

struct resume_file *
resume_create(const char *path, const struct resume_state *st,
    struct err *e)
{
	char *hdr, tmp[4096];
	size_t len;
	int fd, n;

	if ((hdr = malloc(HDR_MAX)) == NULL) {
		err_set(e, ERR_NOMEM, "state header");
		return NULL;
	}
	n = snprintf(hdr, HDR_MAX, MAGIC "\nbucket %.63s\nkey ", st->bucket);
	len = (size_t)n;
	add_hex(hdr, HDR_MAX, &len, (const uint8_t *)st->key,
	    strnlen(st->key, RESUME_KEY_MAX - 1));
	n = snprintf(hdr + len, HDR_MAX - len,
	    "\nupload %.1023s\nplan %llu %u %u %u\nchecksum %.15s\nsize ",
	    st->upload_id, (unsigned long long)st->base, st->tier, st->shift,
	    st->max_parts, st->checksum[0] ? st->checksum : "none");
	len += (size_t)n;
	if (st->has_size)
		n = snprintf(hdr + len, HDR_MAX - len, "%llu\n",
		    (unsigned long long)st->size);
	else
		n = snprintf(hdr + len, HDR_MAX - len, "-\n");
	len += (size_t)n;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		free(hdr);
		err_set(e, ERR_USAGE, "state path too long");
		return NULL;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fd_write_full(fd, hdr, len) != 0 || fsync(fd) != 0) {
		err_sys(e, errno, "%s", tmp);
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		free(hdr);
		return NULL;
	}
	free(hdr);
	close(fd);
	if (rename(tmp, path) != 0) {
		err_sys(e, errno, "rename %s", tmp);
		unlink(tmp);
		return NULL;
	}
	if (sync_dir(path, e) != 0)
		return NULL;
	return open_append(path, e);
}

struct resume_file *
resume_append(const char *path, struct err *e)
{
	return open_append(path, e);
}

int
resume_add_part(struct resume_file *rf, unsigned n,
    const struct resume_part *p, struct err *e)
{
	char line[RESUME_LINE_MAX + 1];
	size_t len;
	int k;

	k = snprintf(line, sizeof(line), "part %u %llu ", n,
	    (unsigned long long)p->size);
	len = (size_t)k;
	add_hex(line, sizeof(line), &len, p->md5, sizeof(p->md5));
	k = snprintf(line + len, sizeof(line) - len, " %s %s\n", p->etag,
	    p->checksum[0] ? p->checksum : "-");
	if (k < 0 || (size_t)k >= sizeof(line) - len)
		return err_set(e, ERR_LIMIT, "state line for part %u too long",
		    n);
	len += (size_t)k;
	if (fd_write_full(rf->fd, line, len) != 0 || fdatasync(rf->fd) != 0)
		return err_sys(e, errno, "%s", rf->path);
	return 0;
}

void
resume_close(struct resume_file *rf)
{
	if (rf == NULL)
		return;
	close(rf->fd);
	free(rf);
}

int
resume_remove(const char *path, struct err *e)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return err_sys(e, errno, "remove %s", path);
	return 0;
}
