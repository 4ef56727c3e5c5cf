#!/bin/sh
# bench/mongoload.sh [DOCS]: mongoload against a bare libmongoc bulk
# insert loop (t/helper/bulkinsert.c) of the same BSON documents, on one
# CongoDB server in the same run. The server is the bottleneck, so the
# comparison is client CPU seconds per document (target: mongoload <=
# 1.3 x the bare loop); also docs/s, peak RSS, and the Arrow → BSON
# conversion alone (MB/s of BSON made, input in the page cache).
#
# Two shapes: DOCS small documents (4 fields) and DOCS/10 documents of
# ~1.7 KB from t/js/gen-docs.js (128-double arrays, nested documents),
# in Arrow record batches of 2000 rows.
set -eu
cd "$(dirname "$0")/.."
DOCS=${1:-200000}
BUILD=${BUILD:-build}
make -s tests >/dev/null
B=$BUILD/bin
H=$BUILD/t
NODE_PATH=$PWD/.test-tools/node_modules
export NODE_PATH
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-mongoload.XXXXXX")
trap 'sh t/servers/congodb.sh stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
sh t/servers/congodb.sh start "$dir" >/dev/null
. "$dir/congodb.env"

# cpu CMD...: run with stdin from $in; prints "user+sys wall maxrss_kb"
# (getrusage of the child: microsecond CPU times).
cpu() {
	/usr/bin/python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[2:], stdin=open(sys.argv[1], "rb"),
    stdout=subprocess.DEVNULL, check=True)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f %.3f %d" % (r.ru_utime + r.ru_stime, w, r.ru_maxrss))
' "$in" "$@"
}

run() {
	name=$1 n=$2 jsonl=$3
	in=$dir/$name.arrows
	$H/json2arrow -r 2000 <"$jsonl" >"$in"
	$H/arrow2json -b <"$in" >"$dir/$name.bson" 2>/dev/null
	conv=$($H/arrow2json -t <"$in" 2>&1 >/dev/null)
	set -- $(cpu $B/mongoload -d bench -c "ml_$name" -q)
	ml_cpu=$1 ml_wall=$2 ml_rss=$3
	in=$dir/$name.bson
	set -- $(cpu $H/bulkinsert "$MONGODB_URI" bench "bare_$name")
	bl_cpu=$1 bl_wall=$2 bl_rss=$3
	in=$dir/$name.arrows
	set -- $(cpu $B/mongoload -d bench -c "ml4_$name" -q -j 4)
	m4_cpu=$1 m4_wall=$2 m4_rss=$3
	# RSS flat: the same load with a quarter of the documents.
	head -n $((n / 4)) "$jsonl" | $H/json2arrow -r 2000 >"$dir/q.arrows"
	in=$dir/q.arrows
	set -- $(cpu $B/mongoload -d bench -c "mlq_$name" -q)
	q_rss=$3
	awk -v n="$n" -v name="$name" -v conv="$conv" \
	    -v mc="$ml_cpu" -v mw="$ml_wall" -v mr="$ml_rss" \
	    -v bc="$bl_cpu" -v bw="$bl_wall" -v br="$bl_rss" \
	    -v qc="$m4_cpu" -v qw="$m4_wall" -v qr="$m4_rss" \
	    -v q4="$q_rss" 'BEGIN {
		split(conv, c, " ")
		printf "%s: %d docs, Arrow -> BSON alone %.1f MB/s (%.0f docs/s)\n",
		    name, n, c[4], c[1] / c[3]
		printf "  %-18s %9s %9s %12s %9s\n", "client", "cpu s",
		    "wall s", "cpu us/doc", "docs/s"
		printf "  %-18s %9.3f %9.3f %12.2f %9.0f  rss %d KB\n",
		    "bulkinsert (bare)", bc, bw, bc * 1e6 / n, n / bw, br
		printf "  %-18s %9.3f %9.3f %12.2f %9.0f  rss %d KB\n",
		    "mongoload -j 1", mc, mw, mc * 1e6 / n, n / mw, mr
		printf "  %-18s %9.3f %9.3f %12.2f %9.0f  rss %d KB\n",
		    "mongoload -j 4", qc, qw, qc * 1e6 / n, n / qw, qr
		printf "  cpu ratio mongoload/bare: %.2f (target <= 1.30)\n",
		    (bc > 0 ? mc / bc : 0)
		printf "  mongoload -j 1 rss: %d KB for %d docs, %d KB for %d\n",
		    q4, n / 4, mr, n
	}'
}

node -e 'const n = Number(process.argv[1]);
for (let i = 0; i < n; i++) console.log(JSON.stringify({
    _id: { $oid: (0x6700000000 + i).toString(16).padStart(24, "0") },
    i: { $numberInt: String(i) }, s: "name " + i,
    d: { $numberDouble: String(i / 7) } }))' "$DOCS" >"$dir/small.jsonl"
run small "$DOCS" "$dir/small.jsonl"
big=$((DOCS / 10))
node t/js/gen-docs.js "$big" >"$dir/big.jsonl"
run big "$big" "$dir/big.jsonl"
