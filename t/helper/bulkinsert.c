/*
 * bulkinsert: the bare libmongoc baseline for bench/mongoload.sh.
 * Reads concatenated BSON documents on stdin and inserts them with
 * unordered bulk writes of 1000 (w: majority), one connection, no
 * conversion or checks beyond summing nInserted, which it prints.
 *
 *	bulkinsert URI DB COLL < docs.bson
 */
#include <stdio.h>
#include <stdlib.h>

#include <mongoc/mongoc.h>

static int64_t
flush(mongoc_bulk_operation_t *b)
{
	bson_t reply;
	bson_error_t be;
	bson_iter_t it;
	int64_t n = 0;

	if (!mongoc_bulk_operation_execute(b, &reply, &be)) {
		fprintf(stderr, "bulkinsert: %s\n", be.message);
		exit(1);
	}
	if (bson_iter_init_find(&it, &reply, "nInserted"))
		n = bson_iter_as_int64(&it);
	bson_destroy(&reply);
	mongoc_bulk_operation_destroy(b);
	return n;
}

int
main(int argc, char **argv)
{
	mongoc_client_t *cl;
	mongoc_collection_t *c;
	mongoc_bulk_operation_t *b = NULL;
	mongoc_write_concern_t *wc;
	bson_reader_t *r;
	const bson_t *doc;
	bson_t opts = BSON_INITIALIZER;
	bool eof = false;
	int64_t n = 0, total = 0;

	if (argc != 4)
		return 2;
	mongoc_init();
	cl = mongoc_client_new(argv[1]);
	c = mongoc_client_get_collection(cl, argv[2], argv[3]);
	wc = mongoc_write_concern_new();
	mongoc_write_concern_set_w(wc, MONGOC_WRITE_CONCERN_W_MAJORITY);
	BSON_APPEND_BOOL(&opts, "ordered", false);
	mongoc_write_concern_append(wc, &opts);
	r = bson_reader_new_from_fd(0, false);
	while ((doc = bson_reader_read(r, &eof)) != NULL) {
		if (b == NULL)
			b = mongoc_collection_create_bulk_operation_with_opts(c,
			    &opts);
		mongoc_bulk_operation_insert(b, doc);
		if (++n == 1000) {
			total += flush(b);
			b = NULL;
			n = 0;
		}
	}
	if (b != NULL)
		total += flush(b);
	printf("%lld\n", (long long)total);
	bson_reader_destroy(r);
	bson_destroy(&opts);
	mongoc_write_concern_destroy(wc);
	mongoc_collection_destroy(c);
	mongoc_client_destroy(cl);
	mongoc_cleanup();
	return 0;
}
