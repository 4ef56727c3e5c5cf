#!/bin/bash
# s3put's pure modules: the part-size schedule (exhaustive over max
# parts and part sizes) and the --resume state file.
. "$(dirname "$0")/lib.sh"

test_expect_success 'partplan: growth reaches 5 TiB, sizes, offsets' '
	partplan_test >out
	cat out
	grep -q "^ok 1 " out
'

test_expect_success 'partplan: the documented 8 MiB x 10,000 schedule' '
	partplan_test -s 8M 10000 >out
	assert_eq "tier 1089 shift 1 capacity 5522782683136" "$(head -1 out)"
	assert_eq "parts 1-1089: 8 MiB, up to 8712 MiB" "$(sed -n 2p out)"
	assert_eq "parts 9802-10000: 4096 MiB, up to 5266936 MiB" \
	    "$(tail -1 out)"
'

test_expect_success 'partplan: --max-parts 4 with 5 MiB parts' '
	partplan_test -s 5M 4 >out
	assert_eq "parts 2-2: 80 MiB, up to 85 MiB" "$(sed -n 3p out)"
'

test_expect_success 'resume state: round trip, truncation, corruption' '
	mkdir rs && resume_test "$TMP/rs" >out || { cat out; false; }
	! grep -q "^not ok" out
'

test_done
