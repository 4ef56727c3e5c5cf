#!/bin/sh
# s3-bucket-rm.sh BUCKET: remove a test bucket from the S3 server in
# $S3_ENDPOINT (credentials from the environment, as swift.env sets
# them): delete every object, abort every multipart upload, delete the
# bucket. Used by s3_bucket_new's cleanup (t/lib.sh). Quiet; exit 1 if
# the bucket is still there afterwards.
set -u
b=$1
aws="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
$aws s3 rm --recursive --quiet "s3://$b" >/dev/null 2>&1
$aws s3api list-multipart-uploads --bucket "$b" \
    --query 'Uploads[].[Key,UploadId]' --output text 2>/dev/null |
while read -r key id; do
	[ -n "$id" ] && [ "$key" != None ] || continue
	$aws s3api abort-multipart-upload --bucket "$b" --key "$key" \
	    --upload-id "$id" >/dev/null 2>&1
done
$aws s3api delete-bucket --bucket "$b" >/dev/null 2>&1
! $aws s3api head-bucket --bucket "$b" >/dev/null 2>&1
