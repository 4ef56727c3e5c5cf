/*
 * err.h: the error value every lib/ function fills in on failure.
 *
 * lib/ never prints and never exits. A function that can fail takes a
 * struct err *, returns -1 (or NULL) and fills it in; the command maps
 * err.kind to an exit status (err_exit_status) and prints err.msg.
 * Messages carry context (operation, file or key, status) and never
 * secrets.
 */
#ifndef ERR_H
#define ERR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_IO,		/* local read/write/open failure; errnum set */
	ERR_FORMAT,	/* malformed input bytes (parsers) */
	ERR_LIMIT,	/* input exceeds a hard limit we enforce */
	ERR_NOMEM,	/* allocation failed or size overflowed */
	ERR_USAGE,	/* invalid argument from the caller */
	ERR_REMOTE,	/* a server said no (HTTP 4xx, write error) */
	ERR_TRANSIENT,	/* retryable failure that outlived its retries */
	ERR_UNSUPPORTED	/* valid input we do not handle (e.g. encryption) */
};

#define ERR_MSG_MAX 512

struct err {
	enum err_kind	kind;
	int		errnum;		/* errno for ERR_IO, else 0 */
	char		msg[ERR_MSG_MAX];
};

/* Set kind and message (printf format); errnum cleared. Returns -1. */
int	err_set(struct err *, enum err_kind, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* As err_set for ERR_IO, appending ": strerror(errnum)". Returns -1. */
int	err_sys(struct err *, int errnum, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* Prepend "context: " to an existing message. Returns -1. */
int	err_prefix(struct err *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Exit status for a failure: 75 (EX_TEMPFAIL) for ERR_TRANSIENT, else 1. */
int	err_exit_status(const struct err *);

#endif
