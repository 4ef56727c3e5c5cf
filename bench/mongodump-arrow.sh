#!/bin/bash
# bench/mongodump-arrow.sh [SIZES...]: mongodump-arrow against a bare
# libmongoc cursor loop (t/helper/mongoutil scan: iterate, nothing else),
# same CongoDB server, same run, same find (sort by _id, batchSize 1000).
# The server is the bottleneck, so the figure of merit is client CPU
# seconds (user+sys, ms resolution) per document; target <= 1.5 x the
# bare loop with --compress none. Also: docs/s, MB/s of BSON, peak RSS
# per size (should stay flat), and the BSON->Arrow conversion alone on
# in-memory documents (t/helper/json2arrow -t).
#
# The stream goes to a pipe (the primary figure: what delivering it to
# any consumer costs the writer), to /dev/null (conversion and encoding
# only) and to a file (plus the file system's page-cache work, about as
# much CPU as the whole bare loop for 230 MB).
#
# Each figure is the median of RUNS runs (default 3; other work on the
# machine makes single runs noisy). Two peers: the loop as it is, and
# the loop with the malloc thresholds mongodump-arrow sets for itself
# (GLIBC_TUNABLES, the same values): glibc's default sliding thresholds
# make every cursor reply fault its pages in afresh, which is most of the
# plain loop's CPU; the tuned loop shows the conversion's own cost.
#
# Documents: t/js/gen-docs.js (1.8 KB: every type, 128 doubles). CongoDB
# rewrites numeric types (SERVERS-MONGO.md), so the export runs with
# --on-mismatch null. CongoDB does not cap batches at 16 MiB. Default
# sizes 20000 100000 200000 (CongoDB then needs about 1.5 GB); needs
# make tests.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/bin
HELPER=$ROOT/$BUILD/t
RUNS=${RUNS:-3}
export NODE_PATH=$ROOT/.test-tools/node_modules
SIZES=${*:-20000 100000 200000}
OUT=file
TUNED=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864
W=$(mktemp -d "${TMPDIR:-/tmp}/s3pipe-bench.XXXXXX")
trap 'sh "$ROOT/t/servers/congodb.sh" stop "$W" >/dev/null 2>&1; rm -rf "$W"' EXIT
sh "$ROOT/t/servers/congodb.sh" start "$W"
. "$W/congodb.env"

# once CMD...: run, print "user+sys maxrss_kb wall" of CMD alone, its
# stdout to $OUT: file ($W/out), pipe (cat >/dev/null, whose CPU is not
# counted) or null (/dev/null).
once() {
	local TIMEFORMAT='%3U %3S %3R'
	case $OUT in
	file) { time /usr/bin/time -f %M -o "$W/rss" "$@" >"$W/out" \
	    2>"$W/err"; } 2>"$W/time" ;;
	null) { time /usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null \
	    2>"$W/err"; } 2>"$W/time" ;;
	pipe) { { time /usr/bin/time -f %M -o "$W/rss" "$@" \
	    2>"$W/err"; } 2>"$W/time" | cat >/dev/null; } ;;
	esac
	awk -v rss="$(cat "$W/rss")" \
	    '{ printf "%.3f %d %.3f\n", $1 + $2, rss, $3 }' "$W/time"
}

# cpu CMD...: the median run of RUNS by CPU seconds.
cpu() {
	local i
	for i in $(seq "$RUNS"); do
		once "$@"
	done | sort -n | awk '{ r[NR] = $0 } END { print r[int((NR + 1) / 2)] }'
}

printf '%-7s %-36s %7s %7s %6s %6s %7s %6s %6s\n' docs client cpu_s \
    us/doc ratio ratio_t docs/s MB/s rss_MB
for n in $SIZES; do
	coll=b$n
	# Through a file: node buffers a pipe's writes without bound.
	node "$ROOT/t/js/gen-docs.js" "$n" 7 >"$W/docs.jsonl"
	got=$("$HELPER/mongoutil" insert "$MONGODB_URI" bench "$coll" \
	    <"$W/docs.jsonl")
	[ "$got" = "$n" ] || { echo "inserted $got of $n"; exit 1; }
	"$BIN/mongodump-arrow" -d bench -c "$coll" --on-mismatch null \
	    --compress none --batch-size 1000 --stats "$W/st.json" >/dev/null
	bson=$(sed 's/.*"bson_bytes":\([0-9]*\).*/\1/' "$W/st.json")
	scan=("$HELPER/mongoutil" scan "$MONGODB_URI" bench "$coll" 1000 sort)
	set -- $(cpu "${scan[@]}")
	got=$(cat "$W/out")
	[ "$got" = "$n" ] || { echo "scan read $got of $n: $(cat "$W/err")"; exit 1; }
	bare="$*"
	base=$1
	set -- $(cpu env GLIBC_TUNABLES=$TUNED "${scan[@]}")
	tuned="$*"
	tbase=$1
	dump=("$BIN/mongodump-arrow" -d bench -c "$coll" --on-mismatch null
	    --batch-size 1000)
	for mode in bare tuned "none | cat" "none > /dev/null" \
	    "none > file" "zstd | cat" "zstd > file" "none,8192rows | cat"; do
		case $mode in
		bare) r=$bare ;;
		tuned) r=$tuned ;;
		"none | cat") r=$(OUT=pipe cpu "${dump[@]}" --compress none) ;;
		"none > /dev/null")
			r=$(OUT=null cpu "${dump[@]}" --compress none) ;;
		"none > file") r=$(OUT=file cpu "${dump[@]}" --compress none) ;;
		"zstd | cat") r=$(OUT=pipe cpu "${dump[@]}") ;;
		"zstd > file") r=$(OUT=file cpu "${dump[@]}") ;;
		"none,8192rows | cat") r=$(OUT=pipe cpu "${dump[@]}" \
		    --compress none --rows-per-batch 8192) ;;
		esac
		echo "$r" | awk -v n="$n" -v m="$mode" -v b="$base" \
		    -v t="$tbase" -v bs="$bson" '{
		    if (m == "bare") name = "libmongoc loop"
		    else if (m == "tuned") name = "libmongoc loop, same mallopt"
		    else name = "mongodump-arrow " m
		    printf "%-7d %-36s %7.3f %7.2f %6.2f %6.2f %7.0f %6.1f %6.1f\n",
		    n, name, $1, $1 / n * 1e6, (b > 0 ? $1 / b : 0),
		    (t > 0 ? $1 / t : 0), n / $3, bs / 1e6 / $3, $2 / 1024 }'
	done
done
echo "(ratio: to the loop as it is; ratio_t: to the loop with the same"
echo " malloc thresholds; each row the median of $RUNS runs by CPU. The"
echo " stream goes to a pipe (| cat: the consumer's CPU not counted), to"
echo " /dev/null, or to a file in \$TMPDIR (page cache and file system work"
echo " counted as the writer's system time).)"
echo
echo "BSON->Arrow conversion alone (in memory, no server, no output;"
echo "median of $RUNS):"
n=${SIZES%% *}
node "$ROOT/t/js/gen-docs.js" "$n" 7 >"$W/docs.jsonl"
for z in "" -z; do
	for i in $(seq "$RUNS"); do
		"$HELPER/json2arrow" -t $z -m null <"$W/docs.jsonl" 2>&1 \
		    >/dev/null
	done | sort -k3 -n | awk -v z="${z:-none}" '{ r[NR] = $0 } END {
	    split(r[int((NR + 1) / 2)], f, " ")
	    printf "  %d docs, %.1f MB BSON, %.3f s: %.1f MB/s (compress %s)\n",
	    f[1], f[2] / 1e6, f[3], f[4], (z == "-z" ? "zstd" : "none") }'
done
