/*
 * s3xml.h: the S3 response documents we read, on top of xml.h.
 *
 * Each parser checks the whole document, fills a summary struct, and
 * streams repeated records (objects, prefixes, buckets, uploads, parts)
 * to callbacks one at a time, so a 1000-key page never becomes an
 * array. Every parser also recognises an <Error> document in place of
 * the expected one (S3 answers CompleteMultipartUpload with 200 and an
 * Error body, after whitespace heartbeats) and then fills *s3err.
 *
 * Returns: 0 the expected document was parsed; 1 it was an Error
 * document (s3err filled, callbacks not called); -1 with err for
 * malformed XML, an unexpected root element, a bad number or boolean,
 * or a value longer than its field (ERR_LIMIT). A callback returning
 * -1 stops the parse and its error is returned.
 *
 * Field values are entity-decoded and NUL-terminated. Unknown elements
 * are ignored (servers add fields over time).
 */
#ifndef S3XML_H
#define S3XML_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define S3XML_KEY	1025	/* key or prefix: 1024 bytes + NUL */
#define S3XML_TOKEN	4096	/* continuation tokens, markers */
#define S3XML_ID	1024	/* upload ids, request ids */
#define S3XML_SHORT	256	/* ETag, dates, codes, classes */

struct s3xml_error {
	char	code[S3XML_SHORT];	/* "NoSuchKey", "SlowDown" */
	char	message[S3XML_ID];
	char	request_id[S3XML_SHORT];
	char	host_id[S3XML_ID];
	char	region[S3XML_SHORT];	/* the region S3 expects */
	char	resource[S3XML_KEY];
};

/* Root element name into out[n] (truncated). 0 or -1. */
int	s3xml_root(const char *doc, size_t len, char *out, size_t n,
	    struct err *);
/* Parse an Error document: 1 if it is one, 0 if another root, or -1. */
int	s3xml_error(const char *doc, size_t len, struct s3xml_error *,
	    struct err *);

/* ListObjectsV2 (ListBucketResult). */
struct s3xml_object {
	char		key[S3XML_KEY];
	uint64_t	size;
	char		etag[S3XML_SHORT];
	char		last_modified[S3XML_SHORT];
	char		storage_class[S3XML_SHORT];
};
struct s3xml_list {
	int		is_truncated;
	char		next_token[S3XML_TOKEN];	/* NextContinuation... */
	uint64_t	key_count;
	char		prefix[S3XML_KEY];
	char		delimiter[S3XML_SHORT];
};
struct s3xml_list_cb {
	int	(*object)(void *arg, const struct s3xml_object *,
		    struct err *);
	int	(*prefix)(void *arg, const char *prefix, struct err *);
	void	*arg;
};
int	s3xml_list_objects(const char *doc, size_t len,
	    const struct s3xml_list_cb *, struct s3xml_list *,
	    struct s3xml_error *, struct err *);

/* ListBuckets (ListAllMyBucketsResult). */
struct s3xml_bucket {
	char	name[S3XML_SHORT];
	char	creation_date[S3XML_SHORT];
};
int	s3xml_list_buckets(const char *doc, size_t len,
	    int (*fn)(void *, const struct s3xml_bucket *, struct err *),
	    void *arg, struct s3xml_error *, struct err *);

/* ListMultipartUploads (ListMultipartUploadsResult). */
struct s3xml_upload {
	char	key[S3XML_KEY];
	char	upload_id[S3XML_ID];
	char	initiated[S3XML_SHORT];
	char	storage_class[S3XML_SHORT];
};
struct s3xml_uploads {
	int	is_truncated;
	char	next_key_marker[S3XML_KEY];
	char	next_upload_id_marker[S3XML_ID];
};
int	s3xml_list_uploads(const char *doc, size_t len,
	    int (*fn)(void *, const struct s3xml_upload *, struct err *),
	    void *arg, struct s3xml_uploads *, struct s3xml_error *,
	    struct err *);

/* ListParts (ListPartsResult). */
struct s3xml_part {
	uint64_t	part_number;
	uint64_t	size;
	char		etag[S3XML_SHORT];
	char		last_modified[S3XML_SHORT];
};
struct s3xml_parts {
	int		is_truncated;
	uint64_t	next_part_number_marker;
	char		upload_id[S3XML_ID];
};
int	s3xml_list_parts(const char *doc, size_t len,
	    int (*fn)(void *, const struct s3xml_part *, struct err *),
	    void *arg, struct s3xml_parts *, struct s3xml_error *,
	    struct err *);

/* InitiateMultipartUploadResult. */
struct s3xml_initiate {
	char	bucket[S3XML_SHORT];
	char	key[S3XML_KEY];
	char	upload_id[S3XML_ID];
};
int	s3xml_initiate(const char *doc, size_t len, struct s3xml_initiate *,
	    struct s3xml_error *, struct err *);

/* CompleteMultipartUploadResult (or Error with status 200). */
struct s3xml_complete {
	char	location[S3XML_KEY];
	char	bucket[S3XML_SHORT];
	char	key[S3XML_KEY];
	char	etag[S3XML_SHORT];
};
int	s3xml_complete(const char *doc, size_t len, struct s3xml_complete *,
	    struct s3xml_error *, struct err *);

#endif
