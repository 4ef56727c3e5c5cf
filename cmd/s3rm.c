/*
 * s3rm: delete objects. A missing key is not an error (S3 semantics), so
 * a cleanup step in a failed job can always run it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3.h"
#include "s3opt.h"
#include "url.h"

static const char *progname = "s3rm";

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: s3rm [-qv] [common options] s3://bucket/key ...\n");
	exit(status);
}

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", progname, line);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		S3OPT_LONGOPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct s3_opts so;
	struct s3_client *cl;
	struct url_s3 u;
	struct err e;
	int c, i, r, quiet = 0, rc = 0;

	s3_opts_init(&so);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'v': so.log = log_line; break;
		case 'h': usage(0); break;
		default:
			if ((r = s3opt_apply(&so, c, optarg, &e)) < 0) {
				fprintf(stderr, "%s: %s\n", progname, e.msg);
				return 2;
			}
			if (r == 0)
				usage(2);
		}
	}
	if (optind == argc)
		usage(2);
	for (i = optind; i < argc; i++)
		if (url_parse_s3(argv[i], &u, &e) != 0 || !u.bucket[0] ||
		    !u.key[0]) {
			fprintf(stderr, "%s: %s: %s\n", progname, argv[i],
			    u.bucket[0] && u.key[0] ? e.msg : "not an object URL");
			return 2;
		}
	if ((cl = s3_client_new(&so, &e)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, e.msg);
		return err_exit_status(&e);
	}
	for (i = optind; i < argc; i++) {
		url_parse_s3(argv[i], &u, &e);
		if (s3_delete(cl, u.bucket, u.key, NULL, &e) != 0) {
			fprintf(stderr, "%s: %s\n", progname, e.msg);
			if (rc == 0 || err_exit_status(&e) == 75)
				rc = err_exit_status(&e);
			continue;
		}
		if (!quiet)
			printf("deleted %s\n", argv[i]);
	}
	s3_client_free(cl);
	return rc;
}
