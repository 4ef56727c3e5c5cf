#!/bin/bash
# s3ls against Swift s3api over HTTP and HTTPS: buckets, prefixes,
# pagination, long and JSON forms, multipart uploads, bad credentials.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
TLS="--endpoint-url $S3_ENDPOINT_TLS --ca-bundle $S3_CA_BUNDLE"
export AWS_ENDPOINT_URL=$S3_ENDPOINT

# 30 keys under a/, 2 under b/, one at the top.
for i in $(seq -w 1 30); do echo "a$i"; done >keys
for k in $(cat keys); do printf '%s' "$k" >"$TMP/obj"
	$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/a/$k"; done
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/b/x1"
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/b/x2"
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/top"

test_expect_success 'bucket list contains the test bucket' '
	s3ls s3:// >out
	grep -qx "s3://$BUCKET" out
'

test_expect_success 'delimiter listing: prefixes and top-level keys' '
	s3ls s3://$BUCKET >out
	printf "s3://%s/a/\ns3://%s/b/\ns3://%s/top\n" $BUCKET $BUCKET $BUCKET >want
	assert_files_eq want out
'

test_expect_success 'recursive listing with --page-size 10 pages through 33 keys' '
	s3ls -r --page-size 10 --metrics m.jsonl s3://$BUCKET >out
	assert_eq 33 "$(wc -l <out)"
	assert_eq 4 "$(grep -c "\"op\":\"ListObjectsV2\"" m.jsonl)" "pages"
	sed "s,^s3://$BUCKET/,," out | sort >got
	$AWS s3api list-objects-v2 --bucket $BUCKET --query "Contents[].Key" \
	    --output text | tr "\t" "\n" | sort >want
	assert_files_eq want got
'

test_expect_success 'prefix listing over HTTPS' '
	s3ls $TLS -r s3://$BUCKET/b/ >out
	printf "s3://%s/b/x1\ns3://%s/b/x2\n" $BUCKET $BUCKET >want
	assert_files_eq want out
'

test_expect_success 'long form: size and ETag agree with awscli' '
	s3ls -l s3://$BUCKET/top >out
	etag=$($AWS s3api head-object --bucket $BUCKET --key top \
	    --query ETag --output text)
	assert_match "  +3  $etag  s3://$BUCKET/top\$" "$(cat out)"
'

test_expect_success 'JSON form parses, one object per line' '
	s3ls --json -r s3://$BUCKET/a/ >out
	node -e "
	    const l = require(\"fs\").readFileSync(\"out\", \"utf8\").trim().split(\"\n\");
	    if (l.length !== 30) process.exit(1);
	    for (const x of l) { const j = JSON.parse(x);
	        if (j.size !== 3 || !j.key.startsWith(\"a/\")) process.exit(2); }"
'

test_expect_success 'uploads: list, and abort the stale ones' '
	id=$($AWS s3api create-multipart-upload --bucket $BUCKET --key stale \
	    --query UploadId --output text)
	s3ls --uploads s3://$BUCKET >out
	assert_match "  $id  s3://$BUCKET/stale\$" "$(cat out)"
	s3ls --uploads --abort-older-than 1d s3://$BUCKET >out 2>err
	assert_eq "" "$(cat out)" "nothing is a day old"
	sleep 2
	s3ls --uploads --abort-older-than 1s s3://$BUCKET >out 2>err
	assert_match "^aborted .* $id  s3://$BUCKET/stale\$" "$(cat out)"
	assert_eq "" "$(s3ls --uploads s3://$BUCKET)"
'

test_expect_success 'wrong secret: exit 1, SignatureDoesNotMatch, request id, no secret' '
	assert_exit 1 env AWS_SECRET_ACCESS_KEY=sekr1t-wrong-key s3ls \
	    -v s3://$BUCKET >out 2>err
	assert_match "403 SignatureDoesNotMatch" "$(cat err)"
	assert_match "request id tx[0-9a-f]" "$(cat err)"
	! grep -q "sekr1t" out err
'

test_expect_success 'missing bucket: NoSuchBucket, exit 1' '
	assert_exit 1 s3ls s3://no-such-bucket-$$ 2>err
	assert_match "404 NoSuchBucket" "$(cat err)"
'

test_expect_success 'usage errors exit 2' '
	assert_exit 2 s3ls 2>/dev/null
	assert_exit 2 s3ls http://x 2>/dev/null
	assert_exit 2 s3ls --page-size 0 s3://$BUCKET 2>/dev/null
	assert_exit 2 s3ls --abort-older-than 1d s3://$BUCKET 2>/dev/null
'

if [ "$TEST_HEAVY" = 1 ]; then
	test_expect_success 'heavy: 1,001 keys list completely' '
		for i in $(seq 1 1001); do echo "put big/k$i"; done >/dev/null
		mkdir -p up/big && for i in $(seq 1 1001); do : >up/big/k$i; done
		$AWS s3 cp --quiet --recursive up/big s3://$BUCKET/big/
		assert_eq 1001 "$(s3ls -r s3://$BUCKET/big/ | wc -l)"
	'
fi

test_done
