#!/bin/bash
# examples/demo.sh: what `make demo` runs. Starts local servers (Swift
# s3api for S3, jongodb as the MongoDB source, CongoDB as the target),
# makes a little realistic data, runs the three seed jobs of
# examples/Makefile end to end, prints the manifests and a summary, and
# stops everything it started. Packages are installed by `make deps`
# first (not timed here).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/build/bin}
HELPER=${HELPER:-$ROOT/build/t}
STATE=$(mktemp -d "${TMPDIR:-/tmp}/s3pipe-demo.XXXXXX")
WORK=$STATE/work
export NODE_PATH=$ROOT/.test-tools/node_modules
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null

stop() {
	for s in swift jongodb congodb; do
		[ -f "$STATE/$s.env" ] &&
		    sh "$ROOT/t/servers/$s.sh" stop "$STATE" >/dev/null 2>&1
	done
	rm -rf "$STATE"
}
trap stop EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }
t0=$(date +%s.%N)

say "starting local servers (Swift s3api, jongodb, CongoDB)"
sh "$ROOT/t/servers/swift.sh" start "$STATE" >/dev/null 2>&1 &
swift_pid=$!
sh "$ROOT/t/servers/jongodb.sh" start "$STATE" >/dev/null
SRC_URI=$(. "$STATE/jongodb.env"; echo "$MONGODB_URI")
sh "$ROOT/t/servers/congodb.sh" start "$STATE" >/dev/null
DST_URI=$(. "$STATE/congodb.env"; echo "$MONGODB_URI")

say "generating data: 4 Parquet files (DuckDB), 3 MongoDB splits"
mkdir -p "$WORK/parquet"
node "$ROOT/examples/gen/parquet.cjs" "$WORK/parquet" 4 60000
for i in 1 2 3; do
	node "$ROOT/examples/gen/splits.cjs" 3000 $i |
	    "$HELPER/mongoutil" insert "$SRC_URI" prod split_000$i \
	    >/dev/null 2>&1
done
ls -l "$WORK/parquet" | tail -n +2

wait $swift_pid || { echo "demo: Swift did not start" >&2; exit 1; }
. "$STATE/swift.env"
export AWS_ENDPOINT_URL=$S3_ENDPOINT
/usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3api create-bucket \
    --bucket lake >/dev/null

job() {
	make -s --no-print-directory -f "$ROOT/examples/Makefile" \
	    BIN="$BIN/" BUCKET=lake SRC="$WORK/parquet" OUT="$WORK/out" \
	    DB=prod SPLITS="split_0001 split_0002 split_0003" \
	    SOURCE_URI="$SRC_URI" TARGET_URI="$DST_URI" TARGET_DB=prod_copy \
	    PART_SIZE=5M JOBS=4 "$@" 2>&1 | grep -v endSessions
}
declare -A secs
for w in w1 w2 w3; do
	say "$w: make -f examples/Makefile -k -j4 $w"
	s=$(date +%s.%N)
	job -k -j4 $w
	secs[$w]=$(echo "$s $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
done

say "W1 manifest (s3://lake/lob/manifest.jsonl)"
jq -c 'del(.seconds)' "$WORK/out/w1/manifest.jsonl"
say "W2 manifest (s3://lake/splits/manifest.jsonl), statistics abridged"
jq -c '{split, count, size, md5, etag, roles: .stats.group_by.values}' \
    "$WORK/out/w2/manifest.jsonl"
say "W3: collections in prod_copy"
jq -c '{split, count, inserted: .load.inserted}' "$WORK"/out/w3/*.loaded

say "W1 again: nothing to upload"
job -j4 w1

retries=$(jq -s '[.[] | .attempts - 1] | add // 0' "$WORK/out/metrics.jsonl")
say "summary"
printf '%-4s %6s %10s %12s %8s %8s\n' job items rows/docs bytes seconds MB/s
row() {	# job items rows bytes
	awk -v j=$1 -v n=$2 -v r=$3 -v b=$4 -v s=${secs[$1]} 'BEGIN {
	    printf "%-4s %6d %10d %12d %8.2f %8.1f\n", j, n, r, b, s,
	    (s > 0 ? b / s / 1e6 : 0) }'
}
row w1 "$(wc -l <"$WORK/out/w1/manifest.jsonl")" \
    "$(jq -s 'map(.rows) | add' "$WORK/out/w1/manifest.jsonl")" \
    "$(jq -s 'map(.size) | add' "$WORK/out/w1/manifest.jsonl")"
row w2 "$(wc -l <"$WORK/out/w2/manifest.jsonl")" \
    "$(jq -s 'map(.count) | add' "$WORK/out/w2/manifest.jsonl")" \
    "$(jq -s 'map(.size) | add' "$WORK/out/w2/manifest.jsonl")"
row w3 "$(ls "$WORK"/out/w3/*.loaded | wc -l)" \
    "$(cat "$WORK"/out/w3/*.loaded | jq -s 'map(.count) | add')" \
    "$(jq -s 'map(.size) | add' "$WORK/out/w2/manifest.jsonl")"
echo "S3 requests retried: $retries"
echo "demo took $(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.0f", $2 - $1 }') s; stopping the servers"
