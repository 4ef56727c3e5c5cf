/*
 * mongoddl: test driver for mongoload's DDL checks, with plain libmongoc
 * (independent of lib/).
 *
 *	mongoddl index URI DB COLL NAME KEYJSON [OPTSJSON]  createIndexes
 *	mongoddl indexes URI DB COLL	index names and keys, one per line,
 *					sorted (numbers printed as doubles)
 *	mongoddl collections URI DB	collection names, sorted
 *	mongoddl count URI DB COLL	countDocuments({})
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mongoc/mongoc.h>

static void
die(const char *what, const bson_error_t *be)
{
	fprintf(stderr, "mongoddl: %s: %s (%u.%u)\n", what, be->message,
	    be->domain, be->code);
	exit(1);
}

static bson_t *
json(const char *s)
{
	bson_error_t be;
	bson_t *b;

	if ((b = bson_new_from_json((const uint8_t *)s, -1, &be)) == NULL)
		die("json", &be);
	return b;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
print_sorted(char **v, size_t n)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp);
	for (i = 0; i < n; i++) {
		printf("%s\n", v[i]);
		bson_free(v[i]);
	}
}

/* Key document with every number as a double (CongoDB rewrites them). */
static char *
key_string(const bson_t *ix)
{
	bson_iter_t it, k;
	bson_t out = BSON_INITIALIZER;
	char *s, *r;
	const char *name = "?";

	if (bson_iter_init_find(&it, ix, "name") && BSON_ITER_HOLDS_UTF8(&it))
		name = bson_iter_utf8(&it, NULL);
	if (bson_iter_init_find(&it, ix, "key") && bson_iter_recurse(&it, &k))
		while (bson_iter_next(&k)) {
			if (BSON_ITER_HOLDS_NUMBER(&k))
				BSON_APPEND_DOUBLE(&out, bson_iter_key(&k),
				    bson_iter_as_double(&k));
			else
				bson_append_iter(&out, bson_iter_key(&k), -1,
				    &k);
		}
	s = bson_as_relaxed_extended_json(&out, NULL);
	r = bson_strdup_printf("%s %s%s", name, s,
	    bson_iter_init_find(&it, ix, "unique") && bson_iter_as_bool(&it) ?
	    " unique" : "");
	bson_free(s);
	bson_destroy(&out);
	return r;
}

int
main(int argc, char **argv)
{
	mongoc_client_t *cl;
	mongoc_collection_t *c = NULL;
	mongoc_database_t *d;
	mongoc_cursor_t *cur;
	const bson_t *doc;
	bson_error_t be;
	bson_t *key, *opts, cmd = BSON_INITIALIZER, arr, one;
	char **names, *v[1000];
	size_t n = 0;
	int64_t cnt;

	if (argc < 4)
		return 2;
	mongoc_init();
	if ((cl = mongoc_client_new(argv[2])) == NULL)
		return 2;
	mongoc_client_set_error_api(cl, 2);
	d = mongoc_client_get_database(cl, argv[3]);
	if (argc > 4)
		c = mongoc_client_get_collection(cl, argv[3], argv[4]);
	if (strcmp(argv[1], "index") == 0 && argc >= 7) {
		key = json(argv[6]);
		opts = json(argc > 7 ? argv[7] : "{}");
		BSON_APPEND_UTF8(&cmd, "createIndexes", argv[4]);
		BSON_APPEND_ARRAY_BEGIN(&cmd, "indexes", &arr);
		BSON_APPEND_DOCUMENT_BEGIN(&arr, "0", &one);
		BSON_APPEND_DOCUMENT(&one, "key", key);
		BSON_APPEND_UTF8(&one, "name", argv[5]);
		bson_concat(&one, opts);
		bson_append_document_end(&arr, &one);
		bson_append_array_end(&cmd, &arr);
		if (!mongoc_database_write_command_with_opts(d, &cmd, NULL,
		    NULL, &be))
			die("createIndexes", &be);
		bson_destroy(key);
		bson_destroy(opts);
	} else if (strcmp(argv[1], "indexes") == 0 && c != NULL) {
		cur = mongoc_collection_find_indexes_with_opts(c, NULL);
		while (mongoc_cursor_next(cur, &doc) && n < 1000)
			v[n++] = key_string(doc);
		if (mongoc_cursor_error(cur, &be))
			die("listIndexes", &be);
		mongoc_cursor_destroy(cur);
		print_sorted(v, n);
	} else if (strcmp(argv[1], "collections") == 0) {
		if ((names = mongoc_database_get_collection_names_with_opts(d,
		    NULL, &be)) == NULL)
			die("listCollections", &be);
		for (n = 0; names[n] != NULL && n < 1000; n++)
			v[n] = bson_strdup(names[n]);
		bson_strfreev(names);
		print_sorted(v, n);
	} else if (strcmp(argv[1], "count") == 0 && c != NULL) {
		if ((cnt = mongoc_collection_count_documents(c, &cmd, NULL,
		    NULL, NULL, &be)) < 0)
			die("count", &be);
		printf("%lld\n", (long long)cnt);
	} else
		return 2;
	bson_destroy(&cmd);
	if (c)
		mongoc_collection_destroy(c);
	mongoc_database_destroy(d);
	mongoc_client_destroy(cl);
	mongoc_cleanup();
	return 0;
}
