#!/bin/bash
# Swift + s3api test server (t/servers/swift.sh): up on HTTP and HTTPS,
# /usr/bin/aws can create a bucket and put/get over both, and our net +
# tls conns reach /healthcheck on both (keep-alive included).
. "$(dirname "$0")/lib.sh"

server_up swift
s3_bucket_new
AWS=/usr/bin/aws

test_expect_success 'env names both endpoints and the CA' '
	assert_match "^http://127\.0\.0\.1:[0-9]+$" "$S3_ENDPOINT"
	assert_match "^https://localhost:[0-9]+$" "$S3_ENDPOINT_TLS"
	[ -s "$S3_CA_BUNDLE" ]
'

test_expect_success 'netget /healthcheck over HTTP, keep-alive reused' '
	netget -r 3 -o body "$S3_ENDPOINT/healthcheck" >out
	cat out
	assert_match "status=200 bytes=2 requests=3 reused=2" "$(cat out)"
	assert_eq OK "$(cat body)"
'

test_expect_success 'netget /healthcheck over HTTPS with the test CA' '
	netget -c "$S3_CA_BUNDLE" -r 3 -o body "$S3_ENDPOINT_TLS/healthcheck" >out
	cat out
	assert_match "status=200 bytes=2 requests=3 reused=2 dead=0 suite=ECDHE-RSA-AES(128|256)-GCM" "$(cat out)"
	assert_eq OK "$(cat body)"
'

test_expect_success 'HTTPS proxy certificate is refused without the CA' '
	set +e; netget "$S3_ENDPOINT_TLS/healthcheck" 2>err; rc=$?; set -e
	assert_eq 1 $rc "exit status"
	assert_match "BR_ERR_X509_NOT_TRUSTED" "$(cat err)"
'

test_expect_success 'aws put over HTTP, get over HTTPS, and back' '
	mkfile data $(( 100 * 1024 + 7 ))
	$AWS --endpoint-url "$S3_ENDPOINT" s3api put-object --bucket "$BUCKET" \
	    --key "dir/a b.bin" --body data >put.json
	$AWS --endpoint-url "$S3_ENDPOINT_TLS" --ca-bundle "$S3_CA_BUNDLE" \
	    s3api get-object --bucket "$BUCKET" --key "dir/a b.bin" got >get.json
	cmp data got
	$AWS --endpoint-url "$S3_ENDPOINT_TLS" --ca-bundle "$S3_CA_BUNDLE" \
	    s3api put-object --bucket "$BUCKET" --key k2 --body data >/dev/null
	$AWS --endpoint-url "$S3_ENDPOINT" s3api get-object --bucket "$BUCKET" \
	    --key k2 got2 >/dev/null
	cmp data got2
	assert_eq "\"$(md5sum <data | cut -d" " -f1)\"" \
	    "$(sed -n "s/.*\"ETag\": \"\(.*\)\",*$/\1/p" get.json | sed "s/\\\\//g")"
'

test_expect_success 'presigned GET through netget over TLS' '
	url=$($AWS --endpoint-url "$S3_ENDPOINT_TLS" s3 presign "s3://$BUCKET/k2")
	netget -c "$S3_CA_BUNDLE" -o got "$url" >out
	cat out
	assert_match "status=200" "$(cat out)"
	mkfile data $(( 100 * 1024 + 7 ))
	cmp data got
'

test_expect_success 'the real 5 MiB minimum part size is enforced' '
	head -c 1048576 "$DATA_RANDOM" >p1
	id=$($AWS --endpoint-url "$S3_ENDPOINT" s3api create-multipart-upload \
	    --bucket "$BUCKET" --key mp --query UploadId --output text)
	e1=$($AWS --endpoint-url "$S3_ENDPOINT" s3api upload-part --bucket "$BUCKET" \
	    --key mp --upload-id "$id" --part-number 1 --body p1 --query ETag --output text)
	e2=$($AWS --endpoint-url "$S3_ENDPOINT" s3api upload-part --bucket "$BUCKET" \
	    --key mp --upload-id "$id" --part-number 2 --body p1 --query ETag --output text)
	set +e
	$AWS --endpoint-url "$S3_ENDPOINT" s3api complete-multipart-upload \
	    --bucket "$BUCKET" --key mp --upload-id "$id" --multipart-upload \
	    "{\"Parts\":[{\"ETag\":$e1,\"PartNumber\":1},{\"ETag\":$e2,\"PartNumber\":2}]}" 2>err
	rc=$?
	set -e
	cat err
	[ $rc -ne 0 ]
	assert_match "EntityTooSmall" "$(cat err)"
'

test_done
