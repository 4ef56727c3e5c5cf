#!/bin/bash
# bench/mongodump-arrow.sh [SIZES...]: mongodump-arrow against a bare
# libmongoc cursor loop (t/helper/mongoutil scan: iterate, nothing else),
# same CongoDB server, same run. The server is the bottleneck, so the
# figure of merit is client CPU seconds (user+sys) per document; target
# <= 1.5 x the bare loop with --compress none. Also: docs/s, MB/s of
# BSON, peak RSS per size (should stay flat), and the BSON->Arrow
# conversion alone on in-memory documents (t/helper/json2arrow -t).
#
# Documents: t/js/gen-docs.js (1.8 KB: every type, 128 doubles). CongoDB
# rewrites numeric types (SERVERS-MONGO.md), so the export runs with
# --on-mismatch null. Both clients use batchSize 1000 (CongoDB does not
# cap batches at 16 MiB). Default sizes 20000 100000 (200000 works but
# CongoDB then needs about 1.5 GB); needs make tests.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/bin
HELPER=$ROOT/$BUILD/t
export NODE_PATH=$ROOT/.test-tools/node_modules
SIZES=${*:-20000 100000}
W=$(mktemp -d "${TMPDIR:-/tmp}/s3pipe-bench.XXXXXX")
trap 'sh "$ROOT/t/servers/congodb.sh" stop "$W" >/dev/null 2>&1; rm -rf "$W"' EXIT
sh "$ROOT/t/servers/congodb.sh" start "$W"
. "$W/congodb.env"

# cpu CMD...: run, print "user+sys maxrss_kb wall" of CMD.
cpu() {
	_s=$(date +%s.%N)
	/usr/bin/time -f '%U %S %M' -o "$W/time" "$@" >"$W/out" 2>"$W/err"
	_e=$(date +%s.%N)
	awk -v s="$_s" -v e="$_e" '{ printf "%.3f %d %.3f\n", $1 + $2, $3, e - s }' "$W/time"
}

printf '%-8s %-22s %9s %9s %9s %9s %9s %8s\n' docs client cpu_s us/doc ratio \
    docs/s MB/s rss_MB
for n in $SIZES; do
	coll=b$n
	node "$ROOT/t/js/gen-docs.js" "$n" 7 |
	    "$HELPER/mongoutil" insert "$MONGODB_URI" bench "$coll" >/dev/null
	"$BIN/mongodump-arrow" -d bench -c "$coll" --on-mismatch null \
	    --compress none --batch-size 1000 --stats "$W/st.json" >/dev/null
	bson=$(sed 's/.*"bson_bytes":\([0-9]*\).*/\1/' "$W/st.json")
	set -- $(cpu "$HELPER/mongoutil" scan "$MONGODB_URI" bench "$coll" 1000)
	base=$1
	got=$(cat "$W/out")
	[ "$got" = "$n" ] || { echo "scan read $got of $n: $(cat "$W/err")"; exit 1; }
	for mode in bare none zstd none,8192rows; do
		case $mode in
		bare) r="$base $2 $3" ;;
		none) r=$(cpu "$BIN/mongodump-arrow" -d bench -c "$coll" \
		    --on-mismatch null --compress none --batch-size 1000) ;;
		zstd) r=$(cpu "$BIN/mongodump-arrow" -d bench -c "$coll" \
		    --on-mismatch null --batch-size 1000) ;;
		none,8192rows) r=$(cpu "$BIN/mongodump-arrow" -d bench \
		    -c "$coll" --on-mismatch null --compress none \
		    --batch-size 1000 --rows-per-batch 8192) ;;
		esac
		echo "$r" | awk -v n="$n" -v m="$mode" -v b="$base" -v bs="$bson" '{
		    printf "%-8d %-22s %9.3f %9.1f %9.2f %9.0f %9.1f %8.1f\n",
		    n, (m == "bare" ? "libmongoc loop" : "mongodump-arrow " m),
		    $1, $1 / n * 1e6, (b > 0 ? $1 / b : 0), n / $3, bs / 1e6 / $3,
		    $2 / 1024 }'
	done
done
echo
echo "BSON->Arrow conversion alone (in memory, no server, no output):"
n=${SIZES%% *}
node "$ROOT/t/js/gen-docs.js" "$n" 7 >"$W/docs.jsonl"
for z in "" -z; do
	"$HELPER/json2arrow" -t $z <"$W/docs.jsonl" 2>&1 >/dev/null |
	    awk -v z="${z:-none}" '{ printf "  %d docs, %.1f MB BSON, %.3f s: %.1f MB/s (compress %s)\n",
	    $1, $2 / 1e6, $3, $4, (z == "-z" ? "zstd" : "none") }'
done
