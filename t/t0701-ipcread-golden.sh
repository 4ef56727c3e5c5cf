#!/bin/bash
# lib/ipcread + lib/arrow2bson against streams from other writers: the
# Arrow integration golden files (values checked against their JSON
# twins), nodejs-polars (uncompressed and ZSTD) and apache-arrow JS.
. "$(dirname "$0")/lib.sh"

G=$DATA/ipc-read
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH G

for f in "$G"/cpp-21.0.0/*.stream "$G"/2.0.0-compression/*zstd.stream; do
	b=${f%.stream}
	n=$(basename "$b")
	case $n in generated_decimal|generated_decimal256) continue ;; esac
	test_expect_success "golden $(basename "$(dirname "$f")")/$n: rows equal the JSON twin" '
		arrow2json <"'$f'" >out.jsonl
		node "$ROOT/t/js/ipc-expect.js" "'$b'.json.gz" out.jsonl
	'
done

test_expect_success 'golden decimal: precision <= 34 columns exact' '
	arrow2json -c 32 <"$G/cpp-21.0.0/generated_decimal.stream" >out.jsonl
	node "$ROOT/t/js/ipc-expect.js" \
	    "$G/cpp-21.0.0/generated_decimal.json.gz" out.jsonl 32
'

test_expect_success 'golden decimal: 35+ digit values refused, not rounded' '
	assert_exit 1 arrow2json <"$G/cpp-21.0.0/generated_decimal.stream" \
	    >/dev/null 2>err
	grep -q "column f3[2-5]: decimal does not fit Decimal128" err
'

test_expect_success 'the comparator fails on wrong values' '
	arrow2json <"$G/cpp-21.0.0/generated_primitive.stream" >out.jsonl
	sed "3s/\"\$numberInt\" : \"-\{0,1\}[0-9]/&1/" out.jsonl >bad.jsonl
	! cmp -s out.jsonl bad.jsonl
	! node "$ROOT/t/js/ipc-expect.js" \
	    "$G/cpp-21.0.0/generated_primitive.json.gz" bad.jsonl
	! node "$ROOT/t/js/ipc-expect.js" \
	    "$G/cpp-21.0.0/generated_binary.json.gz" out.jsonl
'

test_expect_success 'unsupported inputs fail with a clear message' '
	assert_exit 1 arrow2json <"$G/2.0.0-compression/generated_lz4.stream" \
	    2>err
	grep -q "LZ4_FRAME-compressed Arrow streams are not supported" err
	assert_exit 1 arrow2json \
	    <"$G/cpp-21.0.0/generated_decimal256.stream" 2>err
	grep -q "decimal256 is not supported" err
	assert_exit 1 arrow2json \
	    <"$G/1.0.0-bigendian/generated_primitive.stream" 2>err
	grep -q "big-endian Arrow streams are not supported" err
'

test_expect_success 'nodejs-polars and apache-arrow JS write the test streams' '
	node "$ROOT/t/js/writers.js" "$TMP"
	test -s "$TMP/polars-zstd.arrows" && test -s "$TMP/arrowjs.arrows"
	# The ZSTD stream really is compressed.
	test $(wc -c <"$TMP/polars-zstd.arrows") -lt \
	    $(($(wc -c <"$TMP/polars-none.arrows") / 2))
'

for c in none zstd; do
	test_expect_success "polars $c: rows equal the written values" '
		arrow2json <"$TMP/polars-'$c'.arrows" >out.jsonl
		node "$ROOT/t/js/jsonl-same.js" out.jsonl \
		    "$TMP/polars.expect.jsonl"
	'
done

test_expect_success 'polars lz4: refused with a message' '
	assert_exit 1 arrow2json <"$TMP/polars-lz4.arrows" >/dev/null 2>err
	grep -q "LZ4_FRAME" err
'

test_expect_success 'apache-arrow JS: rows equal the written values' '
	arrow2json <"$TMP/arrowjs.arrows" >out.jsonl
	node "$ROOT/t/js/jsonl-same.js" out.jsonl "$TMP/arrowjs.expect.jsonl"
'

test_done
