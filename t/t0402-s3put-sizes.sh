#!/bin/bash
# s3put against Swift s3api: sizes around the single-PUT threshold and
# the part size, stdin and -f, HTTP and HTTPS. Objects are checked with
# awscli (download byte-identical, head-object ETag and size) and the
# ETag with sum8m -a etag.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
export AWS_ENDPOINT_URL=$S3_ENDPOINT
M=$((1 << 20))

# check NAME FILE PARTSIZE OUT: object NAME holds FILE, ETag as sum8m's.
check() {
	want=$(sum8m -a etag -p "$3" "$2" | cut -d" " -f1)
	size=$(wc -c <"$2")
	case $want in *-*) parts=${want#*-} ;; *) parts=0 ;; esac
	assert_eq "$want  $size  $parts  s3://$BUCKET/$1" "$(cat "$4")" \
	    "result line"
	$AWS s3api head-object --bucket $BUCKET --key "$1" >head
	assert_match "\"ETag\": \"\\\\\"$want\\\\\"\"" "$(cat head)" "ETag"
	assert_match "\"ContentLength\": $size," "$(cat head)" "size"
	$AWS s3 cp --quiet "s3://$BUCKET/$1" got
	cmp "$2" got
}

HEAVY=
[ "$TEST_HEAVY" != 1 ] || HEAVY=$((1024 * M))
for size in 0 1 $((8 * M - 1)) $((8 * M)) $((8 * M + 1)) $((16 * M)) \
    $((24 * M + 7)) $(( $(scaled 100) * M )) $HEAVY; do
	mkfile "$TMP/in.$size" $size
	test_expect_success "stdin, $size bytes" '
		cat in.'$size' | s3put s3://$BUCKET/s'$size' >out
		check s'$size' in.'$size' 8M out
	'
	test_expect_success "-f, $size bytes" '
		s3put -j 3 -f in.'$size' s3://$BUCKET/f'$size' >out
		check f'$size' in.'$size' 8M out
	'
done

for size in $((5 * M - 1)) $((5 * M)) $((5 * M + 1)); do
	mkfile "$TMP/in.$size" $size
	test_expect_success "--part-size 5M --threshold 5M, $size bytes" '
		cat in.'$size' | s3put --part-size 5M --threshold 5M \
		    s3://$BUCKET/p'$size' >out
		check p'$size' in.'$size' 5M out
	'
done

test_expect_success 'redirected regular file is read in place' '
	s3put -v s3://$BUCKET/r <in.$((24 * M + 7)) >out 2>err
	check r in.$((24 * M + 7)) 8M out
'

test_expect_success '--expected-size picks the part size up front' '
	mkfile in 21000000
	cat in | s3put --expected-size 21000000 --max-parts 2 \
	    s3://$BUCKET/e >out
	check e in 11M out
'

# Stream parts are hashed side by side in groups (-j / 2 of them): a
# group larger than the buffers --max-memory allows must not wait for
# itself, and every group size gives the same ETag.
for opts in "-j 8 --max-memory 16M" "-j 16" "-j 2" "-j 1"; do
	test_expect_success "stdin, 100 MiB, $opts" '
		cat in.$(( $(scaled 100) * M )) | timeout 300 s3put '"$opts"' \
		    s3://$BUCKET/g >out
		check g in.$(( $(scaled 100) * M )) 8M out
	'
done

test_expect_success 'HTTPS (BearSSL) with --ca-bundle, multipart' '
	cat in.$((16 * M + 0)) in.1 | s3put --endpoint-url $S3_ENDPOINT_TLS \
	    --ca-bundle $S3_CA_BUNDLE s3://$BUCKET/tls >out
	cat in.$((16 * M)) in.1 >want
	check tls want 8M out
'

test_expect_success '--json, --md5, --content-type, --metadata' '
	s3put --json --md5 --content-type text/x-test --metadata a=1 \
	    --metadata bee=two -f in.1 s3://$BUCKET/j >out
	md5=$(md5sum <in.1 | cut -d" " -f1)
	assert_match "^\\{\"etag\":\"$md5\",\"size\":1,\"parts\":0,\"url\":\"s3://$BUCKET/j\",\"etag_checked\":true,\"md5\":\"$md5\"" "$(cat out)"
	$AWS s3api head-object --bucket $BUCKET --key j >head
	assert_match "text/x-test" "$(cat head)"
	assert_match "\"bee\": \"two\"" "$(cat head)"
'

# Swift answers 501 to conditional PUTs; AWS and MinIO answer 412 to the
# second. Either way nothing is overwritten silently. (The header itself
# is checked byte-exactly in t0406.)
test_expect_success '--if-none-match: never a silent overwrite' '
	if s3put --if-none-match -f in.1 s3://$BUCKET/once >/dev/null 2>err
	then
		assert_exit 1 s3put --if-none-match -f in.1 \
		    s3://$BUCKET/once 2>err
		assert_match "412 PreconditionFailed" "$(cat err)"
	else
		assert_match "501 NotImplemented" "$(cat err)"
	fi
'

test_done
