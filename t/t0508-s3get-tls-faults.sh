#!/bin/bash
# s3get over HTTPS through the raw fault proxy (faultproxy -R numbers
# TLS connections): resets, truncations and stalls inside TLS record
# streams, keep-alive reuse with the TLS read-ahead (no response may eat
# into the next one), and slow pipe readers on stdout. Correct bytes or
# the documented error, never silently wrong output.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
TLSUP=localhost:${S3_ENDPOINT_TLS##*:}
SIZE=$((6 << 20))
mkfile "$TMP/obj" $SIZE
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/obj"
G="s3get --ca-bundle $S3_CA_BUNDLE --part-size 1M -j 3"

# tls_proxy NAME RULE...: raw fault proxy to the TLS port; $EP is its
# https endpoint (by name: BearSSL checks DNS names).
tls_proxy() {
	_tpn=$1
	shift
	_tpa=()
	for _tpr; do _tpa+=(-e "$_tpr"); done
	faultproxy -R -t 120 -P "$TMP/$_tpn.port" -l "$TMP/$_tpn.log" \
	    "${_tpa[@]}" "$TLSUP" >/dev/null &
	cleanup_add "kill $! 2>/dev/null"
	EP=https://localhost:$(wait_port "$TMP/$_tpn.port")
}
conns() { grep -c "^conn " "$TMP/$1.log"; }
tls_proxy reset "2 reset 300000" "3 reset 1500000"
test_expect_success 'TLS reset mid-range: resumed at the byte, identical' '
	$G --endpoint-url $EP --metrics m s3://$BUCKET/obj >got
	cmp "$TMP/obj" got
	grep -q "^fault" "$TMP/reset.log"
	assert_eq '"$SIZE"' "$(get_bytes_in m)"
'

tls_proxy trunc "1 truncate 700000" "3 truncate 2000000"
test_expect_success 'TLS stream cut without close_notify: retried, identical' '
	$G --endpoint-url $EP -o out s3://$BUCKET/obj
	cmp "$TMP/obj" out
	grep -q "^fault" "$TMP/trunc.log"
'

tls_proxy stall "2 stall 20s 400000"
test_expect_success 'TLS stall mid-body: stall timeout, retried, identical' '
	$G --endpoint-url $EP --stall-timeout 1 --metrics m2 \
	    s3://$BUCKET/obj >got
	cmp "$TMP/obj" got
	assert_match "\"attempts\":2" "$(cat m2)"
	assert_eq '"$SIZE"' "$(get_bytes_in m2)"
'

tls_proxy reuse "* pass"
test_expect_success 'many ranges on few kept-alive TLS connections' '
	s3get --ca-bundle $S3_CA_BUNDLE --endpoint-url $EP --part-size 64K \
	    -j 2 --metrics m3 s3://$BUCKET/obj >got
	cmp "$TMP/obj" got
	[ "$(grep -c GetObject m3)" -ge 96 ]
	[ "$(conns reuse)" -le 4 ]
'

test_expect_success 'slow pipe reader in small reads: identical' '
	$G --endpoint-url $S3_ENDPOINT_TLS s3://$BUCKET/obj |
	    (sleep 1; dd bs=4k status=none) >got
	cmp "$TMP/obj" got
'

test_expect_success 'reader gone while the writer waits: quiet, status 141' '
	set +e
	$G --endpoint-url $S3_ENDPOINT_TLS s3://$BUCKET/obj 2>err |
	    (sleep 1; head -c 1000 >/dev/null)
	rc=${PIPESTATUS[0]}
	set -e
	cat err
	assert_eq 141 $rc "exit status"
	[ ! -s err ]
'

test_done
