/*
 * pooltest: unit tests for the keep-alive pool in lib/net_pool.c over
 * socketpairs (no network). Prints TAP-ish lines "ok N - what" or
 * "not ok N - what" and exits 1 on any failure.
 *
 * Checks: newest-first reuse per key, keys kept apart, eviction when
 * full, idle-age limit, dead detection (peer closed; peer sent bytes),
 * and 8 threads sharing one pool (counters add up, nothing leaks).
 */
#include <sys/socket.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

static int failed;
static int n;

struct sp {
	int	fd;
	int	peer;
	int	id;
};

static int closed;
static pthread_mutex_t closed_lock = PTHREAD_MUTEX_INITIALIZER;

static void
sp_close(void *ctx)
{
	struct sp *s = ctx;

	close(s->fd);
	if (s->peer >= 0)
		close(s->peer);
	free(s);
	pthread_mutex_lock(&closed_lock);
	closed++;
	pthread_mutex_unlock(&closed_lock);
}

static struct conn
sp_new(int id, struct sp **out)
{
	struct conn c;
	struct sp *s;
	int fds[2];

	memset(&c, 0, sizeof(c));
	s = calloc(1, sizeof(*s));
	if (s == NULL || socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
		perror("pooltest");
		exit(1);
	}
	s->fd = fds[0];
	s->peer = fds[1];
	s->id = id;
	c.close = sp_close;
	c.ctx = s;
	if (out != NULL)
		*out = s;
	return c;
}

static void
check(int cond, const char *what)
{
	n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
	if (!cond)
		failed = 1;
}

static int
id_of(const struct conn *c)
{
	return ((struct sp *)c->ctx)->id;
}

static void
put(struct net_pool *p, const char *key, int id, struct sp **sp)
{
	struct conn c;
	struct sp *s;

	c = sp_new(id, &s);
	if (sp != NULL)
		*sp = s;
	net_pool_put(p, key, &c, s->fd);
}

static void *
worker(void *arg)
{
	struct net_pool *p = arg;
	struct conn c;
	char key[8];
	int i;

	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k%d", i % 4);
		if (!net_pool_get(p, key, &c))
			c = sp_new(i, NULL);
		net_pool_put(p, key, &c, ((struct sp *)c.ctx)->fd);
	}
	return NULL;
}

int
main(void)
{
	struct net_pool_stats st;
	struct net_pool *p;
	struct conn c;
	struct sp *s;
	struct err e;
	pthread_t th[8];
	int i;

	p = net_pool_new(3, 60000, &e);
	check(p != NULL, "pool created");
	put(p, "a", 1, NULL);
	put(p, "a", 2, NULL);
	put(p, "b", 3, NULL);
	check(net_pool_get(p, "a", &c) && id_of(&c) == 2, "newest first");
	c.close(c.ctx);
	check(!net_pool_get(p, "c", &c), "other key: nothing");
	put(p, "a", 4, NULL);
	put(p, "a", 5, NULL);	/* full: evicts the oldest (1) */
	net_pool_stats(p, &st);
	check(st.dropped_full == 1, "full pool evicts the oldest");
	check(net_pool_get(p, "b", &c) && id_of(&c) == 3, "key b kept");
	c.close(c.ctx);
	check(net_pool_get(p, "a", &c) && id_of(&c) == 5, "a: 5");
	c.close(c.ctx);
	check(net_pool_get(p, "a", &c) && id_of(&c) == 4, "a: 4");
	c.close(c.ctx);
	check(!net_pool_get(p, "a", &c), "a: empty (1 was evicted)");

	put(p, "d", 6, &s);
	close(s->peer);		/* the server closed it while idle */
	s->peer = -1;
	check(!net_pool_get(p, "d", &c), "peer closed: dropped");
	put(p, "d", 7, &s);
	check(write(s->peer, "x", 1) == 1, "peer writes");
	check(!net_pool_get(p, "d", &c), "unsolicited bytes: dropped");
	net_pool_stats(p, &st);
	check(st.dropped_dead == 2, "two dead counted");
	net_pool_free(p);

	p = net_pool_new(4, 50, &e);
	put(p, "o", 8, NULL);
	usleep(120 * 1000);
	check(!net_pool_get(p, "o", &c), "older than the age limit: dropped");
	net_pool_stats(p, &st);
	check(st.dropped_old == 1, "old counted");
	net_pool_free(p);

	check(net_pool_new(0, 0, &e) == NULL && e.kind == ERR_USAGE,
	    "max_idle 0 refused");

	closed = 0;
	p = net_pool_new(8, 60000, &e);
	for (i = 0; i < 8; i++)
		pthread_create(&th[i], NULL, worker, p);
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	net_pool_stats(p, &st);
	check(st.reused + st.misses == 16000, "8 threads: every get counted");
	check(st.reused > 0, "8 threads: connections reused");
	net_pool_free(p);
	check((unsigned long)closed == st.misses, "every conn made was closed "
	    "exactly once");
	printf("1..%d\n", n);
	return failed;
}
