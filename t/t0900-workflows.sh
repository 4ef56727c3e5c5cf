#!/bin/bash
# The three seed jobs (examples/Makefile) end to end at small scale:
# Swift s3api, jongodb as the source, CongoDB as the target (it has the
# renameCollection that --replace needs). Checked with independent
# readers: DuckDB row counts, sum8m/md5sum ETags, awscli listings and
# plain-libmongoc dumps.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
SWIFT_EP=$S3_ENDPOINT
export AWS_ENDPOINT_URL=$S3_ENDPOINT
server_up jongodb
SRC_URI=$MONGODB_URI
server_up congodb
DST_URI=$MONGODB_URI
export NODE_PATH=$ROOT/.test-tools/node_modules
AWS="/usr/bin/aws --endpoint-url $SWIFT_EP"
NDOCS=$(scaled 1000)

mkdir -p "$TMP/parquet"
node "$ROOT/examples/gen/parquet.cjs" "$TMP/parquet" 3 $(scaled 20000) ||
    bail_out "DuckDB could not write the test files"
for i in 1 2; do
	node "$ROOT/examples/gen/splits.cjs" $NDOCS $i |
	    mongoutil insert "$SRC_URI" src split$i >/dev/null 2>&1
done

# job ARGS...: run examples/Makefile with this test's configuration
job() {
	make -s -f "$ROOT/examples/Makefile" BIN="$BIN/" BUCKET=$BUCKET \
	    SRC="$TMP/parquet" OUT="$TMP/out" DB=src SPLITS="split1 split2" \
	    SOURCE_URI="$SRC_URI" TARGET_URI="$DST_URI" TARGET_DB=dst \
	    PART_SIZE=5M "$@"
}
# strip what differs between runs (timings) from a manifest
stable() { jq -c 'del(.seconds) | del(.stats.seconds)' "$@"; }
# numbers by value: CongoDB stores 99.0 as an int32 (SERVERS-MONGO.md)
norm() {
	jq -c 'walk(if type == "object" and (has("$numberInt") or
	    has("$numberDouble") or has("$numberLong")) and length == 1
	    then (to_entries[0].value | tonumber) else . end)'
}

test_expect_success 'W1: manifest rows equal DuckDB counts, ETags equal sum8m' '
	job -k -j3 w1 >log
	assert_eq 3 "$(wc -l <"$TMP/out/w1/manifest.jsonl")"
	for f in "$TMP"/parquet/*.parquet; do
		b=$(basename "$f")
		want=$(node -e "
		    const { DuckDBInstance } = require(\"@duckdb/node-api\");
		    (async () => { const c = await (await DuckDBInstance.create()).connect();
		      const r = await c.runAndReadAll(\"SELECT count(*)::INT FROM \x27$f\x27\");
		      console.log(r.getRows()[0][0]); })();")
		got=$(jq -r --arg f "$b" "select(.file == \$f) | .rows" \
		    "$TMP/out/w1/manifest.jsonl")
		assert_eq "$want" "$got" "rows of $b"
		etag=$(jq -r --arg f "$b" "select(.file == \$f) | .etag" \
		    "$TMP/out/w1/manifest.jsonl")
		assert_eq "$(sum8m -a etag -p 5M "$f" | cut -d" " -f1)" "$etag"
		remote=$($AWS s3api head-object --bucket $BUCKET \
		    --key "lob/$b" --query ETag --output text | tr -d "\"")
		assert_eq "$etag" "$remote" "ETag of lob/$b per awscli"
	done
	$AWS s3 cp --quiet s3://$BUCKET/lob/manifest.jsonl m.jsonl
	cmp m.jsonl "$TMP/out/w1/manifest.jsonl"
'

test_expect_success 'W1 again: nothing is uploaded' '
	rm -f "$TMP/out/metrics.jsonl"
	job -j3 w1 >log
	assert_eq 3 "$(grep -c "unchanged, not uploaded" log)"
	! grep -q "\"op\":\"\(PutObject\|UploadPart\|CreateMultipartUpload\)\"" \
	    "$TMP/out/metrics.jsonl"
'

test_expect_success 'W1: a changed file is uploaded again, only that one' '
	cp "$TMP/parquet/lob-0002.parquet" keep
	node -e "" && cp "$TMP/parquet/lob-0001.parquet" "$TMP/parquet/lob-0002.parquet"
	job -j3 w1 >log
	assert_eq 2 "$(grep -c "unchanged" log)"
	assert_match "lob-0002 uploaded" "$(cat log)"
	cp keep "$TMP/parquet/lob-0002.parquet"
	job -j3 w1 >log
'

test_expect_success 'W2 then W3: collections equal the sources document for document' '
	job -k -j2 w2 >log 2>err
	assert_eq 2 "$(wc -l <"$TMP/out/w2/manifest.jsonl")"
	for s in split1 split2; do
		line=$(jq -c --arg s $s "select(.split == \$s)" \
		    "$TMP/out/w2/manifest.jsonl")
		assert_eq $NDOCS "$(jq .count <<<"$line")" "count of $s"
		assert_eq $NDOCS "$(jq .stats.documents <<<"$line")"
		$AWS s3 cp --quiet "$(jq -r .url <<<"$line")" $s.arrows
		assert_eq "$(md5sum <$s.arrows | cut -d" " -f1)" \
		    "$(jq -r .md5 <<<"$line")" "md5 of $s"
	done
	job -k -j2 w3 >log 2>err
	for s in split1 split2; do
		mongoutil dump "$SRC_URI" src $s 2>/dev/null | norm >a
		mongoutil dump "$DST_URI" dst $s 2>/dev/null | norm >b
		assert_eq $NDOCS "$(wc -l <b)"
		assert_files_eq a b
	done
'

test_expect_success 'W2 with the producer killed halfway: no line, no object' '
	mkdir -p kbin
	for t in "$BIN"/*; do ln -sf "$t" kbin/; done
	rm kbin/mongodump-arrow
	printf "#!/bin/bash\n\"%s/mongodump-arrow\" \"\$@\" | head -c 20000\nkill -KILL \$\$\n" \
	    "$BIN" >kbin/mongodump-arrow
	chmod +x kbin/mongodump-arrow
	node "$ROOT/examples/gen/splits.cjs" $NDOCS 3 |
	    mongoutil insert "$SRC_URI" src split3 >/dev/null 2>&1
	set +e
	make -s -f "$ROOT/examples/Makefile" BIN="$TMP/kbin/" BUCKET=$BUCKET \
	    OUT="$TMP/out" DB=src SPLITS="split1 split2 split3" \
	    SOURCE_URI="$SRC_URI" w2 >log 2>err
	rc=$?
	set -e
	[ $rc -ne 0 ]
	assert_match "w2: split3 failed" "$(cat err)"
	[ ! -e "$TMP/out/w2/split3.json" ]
	assert_eq "" "$($AWS s3 ls s3://$BUCKET/splits/split3.arrows)"
	assert_eq "" "$(s3ls --uploads s3://$BUCKET)" "no orphan upload"
	assert_eq 2 "$(wc -l <"$TMP/out/w2/manifest.jsonl")" "manifest unchanged"
'

test_expect_success 'make -k: one bad file fails alone, the others are kept' '
	mkdir -p bad
	cp "$TMP"/parquet/*.parquet bad/
	echo "not parquet" >bad/broken.parquet
	set +e
	make -s -k -f "$ROOT/examples/Makefile" BIN="$BIN/" BUCKET=$BUCKET \
	    SRC="$TMP/bad" OUT="$TMP/outbad" W1_PREFIX=bad/ -j3 w1 >log 2>err
	rc=$?
	set -e
	[ $rc -ne 0 ]
	assert_match "broken" "$(cat err)"
	assert_eq 3 "$(ls "$TMP"/outbad/w1/lob-*.json | wc -l)"
	[ ! -e "$TMP/outbad/w1/manifest.jsonl" ]
'

# W1 here makes about 10 requests: fault a third of them
fault_proxy fp "${SWIFT_EP#http://}" "2 503" "4 reset 100" "6 500" \
    "8 reset 0" "10 503"
test_expect_success 'W1 through 503s and resets: the same manifest' '
	make -s -f "$ROOT/examples/Makefile" BIN="$BIN/" BUCKET=$BUCKET \
	    SRC="$TMP/parquet" OUT="$TMP/outf" W1_PREFIX=faults/ PART_SIZE=5M \
	    S3_FLAGS="--endpoint-url $FP_ENDPOINT" -j3 w1 >log 2>err
	grep "^fault\|^resp" "$TMP/fp.log" | head -20
	[ "$(grep -c "^fault\|503\|500" "$TMP/fp.log")" -ge 3 ]
	stable "$TMP/out/w1/manifest.jsonl" | sed "s,/lob/,/X/,g" >want
	stable "$TMP/outf/w1/manifest.jsonl" | sed "s,/faults/,/X/,g" >got
	assert_files_eq want got
'

test_done
