/*
 * fetchtest: drive lib/fetch from tests.
 *
 *	fetchtest tail BUCKET KEY N [MAX]     last N bytes
 *	fetchtest range BUCKET KEY A B [MAX]  bytes A..B (inclusive)
 *	fetchtest all BUCKET KEY [MAX]        the whole object
 *
 * The bytes go to stdout; "offset OFF size SIZE etag ETAG" to stderr.
 * MAX defaults to 64 MiB. Endpoint and credentials from the
 * environment; FETCHTEST_METRICS names a metrics file, FETCHTEST_STALL
 * a stall timeout in ms. Errors: message on stderr, exit 1 (75 for
 * transient, 2 for usage).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "fetch.h"
#include "num.h"

static int
usage(void)
{
	fprintf(stderr, "usage: fetchtest tail|range|all BUCKET KEY ...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct s3_client *cl;
	struct fetch_buf b;
	struct s3_opts so;
	struct err e;
	uint64_t a = 0, z = 0, max = 64 << 20, stall;
	int rc, nargs;

	if (argc < 4)
		return usage();
	nargs = strcmp(argv[1], "tail") == 0 ? 5 :
	    strcmp(argv[1], "range") == 0 ? 6 :
	    strcmp(argv[1], "all") == 0 ? 4 : 0;
	if (nargs == 0 || (argc != nargs && argc != nargs + 1))
		return usage();
	if ((nargs >= 5 && num_parse_size(argv[4], 0, UINT64_MAX - 1, &a,
	    &e) != 0) || (nargs == 6 && num_parse_size(argv[5], 0,
	    UINT64_MAX - 1, &z, &e) != 0) || (argc == nargs + 1 &&
	    num_parse_size(argv[nargs], 1, SIZE_MAX, &max, &e) != 0)) {
		fprintf(stderr, "fetchtest: %s\n", e.msg);
		return 2;
	}
	s3_opts_init(&so);
	so.metrics_path = getenv("FETCHTEST_METRICS");
	if (getenv("FETCHTEST_STALL") && num_parse_duration(
	    getenv("FETCHTEST_STALL"), 3600000, &stall, &e) == 0)
		so.stall_timeout_ms = (int)stall;
	if ((cl = s3_client_new(&so, &e)) == NULL) {
		fprintf(stderr, "fetchtest: %s\n", e.msg);
		return err_exit_status(&e);
	}
	if (nargs == 5)
		rc = fetch_tail(cl, argv[2], argv[3], a, NULL, (size_t)max, &b,
		    &e);
	else if (nargs == 6)
		rc = fetch_range(cl, argv[2], argv[3], a, z, NULL, (size_t)max,
		    &b, &e);
	else
		rc = fetch_all(cl, argv[2], argv[3], (size_t)max, &b, &e);
	s3_client_free(cl);
	if (rc != 0) {
		fprintf(stderr, "fetchtest: %s\n", e.msg);
		return e.kind == ERR_USAGE ? 2 : err_exit_status(&e);
	}
	fprintf(stderr, "offset %" PRIu64 " size %" PRIu64 " etag %s\n",
	    b.offset, b.obj.size, b.obj.etag);
	rc = b.len > 0 && fd_write_full(1, b.data, b.len) != 0;
	fetch_free(&b);
	return rc;
}
