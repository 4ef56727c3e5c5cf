#!/bin/bash
# s3get -r s3://bucket/prefix/ DIR: every key under the prefix into DIR;
# a second run downloads nothing; changed objects are fetched again;
# unsafe keys are refused.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
S="s3get --endpoint-url $S3_ENDPOINT --part-size 1M -j 4"
mkdir -p "$TMP/src/sub/deeper"
mkfile "$TMP/src/a" 1000
mkfile "$TMP/src/empty" 0
mkfile "$TMP/src/sub/b" 300000
mkfile "$TMP/src/sub/deeper/big" $((3 << 20))
for i in $(seq 20); do mkfile "$TMP/src/sub/s$i" $((i * 777)); done
$AWS s3 cp --quiet --recursive "$TMP/src" "s3://$BUCKET/pre/"
$AWS s3 cp --quiet "$TMP/src/a" "s3://$BUCKET/other/a"
$AWS s3 cp --quiet "$TMP/src/a" "s3://$BUCKET/prefix-not/a"
$AWS s3api put-object --bucket $BUCKET --key pre/dirmarker/ >/dev/null

test_expect_success 'first run: every key, identical, nothing outside' '
	$S -r --metrics m s3://$BUCKET/pre/ out 2>err
	diff -r "$TMP/src" out
	assert_match "24 downloaded, 0 up to date, 0 failed" "$(cat err)"
	assert_eq 0 "$(find out -name "*.part*" | wc -l)"
'

test_expect_success 'second run: nothing downloaded, no GET' '
	$S -r --metrics m2 s3://$BUCKET/pre out 2>err
	assert_match "0 downloaded, 24 up to date" "$(cat err)"
	assert_eq 0 "$(grep -c GetObject m2 || true)"
'

test_expect_success 'changed object and missing file: only those fetched' '
	mkfile new 2000
	$AWS s3 cp --quiet new "s3://$BUCKET/pre/sub/b"
	rm out/a
	$S -r --metrics m3 s3://$BUCKET/pre/ out 2>err
	assert_match "2 downloaded, 22 up to date" "$(cat err)"
	cmp new out/sub/b
	cmp "$TMP/src/a" out/a
'

test_expect_success 'files written by others: md5 of single-PUT ETags' '
	mkdir -p mine/sub
	cp "$TMP/src/a" mine/a
	head -c 1000 /dev/zero >mine/sub/s1
	$S -r s3://$BUCKET/pre/ mine 2>err
	cmp "$TMP/src/a" mine/a
	cmp "$TMP/src/sub/s1" mine/sub/s1
	assert_match "23 downloaded, 1 up to date" "$(cat err)"
'

test_expect_success 'unsafe key is refused, the rest downloaded, exit 1' '
	$AWS s3api put-object --bucket $BUCKET --key "bad/x/../../evil" \
	    --body "$TMP/src/a" >/dev/null
	$AWS s3 cp --quiet "$TMP/src/a" "s3://$BUCKET/bad/ok"
	if $AWS s3 ls --recursive s3://$BUCKET/bad/ | grep -q "\.\./"; then
		assert_exit 1 $S -r s3://$BUCKET/bad/ d 2>err
		assert_match "not a safe relative path" "$(cat err)"
		[ ! -e evil ] && [ ! -e d/../evil ]
	else
		assert_exit 0 $S -r s3://$BUCKET/bad/ d 2>err
	fi
	cmp "$TMP/src/a" d/ok
'

test_expect_success 'empty prefix and usage errors' '
	$S -r s3://$BUCKET/nothing-here/ e 2>err
	assert_match "0 downloaded" "$(cat err)"
	assert_exit 2 s3get -r s3://$BUCKET/pre/ 2>err
	assert_exit 2 s3get -r -o x s3://$BUCKET/pre/ d 2>err
'

test_done
