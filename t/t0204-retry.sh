#!/bin/bash
# Retry policy: classification table, exponential backoff with full
# jitter (100 ms base, 20 s cap, 10 attempts), Retry-After, the
# client-wide retry budget, AWS_MAX_ATTEMPTS. Virtual clock: instant.
. "$(dirname "$0")/lib.sh"

test_expect_success 'classification follows the documented table' '
	retry_test classify >out &&
	cat >expect <<-\EOT &&
	reset retry
	refused retry
	epipe retry
	etimedout retry
	enoent never
	timeout retry
	truncated retry
	garbage retry
	usage never
	nomem never
	200 never
	200-InternalError retry
	301 never
	400 never
	400-RequestTimeout retry
	403 never
	404 never
	409 never
	412 never
	416 never
	429 throttle
	500 retry
	500-nocode retry
	501 never
	502 retry
	503 retry
	503-SlowDown throttle
	503-ServiceUnavailable retry
	504 retry
	400-Throttling throttle
	EOT
	assert_files_eq expect out
'

test_expect_success 'backoff ceilings double from 100 ms up to the 20 s cap' '
	retry_test backoff max >out &&
	cat >expect <<-\EOT &&
	attempt 2 delay 100
	attempt 3 delay 200
	attempt 4 delay 400
	attempt 5 delay 800
	attempt 6 delay 1600
	attempt 7 delay 3200
	attempt 8 delay 6400
	attempt 9 delay 12800
	attempt 10 delay 20000
	gave up after 10 attempts: attempts exhausted; slept 45500 ms
	EOT
	assert_files_eq expect out
'

test_expect_success 'full jitter can be zero' '
	retry_test backoff zero >out &&
	assert_match "gave up after 10 attempts: attempts exhausted; slept 0 ms" \
	    "$(cat out)"
'

test_expect_success 'full jitter stays within [0, ceiling], mean near half' '
	retry_test jitter
'

test_expect_success 'an outage of 200 requests makes 300 attempts, not 2000' '
	retry_test budget 200 >out &&
	cat >expect <<-\EOT &&
	outage: 200 requests, 300 attempts, 100 retries, 189 refused, tokens 0
	after 20 successes: tokens 20
	timeout retry: 1 taken 10 tokens 10
	after its success: tokens 20
	EOT
	assert_files_eq expect out
'

test_expect_success 'Retry-After: seconds and HTTP dates, honoured, bounded' '
	retry_test after >out &&
	cat >expect <<-\EOT &&
	[0] 0
	[5] 5000
	[ 120 ] 120000
	[-1] -1
	[5x] -1
	[] -1
	[99999999999999] -1
	[Wed, 21 Oct 2015 07:28:00 GMT] 0
	[Tue, 14 Nov 2023 22:13:30 GMT] 10000
	[Tue, 14 Nov 2023 22:13:20 GMT] 0
	[Tue, 14 Nov 2023 22:13:30 UTC] -1
	[Tue, 14 Foo 2023 22:13:30 GMT] -1
	Retry-After 7 with zero jitter: retry 1 delay 7000
	Retry-After 3600: retry 0 (Retry-After too long)
	EOT
	assert_files_eq expect out
'

test_expect_success 'AWS_MAX_ATTEMPTS counts the first try and is checked' '
	assert_eq "max 3: 3 attempts (attempts exhausted)" \
	    "$(retry_test attempts 3)" &&
	assert_eq "max 1: 1 attempts (attempts exhausted)" \
	    "$(retry_test attempts 1)" &&
	assert_eq "max 10: 10 attempts (attempts exhausted)" \
	    "$(retry_test attempts "")" &&
	for bad in 0 x 101 -3 "3 "; do
		assert_match "^error: AWS_MAX_ATTEMPTS" "$(retry_test attempts "$bad")" ||
		    exit 1
	done
'

test_done
