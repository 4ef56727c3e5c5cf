#!/bin/bash
# mongodump-arrow against jongodb: round trip through two independent
# Arrow readers (apache-arrow JS, polars), stats against an independent
# count, query/projection/limit, empty collections, error exits,
# truncated streams, large and wide and deep documents.
. "$(dirname "$0")/lib.sh"
need_cmd node
server_up jongodb
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
JS=$ROOT/t/js
# A fresh database per run: jongodb cannot drop collections.
DB=t0601_$$
N=$(scaled 5000)
[ "$N" -ge 200 ] || N=200

# Drop the endSessions warning jongodb provokes (SERVERS-MONGO.md).
quiet() { grep -v 'endSessions' || true; }

test_expect_success 'load the mixed collection and dump it with the driver' '
	node "$JS/gen-docs.js" '"$N"' 42 >"$TEST_STATE/t0601.jsonl" &&
	mongoutil insert "$MONGODB_URI" '$DB' mixed <"$TEST_STATE/t0601.jsonl" >n &&
	assert_eq '"$N"' "$(cat n)" &&
	mongoutil dump "$MONGODB_URI" '$DB' mixed >"$TEST_STATE/t0601.dump" 2>/dev/null &&
	assert_eq '"$N"' "$(wc -l <"$TEST_STATE/t0601.dump")"
'

test_expect_success 'zstd stream: apache-arrow reads every row and value' '
	mongodump-arrow -d '$DB' -c mixed --rows-per-batch 700 >z.arrows 2>err &&
	node "$JS/readarrow.js" arrow z.arrows >rows 2>/dev/null &&
	node "$JS/compare.js" "$TEST_STATE/t0601.dump" rows
'

test_expect_success 'uncompressed stream: apache-arrow agrees too' '
	mongodump-arrow -d '$DB' -c mixed --compress none >u.arrows 2>err &&
	node "$JS/readarrow.js" arrow u.arrows >rows 2>/dev/null &&
	node "$JS/compare.js" "$TEST_STATE/t0601.dump" rows &&
	mongodump-arrow -d '$DB' -c mixed >z.arrows 2>/dev/null &&
	test "$(wc -c <u.arrows)" -gt "$(wc -c <z.arrows)"
'

test_expect_success '--batch-bytes closes batches before the row limit' '
	mongodump-arrow -d '$DB' -c mixed --compress none --batch-bytes 64K \
	    --stats st.json >b.arrows 2>err &&
	batches=$(sed "s/.*\"batches\":\([0-9]*\).*/\1/" st.json) &&
	arrow=$(sed "s/.*\"arrow_bytes\":\([0-9]*\).*/\1/" st.json) &&
	# Each batch closes at the first row past 64 KiB of buffers.
	test "$batches" -ge $(( arrow / (2 * 65536) )) &&
	test "$batches" -ge 3 &&
	node "$JS/readarrow.js" arrow b.arrows >rows 2>/dev/null &&
	node "$JS/compare.js" "$TEST_STATE/t0601.dump" rows
'

test_expect_success 'polars reads the zstd and the plain stream' '
	for c in zstd none; do
		mongodump-arrow -d '$DB' -c mixed --compress $c --plain-metadata \
		    --rows-per-batch 1000 >p.arrows 2>err &&
		node "$JS/readarrow.js" polars p.arrows >rows 2>/dev/null &&
		node "$JS/compare.js" "$TEST_STATE/t0601.dump" rows || return 1
	done
'

test_expect_success 'the stream ends with the end-of-stream marker' '
	mongodump-arrow -d '$DB' -c mixed --compress none >e.arrows 2>/dev/null &&
	assert_eq ffffffff00000000 "$(tail -c 8 e.arrows | xxd -p)"
'

test_expect_success 'stats equal counts computed from the source documents' '
	mongodump-arrow -d '$DB' -c mixed --stats st.json --group-by role \
	    -v >/dev/null 2>err &&
	grep -q "documents, " err &&
	node "$JS/stats.js" "$TEST_STATE/t0601.jsonl" role >want &&
	node "$JS/pickstats.js" st.json >got &&
	assert_files_eq want got
'

# jongodb ignores projections; t0602 checks the find command we send.
test_expect_success 'query, sort and limit' '
	mongodump-arrow -d '$DB' -c mixed --query "{\"role\": \"admin\"}" \
	    --limit 25 >q.arrows 2>/dev/null &&
	node "$JS/readarrow.js" arrow q.arrows >rows 2>/dev/null &&
	assert_eq 25 "$(wc -l <rows)" &&
	assert_eq 25 "$(grep -c "\"role\":\"admin\"" rows)" &&
	mongodump-arrow -d '$DB' -c mixed --sort "{\"i32\": -1}" --limit 5 \
	    >s.arrows 2>/dev/null &&
	node "$JS/readarrow.js" arrow s.arrows >rows 2>/dev/null &&
	assert_eq 5 "$(wc -l <rows)" &&
	node -e "const r = require(\"fs\").readFileSync(\"rows\", \"utf8\").trim()
	    .split(\"\\n\").map((l) => JSON.parse(l).i32);
	    for (let i = 1; i < r.length; i++) if (r[i] > r[i - 1]) process.exit(1);"
'

test_expect_success 'empty or missing collection: exit 1 unless --allow-empty' '
	assert_exit 1 mongodump-arrow -d '$DB' -c nosuch >out 2>err &&
	assert_match "empty or does not exist" "$(cat err)" &&
	test ! -s out &&
	mongodump-arrow -d '$DB' -c nosuch --allow-empty --compress none \
	    >out 2>/dev/null &&
	assert_eq ffffffff00000000 "$(tail -c 8 out | xxd -p)" &&
	node "$JS/readarrow.js" arrow out >rows 2>/dev/null &&
	test ! -s rows
'

test_expect_success 'bad URI, query parse error, server error with its code' '
	assert_exit 2 mongodump-arrow -d a >o 2>err &&
	assert_match "^usage:" "$(cat err)" &&
	assert_exit 1 mongodump-arrow --uri "notmongo://x" -d a -c b >o 2>err &&
	assert_match "bad MongoDB URI" "$(cat err)" &&
	assert_exit 1 mongodump-arrow -d '$DB' -c mixed --query "{bad" >o 2>err &&
	assert_match "query: parse error" "$(cat err)" &&
	assert_exit 1 mongodump-arrow -d '$DB' -c mixed \
	    --query "{\"a\": {\"\$nosuchop\": 1}}" >o 2>err &&
	assert_match "error [0-9]+" "$(quiet <err)"
'

test_expect_success 'unreachable server: exit within the selection timeout' '
	start=$(date +%s) &&
	assert_exit 1 mongodump-arrow -d a -c b \
	    --uri "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=300" \
	    >o 2>err &&
	test $(( $(date +%s) - start )) -lt 20 &&
	assert_match "No suitable servers|connection refused|Failed" "$(cat err)"
'

test_expect_success 'a mismatch mid-stream: exit 1 naming _id and field, no EOS' '
	node -e "for (let i = 0; i < 1200; i++) console.log(JSON.stringify(
	    {_id: i, v: i === 1100 ? \"oops\" : {\$numberInt: String(i)}}))" >mm.jsonl &&
	mongoutil insert "$MONGODB_URI" '$DB' mism <mm.jsonl >/dev/null &&
	assert_exit 1 mongodump-arrow -d '$DB' -c mism --schema-sample 10 \
	    --rows-per-batch 100 --compress none >out 2>err &&
	assert_match "_id 1100: field v: expected int32, found string" "$(cat err)" &&
	test -s out &&
	test "$(tail -c 8 out | xxd -p)" != ffffffff00000000 &&
	mongodump-arrow -d '$DB' -c mism --schema-sample 10 \
	    --on-mismatch null --stats st.json >out 2>/dev/null &&
	assert_match "\"mismatches\":1," "$(cat st.json)" &&
	assert_match "\"v\":\\{\"type\":\"int32\",\"nulls\":1\\}" "$(cat st.json)"
'

test_expect_success 'a 16 MiB document' '
	node -e "console.log(JSON.stringify({_id: 1, big: \"x\".repeat(16*1024*1024 - 64)}));
	    console.log(JSON.stringify({_id: 2, big: \"small\"}))" >big.jsonl &&
	mongoutil insert "$MONGODB_URI" '$DB' big <big.jsonl >/dev/null &&
	mongodump-arrow -d '$DB' -c big >big.arrows 2>/dev/null &&
	node "$JS/readarrow.js" arrow big.arrows >rows 2>/dev/null &&
	mongoutil dump "$MONGODB_URI" '$DB' big >want 2>/dev/null &&
	node "$JS/compare.js" want rows
'

test_expect_success '1,000 fields' '
	node -e "for (let d = 0; d < 20; d++) { const o = {_id: d};
	    for (let i = 0; i < 1000; i++) o[\"f\" + i] = d * 1000 + i;
	    console.log(JSON.stringify(o)); }" >wide.jsonl &&
	mongoutil insert "$MONGODB_URI" '$DB' wide <wide.jsonl >/dev/null &&
	mongodump-arrow -d '$DB' -c wide >wide.arrows 2>/dev/null &&
	node "$JS/readarrow.js" polars wide.arrows >rows 2>/dev/null &&
	mongoutil dump "$MONGODB_URI" '$DB' wide >want 2>/dev/null &&
	node "$JS/compare.js" want rows
'

test_expect_success 'deep nesting: 30 levels work, 40 levels fail clearly' '
	node -e "function nest(n) { let o = {leaf: n}; for (let i = 0; i < n; i++) o = {d: o}; return o; }
	    console.log(JSON.stringify({_id: 1, x: nest(29)}));" >d30.jsonl &&
	node -e "function nest(n) { let o = {leaf: n}; for (let i = 0; i < n; i++) o = {d: o}; return o; }
	    console.log(JSON.stringify({_id: 1, x: nest(40)}));" >d40.jsonl &&
	mongoutil insert "$MONGODB_URI" '$DB' deep30 <d30.jsonl >/dev/null &&
	mongoutil insert "$MONGODB_URI" '$DB' deep40 <d40.jsonl >/dev/null &&
	mongodump-arrow -d '$DB' -c deep30 >d.arrows 2>/dev/null &&
	node "$JS/readarrow.js" arrow d.arrows >rows 2>/dev/null &&
	mongoutil dump "$MONGODB_URI" '$DB' deep30 >want 2>/dev/null &&
	node "$JS/compare.js" want rows &&
	assert_exit 1 mongodump-arrow -d '$DB' -c deep40 >d.arrows 2>err &&
	assert_match "nested deeper than 32 levels" "$(cat err)"
'

test_done
