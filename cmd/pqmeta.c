/*
 * pqmeta: print Parquet footer metadata (rows, schema, row groups,
 * statistics) reading only the end of each file. See pqmeta(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "num.h"
#include "parquet.h"
#include "pqfile.h"
#include "pqfmt.h"
#include "pqout.h"

struct opts {
	int		 json;
	int		 details;	/* -s */
	int		 kv_values;	/* -k */
	int		 rows;		/* --rows */
	int		 verbose;	/* -v */
	struct pq_limits lim;
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
	    "[--max-footer size] file ...\n");
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

static int
one_file(const char *name, const struct opts *o, struct totals *t)
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
	t->files++;
	t->rows = add(t->rows, m->num_rows);
	t->row_groups += m->n_row_groups;
	t->compressed = add(t->compressed, pq_meta_total_compressed(m));
	t->uncompressed = add(t->uncompressed, pq_meta_total_uncompressed(m));
	if (o->rows)
		printf("%" PRId64 "  %s\n", m->num_rows, name);
	else if (o->json)
		pq_out_json(stdout, name, st.file_size, m, o->details);
	else {
		text_summary(stdout, name, m);
		if (o->details)
			text_details(stdout, m, o->kv_values);
	}
	pq_meta_free(m);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "schema", no_argument, NULL, 's' },
		{ "rows", no_argument, NULL, 'R' },
		{ "max-footer", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0 };
	struct totals t = { 0 };
	struct err e;
	uint64_t v;
	int c, i, failed = 0;

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
		default:
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
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pqmeta: write error: %s\n", strerror(errno));
		return 1;
	}
	return failed;
}
