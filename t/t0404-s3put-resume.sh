#!/bin/bash
# s3put --resume after kill -9 (parts already sent are not resent,
# counted in --metrics; the object is identical), a different input is
# refused, and SIGINT/SIGTERM abort the upload (exit 130/143) unless
# --resume keeps it.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
export AWS_ENDPOINT_URL=$S3_ENDPOINT
M=$((1 << 20))
SIZE=$(( $(scaled 200) * M ))
[ $SIZE -ge $((20 * M)) ] || SIZE=$((20 * M))
mkfile "$TMP/in" $SIZE
NPARTS=$(( (SIZE + 5 * M - 1) / (5 * M) ))

# wait_for N CMD...: poll CMD every 0.1 s, at most N times.
wait_for() {
	_w=$1
	shift
	while [ "$_w" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_w=$((_w - 1))
	done
	return 1
}
parts_in() { _p=$(grep -c "^part " "$1" 2>/dev/null); [ "${_p:-0}" -ge "$2" ]; }
# live KEY ID / gone KEY ID: whether upload ID exists, asked of the
# upload itself (ListParts), which is not subject to listing delays.
# Only for aborts: Swift keeps a completed upload's marker for a while
# (so that a retried Complete succeeds), where AWS says NoSuchUpload.
live() {
	$AWS s3api list-parts --bucket $BUCKET --key "$1" --upload-id "$2" \
	    >/dev/null
}
gone() {
	! live "$1" "$2" 2>lp.err || return 1
	grep -q NoSuchUpload lp.err && return 0
	cat lp.err
	return 1
}
# id_in STATEFILE: the upload id the state names.
id_in() { sed -n "s/^upload //p" "$1"; }

test_expect_success 'kill -9 after some parts, rerun with --resume' '
	cat in | s3put --resume st --part-size 5M -j 2 --limit-rate $((SIZE / 8)) \
	    s3://$BUCKET/r >/dev/null 2>&1 &
	pid=$!
	wait_for 300 parts_in st 3
	kill -9 $pid
	wait $pid || true
	done=$(grep -c "^part " st)
	[ "$done" -lt $NPARTS ]
	id=$(id_in st)
	live r "$id"
	cat in | s3put --resume st --part-size 5M --json --metrics m \
	    s3://$BUCKET/r >out
	assert_match "\"skipped_parts\":$done," "$(cat out)"
	assert_eq $((NPARTS - done)) "$(grep -c "\"op\":\"UploadPart\"" m)"
	[ ! -e st ]
	$AWS s3 cp --quiet s3://$BUCKET/r got
	cmp in got
	want=$(sum8m -a etag -p 5M in | cut -d" " -f1)
	assert_match "^\\{\"etag\":\"$want\"" "$(cat out)"
	s3_uploads_are 0
'

test_expect_success 'a different input is refused, the upload kept' '
	cat in | s3put --resume st2 --part-size 5M -j 1 --limit-rate 10M \
	    s3://$BUCKET/d >/dev/null 2>&1 &
	pid=$!
	wait_for 300 parts_in st2 2
	kill -9 $pid
	wait $pid || true
	{ printf x; tail -c +2 in; } >other
	cat other | { assert_exit 1 s3put --resume st2 --part-size 5M \
	    s3://$BUCKET/d 2>err; }
	assert_match "input differs from the interrupted upload at part 1" \
	    "$(cat err)"
	[ -s st2 ]
	id=$(id_in st2)
	live d "$id"
	head -c 1000 in | { assert_exit 1 s3put --resume st2 \
	    s3://$BUCKET/d 2>err; }
	assert_match "refusing to resume" "$(cat err)"
	# the right input still completes it
	s3put --resume st2 -f in s3://$BUCKET/d >out
	s3_uploads_are 0
'

# sig NAME SIGNAL STATUS [--resume FILE]: start a slow upload, send
# SIGNAL once the multipart upload exists, require exit STATUS.
sig() {
	cat in | s3put -v --part-size 5M -j 1 --limit-rate 5M "${@:4}" \
	    s3://$BUCKET/$1 >/dev/null 2>err &
	pid=$!
	wait_for 300 grep -q "multipart upload" err
	kill -$2 $pid
	set +e
	wait $pid
	rc=$?
	set -e
	assert_eq $3 $rc "exit status"
	id=$(sed -n "s/.*multipart upload //p" err)
	[ -n "$id" ]
}

test_expect_success 'SIGINT: upload aborted, exit 130' '
	sig int INT 130
	gone int "$id"
	s3_uploads_are 0
'

test_expect_success 'SIGTERM: upload aborted, exit 143' '
	sig term TERM 143
	gone term "$id"
	s3_uploads_are 0
'

test_expect_success 'SIGTERM with --resume: upload and state kept' '
	sig keep TERM 143 --resume st3
	[ -s st3 ]
	assert_eq "$id" "$(id_in st3)"
	live keep "$id"
	s3_uploads_are 1
	cat in | s3put --resume st3 --part-size 5M s3://$BUCKET/keep >out
	s3_uploads_are 0
'

test_done
