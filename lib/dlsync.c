/*
 * dlsync.c: prefix download with skip of current files (dlsync.h).
 */
#include <sys/stat.h>
#include <sys/xattr.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlfile.h"
#include "dlsync.h"
#include "download.h"
#include "fdio.h"
#include "hash/etag.h"
#include "hash/md5.h"
#include "url.h"

struct item {
	char		*key;
	char		*path;
	uint64_t	 size;
	char		 etag[S3_ETAG_MAX];
};

struct sync {
	pthread_mutex_t	 mu;
	struct s3_client *cl;
	const char	*bucket;
	const char	*prefix;	/* with its '/' (or "") */
	const char	*dir;
	uint64_t	 part;
	unsigned	 jobs;
	struct progress	*prog;
	void		(*log)(void *, const char *);
	void		*log_arg;
	struct item	*items;
	size_t		 n, cap;
	size_t		 next;		/* phase 1: next item to take */
	struct dlsync_stats st;
	struct err	 first;		/* first failure */
	int		 all_transient;
};

/* Keep a listed object. */
static int
collect(void *arg, const struct s3_entry *en, struct err *e)
{
	struct sync *s = arg;
	struct item *it;
	size_t plen = strlen(s->prefix), cap;

	if (en->is_prefix || en->key[strlen(en->key) - 1] == '/' ||
	    strncmp(en->key, s->prefix, plen) != 0)
		return 0;
	if (s->n == s->cap) {
		if (s->cap >= DLSYNC_MAX_KEYS)
			return err_set(e, ERR_LIMIT, "more than %d keys under "
			    "the prefix", DLSYNC_MAX_KEYS);
		cap = s->cap ? s->cap * 2 : 256;
		if ((it = realloc(s->items, cap * sizeof(*it))) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		s->items = it;
		s->cap = cap;
	}
	it = &s->items[s->n];
	memset(it, 0, sizeof(*it));
	if ((it->key = strdup(en->key)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	it->size = en->size;
	snprintf(it->etag, sizeof(it->etag), "%s", en->etag ? en->etag : "");
	s->n++;
	s->st.listed++;
	return 0;
}

/* Relative path safe under dir: no "", ".", ".." components. */
static int
safe_rel(const char *rel)
{
	const char *p = rel, *slash;
	size_t n;

	if (*rel == '\0')
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}

/* mkdir -p of the parents of path. */
static int
make_parents(char *path, struct err *e)
{
	char *p;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			err_sys(e, errno, "mkdir %s", path);
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* 1 when the file at path already holds this object. */
static int
is_current(const struct item *it)
{
	char tag[S3_ETAG_MAX], hex[ETAG_STR_MAX], buf[1 << 16];
	uint8_t d[MD5_LEN];
	struct stat sb;
	struct md5 m;
	ssize_t n, len;
	int fd;

	if (stat(it->path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size != it->size)
		return 0;
	len = getxattr(it->path, DLSYNC_XATTR, tag, sizeof(tag) - 1);
	if (len > 0) {
		tag[len] = '\0';
		return strcmp(tag, it->etag) == 0;
	}
	/* no record: a single-PUT ETag is the md5 of the file */
	if (strchr(it->etag, '-') != NULL || strlen(it->etag) != 34)
		return 0;
	if ((fd = open(it->path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	md5_init(&m);
	while ((n = fd_read_full(fd, buf, sizeof(buf))) > 0)
		md5_update(&m, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return 0;
	md5_final(&m, d);
	etag_format_md5(d, hex);
	return strncmp(it->etag + 1, hex, 32) == 0;
}

static void
failed(struct sync *s, const struct item *it, const struct err *e)
{
	char line[ERR_MSG_MAX + 1200];

	pthread_mutex_lock(&s->mu);
	s->st.failed++;
	if (s->st.failed == 1)
		s->first = *e;
	if (e->kind != ERR_TRANSIENT)
		s->all_transient = 0;
	pthread_mutex_unlock(&s->mu);
	if (s->log) {
		snprintf(line, sizeof(line), "s3://%s/%s: %s", s->bucket,
		    it->key, e->msg);
		s->log(s->log_arg, line);
	}
}

/* Download one item with jobs ranges at once. */
static void
fetch_item(struct sync *s, struct item *it, unsigned jobs)
{
	struct dl_opts d;
	struct dl_result res;
	struct dlfile f;
	struct err e;
	char url[URL_BUCKET_MAX + URL_KEY_MAX + 8];

	snprintf(url, sizeof(url), "s3://%s/%s", s->bucket, it->key);
	if (make_parents(it->path, &e) != 0 ||
	    dlfile_open(&f, it->path, url, 0, 0, &e) != 0) {
		failed(s, it, &e);
		return;
	}
	dl_opts_init(&d);
	d.cl = s->cl;
	d.bucket = s->bucket;
	d.key = it->key;
	d.part_size = s->part;
	d.jobs = jobs;
	d.fd = f.fd;
	d.progress = s->prog;
	if (dl_run(&d, &res, &e) != 0) {
		dlfile_discard(&f);
		failed(s, it, &e);
		return;
	}
	if (dlfile_commit(&f, &e) != 0) {
		failed(s, it, &e);
		return;
	}
	/* best effort: without xattrs the md5 rule applies next time */
	(void)setxattr(it->path, DLSYNC_XATTR, res.obj.etag,
	    strlen(res.obj.etag), 0);
	pthread_mutex_lock(&s->mu);
	s->st.downloaded++;
	pthread_mutex_unlock(&s->mu);
}

/* Phase 1 worker: small objects, one GET each. */
static void *
small_worker(void *arg)
{
	struct sync *s = arg;
	struct item *it;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->next < s->n && (s->items[s->next].path == NULL ||
		    s->items[s->next].size > s->part))
			s->next++;
		it = s->next < s->n ? &s->items[s->next++] : NULL;
		pthread_mutex_unlock(&s->mu);
		if (it == NULL)
			return NULL;
		fetch_item(s, it, 1);
	}
}

/* Paths for every item; mark current ones (path NULL: nothing to do). */
static int
plan(struct sync *s, uint64_t *todo_bytes, struct err *e)
{
	size_t i, plen = strlen(s->prefix), dlen = strlen(s->dir);
	struct item *it;
	const char *rel;
	struct err fe;

	*todo_bytes = 0;
	for (i = 0; i < s->n; i++) {
		it = &s->items[i];
		rel = it->key + plen;
		if (!safe_rel(rel)) {
			err_set(&fe, ERR_REMOTE, "key is not a safe relative "
			    "path under the prefix; skipped");
			failed(s, it, &fe);
			continue;
		}
		if ((it->path = malloc(dlen + strlen(rel) + 2)) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		snprintf(it->path, dlen + strlen(rel) + 2, "%s/%s", s->dir,
		    rel);
		if (is_current(it)) {
			s->st.skipped++;
			free(it->path);
			it->path = NULL;
			continue;
		}
		*todo_bytes += it->size;
	}
	return 0;
}

int
dlsync_run(struct s3_client *cl, const char *bucket, const char *prefix,
    const char *dir, unsigned jobs, uint64_t part_size, struct progress *prog,
    void (*log)(void *, const char *), void *log_arg,
    struct dlsync_stats *stats, struct err *e)
{
	pthread_t tid[DL_MAX_JOBS];
	struct sync s;
	uint64_t todo;
	unsigned t, nt;
	size_t i, plen;
	char *pfx = NULL;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(stats, 0, sizeof(*stats));
	if (jobs < 1 || jobs > DL_MAX_JOBS)
		return err_set(e, ERR_USAGE, "-j %u outside 1..%d", jobs,
		    DL_MAX_JOBS);
	plen = strlen(prefix);
	if ((pfx = malloc(plen + 2)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	snprintf(pfx, plen + 2, "%s%s", prefix, plen == 0 ||
	    prefix[plen - 1] == '/' ? "" : "/");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		free(pfx);
		return err_sys(e, errno, "mkdir %s", dir);
	}
	pthread_mutex_init(&s.mu, NULL);
	s.cl = cl;
	s.bucket = bucket;
	s.prefix = pfx;
	s.dir = dir;
	s.part = part_size;
	s.jobs = jobs;
	s.prog = prog;
	s.log = log;
	s.log_arg = log_arg;
	s.all_transient = 1;
	if (s3_list_objects(cl, bucket, pfx[0] ? pfx : NULL, NULL, 0, collect,
	    &s, NULL, e) != 0 || plan(&s, &todo, e) != 0)
		goto out;
	if (prog)
		progress_set_total(prog, todo);

	for (nt = 0; nt < jobs; nt++)
		if (pthread_create(&tid[nt], NULL, small_worker, &s) != 0)
			break;
	if (nt == 0)
		small_worker(&s);
	for (t = 0; t < nt; t++)
		pthread_join(tid[t], NULL);
	for (i = 0; i < s.n; i++)
		if (s.items[i].path && s.items[i].size > s.part)
			fetch_item(&s, &s.items[i], jobs);

	rc = 0;
	if (s.st.failed > 0) {
		*e = s.first;
		err_prefix(e, "%" PRIu64 " of %" PRIu64 " files failed; first",
		    s.st.failed, s.st.listed);
		if (s.all_transient)
			e->kind = ERR_TRANSIENT;
		else if (e->kind == ERR_TRANSIENT)
			e->kind = ERR_REMOTE;
		rc = -1;
	}
out:
	*stats = s.st;
	for (i = 0; i < s.n; i++) {
		free(s.items[i].key);
		free(s.items[i].path);
	}
	free(s.items);
	free(pfx);
	pthread_mutex_destroy(&s.mu);
	return rc;
}
