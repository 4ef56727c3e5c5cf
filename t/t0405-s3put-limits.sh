#!/bin/bash
# s3put: peak memory (RSS from /usr/bin/time), --limit-rate, and bad
# input (one-line errors, exit 1 or 2, no orphan uploads).
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
export AWS_ENDPOINT_URL=$S3_ENDPOINT
M=$((1 << 20))

# gen MIB: MIB MiB of the 16 MiB random pool, repeated.
gen() {
	_n=$(( ($1 + 15) / 16 ))
	for _i in $(seq $_n); do cat "$DATA_RANDOM"; done | head -c $(($1 * M))
}
# rss_kib FILE: the "Maximum resident set size" of /usr/bin/time -v.
rss_kib() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

if [ "$TEST_HEAVY" = 1 ]; then BIG=2048; else BIG=$(scaled 400); fi
test_expect_success "RSS: $BIG MiB stdin, -j 8 --part-size 8M, <= 96 MiB" '
	gen $BIG | /usr/bin/time -v -o tv s3put -j 8 --part-size 8M \
	    s3://$BUCKET/big >out
	assert_match "  $((BIG * M))  " "$(cat out)"
	echo "# peak RSS $(rss_kib tv) KiB" >&3
	[ "$TEST_SANITIZE" = 1 ] || [ "$(rss_kib tv)" -le $((96 * 1024)) ]
' 3>&1

test_expect_success 'RSS: --max-parts 4 --max-memory 64M, 300 MiB < 80 MiB' '
	n=$(scaled 300)
	gen $n | /usr/bin/time -v -o tv s3put --max-parts 4 \
	    --max-memory 64M --spool "$TMP" s3://$BUCKET/grow >out
	assert_match "  $((n * M))  [1-4]  " "$(cat out)"
	echo "# peak RSS $(rss_kib tv) KiB" >&3
	[ "$TEST_SANITIZE" = 1 ] || [ "$(rss_kib tv)" -le $((80 * 1024)) ]
	gen $n | cmp - <($AWS s3 cp s3://$BUCKET/grow -)
' 3>&1

# The token bucket (lib/rate.h) lets one second's worth through at once,
# so N MiB at R MiB/s take at least (N - R) / R s: 50 at 10M, 4 s
# (unlimited, this takes about 0.5 s here).
test_expect_success '--limit-rate 10M: 50 MiB take at least 3.5 s' '
	gen 50 >in
	start=$(date +%s%N)
	s3put --limit-rate 10M -f in s3://$BUCKET/rate >out
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "# $ms ms" >&3
	[ $ms -ge 3500 ]
' 3>&1

one_line() { assert_eq 1 "$(wc -l <"$1")" "error lines"; }

test_expect_success 'bad URLs: exit 2' '
	echo x >in1
	assert_exit 2 s3put -f in1 http://x/y 2>err
	one_line err
	assert_exit 2 s3put -f in1 s3://$BUCKET 2>err
	one_line err
	assert_exit 2 s3put -f in1 2>err
'

test_expect_success 'out-of-range options: exit 2, one line' '
	for a in "--part-size 4M" "--part-size 6G" "--max-parts 0" \
	    "--max-parts 10001" "-j 0" "--checksum md5" \
	    "--part-size 5M --threshold 6M" "--max-memory 0"; do
		assert_exit 2 s3put $a -f in1 s3://$BUCKET/k 2>err
		one_line err
	done
'

test_expect_success 'missing bucket: exit 1, NoSuchBucket with request id' '
	assert_exit 1 s3put -f in1 s3://no-such-bucket-s3put/k 2>err
	one_line err
	assert_match "404 NoSuchBucket.*request id tx" "$(cat err)"
	gen 20 | { assert_exit 1 s3put s3://no-such-bucket-s3put/k 2>err; }
	assert_match "CreateMultipartUpload.*NoSuchBucket" "$(cat err)"
'

test_expect_success 'wrong credentials: exit 1, one line, nothing left' '
	gen 20 | { AWS_SECRET_ACCESS_KEY=wrong assert_exit 1 s3put \
	    s3://$BUCKET/creds 2>err; }
	one_line err
	assert_match "403 (SignatureDoesNotMatch|AccessDenied)" "$(cat err)"
	! grep -q wrong err
	s3_uploads_are 0
'

test_expect_success 'unreadable input: exit 1' '
	assert_exit 1 s3put -f "$TMP/nope" s3://$BUCKET/k 2>err
	assert_match "nope: No such file" "$(cat err)"
	assert_exit 1 s3put -f "$TMP" s3://$BUCKET/k 2>err
	assert_match "Is a directory" "$(cat err)"
	s3_uploads_are 0
'

test_expect_success 'usage prints exactly the man page SYNOPSIS' '
	s3put -h | sed "s/^usage: //" | tr -s " \t\n" " " |
	    sed "s/^ //; s/ \$//" >u
	mandoc -Tascii "$ROOT/man/s3put.1" | col -b |
	    sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
	    tr -s " \t\n" " " | sed "s/^ //; s/ \$//" >m
	assert_eq "$(cat m)" "$(cat u)"
'

test_expect_success '--progress: a status line on stderr; -q: none' '
	gen 20 >in20
	s3put --progress -f in20 s3://$BUCKET/prog 2>err >/dev/null
	assert_match "20.0 MiB / 20.0 MiB  100%" "$(tr "\r" "\n" <err)"
	cat in20 | s3put -q s3://$BUCKET/prog 2>err >/dev/null
	[ ! -s err ]
'

test_done
