#!/bin/bash
# s3rm: deletes objects; a missing key is success; errors carry context.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
export AWS_ENDPOINT_URL=$S3_ENDPOINT

test_expect_success 'delete two objects; awscli no longer sees them' '
	echo a >a && $AWS s3 cp --quiet a s3://$BUCKET/x/a
	$AWS s3 cp --quiet a s3://$BUCKET/x/b
	s3rm s3://$BUCKET/x/a s3://$BUCKET/x/b >out
	printf "deleted s3://%s/x/a\ndeleted s3://%s/x/b\n" $BUCKET $BUCKET >want
	assert_files_eq want out
	assert_eq "" "$($AWS s3 ls s3://$BUCKET/x/)"
'

test_expect_success 'a missing key is success' '
	s3rm -q s3://$BUCKET/never-there
'

test_expect_success 'missing bucket: exit 1 with the S3 code' '
	assert_exit 1 s3rm s3://no-such-bucket-$$/k 2>err
	assert_match "DeleteObject s3://no-such-bucket-$$/k: 404 NoSuchBucket" \
	    "$(cat err)"
'

test_expect_success 'usage: bucket-only URL and no argument exit 2' '
	assert_exit 2 s3rm s3://$BUCKET 2>/dev/null
	assert_exit 2 s3rm 2>/dev/null
'

test_done
