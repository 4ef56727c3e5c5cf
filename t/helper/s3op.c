/*
 * s3op: drive single lib/s3 operations from tests.
 *
 *	s3op head BUCKET KEY            -> "SIZE ETAG"
 *	s3op put BUCKET KEY FILE        -> ETAG  (one PutObject)
 *	s3op mpu BUCKET KEY FILE PART   -> ETAG  (multipart, sequential)
 *	s3op get BUCKET KEY START END   -> bytes on stdout (END -1 = to end)
 *	s3op delete BUCKET KEY
 *	s3op uploads BUCKET             -> "KEY UPLOADID" lines
 *
 * Endpoint, credentials and the rest from the environment (and
 * S3OP_CA_BUNDLE); S3OP_RETRIES sets retries; S3OP_STALL stall ms.
 * Errors: the message on stderr, exit 1 (75 for transient).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "hash/md5.h"
#include "s3.h"

static int
out_sink(void *arg, const void *buf, size_t len, struct err *e)
{
	(void)arg;
	if (fd_write_full(STDOUT_FILENO, buf, len) != 0)
		return err_set(e, ERR_IO, "write");
	return 0;
}

static int
file_md5(int fd, off_t off, uint64_t len, uint8_t out[16])
{
	struct md5 m;
	uint8_t buf[65536];
	ssize_t n;

	md5_init(&m);
	while (len > 0) {
		n = pread(fd, buf, len < sizeof(buf) ? len : sizeof(buf), off);
		if (n <= 0)
			return -1;
		md5_update(&m, buf, (size_t)n);
		off += n;
		len -= (uint64_t)n;
	}
	md5_final(&m, out);
	return 0;
}

static int
print_upload(void *arg, const struct s3_entry *en, struct err *e)
{
	(void)arg;
	(void)e;
	printf("%s %s\n", en->key, en->upload_id);
	return 0;
}

static int
mpu(struct s3_client *cl, char **av, struct err *e)
{
	char id[S3_UPLOAD_ID_MAX], etag[S3_ETAG_MAX];
	struct s3_part *parts;
	struct s3_body b;
	struct stat st;
	uint64_t part = strtoull(av[3], NULL, 10), off = 0;
	unsigned n = 0;
	uint8_t md5[16];
	int fd = open(av[2], O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0 || part == 0)
		return err_set(e, ERR_IO, "cannot read %s", av[2]);
	parts = calloc(S3_MAX_PARTS, sizeof(*parts));
	if (s3_create_multipart(cl, av[0], av[1], NULL, id, NULL, e) != 0)
		return -1;
	do {
		memset(&b, 0, sizeof(b));
		b.fd = fd;
		b.off = (off_t)off;
		b.len = (uint64_t)st.st_size - off < part ?
		    (uint64_t)st.st_size - off : part;
		file_md5(fd, (off_t)off, b.len, md5);
		parts[n].number = n + 1;
		if (s3_upload_part(cl, av[0], av[1], id, n + 1, &b, md5, NULL,
		    NULL, parts[n].etag, NULL, e) != 0) {
			struct err ae;

			s3_abort_multipart(cl, av[0], av[1], id, NULL, &ae);
			return -1;
		}
		off += b.len;
		n++;
	} while (off < (uint64_t)st.st_size);
	if (s3_complete_multipart(cl, av[0], av[1], id, parts, n, NULL, etag,
	    NULL, e) != 0)
		return -1;
	printf("%s\n", etag);
	free(parts);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct s3_opts so;
	struct s3_client *cl;
	struct s3_object obj;
	struct s3_body b;
	struct err e;
	struct stat st;
	char etag[S3_ETAG_MAX];
	uint8_t md5[16];
	int rc = -1, fd;
	const char *v;

	if (argc < 3) {
		fprintf(stderr, "usage: s3op op args...\n");
		return 2;
	}
	s3_opts_init(&so);
	so.ca_bundle = getenv("S3OP_CA_BUNDLE");
	if ((v = getenv("S3OP_RETRIES")) != NULL)
		so.max_attempts = atoi(v) + 1;
	if ((v = getenv("S3OP_STALL")) != NULL)
		so.stall_timeout_ms = atoi(v);
	so.metrics_path = getenv("S3OP_METRICS");
	if ((cl = s3_client_new(&so, &e)) == NULL) {
		fprintf(stderr, "s3op: %s\n", e.msg);
		return err_exit_status(&e);
	}
	if (strcmp(argv[1], "head") == 0 && argc == 4) {
		if ((rc = s3_head(cl, argv[2], argv[3], &obj, NULL, &e)) == 0)
			printf("%llu %s\n", (unsigned long long)obj.size, obj.etag);
	} else if (strcmp(argv[1], "put") == 0 && argc == 5) {
		fd = open(argv[4], O_RDONLY);
		if (fd < 0 || fstat(fd, &st) != 0)
			rc = err_set(&e, ERR_IO, "cannot read %s", argv[4]);
		else {
			memset(&b, 0, sizeof(b));
			b.fd = fd;
			b.len = (uint64_t)st.st_size;
			file_md5(fd, 0, b.len, md5);
			rc = s3_put_object(cl, argv[2], argv[3], &b, md5, NULL,
			    NULL, etag, NULL, &e);
			if (rc == 0)
				printf("%s\n", etag);
		}
	} else if (strcmp(argv[1], "mpu") == 0 && argc == 6)
		rc = mpu(cl, argv + 2, &e);
	else if (strcmp(argv[1], "get") == 0 && argc == 6) {
		long long end = atoll(argv[5]);

		rc = s3_get(cl, argv[2], argv[3], strtoull(argv[4], NULL, 10),
		    end < 0 ? UINT64_MAX : (uint64_t)end, NULL, out_sink, NULL,
		    &obj, NULL, &e);
		if (rc == 0)
			fprintf(stderr, "size %llu etag %s\n",
			    (unsigned long long)obj.size, obj.etag);
	} else if (strcmp(argv[1], "delete") == 0 && argc == 4)
		rc = s3_delete(cl, argv[2], argv[3], NULL, &e);
	else if (strcmp(argv[1], "uploads") == 0 && argc == 3)
		rc = s3_list_uploads(cl, argv[2], NULL, print_upload, NULL, NULL,
		    &e);
	else {
		fprintf(stderr, "s3op: bad arguments\n");
		s3_client_free(cl);
		return 2;
	}
	s3_client_free(cl);
	if (rc != 0) {
		fprintf(stderr, "s3op: %s\n", e.msg);
		return err_exit_status(&e);
	}
	return 0;
}
