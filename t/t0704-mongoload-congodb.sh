#!/bin/bash
# mongoload --replace and --cleanup-stale on CongoDB (it has create,
# listIndexes, renameCollection with dropTarget and drop). CongoDB
# rewrites number types, so documents are compared by value.
. "$(dirname "$0")/lib.sh"

NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
server_up congodb
G=$DATA/ipc-read
db=t0704_$$
ddl() { mongoddl "$1" "$MONGODB_URI" "$db" "${@:2}"; }
dump() { mongoutil dump "$MONGODB_URI" "$db" "$1"; }

test_expect_success 'setup: a target with documents and indexes' '
	node "$ROOT/t/js/writers.js" "$TMP"
	node -e "for (let i = 0; i < 5; i++) console.log(JSON.stringify(
	    { old: i, name: \"o\" + i }))" >old.jsonl
	mongoutil insert "$MONGODB_URI" "$db" tgt <old.jsonl
	ddl index tgt by_s "{\"s\": 1}"
	ddl index tgt by_w_b "{\"w\": -1, \"b\": 1}" "{\"unique\": false}"
	ddl index tgt uniq_name "{\"name\": 1}" "{\"unique\": true, \"sparse\": true}"
	ddl indexes tgt >"$TMP/idx.before"
	test $(wc -l <"$TMP/idx.before") -eq 4
	dump tgt >"$TMP/tgt.before"
	test $(wc -l <"$TMP/tgt.before") -eq 5
'

test_expect_success 'truncated input with --replace: target untouched, no temp left' '
	f="$TMP/polars-zstd.arrows"
	head -c $(($(wc -c <"$f") - 1000)) "$f" >cut.arrows
	assert_exit 1 mongoload -d "$db" -c tgt --replace <cut.arrows \
	    >/dev/null 2>err
	grep -q truncated err
	dump tgt >now
	cmp "$TMP/tgt.before" now
	ddl indexes tgt | cmp "$TMP/idx.before" -
	assert_eq "tgt" "$(ddl collections | tr "\n" " " | sed "s/ $//")"
'

test_expect_success 'bad files with --replace: exit 1, target untouched' '
	for f in "$G"/bad/clusterfuzz-testcase-arrow-ipc-stream-fuzz-5* \
	    "$G/2.0.0-compression/generated_lz4.stream"; do
		assert_exit 1 mongoload -d "$db" -c tgt --replace <"$f" \
		    >/dev/null 2>err
		grep -q "^mongoload: ." err
	done
	dump tgt | cmp "$TMP/tgt.before" -
	assert_eq "tgt" "$(ddl collections | tr "\n" " " | sed "s/ $//")"
'

test_expect_success '--expect-count mismatch with --replace: target untouched' '
	assert_exit 1 mongoload -d "$db" -c tgt --replace --expect-count 2999 \
	    <"$TMP/polars-none.arrows" >/dev/null 2>err
	grep -q "expected 2999 rows, read 3000" err
	dump tgt | cmp "$TMP/tgt.before" -
	assert_eq "tgt" "$(ddl collections | tr "\n" " " | sed "s/ $//")"
'

test_expect_success '--replace after success: new documents, same indexes' '
	mongoload -d "$db" -c tgt --replace -j 3 --batch-size 500 \
	    --expect-count 3000 --verify estimated \
	    <"$TMP/polars-zstd.arrows" >sum 2>err || { cat err; exit 1; }
	read rows ins errs secs <sum
	assert_eq "3000 3000 0" "$rows $ins $errs"
	assert_eq 3000 $(ddl count tgt)
	ddl indexes tgt | cmp "$TMP/idx.before" -
	assert_eq "tgt" "$(ddl collections | tr "\n" " " | sed "s/ $//")"
	dump tgt >new.jsonl
	node "$ROOT/t/js/jsonl-same.js" new.jsonl "$TMP/polars.expect.jsonl" \
	    --strip-id --numbers
'

test_expect_success '--replace into a collection that does not exist' '
	mongoload -d "$db" -c fresh --replace <"$TMP/arrowjs.arrows" >sum
	assert_eq 100 $(ddl count fresh)
'

test_expect_success '--replace with 0 rows empties the target' '
	mongoload -d "$db" -c fresh --replace \
	    <"$G/cpp-21.0.0/generated_primitive_no_batches.stream" >sum
	assert_eq 0 $(ddl count fresh)
'

test_expect_success '--cleanup-stale drops leftover temp collections only' '
	mongoutil insert "$MONGODB_URI" "$db" "tgt.mongoload-tmp-1-2" <old.jsonl
	mongoutil insert "$MONGODB_URI" "$db" "tgt.mongoload-tmp-3-4" <old.jsonl
	mongoutil insert "$MONGODB_URI" "$db" "other.mongoload-tmp-3-4" \
	    <old.jsonl
	assert_eq 2 $(mongoload -d "$db" -c tgt --cleanup-stale </dev/null)
	ddl collections >names
	! grep -q "^tgt.mongoload-tmp" names
	grep -q "^other.mongoload-tmp-3-4$" names
	grep -q "^tgt$" names
'

test_done
