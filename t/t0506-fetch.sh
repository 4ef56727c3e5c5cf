#!/bin/bash
# lib/fetch (object pieces into memory, for pqmeta on S3): the suffix
# GET "bytes=-N" in one request, shorter objects, empty objects, byte
# ranges, the size cap, and a broken suffix transfer resumed with the
# right bytes (fault proxy).
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
UP=${S3_ENDPOINT#http://}
mkfile "$TMP/obj" 300000
: >"$TMP/empty"
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/obj"
$AWS s3 cp --quiet "$TMP/empty" "s3://$BUCKET/empty"
export AWS_ENDPOINT_URL=$S3_ENDPOINT

test_expect_success 'tail 65536: one GET, the last bytes, offset and size' '
	FETCHTEST_METRICS=m fetchtest tail $BUCKET obj 65536 >got 2>info
	tail -c 65536 "$TMP/obj" | cmp - got
	assert_match "^offset 234464 size 300000 etag \"[0-9a-f]{32}\"$" \
	    "$(cat info)"
	assert_eq 1 "$(grep -c "\"op\":\"GetObject\"" m)"
	assert_match "\"bytes_in\":65536," "$(cat m)"
'

test_expect_success 'tail longer than the object: the whole object' '
	fetchtest tail $BUCKET obj 1000000 >got 2>info
	cmp "$TMP/obj" got
	assert_match "^offset 0 size 300000 " "$(cat info)"
'

test_expect_success 'tail of an empty object: nothing, size 0' '
	fetchtest tail $BUCKET empty 100 >got 2>info
	[ ! -s got ]
	assert_match "^offset 0 size 0 " "$(cat info)"
'

test_expect_success 'range A-B, and clipped at the end; all' '
	fetchtest range $BUCKET obj 1000 1999 >got 2>info
	tail -c +1001 "$TMP/obj" | head -c 1000 | cmp - got
	assert_match "^offset 1000 size 300000 " "$(cat info)"
	fetchtest range $BUCKET obj 299990 400000 >got 2>info
	tail -c 10 "$TMP/obj" | cmp - got
	fetchtest all $BUCKET obj >got 2>info
	cmp "$TMP/obj" got
	assert_exit 2 fetchtest range $BUCKET obj 400000 400001 2>err
	assert_match "beyond the end" "$(cat err)"
'

test_expect_success 'the cap: a larger answer is refused' '
	assert_exit 1 fetchtest all $BUCKET obj 1000 2>err
	assert_match "larger than 1000 bytes" "$(cat err)"
	assert_exit 1 fetchtest tail $BUCKET obj 5000 4096 2>err
'

test_expect_success 'missing object: 404, exit 1' '
	assert_exit 1 fetchtest tail $BUCKET nope 10 2>err
	assert_match "404" "$(cat err)"
'

fault_proxy reset "$UP" "1 reset 20000" "2 truncate 100"
test_expect_success 'suffix body broken twice: resumed, right bytes' '
	AWS_ENDPOINT_URL=$FP_ENDPOINT FETCHTEST_METRICS=m2 \
	    fetchtest tail $BUCKET obj 65536 >got 2>info
	tail -c 65536 "$TMP/obj" | cmp - got
	assert_eq 3 "$(grep -c "^req " "$TMP/reset.log")"
	# the retries asked for the rest as an explicit range, with If-Match
	assert_match "\"attempts\":3" "$(cat m2)"
	assert_match "\"bytes_in\":65536," "$(cat m2)"
'

test_done
