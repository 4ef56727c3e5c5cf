#!/bin/bash
# pqmeta on s3:// objects (Swift s3api): same output as for the local
# files, at most 2 GETs and 64 KiB + footer bytes per object, a prefix
# of 50 files gives the right total, faults are retried.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
export AWS_ENDPOINT_URL=$S3_ENDPOINT
UP=${S3_ENDPOINT#http://}

# good corpus files (those pqmeta reads without error)
mkdir -p "$TMP/good"
for f in "$DATA"/parquet/*.parquet; do
	pqmeta -j "$f" >/dev/null 2>&1 && cp "$f" "$TMP/good/"
done
$AWS s3 cp --quiet --recursive "$TMP/good" "s3://$BUCKET/corpus/"
NGOOD=$(ls "$TMP/good" | wc -l)

test_expect_success "pqmeta s3://... equals pqmeta FILE for $NGOOD corpus files" '
	for f in "$TMP"/good/*.parquet; do
		b=$(basename "$f")
		pqmeta -j -s "$f" | sed "s,\"file\":\"[^\"]*\",," >want
		pqmeta -j -s "s3://$BUCKET/corpus/$b" |
		    sed "s,\"file\":\"[^\"]*\",," >got
		assert_files_eq want got || { echo "$b"; exit 1; }
	done
'

test_expect_success 'text output over HTTPS equals the local one' '
	f=$(ls "$TMP"/good/*.parquet | head -n 1)
	b=$(basename "$f")
	pqmeta -s "$f" | sed "s,$f,X," >want
	pqmeta -s --endpoint-url "$S3_ENDPOINT_TLS" --ca-bundle "$S3_CA_BUNDLE" \
	    "s3://$BUCKET/corpus/$b" | sed "s,s3://$BUCKET/corpus/$b,X," >got
	assert_files_eq want got
'

test_expect_success 'one GET of 64 KiB for small footers, two for large ones' '
	for f in "$TMP"/good/*.parquet; do
		b=$(basename "$f")
		rm -f m
		pqmeta --rows --metrics m "s3://$BUCKET/corpus/$b" >/dev/null
		gets=$(grep -c "\"op\":\"GetObject\"" m)
		size=$(wc -c <"$f")
		flen=$(tail -c 8 "$f" | head -c 4 | od -An -tu4 | tr -d " ")
		bytes=$(grep -o "\"bytes_in\":[0-9]*" m | cut -d: -f2 |
		    awk "{ s += \$1 } END { print s }")
		if [ $((flen + 8)) -le 65536 ]; then
			assert_eq 1 "$gets" "GETs for $b"
		else
			assert_eq 2 "$gets" "GETs for $b"
		fi
		[ "$bytes" -le $(( 65536 + flen + 8 )) ] ||
		    { echo "$b: $bytes bytes read"; exit 1; }
	done
'

test_expect_success 'a 1,000-column file (footer > 64 KiB) needs exactly 2 GETs' '
	mkdir -p "$TMP/gen"
	NODE_PATH=$ROOT/.test-tools/node_modules node \
	    "$ROOT/t/pqmeta-duckdb.cjs" gen "$TMP/gen"
	cp "$TMP/gen/wide.parquet" wide.parquet
	flen=$(tail -c 8 wide.parquet | head -c 4 | od -An -tu4 | tr -d " ")
	[ "$flen" -gt 65536 ]
	$AWS s3 cp --quiet wide.parquet "s3://$BUCKET/wide.parquet"
	pqmeta -j wide.parquet | sed "s,\"file\":\"[^\"]*\",," >want
	rm -f m
	pqmeta -j --metrics m "s3://$BUCKET/wide.parquet" |
	    sed "s,\"file\":\"[^\"]*\",," >got
	assert_files_eq want got
	assert_eq 2 "$(grep -c "\"op\":\"GetObject\"" m)"
'

test_expect_success 'a prefix of 50 files: every object, the right total' '
	f=$(ls "$TMP"/good/*.parquet | head -n 1)
	rows=$(pqmeta --rows "$f" | head -n 1 | cut -d" " -f1)
	mkdir fifty
	for i in $(seq -w 1 50); do cp "$f" fifty/f$i.parquet; done
	echo "not parquet" >fifty/readme.txt
	$AWS s3 cp --quiet --recursive fifty "s3://$BUCKET/fifty/"
	pqmeta --rows --jobs 8 "s3://$BUCKET/fifty/" >out
	assert_eq 51 "$(wc -l <out)"
	assert_eq "$((rows * 50))  total" "$(tail -n 1 out)"
	head -n 50 out | cut -d" " -f3 >names
	printf "s3://$BUCKET/fifty/f%s.parquet\n" $(seq -w 1 50) >want
	assert_files_eq want names
'

fault_proxy fp "$UP" "1 503" "2 reset 100"
test_expect_success 'a 503 and a reset on the way: retried, same output' '
	f=$(ls "$TMP"/good/*.parquet | head -n 1)
	b=$(basename "$f")
	pqmeta -j "$f" | sed "s,\"file\":\"[^\"]*\",," >want
	pqmeta -j --endpoint-url "$FP_ENDPOINT" "s3://$BUCKET/corpus/$b" |
	    sed "s,\"file\":\"[^\"]*\",," >got
	assert_files_eq want got
'

test_expect_success 'missing object and non-Parquet object: exit 1, named' '
	assert_exit 1 pqmeta "s3://$BUCKET/nope.parquet" 2>err
	assert_match "s3://$BUCKET/nope.parquet.*404" "$(cat err)"
	echo "hello" >t.txt
	$AWS s3 cp --quiet t.txt "s3://$BUCKET/t.parquet"
	assert_exit 1 pqmeta "s3://$BUCKET/t.parquet" 2>err
	assert_match "s3://$BUCKET/t.parquet" "$(cat err)"
'

test_done
