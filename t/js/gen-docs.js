// gen-docs.js N [SEED] [FEATURES]: N deterministic test documents as
// canonical extended JSON lines, covering every BSON type mongodump-arrow
// maps: ObjectId _id, int32, int64 (small and > 2^31), double, UTF-8
// string, bool, null, date, Decimal128 (finite, negative, NaN, Infinity),
// binary, nested documents, an array of FEATURES doubles (default 128),
// string arrays (sometimes empty), a `role` field (three values, null,
// missing), a field missing from every third document, and a BSON
// timestamp (extended JSON column).
'use strict';
const n = Number(process.argv[2] || 5000);
let seed = Number(process.argv[3] || 42) >>> 0;
const nfeat = Number(process.argv[4] || 128);

function rnd() {			// xorshift32
	seed ^= seed << 13; seed >>>= 0;
	seed ^= seed >>> 17;
	seed ^= seed << 5; seed >>>= 0;
	return seed;
}
function oid(i) {
	return '65' + (i + 0x100000).toString(16).padStart(10, '0') +
	    (rnd() & 0xffffff).toString(16).padStart(12, '0');
}
const roles = ['admin', 'editor', 'viewer'];
const words = ['alpha', 'beta', 'gämma', 'δέλτα', 'e"q\\uote', 'tab\there', ''];
const decs = ['123.45', '-0.001', '1E+3', '0', '99999999999999999999.5', 'NaN',
    'Infinity', '-Infinity', '1.000'];
for (let i = 0; i < n; i++) {
	const d = { _id: { $oid: oid(i) } };
	d.i32 = { $numberInt: String((rnd() % 200000) - 100000) };
	d.i64 = { $numberLong: (i % 5 === 0 ? BigInt.asIntN(64, BigInt(rnd()) * 4294967296n) +
	    BigInt(rnd()) : BigInt(rnd() % 1000)).toString() };
	d.dbl = { $numberDouble: String((rnd() % 100000) / 64 - 700) };
	d.str = words[rnd() % words.length] + ' ' + i;
	d.flag = rnd() % 2 === 0;
	d.nothing = null;
	d.when = { $date: { $numberLong: String(1600000000000 + i * 60000 +
	    (rnd() % 1000)) } };
	d.price = { $numberDecimal: decs[i % decs.length] };
	d.blob = { $binary: { base64: Buffer.from(Array.from({ length: 16 },
	    () => rnd() & 255)).toString('base64'), subType: '00' } };
	d.sub = { a: { $numberInt: String(i) }, b: 'n' + (i % 7),
	    deep: { x: { $numberDouble: String(i / 4) } } };
	if (i % 11 === 3) d.sub = null;
	d.features = Array.from({ length: nfeat }, () =>
	    ({ $numberDouble: String((rnd() % 2000) / 16 - 60) }));
	if (i % 13 === 5) d.features = null;
	d.tags = Array.from({ length: rnd() % 4 }, () => words[rnd() % 4]);
	if (i % 17 !== 2) d.role = roles[rnd() % 3];
	else if (i % 2) d.role = null;
	if (i % 3) d.sometimes = { $numberLong: String(i * 3) };
	d.ts = { $timestamp: { t: 1600000000 + i, i: i % 5 } };
	console.log(JSON.stringify(d));
}
