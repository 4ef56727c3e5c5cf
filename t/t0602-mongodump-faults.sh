#!/bin/bash
# mongodump-arrow against a scripted server (mockupdb, t/py/fake_mongod.py):
# the find command it sends, resume after a connection closed mid-cursor
# and after a stepdown error (exact row count, no duplicates), giving up
# with exit 75, and a server error surfacing with its code.
. "$(dirname "$0")/lib.sh"
need_cmd node
/usr/bin/python3 -c 'import mockupdb' 2>/dev/null ||
    skip_all "python3-mockupdb not installed"
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
JS=$ROOT/t/js
N=$(scaled 1000)
[ "$N" -ge 450 ] || N=450

# fake SCENARIO: start the scripted server; sets URI, LOG.
fake() {
	LOG=$TMP/$1.log
	: >"$LOG"
	/usr/bin/python3 "$ROOT/t/py/fake_mongod.py" "$1" "$LOG" "$N" \
	    >"$TMP/$1.port" 2>"$TMP/$1.err" &
	_pid=$!
	cleanup_add "kill $_pid"
	for _i in $(seq 1 100); do
		grep -q '^PORT=' "$TMP/$1.port" 2>/dev/null && break
		sleep 0.1
	done
	_port=$(sed -n 's/^PORT=//p' "$TMP/$1.port")
	[ -n "$_port" ] || bail_out "mockupdb did not start: $(cat "$TMP/$1.err")"
	URI="mongodb://127.0.0.1:$_port/?serverSelectionTimeoutMS=2000&connectTimeoutMS=1000&socketTimeoutMS=1500"
}

# ids FILE: the _id column read back by apache-arrow, one per line.
ids() {
	node "$JS/readarrow.js" arrow "$1" 2>/dev/null |
	    node -e 'require("readline").createInterface({input: process.stdin})
	    .on("line", (l) => console.log(JSON.parse(l)._id))'
}

fake ok
test_expect_success 'the find command carries filter, projection, sort, limit, batchSize' '
	mongodump-arrow --uri "$URI" -d db -c c --query "{\"v\": {\"\$gte\": 0}}" \
	    --projection "{\"v\": 1}" --limit 300 --batch-size 50 >o.arrows 2>err &&
	assert_eq "{\"find\": \"c\", \"filter\": {\"v\": {\"\$gte\": 0}}, \"projection\": {\"v\": 1}, \"sort\": {\"_id\": 1}, \"limit\": 300, \"batchSize\": 50}" \
	    "$(head -n 1 "$LOG")" &&
	assert_eq 300 "$(ids o.arrows | wc -l)"
'

fake hangup
test_expect_success 'connection closed mid-cursor: resumed after the last _id' '
	mongodump-arrow --uri "$URI" -d db -c c --batch-size 100 \
	    --metrics m.json --stats st.json >o.arrows 2>err &&
	assert_match "retry 1/10 after 200 documents" "$(cat err)" &&
	assert_eq "{\"find\": \"c\", \"filter\": {\"\$and\": [{}, {\"_id\": {\"\$gt\": 200}}]}, \"sort\": {\"_id\": 1}, \"batchSize\": 100}" \
	    "$(sed -n 2p "$LOG")" &&
	ids o.arrows >got &&
	seq 1 '"$N"' >want &&
	assert_files_eq want got &&
	assert_match "\"retries\":1" "$(cat m.json)" &&
	assert_match "^\\{\"documents\":'"$N"'," "$(cat st.json)" &&
	assert_eq ffffffff00000000 "$(tail -c 8 o.arrows | xxd -p)"
'

fake stepdown
test_expect_success 'stepdown error mid-cursor: resumed, exact rows, limit kept' '
	mongodump-arrow --uri "$URI" -d db -c c --batch-size 100 --limit 400 \
	    >o.arrows 2>err &&
	assert_match "error 11602" "$(cat err)" &&
	assert_match "\"limit\": 200" "$(sed -n 2p "$LOG")" &&
	ids o.arrows >got &&
	seq 1 400 >want &&
	assert_files_eq want got
'

fake always
test_expect_success 'a fault that never clears: exit 75 after --retries, no EOS' '
	assert_exit 75 mongodump-arrow --uri "$URI" -d db -c c --batch-size 100 \
	    --retries 2 --schema-sample 10 --rows-per-batch 50 >o.arrows 2>err &&
	assert_match "gave up after 2 retries" "$(cat err)" &&
	test "$(tail -c 8 o.arrows | xxd -p)" != ffffffff00000000
'

test_expect_success 'a sort not by _id cannot resume: exit 75 saying why' '
	assert_exit 75 mongodump-arrow --uri "$URI" -d db -c c --batch-size 100 \
	    --sort "{\"v\": 1}" >o.arrows 2>err &&
	assert_match "cannot resume" "$(cat err)"
'

fake error
test_expect_success 'a server error reply surfaces with its code' '
	assert_exit 1 mongodump-arrow --uri "$URI" -d db -c c >o.arrows 2>err &&
	assert_match "BadValue: scripted failure \\(error 2, domain 17\\)" "$(cat err)" &&
	test ! -s o.arrows
'

test_done
