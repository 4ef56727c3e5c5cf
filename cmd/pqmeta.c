/*
 * pqmeta: print Parquet footer metadata (rows, schema, row groups,
 * statistics) reading only the end of each file. See pqmeta(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"
#include "num.h"
#include "parquet.h"
#include "pqfile.h"
#include "pqfmt.h"
#include "pqout.h"
#include "pqs3.h"
#include "s3opt.h"
#include "url.h"

struct opts {
	int		 json;
	int		 details;	/* -s */
	int		 kv_values;	/* -k */
	int		 rows;		/* --rows */
	int		 verbose;	/* -v */
	unsigned	 jobs;		/* --jobs: objects at a time */
	struct pq_limits lim;
	struct s3_opts	 s3;
	struct s3_client *cl;		/* made at the first s3:// name */
};

struct totals {
	unsigned	 files;
	int64_t		 rows;
	int64_t		 row_groups;
	int64_t		 compressed;
	int64_t		 uncompressed;
};

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: pqmeta [-jksv] [--rows] "
	    "[--max-footer size] [--jobs n] [common options]\n"
	    "              file | s3://bucket/key | s3://bucket/prefix/ ...\n");
	exit(status);
}

/* ---- text output ------------------------------------------------ */

static void
text_bytes(FILE *out, struct pq_bytes b)
{
	pq_out_text_str(out, b.ptr, b.len);
}

static void
text_schema(FILE *out, const struct pq_meta *m)
{
	const struct pq_schema_elem *se;
	char lt[64];
	uint32_t i;

	fputs("  schema:\n", out);
	for (i = 0; i < m->n_schema; i++) {
		se = &m->schema[i];
		fprintf(out, "    %*s", (int)(se->depth > 64 ? 64 :
		    se->depth) * 2, "");
		text_bytes(out, se->name);
		fputs(":", out);
		if (se->has & PQ_SE_TYPE) {
			putc(' ', out);
			pq_out_enum(out, 0, pq_type_name(se->type), se->type);
			if (se->type == PQ_FIXED_LEN_BYTE_ARRAY)
				fprintf(out, "(%" PRId32 ")", se->type_length);
		} else
			fputs(" group", out);
		if (se->has & PQ_SE_REPETITION) {
			putc(' ', out);
			pq_out_enum(out, 0, pq_repetition_name(se->repetition),
			    se->repetition);
		}
		if ((se->has & PQ_SE_LOGICAL) && se->logical.kind != 0)
			fprintf(out, " %s", pq_logical_format(&se->logical, lt,
			    sizeof(lt)));
		if (se->has & PQ_SE_CONVERTED) {
			fputs(" converted=", out);
			pq_out_enum(out, 0, pq_converted_name(
			    se->converted_type), se->converted_type);
			if (se->converted_type == PQ_CT_DECIMAL)
				fprintf(out, "(%" PRId32 ",%" PRId32 ")",
				    se->precision, se->scale);
		}
		if (se->has & PQ_SE_FIELD_ID)
			fprintf(out, " field_id=%" PRId32, se->field_id);
		putc('\n', out);
	}
}

static void
text_kv(FILE *out, const char *indent, const struct pq_kv *kv, uint32_t n,
    int values)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		fputs(indent, out);
		text_bytes(out, kv[i].key);
		if (kv[i].value.ptr == NULL)
			fputs(" (no value)\n", out);
		else if (!values)
			fprintf(out, " (%zu bytes)\n", kv[i].value.len);
		else {
			fputs(" = ", out);
			text_bytes(out, kv[i].value);
			putc('\n', out);
		}
	}
}

static void
text_stat(FILE *out, const char *k, const struct pq_schema_elem *leaf,
    int32_t type, struct pq_bytes v)
{
	fprintf(out, " %s=", k);
	pq_out_value(out, 0, leaf, type, v);
}

static void
text_column(FILE *out, const struct pq_meta *m, uint32_t j,
    const struct pq_column_chunk *cc, int values)
{
	const struct pq_column_meta *cm = &cc->meta;
	const struct pq_schema_elem *leaf = pq_meta_leaf(m, j);
	const struct pq_stats *st = &cm->stats;
	uint32_t i;

	fprintf(out, "    column %" PRIu32 " ", j);
	if (!(cc->has & PQ_CC_META)) {
		fputs(cc->has & PQ_CC_ENCRYPTED ? "(encrypted)\n" :
		    "(no metadata)\n", out);
		return;
	}
	for (i = 0; i < cm->n_path; i++) {
		if (i > 0)
			putc('.', out);
		text_bytes(out, cm->path[i]);
	}
	putc(' ', out);
	pq_out_enum(out, 0, pq_type_name(cm->type), cm->type);
	putc(' ', out);
	pq_out_enum(out, 0, pq_codec_name(cm->codec), cm->codec);
	fputs(" encodings=", out);
	for (i = 0; i < cm->n_encodings; i++) {
		if (i > 0)
			putc(',', out);
		pq_out_enum(out, 0, pq_encoding_name(cm->encodings[i]),
		    cm->encodings[i]);
	}
	fprintf(out, " values=%" PRId64 " compressed=%" PRId64
	    " uncompressed=%" PRId64 " data_page=%" PRId64, cm->num_values,
	    cm->total_compressed_size, cm->total_uncompressed_size,
	    cm->data_page_offset);
	if (cm->has & PQ_CM_DICTIONARY_PAGE_OFFSET)
		fprintf(out, " dictionary_page=%" PRId64,
		    cm->dictionary_page_offset);
	if (cm->has & PQ_CM_STATISTICS) {
		if (st->has & PQ_ST_NULL_COUNT)
			fprintf(out, " nulls=%" PRId64, st->null_count);
		if (st->has & PQ_ST_DISTINCT_COUNT)
			fprintf(out, " distinct=%" PRId64, st->distinct_count);
		if (st->has & PQ_ST_NAN_COUNT)
			fprintf(out, " nans=%" PRId64, st->nan_count);
		if (st->has & PQ_ST_MIN_VALUE)
			text_stat(out, "min", leaf, cm->type, st->min_value);
		if (st->has & PQ_ST_MAX_VALUE)
			text_stat(out, "max", leaf, cm->type, st->max_value);
		if (st->has & PQ_ST_MIN)
			text_stat(out, "min_deprecated", leaf, cm->type,
			    st->min);
		if (st->has & PQ_ST_MAX)
			text_stat(out, "max_deprecated", leaf, cm->type,
			    st->max);
	}
	putc('\n', out);
	if (cm->has & PQ_CM_KEY_VALUE_METADATA)
		text_kv(out, "      kv ", cm->kv, cm->n_kv, values);
}

static void
text_details(FILE *out, const struct pq_meta *m, int values)
{
	const struct pq_row_group *rg;
	uint32_t i, j;

	fprintf(out, "  format version %" PRId32 ", footer %" PRIu64
	    " bytes", m->version, m->footer_len);
	if (m->has & PQ_FM_ENCRYPTION) {
		fputs(", encryption ", out);
		pq_out_enum(out, 0, pq_encryption_name(
		    m->encryption_algorithm), m->encryption_algorithm);
	}
	putc('\n', out);
	text_schema(out, m);
	if (m->n_kv > 0) {
		fputs("  key-value metadata:\n", out);
		text_kv(out, "    ", m->kv, m->n_kv, values);
	}
	for (i = 0; i < m->n_row_groups; i++) {
		rg = &m->row_groups[i];
		fprintf(out, "  row group %" PRIu32 ": rows=%" PRId64
		    " bytes=%" PRId64, i, rg->num_rows, rg->total_byte_size);
		if (rg->has & PQ_RG_TOTAL_COMPRESSED_SIZE)
			fprintf(out, " compressed=%" PRId64,
			    rg->total_compressed_size);
		if (rg->has & PQ_RG_FILE_OFFSET)
			fprintf(out, " offset=%" PRId64, rg->file_offset);
		for (j = 0; j < rg->n_sorting; j++)
			fprintf(out, "%s%" PRId32 "%s%s", j ? "," : " sorted=",
			    rg->sorting[j].column_idx,
			    rg->sorting[j].descending ? ":desc" : ":asc",
			    rg->sorting[j].nulls_first ? ":nulls_first" : "");
		putc('\n', out);
		for (j = 0; j < rg->n_columns; j++)
			text_column(out, m, j, &rg->columns[j], values);
	}
}

static void
text_summary(FILE *out, const char *name, const struct pq_meta *m)
{
	fprintf(out, "%s: %" PRId64 " rows, %" PRIu32 " row groups, %" PRIu32
	    " columns, %" PRId64 " bytes compressed, %" PRId64
	    " uncompressed, created by ", name, m->num_rows, m->n_row_groups,
	    m->n_leaves, pq_meta_total_compressed(m),
	    pq_meta_total_uncompressed(m));
	if (m->has & PQ_FM_CREATED_BY)
		text_bytes(out, m->created_by);
	else
		fputs("(unknown)", out);
	putc('\n', out);
}

/* ---- driver ----------------------------------------------------- */

/* Saturating sum: hostile footers may carry any int64. */
static int64_t
add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

/* Print one file's metadata to out and add it to the totals. */
static void
report(FILE *out, const char *name, struct pq_meta *m, uint64_t size,
    const struct opts *o, struct totals *t)
{
	t->files++;
	t->rows = add(t->rows, m->num_rows);
	t->row_groups += m->n_row_groups;
	t->compressed = add(t->compressed, pq_meta_total_compressed(m));
	t->uncompressed = add(t->uncompressed, pq_meta_total_uncompressed(m));
	if (o->rows)
		fprintf(out, "%" PRId64 "  %s\n", m->num_rows, name);
	else if (o->json)
		pq_out_json(out, name, size, m, o->details);
	else {
		text_summary(out, name, m);
		if (o->details)
			text_details(out, m, o->kv_values);
	}
}

static int
local_file(const char *name, const struct opts *o, struct totals *t)
{
	struct pq_read_stats st;
	struct pq_meta *m;
	struct err e = { ERR_NONE, 0, "" };
	int fd, rc;

	if (strcmp(name, "-") == 0)
		fd = dup(0);
	else
		fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "pqmeta: %s: %s\n", name, strerror(errno));
		return -1;
	}
	rc = pq_read_fd(fd, &o->lim, &m, &st, &e);
	if (o->verbose)
		fprintf(stderr, "pqmeta: %s: read %" PRIu64 " bytes in %u "
		    "reads\n", name, st.bytes_read, st.reads);
	if (rc != 0) {
		fprintf(stderr, "pqmeta: %s: %s\n", name, e.msg);
		close(fd);
		return -1;
	}
	report(stdout, name, m, st.file_size, o, t);
	pq_meta_free(m);
	close(fd);
	return 0;
}

/* One S3 object, output into out. 0, or -1 with err. */
static int
s3_object(const char *bucket, const char *key, const struct opts *o,
    struct totals *t, FILE *out, struct err *e)
{
	struct pq_s3 p;
	char name[URL_BUCKET_MAX + URL_KEY_MAX + 8];

	snprintf(name, sizeof(name), "s3://%s/%s", bucket, key);
	if (pq_read_s3(o->cl, bucket, key, &o->lim, &p, e) != 0)
		return err_prefix(e, "%s", name);
	if (o->verbose)
		fprintf(stderr, "pqmeta: %s: read %" PRIu64 " bytes in %u "
		    "GETs\n", name, p.st.bytes_read, p.st.reads);
	report(out, name, p.meta, p.st.file_size, o, t);
	pq_s3_free(&p);
	return 0;
}

/* The Parquet objects under a prefix, read --jobs at a time. */
struct prefix_job {
	const struct opts *o;
	const char	*bucket;
	char		**keys;
	size_t		 nkeys, cap, next;
	char		**outs;		/* each object's output, in order */
	size_t		*outlens;
	int		*failed;
	struct totals	*tots;
	pthread_mutex_t	 mu;
};

static int
collect_key(void *arg, const struct s3_entry *en, struct err *e)
{
	struct prefix_job *j = arg;
	size_t n = strlen(en->key);
	char **nk;

	if (en->is_prefix || n < 8 ||
	    strcasecmp(en->key + n - 8, ".parquet") != 0)
		return 0;
	if (j->nkeys == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 64;
		if ((nk = realloc(j->keys, j->cap * sizeof(*nk))) == NULL)
			return err_set(e, ERR_NOMEM, "out of memory");
		j->keys = nk;
	}
	if ((j->keys[j->nkeys] = strdup(en->key)) == NULL)
		return err_set(e, ERR_NOMEM, "out of memory");
	j->nkeys++;
	return 0;
}

static void *
prefix_worker(void *arg)
{
	struct prefix_job *j = arg;
	struct err e;
	FILE *f;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->nkeys)
			return NULL;
		f = open_memstream(&j->outs[i], &j->outlens[i]);
		if (f == NULL) {
			j->failed[i] = 1;
			continue;
		}
		if (s3_object(j->bucket, j->keys[i], j->o, &j->tots[i], f,
		    &e) != 0) {
			fprintf(f, "pqmeta: %s\n", e.msg);
			j->failed[i] = 1;
		}
		fclose(f);
	}
}

static int
s3_prefix(const struct url_s3 *u, const struct opts *o, struct totals *t)
{
	struct prefix_job j;
	pthread_t th[64];
	unsigned n, k, started = 0;
	struct err e;
	size_t i;
	int rc = 0;

	memset(&j, 0, sizeof(j));
	j.o = o;
	j.bucket = u->bucket;
	pthread_mutex_init(&j.mu, NULL);
	if (s3_list_objects(o->cl, u->bucket, u->key, NULL, 0, collect_key,
	    &j, NULL, &e) != 0) {
		fprintf(stderr, "pqmeta: %s\n", e.msg);
		rc = -1;
		goto out;
	}
	j.outs = calloc(j.nkeys + 1, sizeof(*j.outs));
	j.outlens = calloc(j.nkeys + 1, sizeof(*j.outlens));
	j.failed = calloc(j.nkeys + 1, sizeof(*j.failed));
	j.tots = calloc(j.nkeys + 1, sizeof(*j.tots));
	if (!j.outs || !j.outlens || !j.failed || !j.tots) {
		fprintf(stderr, "pqmeta: out of memory\n");
		rc = -1;
		goto out;
	}
	n = o->jobs ? o->jobs : 8;
	if (n > j.nkeys)
		n = (unsigned)j.nkeys;
	for (k = 0; k < n && k < 64; k++)
		if (pthread_create(&th[k], NULL, prefix_worker, &j) == 0)
			started++;
	if (started == 0)
		prefix_worker(&j);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	for (i = 0; i < j.nkeys; i++) {
		/* results in listing order; errors to stderr */
		if (j.outs[i])
			fwrite(j.outs[i], 1, j.outlens[i], j.failed[i] ? stderr :
			    stdout);
		if (j.failed[i])
			rc = -1;
		else {
			t->files += j.tots[i].files;
			t->rows = add(t->rows, j.tots[i].rows);
			t->row_groups += j.tots[i].row_groups;
			t->compressed = add(t->compressed, j.tots[i].compressed);
			t->uncompressed = add(t->uncompressed,
			    j.tots[i].uncompressed);
		}
	}
out:
	for (i = 0; i < j.nkeys; i++) {
		free(j.keys[i]);
		if (j.outs)
			free(j.outs[i]);
	}
	free(j.keys);
	free(j.outs);
	free(j.outlens);
	free(j.failed);
	free(j.tots);
	pthread_mutex_destroy(&j.mu);
	return rc;
}

static int
s3_name(const char *name, struct opts *o, struct totals *t)
{
	struct url_s3 u;
	struct err e;
	size_t n;

	if (url_parse_s3(name, &u, &e) != 0 || u.bucket[0] == '\0') {
		fprintf(stderr, "pqmeta: %s: %s\n", name,
		    u.bucket[0] ? e.msg : "no bucket");
		return -1;
	}
	if (o->cl == NULL && (o->cl = s3_client_new(&o->s3, &e)) == NULL) {
		fprintf(stderr, "pqmeta: %s\n", e.msg);
		exit(err_exit_status(&e));
	}
	n = strlen(u.key);
	if (n == 0 || u.key[n - 1] == '/')
		return s3_prefix(&u, o, t);
	if (s3_object(u.bucket, u.key, o, t, stdout, &e) != 0) {
		fprintf(stderr, "pqmeta: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int
one_file(const char *name, struct opts *o, struct totals *t)
{
	if (strncmp(name, "s3://", 5) == 0)
		return s3_name(name, o, t);
	return local_file(name, o, t);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "schema", no_argument, NULL, 's' },
		{ "rows", no_argument, NULL, 'R' },
		{ "max-footer", required_argument, NULL, 'F' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		S3OPT_LONGOPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0 };
	struct totals t = { 0 };
	struct err e;
	uint64_t v;
	long long n;
	int c, i, r, failed = 0;

	s3_opts_init(&o.s3);
	while ((c = getopt_long(argc, argv, "jksvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 'k':
			o.kv_values = 1;
			break;
		case 's':
			o.details = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'R':
			o.rows = 1;
			break;
		case 'h':
			usage(0);
			break;
		case 'F':
			if (num_parse_size(optarg, 12, UINT32_MAX, &v,
			    &e) != 0) {
				fprintf(stderr, "pqmeta: --max-footer: %s\n",
				    e.msg);
				usage(2);
			}
			o.lim.max_footer = v;
			break;
		case 'J':
			if (num_parse(optarg, 1, 64, &n, &e) != 0) {
				fprintf(stderr, "pqmeta: --jobs: %s\n", e.msg);
				usage(2);
			}
			o.jobs = (unsigned)n;
			break;
		default:
			if ((r = s3opt_apply(&o.s3, c, optarg, &e)) < 0) {
				fprintf(stderr, "pqmeta: %s\n", e.msg);
				exit(2);
			}
			if (r == 0)
				usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || (o.rows && (o.json || o.details)))
		usage(2);
	for (i = 0; i < argc; i++)
		if (one_file(argv[i], &o, &t) != 0)
			failed = 1;
	if (o.rows)
		printf("%" PRId64 "  total\n", t.rows);
	else if (!o.json && argc > 1)
		printf("total: %u files, %" PRId64 " rows, %" PRId64
		    " row groups, %" PRId64 " bytes compressed, %" PRId64
		    " uncompressed\n", t.files, t.rows, t.row_groups,
		    t.compressed, t.uncompressed);
	s3_client_free(o.cl);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pqmeta: write error: %s\n", strerror(errno));
		return 1;
	}
	return failed;
}
