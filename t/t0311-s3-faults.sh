#!/bin/bash
# The S3 layer through the fault proxy: retries on 503/500/garbage,
# resumed GETs after resets and truncation, stall timeout -> exit 75.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
UP=${S3_ENDPOINT#http://}

mkfile "$TMP/obj" $(( 3 << 20 ))
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/obj"
for i in 1 2 3; do $AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/k$i"; done

# proxy NAME RULE...: fresh fault proxy in front of Swift; endpoint in $EP.
proxy() {
	fault_proxy "$@"
	EP=$FP_ENDPOINT
}
reqs() { grep -c "^req " "$TMP/$1.log"; }

proxy slow "$UP" "1 503"
test_expect_success '503 SlowDown, then success: one retry, in the metrics' '
	s3ls -r --endpoint-url $EP --metrics m s3://$BUCKET >out
	assert_eq 4 "$(wc -l <out)"
	assert_eq 2 "$(reqs slow)"
	assert_match "\"attempts\":2,\"statuses\":\\[503,200\\]" "$(cat m)"
'

proxy reset "$UP" "1 reset 100000"
test_expect_success 'reset mid-body: GET resumes at the byte where it broke' '
	AWS_ENDPOINT_URL=$EP S3OP_METRICS=m s3op get $BUCKET obj 0 -1 >got
	cmp "$TMP/obj" got
	assert_eq 2 "$(reqs reset)"
	assert_match "\"bytes_in\":$(( 3 << 20 ))," "$(cat m)"
'

proxy trunc "$UP" "1 truncate 5000" "2 garbage"
test_expect_success 'truncated body, then garbage: still the right bytes' '
	AWS_ENDPOINT_URL=$EP s3op get $BUCKET obj 1000 -1 >got
	tail -c +1001 "$TMP/obj" | cmp - got
	assert_eq 3 "$(reqs trunc)"
'

proxy stall "$UP" "* stall 10s"
test_expect_success 'stall beyond --stall-timeout: exit 75, clear message' '
	start=$(date +%s)
	assert_exit 75 s3ls --endpoint-url $EP --stall-timeout 1 --retries 1 \
	    s3://$BUCKET 2>err
	assert_match "ListObjectsV2 s3://$BUCKET: .*(timeout|stall)" "$(cat err)"
	assert_match "2 attempts" "$(cat err)"
	[ $(( $(date +%s) - start )) -lt 9 ]
'

proxy down "$UP" "* 500"
test_expect_success '500 on every request: exit 75 after the retries' '
	assert_exit 75 s3ls --endpoint-url $EP --retries 2 s3://$BUCKET 2>err
	assert_match "500 InternalError" "$(cat err)"
	assert_match "3 attempts" "$(cat err)"
	assert_eq 3 "$(reqs down)"
'

proxy notfound "$UP" "* error 403 AccessDenied"
test_expect_success '403 is not retried' '
	assert_exit 1 s3ls --endpoint-url $EP s3://$BUCKET 2>err
	assert_match "403 AccessDenied" "$(cat err)"
	assert_eq 1 "$(reqs notfound)"
'

test_expect_success 'connection refused: transient, exit 75' '
	assert_exit 75 s3ls --endpoint-url http://127.0.0.1:1 --retries 1 \
	    --connect-timeout 2 s3://$BUCKET 2>err
	assert_match "refused" "$(cat err)"
'

test_done
