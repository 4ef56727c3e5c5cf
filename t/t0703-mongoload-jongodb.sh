#!/bin/bash
# mongoload against jongodb (a fresh server for this file): dump → load
# round trip, streams from other writers, batch sizes and workers, write
# concerns, count checks, truncated input. jongodb has no drop/rename, so
# every case writes a new collection; --replace is tested on CongoDB
# (t0704) and faults on mockupdb (t0705).
. "$(dirname "$0")/lib.sh"

NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
sh "$ROOT/t/servers/jongodb.sh" start "$TMP/srv" >/dev/null 2>&1 ||
    skip_all "jongodb did not start"
cleanup_add "sh '$ROOT/t/servers/jongodb.sh' stop '$TMP/srv'"
. "$TMP/srv/jongodb.env"
# jongodb lacks endSessions; libmongoc warns about it on every exit.
quiet() { grep -v "endSessions" || true; }
dump() { mongoutil dump "$MONGODB_URI" "$1" "$2" 2> >(quiet >&2); }
N=$(scaled 5000)

test_expect_success 'usage prints the man page SYNOPSIS' '
	assert_exit 2 mongoload 2>usage
	sed "s/^usage://" usage | tr -s " \t\n" "   " | sed "s/^ //; s/ $//" >u
	MANWIDTH=200 mandoc -Tascii "$ROOT/man/mongoload.1" | col -b |
	    sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
	    tr -s " \t\n" "   " | sed "s/^ //; s/ $//" >m
	assert_files_eq m u
'

test_expect_success "round trip: $N mixed documents, dump | load -j 4" '
	node "$ROOT/t/js/gen-docs.js" '$N' >docs.jsonl
	mongoutil insert "$MONGODB_URI" rt src <docs.jsonl 2>/dev/null
	mongodump-arrow -d rt -c src 2>/dev/null |
	    mongoload -d rt -c dst -j 4 >sum 2>err || { cat err; exit 1; }
	read rows ins errs secs <sum
	assert_eq "'$N' '$N' 0" "$rows $ins $errs"
	dump rt src >a.jsonl
	dump rt dst >b.jsonl
	test $(wc -l <b.jsonl) -eq '$N'
	# missing == null, field order from the schema: compare with null
	# fields dropped on both sides and keys sorted.
	node "$ROOT/t/js/jsonl-same.js" b.jsonl a.jsonl --drop-nulls \
	    --any-order
	! node "$ROOT/t/js/jsonl-same.js" b.jsonl a.jsonl --drop-nulls
	! cmp -s a.jsonl b.jsonl
'

test_expect_success 'round trip with --keep-nulls keeps the null fields' '
	mongodump-arrow -d rt -c src 2>/dev/null |
	    mongoload -d rt -c dst_kn --keep-nulls >/dev/null 2>&1
	dump rt dst_kn >c.jsonl
	grep -q "\"nothing\" : null" c.jsonl
	node "$ROOT/t/js/jsonl-same.js" c.jsonl a.jsonl --drop-nulls \
	    --any-order
'

test_expect_success 'uniform collection: BSON byte-identical after the round trip' '
	node -e "
	for (let i = 0; i < 1000; i++)
		console.log(JSON.stringify({ _id: { \$oid: (0x6600000000 + i)
		    .toString(16).padStart(24, \"0\") },
		    n: { \$numberInt: String(i * 7 - 300) },
		    l: { \$numberLong: String(i * 1e12) },
		    d: { \$numberDouble: String(i / 3) }, s: \"s\" + i,
		    t: { \$date: { \$numberLong: String(1.6e12 + i) } },
		    p: { \$numberDecimal: i + \".25\" },
		    sub: { x: { \$numberInt: String(i) }, y: \"y\" },
		    a: [{ \$numberInt: \"1\" }, { \$numberInt: String(i) }] }));
	" >u.jsonl
	mongoutil insert "$MONGODB_URI" rt usrc <u.jsonl 2>/dev/null
	mongodump-arrow -d rt -c usrc 2>/dev/null |
	    mongoload -d rt -c udst >/dev/null 2>&1
	dump rt usrc >a.jsonl
	dump rt udst >b.jsonl
	test $(wc -l <b.jsonl) -eq 1000
	cmp a.jsonl b.jsonl
'

test_expect_success 'batch sizes 1 / 1000 / 100000 and -j 1 / -j 4 agree' '
	mongodump-arrow -d rt -c src --limit 300 2>/dev/null >s.arrows
	for bs in 1 1000 100000; do
		for j in 1 4; do
			mongoload -d rt -c bs_${bs}_$j --batch-size $bs -j $j \
			    <s.arrows >sum 2>/dev/null
			read rows ins errs secs <sum
			assert_eq "300 300 0" "$rows $ins $errs"
			dump rt bs_${bs}_$j >$bs.$j.jsonl
		done
	done
	for f in 1.1 1.4 1000.1 1000.4 100000.4; do
		cmp 100000.1.jsonl $f.jsonl
	done
'

test_expect_success 'write concerns majority, 1, --journal; w:0 refused with --replace' '
	mongodump-arrow -d rt -c src --limit 100 2>/dev/null >s.arrows
	mongoload -d rt -c wc_m --write-concern majority <s.arrows 2>/dev/null
	mongoload -d rt -c wc_1 --write-concern 1 --journal <s.arrows \
	    2>/dev/null
	assert_eq 100 $(dump rt wc_m | wc -l)
	assert_eq 100 $(dump rt wc_1 | wc -l)
	assert_exit 2 mongoload -d rt -c wc_0 --write-concern 0 --replace \
	    <s.arrows 2>err
	grep -q "cannot be used with --replace" err
	assert_exit 2 mongoload -d rt -c wc_0 --write-concern nope <s.arrows \
	    2>/dev/null
'

test_expect_success '--expect-count, --json and --verify estimated' '
	mongodump-arrow -d rt -c src --limit 100 2>/dev/null >s.arrows
	assert_exit 1 mongoload -d rt -c ec_1 --expect-count 99 <s.arrows \
	    >/dev/null 2>err
	grep -q "count mismatch: expected 99 rows, read 100" err
	mongoload -d rt -c ec_2 --expect-count 100 --json \
	    --verify estimated <s.arrows >out 2>/dev/null
	node -e "const o = JSON.parse(require(\"fs\").readFileSync(\"out\"));
	    if (o.rows !== 100 || o.inserted !== 100 || o.errors !== 0 ||
	        !o.verified || !o.complete) process.exit(1);"
'

test_expect_success 'truncated stream: exit 1, reported, summary printed' '
	mongodump-arrow -d rt -c src --limit 200 2>/dev/null >s.arrows
	head -c $(($(wc -c <s.arrows) - 8)) s.arrows >cut.arrows
	assert_exit 1 mongoload -d rt -c trunc <cut.arrows >sum 2>err
	grep -q "truncated Arrow stream (no end-of-stream marker)" err
	test -s sum
'

test_expect_success 'duplicates: jongodb rejects the batch, rows counted as errors' '
	mongodump-arrow -d rt -c src --limit 50 2>/dev/null >s.arrows
	mongoload -d rt -c dup <s.arrows >/dev/null 2>&1
	assert_exit 1 mongoload -d rt -c dup <s.arrows >sum 2>err
	read rows ins errs secs <sum
	assert_eq "50 0 50" "$rows $ins $errs"
	grep -q "row 0 { \"_id\" : { \"\$oid\" : \"[0-9a-f]*\" } }: .*11000" err
'

test_expect_success 'polars ZSTD stream loads; documents equal the written values' '
	node "$ROOT/t/js/writers.js" "$TMP"
	mongoload -d rt -c polars -j 2 --batch-size 700 \
	    <"$TMP/polars-zstd.arrows" >sum 2>/dev/null
	read rows ins errs secs <sum
	assert_eq "3000 3000 0" "$rows $ins $errs"
	dump rt polars >p.jsonl
	node "$ROOT/t/js/jsonl-same.js" p.jsonl "$TMP/polars.expect.jsonl" \
	    --strip-id
'

test_expect_success 'a bad stream fails before any write' '
	assert_exit 1 mongoload -d rt -c never \
	    <"$DATA/ipc-read/2.0.0-compression/generated_lz4.stream" 2>err
	grep -q LZ4 err
	test $(dump rt never | wc -l) -eq 0
'

test_done
