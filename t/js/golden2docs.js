// golden2docs.js FILE.stream: read an Arrow integration golden stream
// with polars and print its rows, restricted to the column types
// mongodump-arrow produces (bool, int32, int64, float64, utf8, binary,
// timestamp[ms, UTC], list<int32>, struct<int32, utf8>), as canonical
// extended JSON documents. Fed to json2arrow and read back with polars,
// they show that polars reads our stream as it reads the golden one.
'use strict';
const pl = require('nodejs-polars');
const fs = require('fs');
let df = pl.readIPCStream(fs.readFileSync(process.argv[2]));
const conv = {};
function i32(v) { return v === null ? null : { $numberInt: String(v) }; }
function dbl(v) { return v === null ? null : { $numberDouble: Object.is(v, -0) ? '-0.0' : String(v) }; }
for (const name of df.columns) {
	let t;
	try { t = String(df.getColumn(name).dtype); } catch (e) { t = 'Binary'; }
	if (t === 'DataType(Bool)' || t === 'DataType(String)')
		conv[name] = (v) => v;
	else if (t === 'DataType(Int32)')
		conv[name] = i32;
	else if (t === 'DataType(Float64)')
		conv[name] = dbl;
	else if (t === 'DataType(Int64)') {
		df = df.withColumns(pl.col(name).cast(pl.Utf8));
		conv[name] = (v) => v === null ? null : { $numberLong: v };
	} else if (t === 'Binary') {
		if (name.startsWith('fixedsize')) continue;
		df = df.withColumns(pl.col(name).cast(pl.List(pl.UInt8)));
		conv[name] = (v) => v === null ? null : { $binary: {
		    base64: Buffer.from(Array.from(v)).toString('base64'), subType: '00' } };
	} else if (t === 'DataType(Datetime(ms,UTC))')
		conv[name] = (v) => v === null ? null :
		    { $date: { $numberLong: String(v.getTime()) } };
	else if (t === 'DataType(List(DataType(Int32)))')
		conv[name] = (v) => v === null ? null : Array.from(v, i32);
	else if (t === 'DataType(Struct(Field("f1", DataType(Int32)),Field("f2", DataType(String))))')
		conv[name] = (v) => v === null ? null : { f1: i32(v.f1), f2: v.f2 };
}
const names = Object.keys(conv);
if (!names.length) { console.error('no usable columns'); process.exit(1); }
df = df.select(...names);
for (const r of df.toRecords()) {
	const d = {};
	for (const n of names) d[n] = conv[n](r[n] === undefined ? null : r[n]);
	console.log(JSON.stringify(d));
}
