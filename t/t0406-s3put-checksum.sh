#!/bin/bash
# s3put --checksum and --if-none-match: byte-exact request checks with
# t/helper/capture (the local servers ignore these headers). Values are
# computed here independently (perl CRC tables, sha256sum, md5sum).
. "$(dirname "$0")/lib.sh"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret
M=$((1 << 20))

# crc ALG FILE: base64 of the big-endian CRC (crc32c or crc64nvme).
crc() {
	perl -e '
		my ($alg, $f) = @ARGV;
		my ($poly, $bytes) = $alg eq "crc32c" ?
		    (0x82F63B78, 4) : (0x9A6C9329AC4BC9B5, 8);
		my $mask = $bytes == 4 ? 0xFFFFFFFF : 0xFFFFFFFFFFFFFFFF;
		my @t;
		for my $i (0..255) {
			my $c = $i;
			$c = ($c & 1) ? (($c >> 1) ^ $poly) : ($c >> 1)
			    for 1..8;
			$t[$i] = $c;
		}
		open(my $fh, "<:raw", $f) or die;
		local $/; my $d = <$fh>;
		my $c = $mask;
		$c = $t[($c ^ $_) & 0xFF] ^ ($c >> 8) for unpack("C*", $d);
		$c ^= $mask;
		print pack($bytes == 4 ? "N" : "Q>", $c);
	' "$1" "$2" | base64
}
b64hex() { xxd -r -p | base64; }

# capture_on NAME RESPONSE-FILE: a capture server for NAME.N files; EP.
capture_on() {
	capture -t 60 -o "$TMP/$1" -P "$TMP/$1.port" -r "$2" >/dev/null &
	cleanup_add "kill $! 2>/dev/null"
	EP=http://127.0.0.1:$(wait_port "$TMP/$1.port")
}
# header NAME.N HEADER: the value of HEADER in a captured request.
header() {
	tr -d '\r' <"$TMP/$1" | sed -n "1,/^\$/s/^$2: //Ip"
}

mkfile "$TMP/small" 1000
printf 'HTTP/1.1 200 OK\r\nETag: "%s"\r\nContent-Length: 0\r\n\r\n' \
    "$(md5sum <"$TMP/small" | cut -c1-32)" >"$TMP/put.resp"
capture_on put "$TMP/put.resp"

n=0
for alg in crc32c crc64nvme sha256; do
	test_expect_success "PutObject --checksum $alg: header value" '
		s3put --retries 0 --endpoint-url $EP --checksum '$alg' -f small \
		    s3://bkt/k >/dev/null 2>&1 || true
		r=$(ls $TMP/put.* | grep -v "resp\|port" | sort -t. -k2 -n |
		    sed -n "'$((n * 2 + 1))'p")
		head -1 $r | grep -q "^PUT /bkt/k HTTP/1.1"
		case '$alg' in
		sha256) want=$(sha256sum <small | cut -c1-64 | b64hex) ;;
		*) want=$(crc '$alg' small) ;;
		esac
		assert_eq "$want" "$(header ${r#$TMP/} x-amz-checksum-'$alg')"
		assert_eq "$(md5sum <small | cut -c1-32 | b64hex)" \
		    "$(header ${r#$TMP/} Content-MD5)"
	'
	n=$((n + 1))
done

test_expect_success 'PutObject --if-none-match: If-None-Match: *' '
	s3put --retries 0 --endpoint-url $EP --if-none-match -f small s3://bkt/k \
	    >/dev/null 2>&1 || true
	r=$(ls $TMP/put.* | grep -v "resp\|port" | sort -t. -k2 -n |
	    sed -n 7p)
	assert_eq "*" "$(header ${r#$TMP/} If-None-Match)"
'

test_expect_success 'plain HTTP: Content-MD5 signed, body UNSIGNED-PAYLOAD' '
	s3put --retries 0 --endpoint-url $EP -f small s3://bkt/k \
	    >/dev/null 2>&1 || true
	head -1 put.9 | grep -q "^PUT /bkt/k HTTP/1.1"
	assert_eq UNSIGNED-PAYLOAD "$(header put.9 x-amz-content-sha256)"
	header put.9 Authorization |
	    grep -q "SignedHeaders=content-md5;"
'

test_expect_success '--sign-payload: x-amz-content-sha256 is the body SHA-256' '
	s3put --retries 0 --endpoint-url $EP --sign-payload -f small \
	    s3://bkt/k >/dev/null 2>&1 || true
	head -1 put.11 | grep -q "^PUT /bkt/k HTTP/1.1"
	assert_eq "$(sha256sum <small | cut -c1-64)" \
	    "$(header put.11 x-amz-content-sha256)"
'

# One 6 MiB part (threshold 5M, part size 8M): the canned answer's ETag
# is that part's MD5, and its body carries an UploadId.
mkfile "$TMP/big" $((6 * M))
MD5=$(md5sum <"$TMP/big" | cut -c1-32)
body='<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>k</Key><UploadId>UP1</UploadId></InitiateMultipartUploadResult>'
printf 'HTTP/1.1 200 OK\r\nETag: "%s"\r\nContent-Length: %d\r\n\r\n%s' \
    "$MD5" ${#body} "$body" >"$TMP/mp.resp"

i=0
for alg in crc32c crc64nvme sha256; do
	case $alg in
	crc32c) decl="CRC32C FULL_OBJECT" tag=ChecksumCRC32C ;;
	crc64nvme) decl="CRC64NVME FULL_OBJECT" tag=ChecksumCRC64NVME ;;
	sha256) decl="SHA256 COMPOSITE" tag=ChecksumSHA256 ;;
	esac
	capture_on mp$i "$TMP/mp.resp"
	test_expect_success "multipart --checksum $alg: Create, UploadPart, Complete" '
		s3put --retries 0 --endpoint-url $EP --checksum '$alg' --threshold 5M \
		    -f big s3://bkt/k >/dev/null 2>&1 || true
		head -1 mp'$i'.1 | grep -q "^POST /bkt/k?uploads= HTTP/1.1"
		assert_eq "'"$decl"'" "$(header mp'$i'.1 x-amz-checksum-algorithm) $(header mp'$i'.1 x-amz-checksum-type)"
		head -1 mp'$i'.2 | grep -q "^PUT /bkt/k?partNumber=1&uploadId=UP1 HTTP/1.1"
		case '$alg' in
		sha256) want=$(sha256sum <big | cut -c1-64 | b64hex) ;;
		*) want=$(sum8m -a '$alg' big | cut -d" " -f1 | b64hex) ;;
		esac
		assert_eq "$want" "$(header mp'$i'.2 x-amz-checksum-'$alg')"
		assert_eq "$(echo $MD5 | b64hex)" "$(header mp'$i'.2 Content-MD5)"
		head -1 mp'$i'.3 | grep -q "^POST /bkt/k?uploadId=UP1 HTTP/1.1"
		assert_eq "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part><PartNumber>1</PartNumber><ETag>\"$MD5\"</ETag><'$tag'>$want</'$tag'></Part></CompleteMultipartUpload>" \
		    "$(tr -d "\r" <mp'$i'.3 | sed "1,/^\$/d")"
		# a full-object checksum is also sent whole, for S3 to check
		case '$alg' in
		sha256) assert_eq "" "$(header mp'$i'.3 x-amz-checksum-sha256)"
		    assert_eq "" "$(header mp'$i'.3 x-amz-checksum-type)" ;;
		*) assert_eq "$want" "$(header mp'$i'.3 x-amz-checksum-'$alg')"
		    assert_eq FULL_OBJECT \
			"$(header mp'$i'.3 x-amz-checksum-type)" ;;
		esac
	'
	i=$((i + 1))
done

capture_on mpc "$TMP/mp.resp"
test_expect_success 'multipart --if-none-match: on Complete, not on Create' '
	s3put --retries 0 --endpoint-url $EP --if-none-match --threshold 5M \
	    -f big s3://bkt/k >/dev/null 2>&1 || true
	head -1 mpc.1 | grep -q "^POST /bkt/k?uploads= HTTP/1.1"
	assert_eq "" "$(header mpc.1 If-None-Match)"
	head -1 mpc.3 | grep -q "^POST /bkt/k?uploadId=UP1 HTTP/1.1"
	assert_eq "*" "$(header mpc.3 If-None-Match)"
'

# Verification reads the stored checksum back (checksum mode): a HEAD
# answer with the right size and ETag, and a right or wrong CRC. The
# canned answer carries a body, harmless to PUT, ignored after HEAD,
# with a fresh connection for each request (-c).
verify_on() {	# NAME CRC32C-VALUE
	{ printf 'HTTP/1.1 200 OK\r\nETag: "%s"\r\n' \
	    "$(md5sum <"$TMP/small" | cut -c1-32)"
	  printf 'x-amz-checksum-crc32c: %s\r\nContent-Length: 1000\r\n\r\n' \
	    "$2"
	  cat "$TMP/small"; } >"$TMP/$1.resp"
	capture -c -t 60 -o "$TMP/$1" -P "$TMP/$1.port" -r "$TMP/$1.resp" \
	    >/dev/null &
	cleanup_add "kill $! 2>/dev/null"
	EP=http://127.0.0.1:$(wait_port "$TMP/$1.port")
}
verify_on vok "$(crc crc32c "$TMP/small")"
test_expect_success '--checksum: the stored checksum is read back and matches' '
	s3put --retries 0 --endpoint-url $EP --checksum crc32c --json -f small \
	    s3://bkt/k >out
	head -1 vok.2 | grep -q "^HEAD /bkt/k HTTP/1.1"
	assert_eq ENABLED "$(header vok.2 x-amz-checksum-mode)"
	assert_match "\"checksum_checked\":true" "$(cat out)"
'
verify_on vbad AAAAAA==
test_expect_success '--checksum: a different stored checksum fails (exit 1)' '
	assert_exit 1 s3put --retries 0 --endpoint-url $EP --checksum crc32c \
	    -f small s3://bkt/k 2>err
	assert_match "has crc32c checksum AAAAAA==, the data sent has" \
	    "$(cat err)"
'
test_expect_success 'without --checksum, HEAD does not ask for checksums' '
	s3put --retries 0 --endpoint-url $EP -f small s3://bkt/k >/dev/null
	head -1 vbad.4 | grep -q "^HEAD /bkt/k HTTP/1.1"
	assert_eq "" "$(header vbad.4 x-amz-checksum-mode)"
'

test_expect_success 'crc32c: the perl table agrees with a known vector' '
	printf 123456789 >v
	assert_eq "4waSgw==" "$(crc crc32c v)"
	assert_eq "rosUhgp5mIg=" "$(crc crc64nvme v)"
'

test_done
