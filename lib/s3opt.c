#include <getopt.h>

#include "num.h"
#include "s3opt.h"

int
s3opt_apply(struct s3_opts *o, int id, const char *arg, struct err *e)
{
	long long n;
	uint64_t v;

	switch (id) {
	case S3OPT_ENDPOINT:
		o->endpoint_url = arg;
		return 1;
	case S3OPT_REGION:
		o->region = arg;
		return 1;
	case S3OPT_PATH_STYLE:
		o->path_style = 1;
		return 1;
	case S3OPT_CA_BUNDLE:
		o->ca_bundle = arg;
		return 1;
	case S3OPT_INSECURE:
		o->insecure = 1;
		return 1;
	case S3OPT_RETRIES:
		if (num_parse(arg, 0, 99, &n, e) != 0)
			return err_prefix(e, "--retries");
		o->max_attempts = (int)n + 1;
		return 1;
	case S3OPT_CONNECT_TIMEOUT:
		if (num_parse_duration(arg, 3600000, &v, e) != 0 || v == 0)
			return v == 0 ? err_set(e, ERR_USAGE, "--connect-timeout "
			    "must be positive") : err_prefix(e,
			    "--connect-timeout");
		o->connect_timeout_ms = (int)v;
		return 1;
	case S3OPT_STALL_TIMEOUT:
		if (num_parse_duration(arg, 86400000, &v, e) != 0 || v == 0)
			return v == 0 ? err_set(e, ERR_USAGE, "--stall-timeout "
			    "must be positive") : err_prefix(e,
			    "--stall-timeout");
		o->stall_timeout_ms = (int)v;
		return 1;
	case S3OPT_LIMIT_RATE:
		if (num_parse_size(arg, 1, UINT64_MAX, &v, e) != 0)
			return err_prefix(e, "--limit-rate");
		o->limit_rate = v;
		return 1;
	case S3OPT_METRICS:
		o->metrics_path = arg;
		return 1;
	}
	return 0;
}
