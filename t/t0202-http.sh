#!/bin/bash
# HTTP/1.1: request writer bytes, response parser and streaming client
# over memory pipes, truncation at every offset, 100-continue,
# keep-alive, hard limits.
. "$(dirname "$0")/lib.sh"

D=$DATA/http

test_expect_success 'request heads are byte-exact, injection rejected' '
	http_test heads >heads.out &&
	assert_files_eq "$D/heads.expected" heads.out
'

test_expect_success 'chunked upload framing is byte-exact' '
	http_test put >put.out &&
	assert_files_eq "$D/put-chunked.expected" put.out
'

for f in "$D"/resp/*.http; do
	n=$(basename "$f" .http)
	test_expect_success "response $n parses as expected (read sizes 1, 7, any)" '
		for step in 0 1 7; do
			http_test dump "$f" $step >dump.$step &&
			assert_files_eq "$D/resp/$n.expected" dump.$step
		done
	'
done

test_expect_success 'a HEAD response has no body whatever its length says' '
	http_test dumphead "$D/resp/head-length.http" >head.out &&
	assert_files_eq "$D/resp/head-length.head-expected" head.out
'

for f in "$D"/resp/*.http; do
	n=$(basename "$f" .http)
	case $n in bad-*|head-*) continue ;; esac
	test_expect_success "response $n: every truncation detected" '
		http_test trunc "$f"
	'
done

test_expect_success 'a cut body is detected (control: the check can fail)' '
	printf "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc" >short.http &&
	http_test dump short.http >short.out &&
	assert_match "error kind 7: http: truncated body: 3 of 9 bytes" \
	    "$(cat short.out)"
'

test_expect_success '100-continue: body after 100, withheld after 403' '
	http_test continue
'

test_expect_success 'keep-alive: two responses on one connection' '
	http_test keepalive
'

test_expect_success 'limits: header count, head size, chunk size' '
	http_test limits
'

test_expect_success 'large streamed bodies arrive whole (length and chunked)' '
	http_test bench $(scaled 512) length &&
	http_test bench $(scaled 512) chunked
'

test_done
