/*
 * dlfile.c: temporary output file and resume record (dlfile.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlfile.h"
#include "fdio.h"

#define REC_MAX		4096
#define REC_MAGIC	"s3get-resume 1"

static char *
concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s;

	if (la > SIZE_MAX - lb - 1 || (s = malloc(la + lb + 1)) == NULL)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

static void
dlfile_free(struct dlfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f->part);
	free(f->rec);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

/* Read the record; 1 when it names url and start, else 0. */
static int
read_record(struct dlfile *f, const char *url, uint64_t start)
{
	char buf[REC_MAX], line_url[REC_MAX], etag[S3_ETAG_MAX];
	unsigned long long rstart, size;
	ssize_t n;
	int fd;

	if ((fd = open(f->rec, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = fd_read_full(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* magic, url, start, etag, size: one per line */
	if (strncmp(buf, REC_MAGIC "\n", sizeof(REC_MAGIC)) != 0)
		return 0;
	if (sscanf(buf + sizeof(REC_MAGIC), "%4095[^\n]\n%llu\n%255[^\n]\n"
	    "%llu\n", line_url, &rstart, etag, &size) != 4)
		return 0;
	if (strcmp(line_url, url) != 0 || rstart != start)
		return 0;
	snprintf(f->etag, sizeof(f->etag), "%s", etag);
	f->size = size;
	return 1;
}

int
dlfile_open(struct dlfile *f, const char *path, const char *url,
    uint64_t start, int resume, struct err *e)
{
	struct stat sb;
	int keep;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if ((f->path = strdup(path)) == NULL ||
	    (f->part = concat(path, ".part")) == NULL ||
	    (f->rec = concat(path, ".part.s3get")) == NULL) {
		dlfile_free(f);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	keep = resume && read_record(f, url, start);
	f->fd = open(f->part, O_RDWR | O_CREAT | O_CLOEXEC |
	    (keep ? 0 : O_TRUNC), 0666);
	if (f->fd < 0) {
		err_sys(e, errno, "%s", f->part);
		dlfile_free(f);
		return -1;
	}
	if (fstat(f->fd, &sb) != 0 || lseek(f->fd, 0, SEEK_END) < 0) {
		err_sys(e, errno, "%s", f->part);
		dlfile_free(f);
		return -1;
	}
	f->have = keep ? (uint64_t)sb.st_size : 0;
	return 0;
}

int
dlfile_restart(struct dlfile *f, struct err *e)
{
	if (ftruncate(f->fd, 0) != 0 || lseek(f->fd, 0, SEEK_SET) < 0)
		return err_sys(e, errno, "%s", f->part);
	f->have = 0;
	f->etag[0] = '\0';
	return 0;
}

int
dlfile_record(struct dlfile *f, const char *url, uint64_t start,
    const struct s3_object *obj, struct err *e)
{
	char buf[REC_MAX], *tmp;
	int fd, n;

	n = snprintf(buf, sizeof(buf), REC_MAGIC "\n%s\n%" PRIu64 "\n%s\n%"
	    PRIu64 "\n", url, start, obj->etag, obj->size);
	if (n < 0 || (size_t)n >= sizeof(buf) || strchr(url, '\n'))
		return err_set(e, ERR_LIMIT, "resume record too long");
	if ((tmp = concat(f->rec, ".tmp")) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || fd_write_full(fd, buf, (size_t)n) != 0 ||
	    close(fd) != 0 || rename(tmp, f->rec) != 0) {
		err_sys(e, errno, "%s", f->rec);
		if (fd >= 0)
			unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	snprintf(f->etag, sizeof(f->etag), "%s", obj->etag);
	f->size = obj->size;
	return 0;
}

int
dlfile_commit(struct dlfile *f, struct err *e)
{
	int rc;

	if (fsync(f->fd) != 0 && errno != EINVAL && errno != EROFS)
		rc = err_sys(e, errno, "%s", f->part);
	else if (close(f->fd) != 0)
		rc = err_sys(e, errno, "%s", f->part);
	else if ((f->fd = -1, rename(f->part, f->path)) != 0)
		rc = err_sys(e, errno, "rename %s", f->path);
	else {
		unlink(f->rec);
		rc = 0;
	}
	dlfile_free(f);
	return rc;
}

void
dlfile_keep(struct dlfile *f)
{
	dlfile_free(f);
}

void
dlfile_discard(struct dlfile *f)
{
	if (f->part)
		unlink(f->part);
	if (f->rec)
		unlink(f->rec);
	dlfile_free(f);
}
