/*
 * mempipe.h: a struct conn over memory for test drivers (header-only,
 * since each test driver is its own program).
 *
 * Reads return the scripted peer bytes at most `step` at a time, and end
 * (or fail, with fail_at_cut) after `cut` bytes; writes append to `out`.
 */
#ifndef MEMPIPE_H
#define MEMPIPE_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "conn.h"
#include "strbuf.h"

struct mempipe {
	const char	*in;
	size_t		 inlen, inoff;
	size_t		 step;		/* 0 = unlimited */
	size_t		 cut;		/* SIZE_MAX = none */
	int		 fail_at_cut;	/* 1 timeout, 2 reset, not end */
	int		 flushes;
	size_t		 wcut;		/* writes fail beyond this; 0 = never */
	struct strbuf	 out;
};

static ssize_t
mp_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct mempipe *m = ctx;
	size_t end = m->inlen < m->cut ? m->inlen : m->cut;
	size_t n = end - m->inoff;

	if (n == 0 && m->inoff < m->inlen && m->fail_at_cut == 1) {
		err_set(e, ERR_TRANSIENT, "mempipe: timed out");
		return -1;
	}
	if (n == 0 && m->inoff < m->inlen && m->fail_at_cut == 2) {
		err_sys(e, ECONNRESET, "mempipe: read");
		return -1;
	}
	if (n > len)
		n = len;
	if (m->step > 0 && n > m->step)
		n = m->step;
	memcpy(buf, m->in + m->inoff, n);
	m->inoff += n;
	return (ssize_t)n;
}

static int
mp_write(void *ctx, const void *buf, size_t len, struct err *e)
{
	struct mempipe *m = ctx;

	if (m->wcut > 0 && m->out.len + len > m->wcut) {
		err_set(e, ERR_IO, "mempipe: broken pipe");
		return -1;
	}
	sb_add(&m->out, buf, len);
	return sb_error(&m->out, "mempipe", e);
}

static int
mp_flush(void *ctx, struct err *e)
{
	struct mempipe *m = ctx;

	(void)e;
	m->flushes++;
	return 0;
}

static void
mp_close(void *ctx)
{
	struct mempipe *m = ctx;

	sb_free(&m->out);
}

static void
mp_init(struct mempipe *m, struct conn *c, const char *in, size_t inlen,
    size_t step)
{
	memset(m, 0, sizeof(*m));
	m->in = in;
	m->inlen = inlen;
	m->step = step;
	m->cut = SIZE_MAX;
	sb_init(&m->out, 0);
	c->read = mp_read;
	c->write = mp_write;
	c->flush = mp_flush;
	c->close = mp_close;
	c->ctx = m;
}

#endif
