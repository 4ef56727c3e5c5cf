/*
 * xml.h: a small strict XML scanner for S3 response documents.
 *
 * xml_walk() checks a whole document held in memory and reports each
 * element to a callback: on open, on close, and - for elements that hold
 * only text - once with the text, entity-decoded. It accepts what S3,
 * Swift s3api, Ceph and MinIO send: an optional BOM, leading whitespace
 * (CompleteMultipartUpload's keep-alive heartbeats), an XML declaration
 * with either quote style, comments, processing instructions, CDATA,
 * attributes (checked, not reported), and whitespace between elements.
 * It rejects DOCTYPE (no entity expansion, ever), mismatched or
 * unclosed tags, stray text beside child elements, bad entities, a
 * second root, and anything cut short (ERR_FORMAT).
 *
 * Entities: &amp; &lt; &gt; &quot; &apos; &#NN; &#xNN; (decoded to
 * UTF-8; NUL, surrogates and values above U+10FFFF rejected).
 *
 * Limits (ERR_LIMIT): document XML_MAX_DOC bytes, nesting XML_MAX_DEPTH,
 * names XML_MAX_NAME bytes, decoded text of one element XML_MAX_TEXT.
 */
#ifndef XML_H
#define XML_H

#include <stddef.h>

#include "err.h"
#include "strbuf.h"

#define XML_MAX_DOC	(32 * 1024 * 1024)
#define XML_MAX_DEPTH	32
#define XML_MAX_NAME	256
#define XML_MAX_TEXT	(256 * 1024)

enum xml_event_type {
	XML_OPEN,	/* start tag (also for <empty/>) */
	XML_TEXT,	/* text-only element, just before its XML_CLOSE */
	XML_CLOSE	/* end tag */
};

struct xml_event {
	enum xml_event_type type;
	int		 depth;		/* root element = 1 */
	const char	*name;		/* not NUL-terminated */
	size_t		 namelen;
	const char	*parent;	/* enclosing element, NULL for root */
	size_t		 parentlen;
	const char	*text;		/* XML_TEXT: decoded, with NUL */
	size_t		 textlen;
};

/*
 * Called for every event; return 0 to go on, -1 (with err filled in)
 * to stop the walk. Spans are valid during the call only.
 */
typedef int	(*xml_fn)(void *arg, const struct xml_event *, struct err *);

/* Walk buf[0..len). 0, or -1 with err (or what the callback set). */
int	xml_walk(const char *buf, size_t len, xml_fn, void *arg,
	    struct err *);

/*
 * Decode entities of raw text s[0..n) onto out. 0 or -1 (ERR_FORMAT for
 * a bad reference, ERR_LIMIT/ERR_NOMEM from out).
 */
int	xml_decode(struct strbuf *out, const char *s, size_t n, struct err *);

/* 1 if the event's name (or parent name) is s. */
int	xml_is(const struct xml_event *, const char *s);
int	xml_parent_is(const struct xml_event *, const char *s);

#endif
