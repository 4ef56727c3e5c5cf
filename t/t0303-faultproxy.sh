#!/bin/bash
# t/helper/faultproxy self-test: every fault mode, observed with curl
# (an independent client) in front of the capture server.
. "$(dirname "$0")/lib.sh"
need_cmd curl

wait_port() {
	for _i in $(seq 50); do
		[ -s "$1" ] && break
		sleep 0.1
	done
	cat "$1"
}

BODY=$(( 64 * 1024 ))
{ printf "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" $BODY
  head -c $BODY "$DATA_RANDOM"; } >"$TMP/resp"
head -c $BODY "$DATA_RANDOM" >"$TMP/want"
capture -t 120 -P "$TMP/cport" -o "$TMP/up" -r "$TMP/resp" >/dev/null &
cleanup_add "kill $! 2>/dev/null"
UP=$(wait_port "$TMP/cport")

# proxy NAME RULE...: a fresh proxy in front of capture; its port in
# $P, its log in $TMP/NAME.log.
proxy() {
	_pn=$1
	shift
	_args=()
	for _r; do _args+=(-e "$_r"); done
	faultproxy -t 60 -P "$TMP/$_pn.port" -l "$TMP/$_pn.log" "${_args[@]}" \
	    127.0.0.1:$UP >/dev/null &
	cleanup_add "kill $! 2>/dev/null"
	P=$(wait_port "$TMP/$_pn.port")
}

ups() { ls "$TMP"/up.* 2>/dev/null | wc -l; }

proxy pass
test_expect_success 'pass: body relayed unchanged' '
	curl -sS -o got http://127.0.0.1:$P/a
	cmp "$TMP/want" got
	assert_eq 1 "$(grep -c "^req 1 conn 1 GET /a pass" "$TMP/pass.log")"
'

proxy e503 "1 503" "2 500" "3 error 404 NoSuchKey"
test_expect_success '503 SlowDown, 500 InternalError, error 404: not relayed' '
	n0=$(ups)
	code=$(curl -s -o b1 -w "%{http_code}" http://127.0.0.1:$P/x)
	assert_eq 503 "$code"
	assert_match "<Code>SlowDown</Code>" "$(cat b1)"
	code=$(curl -s -o b2 -w "%{http_code}" http://127.0.0.1:$P/x)
	assert_eq 500 "$code"
	assert_match "<Code>InternalError</Code>" "$(cat b2)"
	code=$(curl -s -o b3 -w "%{http_code}" http://127.0.0.1:$P/x)
	assert_eq 404 "$code"
	assert_match "<Code>NoSuchKey</Code>" "$(cat b3)"
	assert_eq "$n0" "$(ups)" "requests reaching the server"
	assert_eq 3 "$(grep -c "^fault " "$TMP/e503.log")"
'

proxy ka "2 503"
test_expect_success 'requests counted on one keep-alive connection, POST bodies framed' '
	head -c 1000 "$DATA_RANDOM" >post
	curl -sS -o o1 http://127.0.0.1:$P/one --next -o o2 -w "%{http_code}" \
	    --data-binary @post http://127.0.0.1:$P/two --next -o o3 \
	    http://127.0.0.1:$P/three >codes
	assert_eq 503 "$(cat codes)"
	cmp "$TMP/want" o1
	cmp "$TMP/want" o3
	assert_eq 3 "$(grep -c "^req .* conn 1 " "$TMP/ka.log")" "requests on conn 1"
	assert_match "^req 2 conn 1 POST /two error" "$(cat "$TMP/ka.log")"
'

proxy chunk "2 500"
test_expect_success 'chunked request bodies are framed too' '
	head -c 5000 "$DATA_RANDOM" >post
	curl -sS -o o1 -H "Transfer-Encoding: chunked" --data-binary @post \
	    http://127.0.0.1:$P/c1 --next -o o2 http://127.0.0.1:$P/c2
	assert_match "InternalError" "$(cat o2)"
	last=$(ls "$TMP"/up.* | sort -t. -k2 -n | tail -1)
	assert_match "^POST /c1" "$(head -1 "$last")"
	assert_eq "$(printf "0\r\n\r\n" | od -c)" "$(tail -c 5 "$last" | od -c)" "chunked end"
	assert_eq 2 "$(grep -c "^req " "$TMP/chunk.log")"
'

proxy reset "1 reset 1000"
test_expect_success 'reset after K bytes: curl sees a reset' '
	set +e; curl -sS -o got http://127.0.0.1:$P/r 2>err; rc=$?; set -e
	cat err
	assert_eq 56 $rc "curl exit (recv failure)"
	assert_match "reset" "$(cat err)"
	assert_eq 1000 "$(wc -c <got | tr -d " ")" "bytes before reset"
'

proxy trunc "1 truncate 2000"
test_expect_success 'truncate after K bytes: curl sees a short body' '
	set +e; curl -sS -o got http://127.0.0.1:$P/t 2>err; rc=$?; set -e
	cat err
	assert_eq 18 $rc "curl exit (partial file)"
	assert_eq 2000 "$(wc -c <got | tr -d " ")"
	cmp got <(head -c 2000 "$TMP/want")
'

proxy stall "1 stall 3s 100"
test_expect_success 'stall: no bytes for S seconds after K' '
	set +e; curl -sS -o got -m 1 http://127.0.0.1:$P/s 2>err; rc=$?; set -e
	assert_eq 28 $rc "curl exit (timeout)"
	assert_eq 100 "$(wc -c <got | tr -d " ")"
	assert_match "^fault 1 stall 3000 ms after 100 bytes" "$(cat "$TMP/stall.log")"
'

proxy delay "1 delay 700ms"
test_expect_success 'delay: first byte late, then the whole body' '
	t=$(curl -sS -o got -w "%{time_starttransfer}" http://127.0.0.1:$P/d)
	cmp "$TMP/want" got
	awk "BEGIN { exit !($t >= 0.65) }"
'

proxy garb "1 garbage" "2 close"
test_expect_success 'garbage and close-without-answer' '
	set +e; curl -sS -o got http://127.0.0.1:$P/g 2>err; rc=$?; set -e
	cat err
	[ $rc -ne 0 ]
	set +e; curl -sS -o got http://127.0.0.1:$P/c 2>err; rc=$?; set -e
	cat err
	assert_eq 52 $rc "curl exit (empty reply)"
'

proxy range "2-3 503" "* pass"
test_expect_success 'rule ranges: N-M then *' '
	for i in 1 2 3 4; do
		curl -s -o /dev/null -w "%{http_code} " http://127.0.0.1:$P/$i
	done >codes
	assert_eq "200 503 503 200 " "$(cat codes)"
'

test_expect_success 'script file and bad rules' '
	printf "# comment\n1 503\n" >script
	faultproxy -t 5 -f script -P p2 127.0.0.1:$UP >/dev/null &
	code=$(curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1:$(wait_port p2)/)
	kill $! 2>/dev/null || true
	assert_eq 503 "$code"
	assert_exit 2 faultproxy -e "1 explode" 127.0.0.1:1
	assert_exit 2 faultproxy -e "x 503" 127.0.0.1:1
'

test_done
