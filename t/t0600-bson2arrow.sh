#!/bin/bash
# lib/bson2arrow + lib/arrow without a server (t/helper/json2arrow):
# schema inference (nulls first, widening, mixed types and the mismatch
# policies, nested documents and arrays, every BSON type), batches, and
# the values as read back by apache-arrow JS.
. "$(dirname "$0")/lib.sh"
need_cmd node
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
JS=$ROOT/t/js

# schema_of FILE: the schema line of our reader, minus "schema ".
schema_of() { arrowcheck "$1" | sed -n 's/^schema //p'; }
# rows_of FILE: rows as read by apache-arrow.
rows_of() { node "$JS/readarrow.js" arrow "$1" 2>/dev/null; }

test_expect_success 'nulls first: the type comes from the first non-null value' '
	printf "%s\n" "{\"a\": null}" "{}" "{\"a\": 5}" >in &&
	json2arrow <in >o &&
	assert_eq "a:int32" "$(schema_of o)" &&
	assert_eq "{\"a\":null}{\"a\":null}{\"a\":5}" "$(rows_of o | tr -d "\n")"
'

test_expect_success 'numbers widen over the sample: int32, int64, double' '
	printf "%s\n" "{\"a\": 1, \"b\": 1}" \
	    "{\"a\": {\"\$numberLong\": \"5000000000\"}, \"b\": {\"\$numberLong\": \"7\"}}" \
	    "{\"a\": 2.5, \"b\": 3}" >in &&
	json2arrow <in >o &&
	assert_eq "a:float b:int64" "$(schema_of o)" &&
	assert_eq "{\"a\":1,\"b\":\"n:1\"}{\"a\":5000000000,\"b\":\"n:7\"}{\"a\":2.5,\"b\":\"n:3\"}" \
	    "$(rows_of o | tr -d "\n")"
'

test_expect_success 'array element type widened over all sampled elements' '
	printf "%s\n" "{\"l\": [1, 2]}" "{\"l\": [{\"\$numberLong\": \"3\"}, 4.5]}" \
	    "{\"l\": []}" "{\"l\": null}" >in &&
	json2arrow <in >o &&
	assert_eq "l:list<item:float>" "$(schema_of o)" &&
	assert_eq "{\"l\":[1,2]}{\"l\":[3,4.5]}{\"l\":[]}{\"l\":null}" \
	    "$(rows_of o | tr -d "\n")"
'

test_expect_success 'nested documents: struct fields are the union over the sample' '
	printf "%s\n" "{\"s\": {\"a\": 1}}" "{\"s\": {\"b\": \"x\", \"c\": {\"d\": true}}}" \
	    "{\"s\": null}" >in &&
	json2arrow <in >o &&
	assert_eq "s:struct<a:int32,b:utf8,c:struct<d:bool>>" "$(schema_of o)" &&
	assert_eq "{\"s\":{\"a\":1,\"b\":null,\"c\":null}}{\"s\":{\"a\":null,\"b\":\"x\",\"c\":{\"d\":true}}}{\"s\":null}" \
	    "$(rows_of o | tr -d "\n")"
'

test_expect_success 'mixed types: error by default, naming _id, field and types' '
	printf "%s\n" "{\"_id\": 7, \"a\": 1}" "{\"_id\": 8, \"a\": \"x\"}" >in &&
	assert_exit 1 json2arrow <in >o 2>err &&
	assert_match "_id 8: field a: expected int32, found string" "$(cat err)"
'

test_expect_success '--on-mismatch null: the odd value becomes null' '
	json2arrow -m null <in >o &&
	assert_eq "_id:int32 a:int32" "$(schema_of o)" &&
	assert_eq "{\"_id\":7,\"a\":1}{\"_id\":8,\"a\":null}" "$(rows_of o | tr -d "\n")"
'

test_expect_success '--on-mismatch string: the field becomes extended JSON text' '
	json2arrow -m string <in >o &&
	assert_eq "_id:int32 a:utf8{s3pipe.bson.extjson}" "$(schema_of o)" &&
	rows_of o >rows &&
	cat >want <<-\EOF &&
	{"_id":7,"a":"{ \"$numberInt\" : \"1\" }"}
	{"_id":8,"a":"\"x\""}
	EOF
	assert_files_eq want rows
'

test_expect_success 'after the sample: lossless conversions only' '
	printf "%s\n" "{\"a\": {\"\$numberLong\": \"1\"}, \"d\": 1.5}" \
	    "{\"a\": 2, \"d\": 3}" "{\"a\": 3, \"d\": {\"\$numberLong\": \"9007199254740992\"}}" >in &&
	json2arrow -s 1 <in >o &&
	assert_eq "{\"a\":\"n:1\",\"d\":1.5}{\"a\":\"n:2\",\"d\":3}{\"a\":\"n:3\",\"d\":9007199254740992}" \
	    "$(rows_of o | tr -d "\n")" &&
	printf "%s\n" "{\"d\": 1.5}" "{\"d\": {\"\$numberLong\": \"9007199254740993\"}}" >in2 &&
	assert_exit 1 json2arrow -s 1 <in2 >o 2>err &&
	assert_match "field d: expected double, found int64" "$(cat err)"
'

test_expect_success 'a field outside the sampled schema is a mismatch' '
	printf "%s\n" "{\"a\": 1}" "{\"a\": 2, \"b\": 3}" >in &&
	assert_exit 1 json2arrow -s 1 <in >o 2>err &&
	assert_match "field b is not in the schema" "$(cat err)" &&
	json2arrow -s 1 -m null <in >o &&
	assert_eq "{\"a\":1}{\"a\":2}" "$(rows_of o | tr -d "\n")"
'

test_expect_success 'every BSON type maps as documented' '
	cat >in <<-\EOF &&
	{"oid": {"$oid": "0123456789abcdef01234567"}, "i": 1, "l": {"$numberLong": "2"}, "d": 0.5, "s": "x", "b": true, "n": null, "u": {"$undefined": true}, "t": {"$date": {"$numberLong": "-1000"}}, "dec": {"$numberDecimal": "1.5"}, "bin": {"$binary": {"base64": "AAE=", "subType": "04"}}, "doc": {"k": 1}, "arr": ["a"], "re": {"$regularExpression": {"pattern": "^a", "options": "i"}}, "code": {"$code": "f()"}, "cws": {"$code": "g()", "$scope": {"v": 1}}, "sym": {"$symbol": "y"}, "ts": {"$timestamp": {"t": 5, "i": 6}}, "min": {"$minKey": 1}, "max": {"$maxKey": 1}, "ptr": {"$dbPointer": {"$ref": "c", "$id": {"$oid": "0123456789abcdef01234567"}}}}
	EOF
	json2arrow <in >o &&
	assert_eq "oid:fixed_size_binary(12){s3pipe.bson.objectid} i:int32 l:int64 d:float s:utf8 b:bool n:null u:null t:timestamp[1,UTC] dec:fixed_size_binary(16){s3pipe.bson.decimal128} bin:binary doc:struct<k:int32> arr:list<item:utf8> re:utf8{s3pipe.bson.extjson} code:utf8{s3pipe.bson.extjson} cws:utf8{s3pipe.bson.extjson} sym:utf8{s3pipe.bson.extjson} ts:utf8{s3pipe.bson.extjson} min:utf8{s3pipe.bson.extjson} max:utf8{s3pipe.bson.extjson} ptr:utf8{s3pipe.bson.extjson}" \
	    "$(schema_of o)" &&
	rows_of o >rows &&
	assert_match "\"oid\":\"0123456789abcdef01234567\"" "$(cat rows)" &&
	assert_match "\"t\":-1000," "$(cat rows)" &&
	assert_match "\"dec\":\"0f000000000000000000000000003e30\"" "$(cat rows)" &&
	assert_match "\"bin\":\"0001\"" "$(cat rows)" &&
	assert_match "\"ts\":\"\\{ \\\\\"\\\$timestamp\\\\\" : \\{ \\\\\"t\\\\\" : 5, \\\\\"i\\\\\" : 6 \\} \\}\"" "$(cat rows)"
'

test_expect_success 'extended JSON columns: timestamps, minKey, maxKey as libbson renders them' '
	cat >in <<-\EOF &&
	{"v": {"$timestamp": {"t": 0, "i": 0}}}
	{"v": {"$timestamp": {"t": 4294967295, "i": 4294967295}}}
	{"v": {"$timestamp": {"t": 1000000000, "i": 9}}}
	{"v": {"$timestamp": {"t": 10, "i": 999999999}}}
	{"v": {"$maxKey": 1}}
	{"v": {"$minKey": 1}}
	{"v": {"$symbol": "s"}}
	EOF
	json2arrow -m string <in >o &&
	rows_of o >rows &&
	# Same values as the input once parsed, byte for byte the same layout
	# as libbson (bson_as_canonical_extended_json) for every row.
	node -e "
	    const fs = require(\"fs\");
	    const want = fs.readFileSync(\"in\", \"utf8\").trim().split(\"\n\")
		.map(l => JSON.parse(l).v);
	    const got = fs.readFileSync(\"rows\", \"utf8\").trim().split(\"\n\")
		.filter(l => l.startsWith(\"{\")).map(l => JSON.parse(l).v);
	    if (got.length !== want.length) throw new Error(\"rows \" + got.length);
	    got.forEach((g, i) => {
		const lib = JSON.stringify(want[i]).replace(/\"?:/g, m =>
		    m.length > 1 ? \"\\\" : \" : \" : \")
		    .replace(/,/g, \", \").replace(/^\{/, \"{ \")
		    .replace(/\}/g, \" }\").replace(/\{\"/g, \"{ \\\"\");
		if (JSON.stringify(JSON.parse(g)) !== JSON.stringify(want[i]) ||
		    g !== lib)
			throw new Error(\"row \" + i + \": \" + g + \" vs \" + lib);
	    });"
'

test_expect_success '--decimal arrow: decimal128(38, s) when one scale fits' '
	printf "%s\n" "{\"p\": {\"\$numberDecimal\": \"1.5\"}}" \
	    "{\"p\": {\"\$numberDecimal\": \"-2.25\"}}" "{\"p\": {\"\$numberDecimal\": \"100\"}}" >in &&
	json2arrow -D <in >o &&
	assert_eq "p:decimal(38,2)" "$(schema_of o)" &&
	node -e "
	    const a = require(\"apache-arrow\");
	    const t = a.tableFromIPC(require(\"fs\").readFileSync(\"o\"));
	    const c = t.getChild(\"p\");
	    const got = [];
	    for (let i = 0; i < t.numRows; i++) {
	        const w = c.data[0].values.subarray(4 * i, 4 * i + 4);
	        let v = 0n;
	        for (let j = 3; j >= 0; j--) v = (v << 32n) | BigInt(w[j]);
	        got.push(BigInt.asIntN(128, v).toString());
	    }
	    if (got.join() !== \"150,-225,10000\") { console.log(got.join()); process.exit(1); }" &&
	printf "%s\n" "{\"p\": {\"\$numberDecimal\": \"1.5\"}}" \
	    "{\"p\": {\"\$numberDecimal\": \"NaN\"}}" >in2 &&
	json2arrow -D <in2 >o &&
	assert_eq "p:fixed_size_binary(16){s3pipe.bson.decimal128}" "$(schema_of o)" &&
	json2arrow -D -s 1 <in >o 2>err || true &&
	assert_match "field p: expected decimal128\\(38,1\\), found decimal128" "$(cat err)"
'

test_expect_success 'batches close at the row limit' '
	for i in 1 2 3 4 5; do echo "{\"a\": $i}"; done >in &&
	json2arrow -r 2 <in >o &&
	assert_eq "batch 2 codec=none buffers=2 batch 2 codec=none buffers=2 batch 1 codec=none buffers=2 eos" \
	    "$(arrowcheck o | sed 1d | tr "\n" " " | sed "s/ \$//")" &&
	json2arrow -z -r 2 <in >oz &&
	assert_match "codec=zstd" "$(arrowcheck oz)" &&
	assert_eq "$(rows_of o)" "$(rows_of oz)"
'

test_expect_success 'nesting deeper than the cap fails clearly' '
	node -e "let o = {v: 1}; for (let i = 0; i < 40; i++) o = {d: o}; console.log(JSON.stringify(o))" >in &&
	assert_exit 1 json2arrow <in >o 2>err &&
	assert_match "nested deeper than 32 levels" "$(cat err)"
'

test_expect_success 'empty documents and arrays only: struct<> and list<null>' '
	printf "%s\n" "{\"s\": {}, \"l\": []}" >in &&
	json2arrow <in >o &&
	assert_eq "s:struct l:list<item:null>" "$(schema_of o)" &&
	arrowcheck o >/dev/null
'

test_done
