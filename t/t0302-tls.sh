#!/bin/bash
# lib/tls: BearSSL client conns against openssl s_server with a test CA:
# good certificate, untrusted certificate, wrong host, IP address,
# --insecure, handshake failure, bundle errors, large GET integrity.
. "$(dirname "$0")/lib.sh"
need_cmd openssl curl

CERTS=$TMP/certs
sh "$ROOT/t/servers/tls-cert.sh" "$CERTS" || bail_out "cannot make certificates"
mkdir -p "$TMP/www"
echo "hello over tls" >"$TMP/www/hello.txt"
mkfile "$TMP/www/big.bin" $(( $(scaled 64) * 1048576 ))

# s_server CERT KEY [ARGS]: openssl s_server -WWW serving $TMP/www on a
# free port, set in $PORT.
s_server() {
	_out=$TMP/s_server.$RANDOM
	: >"$_out"
	(cd "$TMP/www" && exec timeout 120 openssl s_server -accept 127.0.0.1:0 \
	    -cert "$1" -key "$2" -WWW "${@:3}" >"$_out" 2>&1 </dev/null) &
	cleanup_add "kill $! 2>/dev/null"
	PORT=
	for _i in $(seq 100); do
		PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$_out")
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	[ -n "$PORT" ] || bail_out "s_server did not start"
}

s_server "$CERTS/server.crt" "$CERTS/server.key"
GOOD=$PORT
s_server "$CERTS/self.crt" "$CERTS/self.key"
SELF=$PORT
s_server "$CERTS/server.crt" "$CERTS/server.key" -tls1_3
TLS13=$PORT

# An EC (P-256) CA and server certificate: EC trust anchors, ECDSA suites.
(cd "$CERTS" &&
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ecca.key -out ecca.crt -days 30 -subj "/CN=s3pipe EC CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign" &&
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ec.key -out ec.csr -subj "/CN=localhost" &&
printf "subjectAltName=DNS:localhost\n" >ec.ext &&
openssl x509 -req -in ec.csr -CA ecca.crt -CAkey ecca.key -CAcreateserial \
    -out ec.crt -days 30 -extfile ec.ext) >/dev/null 2>&1 ||
	bail_out "cannot make EC certificates"
s_server "$CERTS/ec.crt" "$CERTS/ec.key"
EC=$PORT

test_expect_success 'trusted certificate: GET works, AES-GCM suite' '
	netget -c "$CERTS/ca.crt" -o body https://localhost:$GOOD/hello.txt >out
	cat out
	assert_match "status=200" "$(cat out)"
	assert_match "suite=ECDHE-RSA-AES(128|256)-GCM" "$(cat out)"
	assert_files_eq "$TMP/www/hello.txt" body
'

test_expect_success 'EC CA and certificate: ECDSA suite, bundle with both kinds' '
	cat "$CERTS/ca.crt" "$CERTS/ecca.crt" >both.pem
	netget -c both.pem https://localhost:$EC/hello.txt >out
	cat out
	assert_match "status=200 .*suite=ECDHE-ECDSA-AES(128|256)-GCM" "$(cat out)"
	set +e; netget -c "$CERTS/ca.crt" https://localhost:$EC/hello.txt 2>err; rc=$?; set -e
	assert_eq 1 $rc "exit status without the EC CA"
	assert_match "BR_ERR_X509_NOT_TRUSTED" "$(cat err)"
'

test_expect_success 'AWS_CA_BUNDLE is the default bundle' '
	AWS_CA_BUNDLE=$CERTS/ca.crt netget https://localhost:$GOOD/hello.txt >out
	assert_match "status=200" "$(cat out)"
'

test_expect_success 'self-signed certificate not in the bundle: not trusted' '
	set +e; netget -c "$CERTS/ca.crt" https://localhost:$SELF/hello.txt 2>err; rc=$?; set -e
	cat err
	assert_eq 1 $rc "exit status"
	assert_match "certificate not trusted.*BR_ERR_X509_NOT_TRUSTED" "$(cat err)"
'

test_expect_success 'system bundle does not trust the test CA' '
	[ -f /etc/ssl/certs/ca-certificates.crt ] || exit 0
	set +e; netget https://localhost:$GOOD/hello.txt 2>err; rc=$?; set -e
	assert_eq 1 $rc "exit status"
	assert_match "BR_ERR_X509_NOT_TRUSTED" "$(cat err)"
'

test_expect_success 'wrong host name: certificate does not match' '
	set +e; netget -c "$CERTS/ca.crt" -N s3.wrong.example https://localhost:$GOOD/hello.txt 2>err; rc=$?; set -e
	cat err
	assert_eq 1 $rc "exit status"
	assert_match "TLS s3.wrong.example: certificate does not match host name \(BR_ERR_X509_BAD_SERVER_NAME\)" "$(cat err)"
'

test_expect_success 'IP address: BearSSL matches DNS names only' '
	set +e; netget -c "$CERTS/ca.crt" https://127.0.0.1:$GOOD/hello.txt 2>err; rc=$?; set -e
	assert_eq 1 $rc "exit status"
	assert_match "BR_ERR_X509_BAD_SERVER_NAME" "$(cat err)"
'

test_expect_success 'insecure accepts the self-signed certificate and wrong name' '
	netget -k -N other.example https://localhost:$SELF/hello.txt >out
	assert_match "status=200" "$(cat out)"
'

test_expect_success 'TLS 1.3-only server: handshake failure named' '
	set +e; netget -c "$CERTS/ca.crt" https://localhost:$TLS13/hello.txt 2>err; rc=$?; set -e
	cat err
	assert_eq 1 $rc "exit status"
	assert_match "handshake failed: server sent fatal alert 70 \(protocol_version" "$(cat err)"
'

test_expect_success 'server that does not speak TLS: clear error' '
	faultproxy -R -t 30 -P gport -e "* garbage" 127.0.0.1:1 >/dev/null &
	for i in $(seq 50); do [ -s gport ] && break; sleep 0.1; done
	set +e; netget -T 5000 -c "$CERTS/ca.crt" https://localhost:$(cat gport)/ 2>err; rc=$?; set -e
	kill %1 2>/dev/null || true
	cat err
	assert_eq 1 $rc "exit status"
	assert_match "TLS localhost: .*\(BR_ERR_" "$(cat err)"
'

test_expect_success 'CA bundle parsing: corpus and every truncation of a 2-cert bundle' '
	"$BUILD/fuzz/replay_tls_pem" "$ROOT/t/fuzz/corpus/tls_pem"
	cat "$CERTS/ca.crt" "$CERTS/ecca.crt" >two.pem
	mkdir cuts
	perl -e '\''local $/; open(F, "<", $ARGV[0]) or die; $d = <F>;
	    for $i (0 .. length($d)) { open(O, ">", "cuts/$i") or die;
	    print O substr($d, 0, $i); close O }'\'' two.pem
	[ "$(ls cuts | wc -l)" -gt 1000 ]
	"$BUILD/fuzz/replay_tls_pem" cuts
'

test_expect_success 'CA bundle errors: missing file, no certificate' '
	set +e; netget -c "$TMP/nope.pem" https://localhost:$GOOD/ 2>err; rc=$?; set -e
	assert_eq 1 $rc "exit status"
	assert_match "CA bundle .*nope.pem: No such file" "$(cat err)"
	echo "not pem" >bad.pem
	set +e; netget -c bad.pem https://localhost:$GOOD/ 2>err; rc=$?; set -e
	assert_match "no RSA or EC certificate" "$(cat err)"
'

test_expect_success 'large GET over TLS is byte-exact' '
	netget -c "$CERTS/ca.crt" -o big https://localhost:$GOOD/big.bin >out
	cat out
	cmp "$TMP/www/big.bin" big
	echo "netget: $(sed -n "s/.*mibps=//p" out) MiB/s" >"$TMP/rate"
	t0=$(date +%s%N)
	curl -s --tls-max 1.2 --cacert "$CERTS/ca.crt" -o big2 https://localhost:$GOOD/big.bin
	t1=$(date +%s%N)
	cmp "$TMP/www/big.bin" big2
	sz=$(wc -c <big2)
	echo "curl: $(awk "BEGIN { printf \"%.1f\", $sz / 1048576 / (($t1 - $t0) / 1e9) }") MiB/s" >>"$TMP/rate"
'
sed 's/^/# /' "$TMP/rate" 2>/dev/null

test_expect_success 'write batching: 80 one-byte writes leave as one record' '
	netget -S -c "$CERTS/ca.crt" https://localhost:$GOOD/hello.txt >out
	cat out
	assert_match "^request_bytes=[0-9]+ tls_records_written=1$" "$(head -1 out)"
	assert_match "status=200" "$(cat out)"
'

test_expect_success 'handshake delayed past the stall timeout: transient error' '
	faultproxy -R -t 30 -P dport -l dlog -e "1 delay 3s" localhost:$GOOD >/dev/null &
	for i in $(seq 50); do [ -s dport ] && break; sleep 0.1; done
	set +e; netget -T 300 -c "$CERTS/ca.crt" https://localhost:$(cat dport)/hello.txt 2>err; rc=$?; set -e
	kill %1 2>/dev/null || true
	cat err
	assert_eq 75 $rc "exit status"
	assert_match "TLS localhost: read localhost:[0-9]+: no progress for 0.300 s \(stall timeout\)" "$(cat err)"
'

test_expect_success 'TLS through the fault proxy: reset is a transient error' '
	faultproxy -R -t 30 -P fport -l flog -e "1 reset 200" localhost:$GOOD >/dev/null &
	for i in $(seq 50); do [ -s fport ] && break; sleep 0.1; done
	set +e; netget -c "$CERTS/ca.crt" https://localhost:$(cat fport)/hello.txt 2>err; rc=$?; set -e
	kill %1 2>/dev/null || true
	cat err flog
	assert_eq 75 $rc "exit status"
	assert_match "Connection reset by peer" "$(cat err)"
'

test_done
