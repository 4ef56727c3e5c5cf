// jsonl-same.js GOT.jsonl WANT.jsonl [--drop-nulls] [--numbers]: the
// same documents line by line, compared as canonical extended JSON.
// {"$double": x} in WANT matches any {"$numberDouble"} equal to x.
// --drop-nulls removes null-valued fields (not array elements) on both
// sides: mongoload's "missing == null" rule. --numbers compares every
// numeric type by value (for CongoDB, which rewrites number types).
'use strict';
const fs = require('fs');
const args = process.argv.slice(2);
const drop = args.includes('--drop-nulls');
const nums = args.includes('--numbers');
const files = args.filter((a) => !a.startsWith('--'));
const read = (f) => fs.readFileSync(f, 'utf8').split('\n')
    .filter((l) => l.length).map((l) => JSON.parse(l));

function num(v) {
	if (v === null || typeof v !== 'object') return undefined;
	for (const k of ['$numberInt', '$numberLong', '$numberDouble', '$double'])
		if (v[k] !== undefined) return Number(v[k]);
	return undefined;
}
function norm(v, inArray) {
	if (Array.isArray(v)) return v.map((x) => norm(x, true));
	if (v === null || typeof v !== 'object') return v;
	const o = {};
	for (const k of Object.keys(v)) {
		if (drop && v[k] === null) continue;
		o[k] = norm(v[k], false);
	}
	return o;
}
function same(a, b, p) {
	const nb = num(b);
	if (nb !== undefined && (b.$double !== undefined || nums)) {
		if (num(a) === nb || (Number.isNaN(nb) && Number.isNaN(num(a))))
			return;
		throw new Error(p + ': ' + JSON.stringify(a) + ' != ' +
		    JSON.stringify(b));
	}
	if (typeof b !== 'object' || b === null || typeof a !== 'object' || a === null) {
		if (a !== b)
			throw new Error(p + ': ' + JSON.stringify(a) + ' != ' +
			    JSON.stringify(b));
		return;
	}
	const ka = Object.keys(a), kb = Object.keys(b);
	if (ka.join('\0') !== kb.join('\0'))
		throw new Error(p + ': keys ' + ka + ' != ' + kb);
	for (const k of kb) same(a[k], b[k], p + '.' + k);
}
const got = read(files[0]), want = read(files[1]);
try {
	if (got.length !== want.length)
		throw new Error('rows: ' + got.length + ' != ' + want.length);
	for (let i = 0; i < want.length; i++)
		same(norm(got[i]), norm(want[i]), 'row ' + i);
} catch (e) {
	console.error('jsonl-same: ' + e.message);
	process.exit(1);
}
console.log('same ' + want.length);
