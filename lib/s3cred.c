/*
 * s3cred.c: credentials for the client. Placeholder until cred.h lands:
 * environment only.
 */
#include <stdlib.h>
#include <string.h>

#include "s3int.h"

int
s3_creds_load(struct s3_client *cl, struct err *e)
{
	const char *a = getenv("AWS_ACCESS_KEY_ID");
	const char *s = getenv("AWS_SECRET_ACCESS_KEY");
	const char *t = getenv("AWS_SESSION_TOKEN");

	if (a == NULL || s == NULL || !*a || !*s)
		return err_set(e, ERR_USAGE, "no credentials: set "
		    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
	cl->creds.access_key = strdup(a);
	cl->creds.secret_key = strdup(s);
	cl->creds.token = t && *t ? strdup(t) : NULL;
	if (!cl->creds.access_key || !cl->creds.secret_key ||
	    (t && *t && !cl->creds.token))
		return err_set(e, ERR_NOMEM, "out of memory");
	return 0;
}

void
s3_creds_free(struct s3_creds *c)
{
	if (c->secret_key)
		explicit_bzero(c->secret_key, strlen(c->secret_key));
	if (c->token)
		explicit_bzero(c->token, strlen(c->token));
	free(c->access_key);
	free(c->secret_key);
	free(c->token);
	memset(c, 0, sizeof(*c));
}
