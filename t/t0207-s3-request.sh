#!/bin/bash
# Signed S3 requests, byte-exact: url + sigv4 + http writer together.
# Expected files carry signatures confirmed with botocore (see
# t/data/http/README).
. "$(dirname "$0")/lib.sh"

D=$DATA/http
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_REGION AWS_DEFAULT_REGION

test_expect_success 'PutObject: path-style, encoded key, token, signed payload' '
	AWS_SESSION_TOKEN=FQoGZXIvYXdzEXAMPLE/token+= \
	AWS_ENDPOINT_URL=http://127.0.0.1:9000 s3req_test PUT \
	    "s3://bkt/dir/a b+c~ü.txt" "" "$D/put-object.body" 20261126T193000Z \
	    "Content-Type: text/plain" "Content-MD5: b1kCrCNwJL3QwXbLkwY9xA==" \
	    "User-Agent: s3pipe-test/1" >out &&
	assert_files_eq "$D/put-object.req" out
'

test_expect_success 'UploadPart: virtual-hosted, query, UNSIGNED-PAYLOAD' '
	AWS_REGION=eu-west-1 S3REQ_UNSIGNED=1 s3req_test PUT \
	    s3://my-bucket/big/obj.bin "partNumber=3&uploadId=VXBsb2FkIElE+ZZ/x=" \
	    "$D/upload-part.body" 20261126T193000Z "Content-MD5: abc=" >out &&
	assert_files_eq "$D/upload-part.req" out
'

test_expect_success 'ListObjectsV2 with a continuation token' '
	AWS_ENDPOINT_URL=http://localhost:8080 s3req_test GET s3://bkt \
	    "list-type=2&prefix=photos/2026 &delimiter=/&continuation-token=1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&max-keys=10" \
	    - 20261126T193000Z "User-Agent: s3pipe/0" >out &&
	assert_files_eq "$D/list-v2.req" out
'

test_expect_success 'the canonical request sorts the query and skips User-Agent' '
	AWS_ENDPOINT_URL=http://localhost:8080 S3REQ_CANONICAL=1 s3req_test GET \
	    s3://bkt "list-type=2&delimiter=/&continuation-token=a/b=" - \
	    20261126T193000Z "User-Agent: s3pipe/0" >out &&
	cat >expect <<-\EOT &&
	GET
	/bkt
	continuation-token=a%2Fb%3D&delimiter=%2F&list-type=2
	host:localhost:8080
	x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	x-amz-date:20261126T193000Z

	host;x-amz-content-sha256;x-amz-date
	e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	EOT
	assert_files_eq expect out
'

test_expect_success 'a different secret gives a different request (control)' '
	AWS_SECRET_ACCESS_KEY=other AWS_ENDPOINT_URL=http://localhost:8080 \
	    s3req_test GET s3://bkt \
	    "list-type=2&prefix=photos/2026 &delimiter=/&continuation-token=1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&max-keys=10" \
	    - 20261126T193000Z "User-Agent: s3pipe/0" >out &&
	! cmp -s "$D/list-v2.req" out &&
	! grep -a other out
'

test_done
