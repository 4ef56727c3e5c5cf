#!/bin/bash
# lib/net wait hint (net_conn_wait_min, SO_RCVLOWAT): a waiting read
# sleeps until the promised bytes are there, yet bytes below the mark
# are returned when the I/O timeout passes (progress, not a stall),
# silence is still a stall, and end of stream wakes it at once.
. "$(dirname "$0")/lib.sh"

# field NAME TEXT: the number after NAME= on the first line of TEXT
field() { echo "$2" | head -n 1 | sed -n "s/.*$1=\([0-9-]*\).*/\1/p"; }

test_expect_success 'without a hint a read wakes for the first segment' '
	out=$(lowat_test nohint)
	echo "$out"
	assert_eq 3000 "$(field n "$out")"
'

test_expect_success 'with a hint of 5000 one read gets both segments' '
	out=$(lowat_test mark)
	echo "$out"
	assert_eq 6000 "$(field n "$out")"
	[ "$(field ms "$out")" -ge 90 ]
'

test_expect_success 'bytes below the mark come back at the timeout' '
	out=$(lowat_test below)
	echo "$out"
	assert_eq 1000 "$(field n "$out")"
	[ "$(field ms "$out")" -ge 250 ]
'

test_expect_success 'no byte at all is still the stall timeout' '
	out=$(lowat_test silent)
	echo "$out"
	assert_match "^error: read 127.0.0.1:[0-9]+: no progress for 0.300 s \(stall timeout\)" "$out"
'

test_expect_success 'end of stream wakes a read waiting for more' '
	out=$(lowat_test fin)
	echo "$out"
	assert_eq 10 "$(field n "$out")"
	[ "$(field ms "$out")" -lt 250 ]
	assert_match "then n=0" "$out"
'

test_done
