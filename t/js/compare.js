// compare.js EXPECTED.jsonl ACTUAL.jsonl: EXPECTED is the driver's dump
// (canonical extended JSON, Decimal128 as {"$dec128hex": ...}); ACTUAL is
// readarrow.js output. Checks row count and every value under the
// documented mapping (missing == null; numbers compared by value; dates
// as ms; binary and ObjectId as hex; extended-JSON columns parsed).
// Exit 1 with the first differences.
'use strict';
const fs = require('fs');
const [expFile, actFile] = process.argv.slice(2);
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.length);
const exp = lines(expFile).map((l) => JSON.parse(l));
const act = lines(actFile).map((l) => JSON.parse(l));

function num(x) {
	const v = Number(x);
	if (Number.isNaN(v)) return 'n:NaN';
	return 'n:' + String(v);
}
function normExp(v) {
	if (v === null || v === undefined) return null;
	if (Array.isArray(v)) return v.map(normExp);
	if (typeof v !== 'object') return v;
	if ('$oid' in v) return v.$oid;
	if ('$numberInt' in v) return num(v.$numberInt);
	if ('$numberLong' in v) return 'n:' + BigInt(v.$numberLong).toString();
	if ('$numberDouble' in v) return num(v.$numberDouble);
	if ('$date' in v) return 'n:' + BigInt(v.$date.$numberLong).toString();
	if ('$binary' in v) return Buffer.from(v.$binary.base64, 'base64').toString('hex');
	if ('$dec128hex' in v) return v.$dec128hex;
	for (const k of Object.keys(v))
		if (k.startsWith('$')) return { __extjson: v };
	const o = {};
	for (const k of Object.keys(v)) o[k] = normExp(v[k]);
	return o;
}
function normAct(v) {
	if (v === null || v === undefined) return null;
	if (typeof v === 'number') return num(v);
	if (Array.isArray(v)) return v.map(normAct);
	if (typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v)) o[k] = normAct(v[k]);
		return o;
	}
	if (typeof v === 'string' && /^n:-?[0-9]+$/.test(v))
		return 'n:' + BigInt(v.slice(2)).toString();
	return v;
}
const diffs = [];
function cmp(e, a, path) {
	if (diffs.length > 10) return;
	if (e !== null && typeof e === 'object' && '__extjson' in e) {
		let p;
		try { p = JSON.parse(a); } catch (x) { p = undefined; }
		if (JSON.stringify(p) !== JSON.stringify(e.__extjson))
			diffs.push(`${path}: expected ${JSON.stringify(e.__extjson)}, got ${JSON.stringify(a)}`);
		return;
	}
	if (Array.isArray(e)) {
		if (!Array.isArray(a) || a.length !== e.length) {
			diffs.push(`${path}: expected array of ${e.length}, got ${JSON.stringify(a)}`);
			return;
		}
		e.forEach((x, i) => cmp(x, a[i], `${path}[${i}]`));
		return;
	}
	if (e !== null && typeof e === 'object') {
		if (a === null || typeof a !== 'object') {
			diffs.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
			return;
		}
		for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
			if (!(k in a) && e[k] !== null) {
				diffs.push(`${path}.${k}: missing from the Arrow row`);
				continue;
			}
			cmp(k in e ? e[k] : null, a[k], `${path}.${k}`);
		}
		return;
	}
	if (e !== a)
		diffs.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
}
if (exp.length !== act.length)
	diffs.push(`row count: expected ${exp.length}, got ${act.length}`);
for (let i = 0; i < Math.min(exp.length, act.length); i++)
	cmp(normExp(exp[i]), normAct(act[i]), `row ${i}`);
if (diffs.length) {
	console.log(diffs.slice(0, 10).join('\n'));
	process.exit(1);
}
console.log(`${exp.length} rows equal`);
