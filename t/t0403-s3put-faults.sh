#!/bin/bash
# s3put: part-size growth, and faults through the fault proxy (503s, a
# connection dropped after a part's body, a stall beyond
# --stall-timeout, 500 on Complete, a broken HEAD answer, a stale
# pooled connection, retries running out, a permanent refusal). Each ends with the right object or
# the right exit status, and no multipart upload is left behind.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
UP=${S3_ENDPOINT#http://}
export AWS_ENDPOINT_URL=$S3_ENDPOINT
M=$((1 << 20))

# etag_of FILE SIZE...: multipart ETag of FILE cut in parts of SIZEs.
etag_of() {
	f=$1
	shift
	off=0
	for s; do
		tail -c +$((off + 1)) "$f" | head -c "$s" | md5sum | cut -c1-32
		off=$((off + s))
	done | xxd -r -p | md5sum | cut -c1-32 | sed "s/\$/-$#/"
}
same_object() {
	$AWS s3 cp --quiet "s3://$BUCKET/$1" got
	cmp "$2" got
}
proxy() {
	fault_proxy "$@"
	EP=$FP_ENDPOINT
}
reqs() { grep -c "^req " "$TMP/$1.log"; }

mkfile "$TMP/in60" $((60 * M))
test_expect_success 'growth: --max-parts 4 --part-size 5M, 60 MiB' '
	cat in60 | s3put --max-parts 4 --part-size 5M s3://$BUCKET/grow >out
	want=$(etag_of in60 $((5 * M)) $((55 * M)))
	assert_eq "$want  $((60 * M))  2  s3://$BUCKET/grow" "$(cat out)"
	same_object grow in60
'

test_expect_success 'a stream past the capacity of the parts: exit 1' '
	head -c $((6 * M)) in60 >in6
	# a file has a known size: one 6 MiB part
	s3put --max-parts 1 --part-size 5M s3://$BUCKET/fits <in6 >out
	assert_match "-1  $((6 * M))  1 " "$(cat out)"
	cat in6 | { assert_exit 1 s3put --max-parts 1 --part-size 5M \
	    s3://$BUCKET/toobig 2>err; }
	assert_match "larger than 1 parts can hold" "$(cat err)"
	s3_uploads_are 0
'

mkfile "$TMP/in" $((20 * M + 3))
proxy slow "$UP" "2 503" "4 503"
test_expect_success '503 SlowDown on part PUTs: retried, right object' '
	cat in | s3put --endpoint-url $EP --part-size 5M --metrics m \
	    s3://$BUCKET/slow >out
	same_object slow in
	# two 503s in the UploadPart lines, every part ends with a 200
	grep "\"op\":\"UploadPart\"" m | grep -o "\"statuses\":[^]]*]" >st
	assert_eq 2 "$(grep -o 503 st | wc -l)" "503s retried"
	assert_eq 5 "$(grep -c "200]$" st)" "parts stored"
	s3_uploads_are 0
'

proxy drop "$UP" "3 close" "5 reset 0"
test_expect_success 'connection dropped after a part body, reset: resent' '
	cat in | s3put --endpoint-url $EP --part-size 5M -j 2 \
	    s3://$BUCKET/drop >out
	same_object drop in
	s3_uploads_are 0
'

proxy stall "$UP" "3 stall 10s"
test_expect_success 'stall beyond --stall-timeout: the part is resent' '
	start=$(date +%s)
	cat in | s3put --endpoint-url $EP --part-size 5M --stall-timeout 1 \
	    s3://$BUCKET/stall >out
	[ $(( $(date +%s) - start )) -lt 9 ]
	same_object stall in
	s3_uploads_are 0
'

# -j 1: 1 create, 2-6 parts, 7 Complete, 8 Complete again, 9 HEAD...
proxy done500 "$UP" "7 500"
test_expect_success '500 on Complete: retried, right object' '
	cat in | s3put --endpoint-url $EP --part-size 5M -j 1 \
	    s3://$BUCKET/c500 >out
	assert_match "^[0-9a-f]{32}-5  $((20 * M + 3))  5 " "$(cat out)"
	same_object c500 in
	assert_match "req 8 conn [0-9]+ POST" "$(cat $TMP/done500.log)"
'

# The first Complete reaches the server, its answer is lost: the retry
# meets a completed upload (Swift answers 200 again, AWS NoSuchUpload;
# s3put then HEADs and accepts a matching object).
proxy lost "$UP" "7 reset 0"
test_expect_success 'Complete answer lost after the server completed' '
	cat in | s3put --endpoint-url $EP --part-size 5M -j 1 \
	    s3://$BUCKET/lost >out
	assert_match "req 8 conn [0-9]+ POST" "$(cat $TMP/lost.log)"
	same_object lost in
	s3_uploads_are 0
'

proxy head "$UP" "8 close" "9 garbage"
test_expect_success 'HEAD answered with a closed connection, then garbage: retried' '
	cat in | s3put --endpoint-url $EP --part-size 5M -j 1 \
	    s3://$BUCKET/head >out
	assert_eq 10 "$(reqs head)"
	same_object head in
'

proxy exhaust "$UP" "2-3 503"
test_expect_success 'retries run out on a part: exit 75, upload aborted' '
	cat in | { assert_exit 75 s3put --endpoint-url $EP --part-size 5M \
	    -j 1 --retries 1 s3://$BUCKET/x75 2>err; }
	assert_match "UploadPart s3://$BUCKET/x75: 503 SlowDown" "$(cat err)"
	assert_match "DELETE" "$(grep "^req 4 " $TMP/exhaust.log)"
	s3_uploads_are 0
'

proxy deny "$UP" "3 error 403 AccessDenied"
test_expect_success 'a part refused for good: exit 1, upload aborted' '
	cat in | { assert_exit 1 s3put --endpoint-url $EP --part-size 5M \
	    s3://$BUCKET/x1 2>err; }
	assert_match "403 AccessDenied" "$(cat err)"
	s3_uploads_are 0
	! $AWS s3api head-object --bucket $BUCKET --key x1 2>/dev/null
'

# An idle keep-alive connection the server has closed: the request
# that meets it went nowhere, so it goes again on a new connection, even
# with --retries 0. The same failure on a new connection is not resent.
mkfile "$TMP/one" 1000
proxy stale "$UP" "2 close"
test_expect_success 'pooled connection closed unanswered: resent outside --retries' '
	s3put --retries 0 --endpoint-url $EP -f one s3://$BUCKET/stale >out
	same_object stale one
	assert_eq 3 "$(reqs stale)"
	assert_match "^req 3 conn 2 HEAD" "$(grep "^req 3 " $TMP/stale.log)"
'
proxy stale2 "$UP" "2-3 close"
test_expect_success 'closed unanswered on the new connection too: exit 75' '
	assert_exit 75 s3put --retries 0 --endpoint-url $EP -f one \
	    s3://$BUCKET/stale2 2>err
	assert_match "HeadObject s3://$BUCKET/stale2: .*2 attempts" "$(cat err)"
	assert_eq 3 "$(reqs stale2)"
'

# Directly to Swift: a file cut short while its parts are being sent.
test_expect_success '-f input shrinking during the upload: exit 1, aborted' '
	mkfile shr $((100 << 20))
	{ sleep 1; truncate -s $((10 << 20)) shr; } &
	assert_exit 1 timeout 120 s3put --limit-rate 20M -f shr \
	    s3://$BUCKET/shr 2>err
	wait
	assert_match "input shrank" "$(cat err)"
	s3_uploads_are 0
	! $AWS s3api head-object --bucket $BUCKET --key shr 2>/dev/null
'

test_done
