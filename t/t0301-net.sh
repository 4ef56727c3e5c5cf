#!/bin/bash
# lib/net: connect errors and timeouts, stall timeout, keep-alive pool
# reuse and dead-connection drop, over loopback (netget + capture).
. "$(dirname "$0")/lib.sh"

# start_capture NAME ARGS...: capture server in the background, its port
# in $PORT; stopped at exit.
start_capture() {
	_name=$1
	shift
	capture -t 60 -P "$TMP/$_name.port" -o "$TMP/$_name" "$@" >/dev/null &
	cleanup_add "kill $! 2>/dev/null"
	for _i in $(seq 50); do
		[ -s "$TMP/$_name.port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$TMP/$_name.port")
}

ms() { date +%s%3N; }

test_expect_success 'connect to a closed loopback port fails fast' '
	t0=$(ms)
	set +e; netget -C 5000 http://127.0.0.1:1/ 2>err; rc=$?; set -e
	t1=$(ms)
	assert_eq 75 $rc "exit status"
	assert_match "Connection refused" "$(cat err)"
	[ $((t1 - t0)) -lt 2000 ]
'

test_expect_success 'connect timeout against a full backlog' '
	netget -B -C 300 >out
	cat out
	assert_match "connect timeout" "$(cat out)"
	el=$(sed -n "s/^elapsed_ms=//p" out)
	[ "$el" -ge 250 ] && [ "$el" -lt 3000 ]
'

start_capture silent -s
SILENT=$PORT
test_expect_success 'read with no answer hits the stall timeout' '
	t0=$(ms)
	set +e; netget -T 300 http://127.0.0.1:$SILENT/x 2>err; rc=$?; set -e
	t1=$(ms)
	cat err
	assert_eq 75 $rc "exit status"
	assert_match "no progress for 0.300 s \(stall timeout\)" "$(cat err)"
	[ $((t1 - t0)) -ge 290 ] && [ $((t1 - t0)) -lt 3000 ]
'

printf "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" >"$TMP/resp"
start_capture ka -r "$TMP/resp"
KA=$PORT
test_expect_success 'keep-alive: 5 GETs reuse one connection' '
	netget -r 5 -o body http://127.0.0.1:$KA/k >out
	cat out
	assert_match "status=200 bytes=5 requests=5 reused=4 dead=0" "$(cat out)"
	assert_eq hello "$(cat body)"
	[ -f "$TMP/ka.5" ] && [ ! -f "$TMP/ka.6" ]
'

test_expect_success 'request bytes are exactly what netget wrote' '
	printf "GET /k HTTP/1.1\r\nHost: 127.0.0.1:$KA\r\nUser-Agent: s3pipe-netget\r\nAccept: */*\r\n\r\n" >want
	assert_files_eq want "$TMP/ka.1"
'

start_capture cl -c -r "$TMP/resp"
CL=$PORT
test_expect_success 'pool drops connections the server closed while idle' '
	netget -r 3 -w 100 http://127.0.0.1:$CL/k >out
	cat out
	assert_match "status=200 bytes=5 requests=3 reused=0 dead=2" "$(cat out)"
'

test_expect_success 'a name (localhost) resolves, each address is tried' '
	netget http://localhost:$KA/k >out
	assert_match "status=200" "$(cat out)"
'

if ip -6 addr show lo 2>/dev/null | grep -q "::1/128"; then
	start_capture v6 -6 -r "$TMP/resp"
	V6=$PORT
	test_expect_success 'IPv6 literal [::1]' '
		netget -o body "http://[::1]:$V6/six" >out
		assert_match "status=200 bytes=5" "$(cat out)"
		assert_match "^Host: \[::1\]:$V6" "$(sed -n 2p "$TMP/v6.1")"
	'
else
	test_skip 'IPv6 literal [::1]' 'no ::1 on lo'
fi

test_expect_success 'pool: order, eviction, age, dead peers, 8 threads' '
	pooltest >out || { cat out; exit 1; }
	assert_eq 0 "$(grep -c "^not ok" out)"
'

test_done
