/*
 * net_pool.c: keep-alive pool of idle connections (see net.h).
 *
 * A flat array of at most max_idle entries, newest last; lookups scan it
 * (pools hold tens of connections, not thousands). Connections found
 * dead or old are unlinked under the lock and closed after it is
 * released, because closing a TLS conn may write a close_notify.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "net.h"

#define NET_POOL_MAX		4096
#define NET_POOL_KEY_MAX	512
#define NET_POOL_AGE_MS		30000

struct net_pool_entry {
	char		*key;
	struct conn	conn;
	int		fd;
	int64_t		since_ms;
};

struct net_pool {
	pthread_mutex_t		lock;
	size_t			max;
	size_t			n;
	int			max_age_ms;
	struct net_pool_stats	st;
	struct net_pool_entry	*e;
};

struct net_pool *
net_pool_new(size_t max_idle, int max_age_ms, struct err *e)
{
	struct net_pool *p;

	if (max_idle == 0 || max_idle > NET_POOL_MAX) {
		err_set(e, ERR_USAGE, "pool: max idle %zu not in 1..%d",
		    max_idle, NET_POOL_MAX);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->e = calloc(max_idle, sizeof(*p->e))) == NULL) {
		free(p);
		err_set(e, ERR_NOMEM, "pool: out of memory");
		return NULL;
	}
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		free(p->e);
		free(p);
		err_set(e, ERR_NOMEM, "pool: cannot create mutex");
		return NULL;
	}
	p->max = max_idle;
	p->max_age_ms = max_age_ms > 0 ? max_age_ms : NET_POOL_AGE_MS;
	return p;
}

static void
entry_close(struct net_pool_entry *x)
{
	if (x->conn.close != NULL)
		x->conn.close(x->conn.ctx);
	free(x->key);
	memset(x, 0, sizeof(*x));
}

void
net_pool_free(struct net_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		entry_close(&p->e[i]);
	pthread_mutex_destroy(&p->lock);
	free(p->e);
	free(p);
}

/*
 * An idle HTTP connection must have nothing to read: readable means the
 * server closed it (EOF), reset it, or sent bytes we cannot use.
 */
static int
fd_is_idle(int fd)
{
	unsigned char b;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

/* Remove entry i, keeping the order (oldest first). */
static void
pool_unlink(struct net_pool *p, size_t i, struct net_pool_entry *dst)
{
	*dst = p->e[i];
	memmove(&p->e[i], &p->e[i + 1], (p->n - i - 1) * sizeof(p->e[0]));
	p->n--;
	memset(&p->e[p->n], 0, sizeof(p->e[0]));
}

int
net_pool_get(struct net_pool *p, const char *key, struct conn *out)
{
	struct net_pool_entry drop[16];
	struct net_pool_entry x;
	size_t ndrop;
	size_t i;
	int64_t now;
	int found;

	found = 0;
	ndrop = 0;
	now = clock_ms();
	pthread_mutex_lock(&p->lock);
	for (i = p->n; i-- > 0 && !found && ndrop < 16;) {
		if (strcmp(p->e[i].key, key) != 0)
			continue;
		if (now - p->e[i].since_ms > p->max_age_ms) {
			p->st.dropped_old++;
			pool_unlink(p, i, &drop[ndrop++]);
			continue;
		}
		if (!fd_is_idle(p->e[i].fd)) {
			p->st.dropped_dead++;
			pool_unlink(p, i, &drop[ndrop++]);
			continue;
		}
		pool_unlink(p, i, &x);
		found = 1;
	}
	if (found)
		p->st.reused++;
	else
		p->st.misses++;
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < ndrop; i++)
		entry_close(&drop[i]);
	if (!found)
		return 0;
	*out = x.conn;
	free(x.key);
	return 1;
}

void
net_pool_put(struct net_pool *p, const char *key, struct conn *c, int fd)
{
	struct net_pool_entry old;
	struct net_pool_entry x;
	size_t klen;

	memset(&old, 0, sizeof(old));
	x.conn = *c;
	x.fd = fd;
	x.since_ms = clock_ms();
	memset(c, 0, sizeof(*c));
	klen = strlen(key);
	x.key = klen <= NET_POOL_KEY_MAX ? malloc(klen + 1) : NULL;
	if (x.key == NULL) {
		x.conn.close(x.conn.ctx);
		return;
	}
	memcpy(x.key, key, klen + 1);
	pthread_mutex_lock(&p->lock);
	if (p->n == p->max) {
		p->st.dropped_full++;
		pool_unlink(p, 0, &old);
	}
	p->e[p->n++] = x;
	pthread_mutex_unlock(&p->lock);
	if (old.key != NULL)
		entry_close(&old);
}

void
net_pool_stats(struct net_pool *p, struct net_pool_stats *st)
{
	pthread_mutex_lock(&p->lock);
	*st = p->st;
	pthread_mutex_unlock(&p->lock);
}
