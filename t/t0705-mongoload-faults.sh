#!/bin/bash
# mongoload fault injection with mockupdb (t/servers/mockupdb_mload.py):
# write errors with row index and _id, transient errors, closed
# connections, slow replies, a lying nInserted, w:0, and the exact
# command sequence of --replace including its failure paths.
. "$(dirname "$0")/lib.sh"

/usr/bin/python3 -c 'import mockupdb' 2>/dev/null ||
    skip_all "python3-mockupdb not installed"

# 120 documents with integer _ids 0..119.
node -e 'for (let i = 0; i < 120; i++) console.log(JSON.stringify(
    { _id: { $numberInt: String(i) }, a: "x" + i }))' >"$TMP/docs.jsonl"
json2arrow <"$TMP/docs.jsonl" >"$TMP/docs.arrows"

cleanup_add 'for p in $(cat "$TMP/mock.pids" 2>/dev/null); do kill $p; done'

# mock SCENARIO: start the fake server; sets PORT, URI, LOG, MOCK_PID.
mock() {
	LOG=$TMP/$1.log
	: >"$LOG"
	: >"$TMP/$1.port"
	/usr/bin/python3 "$ROOT/t/servers/mockupdb_mload.py" "$1" "$LOG" \
	    >"$TMP/$1.port" 2>"$TMP/$1.err" &
	MOCK_PID=$!
	# Test bodies run in subshells: record the PID for the top-level
	# cleanup, so a failing test cannot leave a mock behind.
	echo "$MOCK_PID" >>"$TMP/mock.pids"
	for i in $(seq 100); do
		PORT=$(sed -n 's/^PORT=//p' "$TMP/$1.port")
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	[ -n "$PORT" ] || return 1
	URI="mongodb://127.0.0.1:$PORT/?serverSelectionTimeoutMS=4000&connectTimeoutMS=1000&socketTimeoutMS=1000"
}
unmock() {
	kill "$MOCK_PID" 2>/dev/null || true
	wait "$MOCK_PID" 2>/dev/null || true
}
# inserted: total documents the mock received in insert commands.
inserted() {
	node -e 'let n = 0; for (const l of require("fs").readFileSync(
	    process.argv[1], "utf8").split("\n")) if (l) { const o =
	    JSON.parse(l); if (o.cmd === "insert") n += o.n; } console.log(n)' \
	    "$LOG"
}
cmds() {
	node -e 'for (const l of require("fs").readFileSync(process.argv[1],
	    "utf8").split("\n")) if (l) { const o = JSON.parse(l);
	    console.log(o.cmd + " " + (o.arg || "")); }' "$LOG" | uniq
}

test_expect_success 'write errors: row index and _id reported, counted, exit 1' '
	mock writeerror
	assert_exit 1 mongoload --uri "$URI" -d db -c c --batch-size 50 \
	    <"$TMP/docs.arrows" >sum 2>err
	unmock
	read rows ins errs secs <sum
	assert_eq "120 117 3" "$rows $ins $errs"
	grep -q "^mongoload: row 1 { \"_id\" : 1 }: write error 11000: E11000" err
	grep -q "^mongoload: row 51 { \"_id\" : 51 }: write error 11000" err
	grep -q "^mongoload: row 101 { \"_id\" : 101 }: write error 11000" err
	grep -q "3 of 120 rows failed" err
'

test_expect_success '--stop-on-error stops after the first failed batch' '
	mock writeerror
	assert_exit 1 mongoload --uri "$URI" -d db -c c --batch-size 10 \
	    --stop-on-error --metrics m.jsonl <"$TMP/docs.arrows" >sum 2>err
	unmock
	test $(inserted) -lt 120
	grep -q "write error 11000" err
	grep -q "\"operation\":\"mongoload\",\"ok\":false" m.jsonl
'

test_expect_success 'NotWritablePrimary once: retried, counted once' '
	mock notprimary
	mongoload --uri "$URI" -d db -c c <"$TMP/docs.arrows" >sum 2>err
	unmock
	read rows ins errs secs <sum
	assert_eq "120 120 0" "$rows $ins $errs"
	assert_eq 240 $(inserted)
'

test_expect_success 'connection closed after the insert applied: looked up, not resent' '
	mock hangup_applied
	mongoload --uri "$URI" -d db -c c <"$TMP/docs.arrows" >sum 2>err
	unmock
	read rows ins errs secs <sum
	assert_eq "120 120 0" "$rows $ins $errs"
	assert_eq 120 $(inserted)
	cmds | grep -q "^find c"
'

test_expect_success 'connection closed after half applied: only the missing half resent' '
	mock hangup_half
	mongoload --uri "$URI" -d db -c c <"$TMP/docs.arrows" >sum 2>err
	unmock
	read rows ins errs secs <sum
	assert_eq "120 120 0" "$rows $ins $errs"
	# 120 sent, 60 applied, then exactly the other 60.
	assert_eq 180 $(inserted)
'

test_expect_success 'half a reply, then the connection closes: no double count' '
	mock partial
	mongoload --uri "$URI" -d db -c c <"$TMP/docs.arrows" >sum 2>err
	unmock
	read rows ins errs secs <sum
	assert_eq "120 120 0" "$rows $ins $errs"
	assert_eq 120 $(inserted)
	cmds | grep -q "^find c"
'

test_expect_success 'write concern sent as given (default majority)' '
	mock ok
	mongoload --uri "$URI" -d db -c c --write-concern 2 --journal \
	    <"$TMP/docs.arrows" >/dev/null 2>&1
	mongoload --uri "$URI" -d db -c d <"$TMP/docs.arrows" >/dev/null 2>&1
	unmock
	grep "\"arg\": \"c\"" "$LOG" | grep -q "writeConcern.*{.*\"w.*: 2, .*\"j.*: true}"
	grep "\"arg\": \"d\"" "$LOG" | grep -q "writeConcern.*{.*\"w.*: .*majority"
	grep "\"cmd\": \"insert\"" "$LOG" | grep -q "\"ordered.*: false"
'

test_expect_success 'reply slower than socketTimeoutMS: no double count' '
	mock slow
	mongoload --uri "$URI" -d db -c c <"$TMP/docs.arrows" >sum 2>err
	unmock
	read rows ins errs secs <sum
	assert_eq "120 120 0" "$rows $ins $errs"
	assert_eq 120 $(inserted)
	cmds | grep -q "^find c"
'

test_expect_success 'server reports fewer nInserted than sent: exit 1, both numbers' '
	mock short
	assert_exit 1 mongoload --uri "$URI" -d db -c c --batch-size 60 \
	    <"$TMP/docs.arrows" >sum 2>err
	unmock
	grep -q "count mismatch: read 120 rows, server reported 118 inserted" err
'

test_expect_success 'write concern error: reported, exit 1' '
	mock wcerror
	assert_exit 1 mongoload --uri "$URI" -d db -c c <"$TMP/docs.arrows" \
	    >sum 2>err
	unmock
	grep -q "write concern error: waiting for replication timed out" err
'

test_expect_success 'w:0: sent unacknowledged, counts unverified' '
	mock w0
	mongoload --uri "$URI" -d db -c c --write-concern 0 --batch-size 40 \
	    <"$TMP/docs.arrows" >sum 2>err
	# Unacknowledged: the mock may still be reading when we return.
	for i in $(seq 50); do
		[ "$(inserted)" -ge 120 ] && break
		sleep 0.1
	done
	unmock
	grep -q "^120  -  0  .*unverified" sum
	assert_eq 120 $(inserted)
'

test_expect_success 'retries exhausted: exit 75' '
	mock notprimary
	assert_exit 75 mongoload --uri "$URI" -d db -c c --retries 0 \
	    <"$TMP/docs.arrows" >sum 2>err
	unmock
	grep -q "retries exhausted" err
'

test_expect_success '--replace: exact command sequence on success' '
	mock replace_ok
	mongoload --uri "$URI" -d db -c tgt --replace <"$TMP/docs.arrows" \
	    >sum 2>err
	unmock
	cmds >seq
	tmp=$(sed -n "s/^create //p" seq)
	case $tmp in tgt.mongoload-tmp-*-*) ;; *) exit 1 ;; esac
	printf "%s\n" "listcollections " "create $tmp" "insert $tmp" \
	    "listindexes tgt" "createindexes $tmp" \
	    "renamecollection db.$tmp" >want
	assert_files_eq want seq
	grep "\"cmd\": \"create\"" "$LOG" | grep -q validator
	grep "\"cmd\": \"createindexes\"" "$LOG" | grep -q "a_1"
	! grep "\"cmd\": \"createindexes\"" "$LOG" | grep -q "_id_"
	grep "renamecollection" "$LOG" | grep -q "dropTarget\\\\\": true"
	grep "renamecollection" "$LOG" | grep -q "\"to\\\\\": \\\\\"db.tgt"
'

test_expect_success '--replace, rename fails: temp dropped, target never touched' '
	mock replace_renamefail
	assert_exit 1 mongoload --uri "$URI" -d db -c tgt --replace \
	    <"$TMP/docs.arrows" >sum 2>err
	unmock
	cmds >seq
	tmp=$(sed -n "s/^create //p" seq)
	tail -n 1 seq | grep -qx "drop $tmp"
	! grep -q "^drop tgt" seq
	grep -q "not authorized to rename" err
'

test_expect_success '--replace, rename and drop fail: both messages' '
	mock replace_dropfail
	assert_exit 1 mongoload --uri "$URI" -d db -c tgt --replace \
	    <"$TMP/docs.arrows" >sum 2>err
	unmock
	grep -q "not authorized to rename.*also failed to drop the temporary collection tgt.mongoload-tmp-.*not authorized to drop" err
'

test_expect_success '--replace, count mismatch: no index copy, no rename, temp dropped' '
	mock replace_short
	assert_exit 1 mongoload --uri "$URI" -d db -c tgt --replace \
	    <"$TMP/docs.arrows" >sum 2>err
	unmock
	cmds >seq
	tmp=$(sed -n "s/^create //p" seq)
	! grep -q "^renamecollection\|^listindexes" seq
	tail -n 1 seq | grep -qx "drop $tmp"
	grep -q "count mismatch" err
'

test_expect_success '--replace, truncated input: temp dropped, nothing renamed' '
	mock replace_ok
	head -c $(($(wc -c <"$TMP/docs.arrows") - 8)) "$TMP/docs.arrows" |
	    mongoload --uri "$URI" -d db -c tgt --replace >sum 2>err && exit 1
	unmock
	cmds >seq
	! grep -q "^renamecollection" seq
	tail -n 1 seq | grep -q "^drop tgt.mongoload-tmp-"
'

test_done
