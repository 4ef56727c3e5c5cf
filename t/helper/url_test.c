/*
 * url_test: drive lib/url.
 *
 *	url_test encode [slash] STRING   percent-encode (keeping '/')
 *	url_test decode STRING
 *	url_test endpoint URL            parsed fields or the error
 *	url_test s3 URL                  bucket and key or the error
 *	url_test request BUCKET KEY QUERY  with the configuration from
 *	    the environment (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
 *	    AWS_REGION, AWS_DEFAULT_REGION) and URL_TEST_FLAG_ENDPOINT,
 *	    URL_TEST_FLAG_REGION, URL_TEST_PATH_STYLE for the flags
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

int
main(int argc, char **argv)
{
	struct strbuf sb;
	struct url_endpoint ep;
	struct url_s3 u;
	struct url_s3_env env;
	struct url_s3_config c;
	struct url_s3_request rq;
	struct err e;
	char host[URL_HOST_MAX + 16];

	sb_init(&sb, 0);
	if (argc == 4 && strcmp(argv[1], "encode") == 0) {
		url_encode(&sb, argv[3], strlen(argv[3]), URL_KEEP_SLASH);
		printf("%s\n", sb_cstr(&sb));
	} else if (argc == 3 && strcmp(argv[1], "encode") == 0) {
		url_encode(&sb, argv[2], strlen(argv[2]), 0);
		printf("%s\n", sb_cstr(&sb));
	} else if (argc == 3 && strcmp(argv[1], "decode") == 0) {
		url_decode(&sb, argv[2], strlen(argv[2]));
		printf("%s\n", sb_cstr(&sb));
	} else if (argc == 3 && strcmp(argv[1], "endpoint") == 0) {
		if (url_parse_endpoint(argv[2], &ep, &e) != 0) {
			printf("error: %s\n", e.msg);
		} else {
			url_host_header(&ep, host, sizeof(host));
			printf("tls=%d host=%s ipv6=%d port=%u given=%d "
			    "path=[%s] hosthdr=%s\n", ep.tls, ep.host, ep.ipv6,
			    ep.port, ep.port_given, ep.path, host);
		}
	} else if (argc == 3 && strcmp(argv[1], "s3") == 0) {
		if (url_parse_s3(argv[2], &u, &e) != 0)
			printf("error: %s\n", e.msg);
		else
			printf("bucket=[%s] key=[%s]\n", u.bucket, u.key);
	} else if (argc == 5 && strcmp(argv[1], "request") == 0) {
		memset(&env, 0, sizeof(env));
		url_s3_env_get(&env);
		env.endpoint_flag = getenv("URL_TEST_FLAG_ENDPOINT");
		env.region_flag = getenv("URL_TEST_FLAG_REGION");
		env.force_path_style = getenv("URL_TEST_PATH_STYLE") != NULL;
		env.profile_region = getenv("URL_TEST_PROFILE_REGION");
		if (url_s3_config(&env, &c, &e) != 0) {
			printf("error: %s\n", e.msg);
			return 0;
		}
		if (url_s3_request(&c, argv[2], argv[3], argv[4], &rq,
		    &e) != 0) {
			printf("error: %s\n", e.msg);
		} else {
			printf("connect=%s:%u tls=%d region=%s path-style=%d\n"
			    "Host: %s\npath: %s\ntarget: %s\n", rq.host,
			    rq.port, rq.tls, c.region, c.path_style,
			    rq.host_header, sb_cstr(&rq.path),
			    sb_cstr(&rq.target));
		}
		url_s3_request_free(&rq);
	} else {
		fprintf(stderr, "usage: see url_test.c\n");
		return 2;
	}
	sb_free(&sb);
	return 0;
}
