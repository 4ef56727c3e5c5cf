#!/bin/bash
# -o FILE --resume: kill -9 at about 50 %, then the rest is fetched,
# bytes identical, and only the missing bytes were requested (metrics).
# A changed object starts over; no final file before success.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
SIZE=$(( $(scaled 40) << 20 ))
[ $SIZE -ge $((4 << 20)) ] || SIZE=$((4 << 20))
mkfile "$TMP/obj" $SIZE
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/obj"
G="s3get --endpoint-url $S3_ENDPOINT --part-size 256K -j 4"

test_expect_success 'kill -9 at ~50 %, --resume fetches only the rest' '
	rate=$(( '"$SIZE"' / 4 ))
	$G --limit-rate $rate -o out s3://$BUCKET/obj 2>/dev/null &
	pid=$!
	half=$(( '"$SIZE"' / 2 ))
	for i in $(seq 200); do
		n=$(stat -c %s out.part 2>/dev/null || echo 0)
		[ "$n" -ge "$half" ] && break
		sleep 0.05
	done
	kill -9 $pid
	wait $pid || true
	[ ! -e out ]
	have=$(stat -c %s out.part)
	echo "killed at $have of '"$SIZE"'"
	[ "$have" -gt 0 ] && [ "$have" -lt '"$SIZE"' ]
	head -c "$have" "$TMP/obj" | cmp - out.part
	$G -o out --resume --metrics m1 s3://$BUCKET/obj
	cmp "$TMP/obj" out
	[ ! -e out.part ] && [ ! -e out.part.s3get ]
	assert_eq $(( '"$SIZE"' - have )) "$(get_bytes_in m1)" "bytes requested"
	assert_match "\"op\":\"HeadObject\"" "$(cat m1)"
'

test_expect_success '--resume of a complete part file: no GET at all' '
	head -c '"$SIZE"' "$TMP/obj" >out.part
	printf "s3get-resume 1\ns3://%s/obj\n0\n%s\n%s\n" $BUCKET \
	    "$($AWS s3api head-object --bucket $BUCKET --key obj --query ETag \
	    --output text)" '"$SIZE"' >out.part.s3get
	$G -o out --resume --metrics m2 s3://$BUCKET/obj
	cmp "$TMP/obj" out
	assert_eq 0 "$(grep -c GetObject m2 || true)"
'

test_expect_success '--resume of a part file longer than the object' '
	{ cat "$TMP/obj"; echo junk; } >out.part
	printf "s3get-resume 1\ns3://%s/obj\n0\n%s\n%s\n" $BUCKET \
	    "$($AWS s3api head-object --bucket $BUCKET --key obj --query ETag \
	    --output text)" '"$SIZE"' >out.part.s3get
	$G -o out --resume s3://$BUCKET/obj 2>err
	cmp "$TMP/obj" out
	assert_match "longer than the object; starting over" "$(cat err)"
'

test_expect_success '--resume after the object changed: starts over' '
	head -c 1000 "$TMP/obj" >out.part
	printf "s3get-resume 1\ns3://%s/obj\n0\n\"%s\"\n%s\n" $BUCKET \
	    0123456789abcdef0123456789abcdef '"$SIZE"' >out.part.s3get
	$G -o out --resume --metrics m3 s3://$BUCKET/obj 2>err
	cmp "$TMP/obj" out
	assert_match "changed since the partial download.*starting over" \
	    "$(cat err)"
	assert_eq '"$SIZE"' "$(get_bytes_in m3)"
'

test_expect_success '--resume with no part file: a plain download' '
	rm -f out
	$G -o out --resume s3://$BUCKET/obj
	cmp "$TMP/obj" out
'

test_expect_success 'without --resume an old part file is replaced' '
	head -c 5000 /dev/zero >out.part
	$G -o out s3://$BUCKET/obj
	cmp "$TMP/obj" out
'

test_expect_success '--resume with --range continues inside the range' '
	head -c 300000 "$TMP/obj" | tail -c 200000 >want
	head -c 50000 want >r.part
	printf "s3get-resume 1\ns3://%s/obj\n100000\n%s\n%s\n" $BUCKET \
	    "$($AWS s3api head-object --bucket $BUCKET --key obj --query ETag \
	    --output text)" '"$SIZE"' >r.part.s3get
	$G -o r --resume --range 100000-299999 --metrics m6 s3://$BUCKET/obj
	cmp want r
	assert_eq 150000 "$(get_bytes_in m6)"
'

test_done
