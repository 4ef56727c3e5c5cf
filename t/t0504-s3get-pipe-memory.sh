#!/bin/bash
# A closed output pipe ends s3get quietly (SIGPIPE, like cat) and aborts
# the outstanding requests; peak RSS of a large download to /dev/null
# stays under the bound (j + 2 parts plus the program).
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
SIZE=$(( $(scaled 256) << 20 ))
[ "$TEST_HEAVY" = 1 ] && SIZE=$((2 << 30))
[ $SIZE -ge $((32 << 20)) ] || SIZE=$((32 << 20))
mkfile "$TMP/obj" $SIZE
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/obj"
rm -f "$TMP/obj"

test_expect_success 's3get | head -c 10: quiet, SIGPIPE status, fast' '
	start=$(date +%s)
	set +e
	s3get --endpoint-url $S3_ENDPOINT --part-size 1M --metrics m \
	    s3://$BUCKET/obj 2>err | head -c 10 >got
	st=("${PIPESTATUS[@]}")
	set -e
	assert_eq "141 0" "${st[*]}" "pipeline status"
	[ ! -s err ] || { cat err; false; }
	assert_eq 10 "$(wc -c <got)"
	# aborted: far fewer ranges than the object has
	n=$(grep -c GetObject m)
	echo "$n GETs"
	[ "$n" -lt $(( '"$SIZE"' / (1 << 20) / 2 )) ]
	[ $(( $(date +%s) - start )) -lt 20 ]
'

test_expect_success '-o to a full disk-like error: exit 1, message' '
	assert_exit 1 s3get --endpoint-url $S3_ENDPOINT -o /dev/full/x \
	    s3://$BUCKET/obj 2>err
	assert_match "/dev/full/x" "$(cat err)"
	assert_exit 1 s3get --endpoint-url $S3_ENDPOINT s3://$BUCKET/obj \
	    >/dev/full 2>err
	assert_match "write.*No space" "$(cat err)"
'

if [ "$TEST_SANITIZE" = 1 ]; then
	test_skip 'peak RSS bound' 'sanitizer build'
else
	test_expect_success 'peak RSS to /dev/null with -j 8 is at most 112 MiB' '
		/usr/bin/time -f "%M" -o rss s3get --endpoint-url $S3_ENDPOINT \
		    -j 8 s3://$BUCKET/obj >/dev/null
		kib=$(tail -n 1 rss)
		echo "peak RSS ${kib} KiB for '"$SIZE"' bytes"
		[ "$kib" -le $((112 * 1024)) ]
	'
	test_expect_success 'peak RSS follows -j and --part-size (2 x 1M)' '
		/usr/bin/time -f "%M" -o rss s3get --endpoint-url $S3_ENDPOINT \
		    -j 1 --part-size 1M s3://$BUCKET/obj >/dev/null
		kib=$(tail -n 1 rss)
		echo "peak RSS ${kib} KiB"
		[ "$kib" -le $((24 * 1024)) ]
	'
fi

test_done
