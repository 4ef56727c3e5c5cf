#!/bin/bash
# lib/bson2arrow's raw-array fast paths (arrays of doubles and int32 with
# usual and unusual keys, across the key width steps, special doubles)
# against the values put in (t/helper/b2a_arrays), and the bson2arrow
# fuzz corpus replayed (truncated and lying array lengths included).
. "$(dirname "$0")/lib.sh"

test_expect_success 'double arrays: offsets, values (bit-exact), validity; corrupt BSON is an error' '
	"$BUILD/t/b2a_arrays" >out &&
	assert_match "^20 documents checked" "$(cat out)"
'

test_expect_success 'bson2arrow fuzz corpus replays cleanly' '
	"$BUILD/fuzz/replay_bson2arrow" "$ROOT/t/fuzz/corpus/bson2arrow" 2>err &&
	assert_match "replayed [1-9]" "$(cat err)"
'

test_done
