/*
 * mload_ddl.c: the collection-level steps of mongoload's --replace and
 * --cleanup-stale: create like, copy indexes, rename, drop, count.
 */
#include <stdio.h>
#include <string.h>

#include "mload.h"
#include "mload_int.h"

int
mload_err(struct err *e, const bson_error_t *be, const char *what)
{
	return err_set(e, be->domain == MONGOC_ERROR_STREAM ||
	    be->domain == MONGOC_ERROR_SERVER_SELECTION ? ERR_TRANSIENT :
	    ERR_REMOTE, "%s: %s (domain %u code %u)", what, be->message,
	    be->domain, be->code);
}

int
mload_create_like(mongoc_client_t *cl, const char *db, const char *coll,
    const char *tmp, int *exists, struct err *e)
{
	mongoc_database_t *d = mongoc_client_get_database(cl, db);
	mongoc_cursor_t *cur;
	const bson_t *info;
	bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
	bson_t cmd = BSON_INITIALIZER, sub;
	bson_iter_t it, oit;
	bson_error_t be;
	int rc = -1;

	*exists = 0;
	BSON_APPEND_UTF8(&filter, "name", coll);
	BSON_APPEND_DOCUMENT(&opts, "filter", &filter);
	BSON_APPEND_UTF8(&cmd, "create", tmp);
	cur = mongoc_database_find_collections_with_opts(d, &opts);
	while (mongoc_cursor_next(cur, &info)) {
		*exists = 1;
		if (bson_iter_init_find(&it, info, "options") &&
		    BSON_ITER_HOLDS_DOCUMENT(&it) &&
		    bson_iter_recurse(&it, &oit))
			while (bson_iter_next(&oit))
				bson_append_iter(&cmd, bson_iter_key(&oit), -1,
				    &oit);
	}
	if (mongoc_cursor_error(cur, &be)) {
		mload_err(e, &be, "listCollections");
		goto out;
	}
	(void)sub;
	if (!mongoc_database_write_command_with_opts(d, &cmd, NULL, NULL,
	    &be)) {
		mload_err(e, &be, "create temporary collection");
		goto out;
	}
	rc = 0;
out:
	mongoc_cursor_destroy(cur);
	bson_destroy(&filter);
	bson_destroy(&opts);
	bson_destroy(&cmd);
	mongoc_database_destroy(d);
	return rc;
}

int
mload_copy_indexes(mongoc_client_t *cl, const char *db, const char *coll,
    const char *tmp, struct err *e)
{
	mongoc_collection_t *c = mongoc_client_get_collection(cl, db, coll);
	mongoc_database_t *d = mongoc_client_get_database(cl, db);
	mongoc_cursor_t *cur = mongoc_collection_find_indexes_with_opts(c,
	    NULL);
	const bson_t *ix;
	bson_t cmd = BSON_INITIALIZER, arr, one;
	bson_iter_t it;
	bson_error_t be;
	char key[16];
	const char *k;
	uint32_t n = 0;
	int rc = -1;

	BSON_APPEND_UTF8(&cmd, "createIndexes", tmp);
	BSON_APPEND_ARRAY_BEGIN(&cmd, "indexes", &arr);
	while (mongoc_cursor_next(cur, &ix)) {
		if (bson_iter_init_find(&it, ix, "name") &&
		    BSON_ITER_HOLDS_UTF8(&it) &&
		    strcmp(bson_iter_utf8(&it, NULL), "_id_") == 0)
			continue;
		bson_uint32_to_string(n++, &k, key, sizeof(key));
		bson_append_document_begin(&arr, k, -1, &one);
		bson_iter_init(&it, ix);
		while (bson_iter_next(&it))
			if (strcmp(bson_iter_key(&it), "v") != 0 &&
			    strcmp(bson_iter_key(&it), "ns") != 0)
				bson_append_iter(&one, bson_iter_key(&it), -1,
				    &it);
		bson_append_document_end(&arr, &one);
	}
	bson_append_array_end(&cmd, &arr);
	if (mongoc_cursor_error(cur, &be)) {
		/* A missing target has no indexes to copy. */
		if (be.code == 26)
			rc = 0;
		else
			mload_err(e, &be, "listIndexes on the target");
		goto out;
	}
	if (n > 0 && !mongoc_database_write_command_with_opts(d, &cmd, NULL,
	    NULL, &be)) {
		mload_err(e, &be, "createIndexes on the temporary collection");
		goto out;
	}
	rc = 0;
out:
	mongoc_cursor_destroy(cur);
	bson_destroy(&cmd);
	mongoc_database_destroy(d);
	mongoc_collection_destroy(c);
	return rc;
}

int
mload_rename(mongoc_client_t *cl, const char *db, const char *tmp,
    const char *coll, struct err *e)
{
	mongoc_collection_t *c = mongoc_client_get_collection(cl, db, tmp);
	bson_error_t be;
	int ok;

	ok = mongoc_collection_rename_with_opts(c, db, coll, true, NULL, &be);
	mongoc_collection_destroy(c);
	return ok ? 0 : mload_err(e, &be, "renameCollection over the target");
}

int
mload_drop(mongoc_client_t *cl, const char *db, const char *name,
    struct err *e)
{
	mongoc_collection_t *c = mongoc_client_get_collection(cl, db, name);
	bson_error_t be;
	int ok;

	ok = mongoc_collection_drop_with_opts(c, NULL, &be);
	mongoc_collection_destroy(c);
	if (!ok && be.code == 26)
		return 0;
	return ok ? 0 : mload_err(e, &be, "drop temporary collection");
}

int
mload_estimated(mongoc_client_t *cl, const char *db, const char *coll,
    int64_t *n, struct err *e)
{
	mongoc_collection_t *c = mongoc_client_get_collection(cl, db, coll);
	bson_error_t be;

	*n = mongoc_collection_estimated_document_count(c, NULL, NULL, NULL,
	    &be);
	mongoc_collection_destroy(c);
	return *n < 0 ? mload_err(e, &be, "estimatedDocumentCount") : 0;
}

int
mload_cleanup_stale(const struct mload_opts *o, int64_t *n, struct err *e)
{
	mongoc_uri_t *uri;
	mongoc_client_t *cl;
	mongoc_database_t *d;
	char **names, prefix[512];
	bson_error_t be;
	size_t i, pl;
	int rc = 0;

	*n = 0;
	pl = (size_t)snprintf(prefix, sizeof(prefix), "%s.mongoload-tmp-",
	    o->coll);
	if (pl >= sizeof(prefix))
		return err_set(e, ERR_USAGE, "collection name too long");
	if ((uri = mongoc_uri_new_with_error(o->uri, &be)) == NULL)
		return err_set(e, ERR_USAGE, "bad URI: %s", be.message);
	cl = mongoc_client_new_from_uri(uri);
	mongoc_uri_destroy(uri);
	if (cl == NULL)
		return err_set(e, ERR_USAGE, "bad URI");
	d = mongoc_client_get_database(cl, o->db);
	if ((names = mongoc_database_get_collection_names_with_opts(d, NULL,
	    &be)) == NULL)
		rc = mload_err(e, &be, "listCollections");
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		if (strncmp(names[i], prefix, pl) != 0)
			continue;
		if (mload_drop(cl, o->db, names[i], e) != 0) {
			rc = err_prefix(e, "%s", names[i]);
			break;
		}
		(*n)++;
	}
	bson_strfreev(names);
	mongoc_database_destroy(d);
	mongoc_client_destroy(cl);
	return rc;
}
