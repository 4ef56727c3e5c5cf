#!/bin/bash
# bench/pqmeta.sh [DIR]: total row count of 200 generated Parquet files
# (~1-5 MB each): pqmeta --rows, vs DuckDB
#   SELECT sum(num_rows) FROM parquet_file_metadata('DIR/*.parquet')
# (node client, @duckdb/node-api from .test-tools), vs reading every
# file whole (cat > /dev/null). Prints times, ratios, and the bytes
# pqmeta reads per file (target: <= footer + 8 + one 64 KiB read).
# Files are generated once into DIR (default /tmp/s3pipe-bench-pqmeta)
# and kept for reruns. Times are best of RUNS (default 5), warm cache.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-${TMPDIR:-/tmp}/s3pipe-bench-pqmeta}
RUNS=${RUNS:-5}
NFILES=200
PQMETA=$ROOT/${BUILD:-build}/bin/pqmeta
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH

[ -x "$PQMETA" ] || { echo "build first: make" >&2; exit 1; }
[ -d "$NODE_PATH/@duckdb/node-api" ] ||
    { echo "needs @duckdb/node-api: make deps" >&2; exit 1; }

mkdir -p "$DIR"
if [ "$(ls "$DIR"/*.parquet 2>/dev/null | wc -l)" -ne $NFILES ]; then
	echo "generating $NFILES files in $DIR ..." >&2
	rm -f "$DIR"/*.parquet
	node - "$DIR" $NFILES <<'EOF'
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
	const [dir, n] = process.argv.slice(2);
	const con = await (await DuckDBInstance.create(':memory:')).connect();
	for (let k = 0; k < Number(n); k++) {
		// 20k..90k rows of poorly compressible data: ~1-5 MB.
		const rows = 20000 + (k * 7919) % 70000;
		await con.run(`COPY (SELECT i AS id, random() AS r,
		    md5((i * ${k + 1})::VARCHAR) AS h,
		    (random() * 1e9)::BIGINT AS v,
		    TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts
		    FROM range(${rows}) t(i)) TO '${dir}/part-${String(k)
		    .padStart(4, '0')}.parquet' (FORMAT parquet,
		    ROW_GROUP_SIZE 30000)`);
	}
})().catch(e => { console.error(e); process.exit(1); });
EOF
fi

# best_of CMD...: least wall-clock seconds of RUNS runs.
best_of() {
	best=
	for _ in $(seq "$RUNS"); do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f", e - s }')
		best=$(awk -v t="$t" -v b="${best:-1e9}" \
		    'BEGIN { print (t < b) ? t : b }')
	done
	echo "$best"
}

duck_sum() {
	node - "$DIR" <<'EOF'
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
	const con = await (await DuckDBInstance.create(':memory:')).connect();
	const t0 = process.hrtime.bigint();
	const r = await con.runAndReadAll(`SELECT sum(num_rows)::BIGINT AS n
	    FROM parquet_file_metadata('${process.argv[2]}/*.parquet')`);
	const t1 = process.hrtime.bigint();
	console.log(r.getRowObjectsJson()[0].n, Number(t1 - t0) / 1e9);
})().catch(e => { console.error(e); process.exit(1); });
EOF
}

cat_all() {
	cat "$DIR"/*.parquet
}

files=("$DIR"/*.parquet)
bytes=$(cat "${files[@]}" | wc -c)
ours=$("$PQMETA" --rows "${files[@]}" | tail -n 1 | cut -d' ' -f1)
set -- $(duck_sum)
theirs=$1
[ "$ours" = "$theirs" ] ||
    { echo "row counts differ: pqmeta $ours, duckdb $theirs" >&2; exit 1; }

t_pq=$(best_of "$PQMETA" --rows "${files[@]}")
t_duck=$(best_of duck_sum)
duck_query=
for _ in $(seq "$RUNS"); do
	set -- $(duck_sum)
	duck_query=$(awk -v t="$2" -v b="${duck_query:-1e9}" \
	    'BEGIN { print (t < b) ? t : b }')
done
t_cat=$(best_of cat_all)

# Bytes read per file, from pqmeta -v, against footer + 8 + 64 KiB.
"$PQMETA" -v -j "${files[@]}" 2>reads.$$ >meta.$$
read_total=$(sed -n 's/.*read \([0-9]*\) bytes.*/\1/p' reads.$$ |
    awk '{ s += $1 } END { print s }')
max_over=$(paste <(sed -n 's/.*read \([0-9]*\) bytes in \([0-9]*\).*/\1 \2/p' \
    reads.$$) <(sed 's/.*"footer_length":\([0-9]*\).*/\1/' meta.$$) |
    awk '{ lim = $3 + 8 > 65536 ? $3 + 8 : 65536; if ($1 > lim) bad++;
	if ($2 > n) n = $2 } END { printf "%d %d", bad + 0, n }')
footer_avg=$(sed 's/.*"footer_length":\([0-9]*\).*/\1/' meta.$$ |
    awk '{ s += $1 } END { printf "%.0f", s / NR }')
rm -f reads.$$ meta.$$
set -- $max_over

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
printf "files: %d, %d MB in total, %s rows (pqmeta = DuckDB)\n" \
    $NFILES $((bytes / 1048576)) "$ours"
printf "%-44s %8.3f s\n" "pqmeta --rows" "$t_pq"
printf "%-44s %8.3f s  (%sx pqmeta)\n" "DuckDB parquet_file_metadata, node process" \
    "$t_duck" "$(ratio "$t_duck" "$t_pq")"
printf "%-44s %8.3f s  (%sx pqmeta)\n" "DuckDB parquet_file_metadata, query only" \
    "$duck_query" "$(ratio "$duck_query" "$t_pq")"
printf "%-44s %8.3f s  (%sx pqmeta)\n" "cat > /dev/null (warm cache)" \
    "$t_cat" "$(ratio "$t_cat" "$t_pq")"
printf "pqmeta bytes read per file: %d on average (footer %d bytes on average);\n" \
    $((read_total / NFILES)) "$footer_avg"
printf "  files over footer + 8 + 64 KiB: %d; most reads for one file: %d\n" \
    "$1" "$2"
