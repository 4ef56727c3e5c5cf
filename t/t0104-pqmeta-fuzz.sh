#!/bin/bash
# Replay the libFuzzer corpus of the footer decoder (t/fuzz/fuzz_parquet.c)
# with the plain or sanitizer build: seeds from the test files, inputs the
# fuzzer found interesting, and crash regressions.
. "$(dirname "$0")/lib.sh"

CORPUS=$ROOT/t/fuzz/corpus/parquet

test_expect_success 'corpus is there and not trivially small' '
	n=$(ls "$CORPUS" | wc -l) &&
	[ "$n" -ge 70 ]
'

test_expect_success 'replay every corpus input without a crash' '
	timeout 600 "$BUILD/fuzz/replay_parquet" "$CORPUS" 2>err &&
	assert_match "^replayed [0-9]+ inputs" "$(tail -n 1 err)"
'

test_done
