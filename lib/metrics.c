#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fdio.h"
#include "metrics.h"

#define LINE_MAX_BYTES	(32 * 1024)

struct metrics {
	int		fd;
	pthread_mutex_t	mu;
	int		write_errno;	/* first failure, sticky */
};

struct metrics *
metrics_open(const char *path, struct err *e)
{
	struct metrics *m;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	m->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (m->fd < 0) {
		err_sys(e, errno, "metrics file %s", path);
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->mu, NULL);
	return m;
}

size_t
metrics_json_escape(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	unsigned char c;

	if (cap == 0)
		return 0;
	for (; *s && n + 7 < cap; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
		} else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return n;
}

/* Append fmt with s JSON-escaped; the line is cut when full. */
static void
add(char *line, size_t *n, const char *fmt, const char *s)
{
	char esc[LINE_MAX_BYTES / 2];

	if (s == NULL)
		return;
	metrics_json_escape(esc, sizeof(esc), s);
	if (*n < LINE_MAX_BYTES)
		*n += (size_t)snprintf(line + *n, LINE_MAX_BYTES - *n, fmt, esc);
	if (*n >= LINE_MAX_BYTES)
		*n = LINE_MAX_BYTES - 1;
}

/* Append raw JSON text. */
static void
add_raw(char *line, size_t *n, const char *s)
{
	if (*n < LINE_MAX_BYTES)
		*n += (size_t)snprintf(line + *n, LINE_MAX_BYTES - *n, "%s", s);
	if (*n >= LINE_MAX_BYTES)
		*n = LINE_MAX_BYTES - 1;
}

static void
emit(struct metrics *m, const char *line, size_t n)
{
	pthread_mutex_lock(&m->mu);
	if (m->write_errno == 0 && fd_write_full(m->fd, line, n) != 0)
		m->write_errno = errno;
	pthread_mutex_unlock(&m->mu);
}

void
metrics_write(struct metrics *m, const struct metrics_op *op)
{
	char *line, ts[96], num[128];
	struct timeval tv;
	struct tm tm;
	size_t n = 0;
	unsigned i;

	if (m == NULL || (line = malloc(LINE_MAX_BYTES)) == NULL)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
	add(line, &n, "{\"ts\":\"%s\"", ts);
	add(line, &n, ",\"op\":\"%s\"", op->op);
	add(line, &n, ",\"bucket\":\"%s\"", op->bucket);
	add(line, &n, ",\"key\":\"%s\"", op->key);
	snprintf(num, sizeof(num), ",\"part\":%d,\"status\":%d", op->part,
	    op->status);
	add_raw(line, &n, num);
	snprintf(num, sizeof(num), ",\"bytes_out\":%llu,\"bytes_in\":%llu,"
	    "\"seconds\":%.6f,\"attempts\":%u",
	    (unsigned long long)op->bytes_out, (unsigned long long)op->bytes_in,
	    op->seconds, op->attempts);
	add_raw(line, &n, num);
	add_raw(line, &n, ",\"statuses\":[");
	for (i = 0; i < op->nstatus && i < METRICS_MAX_ATTEMPTS; i++) {
		snprintf(num, sizeof(num), "%s%d", i ? "," : "", op->statuses[i]);
		add_raw(line, &n, num);
	}
	add_raw(line, &n, "],\"request_ids\":[");
	for (i = 0; i < op->nstatus && i < METRICS_MAX_ATTEMPTS; i++)
		add(line, &n, i ? ",\"%s\"" : "\"%s\"",
		    op->request_ids[i] ? op->request_ids[i] : "");
	add_raw(line, &n, "]");
	add(line, &n, ",\"error\":\"%s\"", op->error);
	add_raw(line, &n, "}\n");
	if (n >= LINE_MAX_BYTES - 1)	/* cut: still write one valid line */
		n = (size_t)snprintf(line, LINE_MAX_BYTES, "{\"ts\":\"%s\","
		    "\"op\":\"%s\",\"status\":%d,\"error\":\"metrics line too "
		    "long\"}\n", ts, op->op, op->status);
	emit(m, line, n);
	free(line);
}

void
metrics_write_raw(struct metrics *m, const char *json_line)
{
	size_t n;
	char *line;

	if (m == NULL)
		return;
	n = strlen(json_line);
	if ((line = malloc(n + 2)) == NULL)
		return;
	memcpy(line, json_line, n);
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	emit(m, line, n);
	free(line);
}

int
metrics_close(struct metrics *m, struct err *e)
{
	int rc = 0;

	if (m == NULL)
		return 0;
	if (m->write_errno != 0)
		rc = err_sys(e, m->write_errno, "writing metrics");
	if (close(m->fd) != 0 && rc == 0)
		rc = err_sys(e, errno, "closing metrics");
	pthread_mutex_destroy(&m->mu);
	free(m);
	return rc;
}
