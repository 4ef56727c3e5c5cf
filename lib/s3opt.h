/*
 * s3opt.h: the command-line options every S3 tool shares, spelled the
 * same everywhere (see the man pages' COMMON OPTIONS):
 *
 *   --endpoint-url URL  --region NAME  --path-style  --ca-bundle FILE
 *   --insecure  --retries N  --connect-timeout S  --stall-timeout S
 *   --limit-rate RATE  --metrics FILE
 *
 * A tool puts S3OPT_LONGOPTIONS in its getopt_long table and passes
 * every option value it does not know to s3opt_apply.
 */
#ifndef S3OPT_H
#define S3OPT_H

#include "err.h"
#include "s3.h"

enum {
	S3OPT_ENDPOINT = 1000,
	S3OPT_REGION,
	S3OPT_PATH_STYLE,
	S3OPT_CA_BUNDLE,
	S3OPT_INSECURE,
	S3OPT_RETRIES,
	S3OPT_CONNECT_TIMEOUT,
	S3OPT_STALL_TIMEOUT,
	S3OPT_LIMIT_RATE,
	S3OPT_METRICS
};

#define S3OPT_LONGOPTIONS \
	{ "endpoint-url", required_argument, NULL, S3OPT_ENDPOINT }, \
	{ "region", required_argument, NULL, S3OPT_REGION }, \
	{ "path-style", no_argument, NULL, S3OPT_PATH_STYLE }, \
	{ "ca-bundle", required_argument, NULL, S3OPT_CA_BUNDLE }, \
	{ "insecure", no_argument, NULL, S3OPT_INSECURE }, \
	{ "retries", required_argument, NULL, S3OPT_RETRIES }, \
	{ "connect-timeout", required_argument, NULL, S3OPT_CONNECT_TIMEOUT }, \
	{ "stall-timeout", required_argument, NULL, S3OPT_STALL_TIMEOUT }, \
	{ "limit-rate", required_argument, NULL, S3OPT_LIMIT_RATE }, \
	{ "metrics", required_argument, NULL, S3OPT_METRICS }

/*
 * Apply option id with its argument to opts. Returns 1 when the option
 * is one of ours, 0 when it is not, -1 with err (ERR_USAGE) for a bad
 * value. --retries N means N retries after the first attempt.
 */
int	s3opt_apply(struct s3_opts *, int id, const char *arg, struct err *);

#endif
