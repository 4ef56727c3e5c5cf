/*
 * mongoutil: test driver that talks to MongoDB with plain libmongoc,
 * independent of lib/ (the reference side of the mongodump-arrow tests).
 *
 *	mongoutil insert URI DB COLL < docs.jsonl   extended JSON lines,
 *						    unordered bulks of 1000
 *	mongoutil dump URI DB COLL > docs.jsonl     canonical extended JSON,
 *						    sorted by _id; Decimal128
 *						    values as {"$dec128hex":
 *						    hex of the 16 BSON bytes}
 *	mongoutil scan URI DB COLL [BATCH [sort]]  iterate a cursor only
 *						    (benchmark baseline), the
 *						    find sorted by _id with
 *						    "sort" (as mongodump-arrow
 *						    asks); prints the count
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mongoc/mongoc.h>

static void
die(const char *what, const bson_error_t *be)
{
	fprintf(stderr, "mongoutil: %s: %s (%u.%u)\n", what, be->message,
	    be->domain, be->code);
	exit(1);
}

static void
hex_decimals(const bson_t *in, bson_t *out)
{
	bson_iter_t it;
	bson_decimal128_t d;
	bson_t sub, child;
	char hex[33];
	int i;

	bson_iter_init(&it, in);
	while (bson_iter_next(&it)) {
		const char *k = bson_iter_key(&it);
		if (BSON_ITER_HOLDS_DECIMAL128(&it)) {
			bson_iter_decimal128(&it, &d);
			for (i = 0; i < 8; i++)
				snprintf(hex + 2 * i, 3, "%02x",
				    (unsigned)(d.low >> (8 * i)) & 255);
			for (i = 0; i < 8; i++)
				snprintf(hex + 16 + 2 * i, 3, "%02x",
				    (unsigned)(d.high >> (8 * i)) & 255);
			bson_append_document_begin(out, k, -1, &child);
			BSON_APPEND_UTF8(&child, "$dec128hex", hex);
			bson_append_document_end(out, &child);
		} else if (BSON_ITER_HOLDS_DOCUMENT(&it) ||
		    BSON_ITER_HOLDS_ARRAY(&it)) {
			const uint8_t *p;
			uint32_t n;
			bson_t inner;
			int arr = BSON_ITER_HOLDS_ARRAY(&it);
			if (arr)
				bson_iter_array(&it, &n, &p);
			else
				bson_iter_document(&it, &n, &p);
			bson_init_static(&inner, p, n);
			if (arr)
				bson_append_array_begin(out, k, -1, &sub);
			else
				bson_append_document_begin(out, k, -1, &sub);
			hex_decimals(&inner, &sub);
			if (arr)
				bson_append_array_end(out, &sub);
			else
				bson_append_document_end(out, &sub);
		} else {
			bson_append_iter(out, k, -1, &it);
		}
	}
}

int
main(int argc, char **argv)
{
	mongoc_client_t *client;
	mongoc_collection_t *coll;
	bson_error_t be;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long long n = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: mongoutil insert|dump|scan URI DB COLL\n");
		return 2;
	}
	mongoc_init();
	if ((client = mongoc_client_new(argv[2])) == NULL) {
		fprintf(stderr, "mongoutil: bad URI\n");
		return 1;
	}
	mongoc_client_set_error_api(client, 2);
	coll = mongoc_client_get_collection(client, argv[3], argv[4]);
	if (strcmp(argv[1], "insert") == 0) {
		mongoc_bulk_operation_t *bulk = NULL;
		bson_t reply;
		int inbulk = 0;
		for (;;) {
			len = getline(&line, &cap, stdin);
			if (len > 1) {
				bson_t *doc = bson_new_from_json(
				    (uint8_t *)line, len, &be);
				if (doc == NULL)
					die("parse", &be);
				if (bulk == NULL) {
					bson_t opts = BSON_INITIALIZER;
					BSON_APPEND_BOOL(&opts, "ordered", false);
					bulk = mongoc_collection_create_bulk_operation_with_opts(
					    coll, &opts);
					bson_destroy(&opts);
				}
				mongoc_bulk_operation_insert(bulk, doc);
				bson_destroy(doc);
				inbulk++;
				n++;
			}
			if (bulk != NULL && (inbulk == 1000 || len <= 0)) {
				if (!mongoc_bulk_operation_execute(bulk, &reply,
				    &be))
					die("insert", &be);
				bson_destroy(&reply);
				mongoc_bulk_operation_destroy(bulk);
				bulk = NULL;
				inbulk = 0;
			}
			if (len <= 0)
				break;
		}
		printf("%lld\n", n);
	} else {
		bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
		const bson_t *doc;
		mongoc_cursor_t *cur;
		int dump = strcmp(argv[1], "dump") == 0;
		if (dump || (argc > 6 && strcmp(argv[6], "sort") == 0))
			BCON_APPEND(&opts, "sort", "{", "_id", BCON_INT32(1),
			    "}");
		if (argc > 5)
			BSON_APPEND_INT32(&opts, "batchSize",
			    (int32_t)strtol(argv[5], NULL, 10));
		cur = mongoc_collection_find_with_opts(coll, &filter, &opts,
		    NULL);
		while (mongoc_cursor_next(cur, &doc)) {
			n++;
			if (dump) {
				bson_t out = BSON_INITIALIZER;
				char *s;
				hex_decimals(doc, &out);
				s = bson_as_canonical_extended_json(&out, NULL);
				puts(s);
				bson_free(s);
				bson_destroy(&out);
			}
		}
		if (mongoc_cursor_error(cur, &be))
			die("find", &be);
		mongoc_cursor_destroy(cur);
		bson_destroy(&filter);
		bson_destroy(&opts);
		if (!dump)
			printf("%lld\n", n);
	}
	free(line);
	mongoc_collection_destroy(coll);
	mongoc_client_destroy(client);
	mongoc_cleanup();
	return 0;
}
