/*
 * mload_int.h: collection-level operations for mload.c (mload_ddl.c).
 * Not a public interface.
 */
#ifndef MLOAD_INT_H
#define MLOAD_INT_H

#include <mongoc/mongoc.h>

#include "err.h"

/* Copy a libmongoc error into err with context. Returns -1. */
int	mload_err(struct err *, const bson_error_t *, const char *what);

/*
 * Create collection tmp in db with the options of collection coll (if
 * coll exists). *exists tells whether it did. 0 or -1 with err.
 */
int	mload_create_like(mongoc_client_t *, const char *db, const char *coll,
	    const char *tmp, int *exists, struct err *);
/* Build coll's indexes (but _id_) on tmp. 0 or -1 with err. */
int	mload_copy_indexes(mongoc_client_t *, const char *db, const char *coll,
	    const char *tmp, struct err *);
/* renameCollection db.tmp → db.coll with dropTarget. 0 or -1 with err. */
int	mload_rename(mongoc_client_t *, const char *db, const char *tmp,
	    const char *coll, struct err *);
/* Drop db.name. 0 or -1 with err (with the server's message). */
int	mload_drop(mongoc_client_t *, const char *db, const char *name,
	    struct err *);
/* estimatedDocumentCount of db.coll into *n. 0 or -1 with err. */
int	mload_estimated(mongoc_client_t *, const char *db, const char *coll,
	    int64_t *n, struct err *);

#endif
