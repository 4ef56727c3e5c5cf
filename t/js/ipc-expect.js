// ipc-expect.js TWIN.json.gz OURS.jsonl [NCOLS]: check the rows that
// arrow2json printed (canonical extended JSON, one per line) against
// the Arrow integration JSON twin of the same stream, following
// mongoload's Arrow → BSON map (man/mongoload.1). Only the first NCOLS
// top-level columns when given. Exit 0 when every row matches.
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const twin = JSON.parse(zlib.gunzipSync(fs.readFileSync(process.argv[2])));
const ours = fs.readFileSync(process.argv[3], 'utf8').split('\n')
    .filter((l) => l.length > 0).map((l) => JSON.parse(l));
const ncols = process.argv[4] ? Number(process.argv[4]) : Infinity;

const dicts = {};
for (const d of twin.dictionaries || [])
	dicts[d.id] = d.data.columns[0];
const FLOAT = Symbol('float');

function ext(f) {
	for (const kv of f.metadata || [])
		if (kv.key === 'ARROW:extension:name')
			return kv.value;
	return null;
}
function b64(hex) {
	return Buffer.from(hex, 'hex').toString('base64');
}
function big(v) {
	return BigInt(v);
}
function floorDiv(a, b) {
	const q = a / b;
	return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
function decString(unscaled, scale) {	// IEEE 754-2008 to-scientific-string
	let v = big(unscaled);
	const neg = v < 0n;
	if (neg) v = -v;
	let c = v.toString(), e = -scale;
	while (c.length > 34 && c.endsWith('0')) {
		c = c.slice(0, -1);
		e++;
	}
	const adj = e + c.length - 1;
	let s;
	if (e <= 0 && adj >= -6) {
		if (e === 0) s = c;
		else {
			const p = c.length + e;
			s = p > 0 ? c.slice(0, p) + '.' + c.slice(p) :
			    '0.' + '0'.repeat(-p) + c;
		}
	} else {
		s = c[0] + (c.length > 1 ? '.' + c.slice(1) : '') + 'E' +
		    (adj >= 0 ? '+' : '') + adj;
	}
	return (neg ? '-' : '') + s;
}
const unitDiv = { SECOND: -1000n, MILLISECOND: 1n, MICROSECOND: 1000n,
    NANOSECOND: 1000000n };

// Expected value of row i of column col (field f), or undefined for null.
function value(f, col, i) {
	if (f.dictionary) {
		if (col.VALIDITY && !col.VALIDITY[i]) return undefined;
		const d = dicts[f.dictionary.id];
		const vf = Object.assign({}, f, { dictionary: undefined });
		return value(vf, d, Number(col.DATA[i]));
	}
	const t = f.type;
	if (t.name === 'null') return undefined;
	if (col.VALIDITY && !col.VALIDITY[i]) return undefined;
	const x = col.DATA ? col.DATA[i] : undefined;
	switch (t.name) {
	case 'int':
		if (t.bitWidth < 32 || (t.bitWidth === 32 && t.isSigned))
			return { $numberInt: String(x) };
		if (big(x) > 9223372036854775807n)
			return { $numberDecimal: String(x) };
		return { $numberLong: String(x) };
	case 'floatingpoint':
		return { [FLOAT]: Number(x), single: t.precision !== 'DOUBLE' };
	case 'bool':
		return !!x;
	case 'utf8': case 'largeutf8':
		return x;
	case 'binary': case 'largebinary':
		return { $binary: { base64: b64(x), subType: '00' } };
	case 'fixedsizebinary':
		return { $binary: { base64: b64(x), subType:
		    ext(f) === 'arrow.uuid' && t.byteWidth === 16 ? '04' : '00' } };
	case 'decimal':
		return { $numberDecimal: decString(x, t.scale) };
	case 'date':
		return { $date: { $numberLong: String(t.unit === 'DAY' ?
		    big(x) * 86400000n : big(x)) } };
	case 'timestamp': {
		const d = unitDiv[t.unit];
		const ms = d < 0n ? big(x) * -d : floorDiv(big(x), d);
		return { $date: { $numberLong: String(ms) } };
	}
	case 'time':
		return t.bitWidth === 32 ? { $numberInt: String(x) } :
		    { $numberLong: String(x) };
	case 'duration':
		return { $numberLong: String(x) };
	case 'list': case 'largelist': {
		const out = [];
		for (let j = Number(col.OFFSET[i]); j < Number(col.OFFSET[i + 1]); j++)
			out.push(elem(f.children[0], col.children[0], j));
		return out;
	}
	case 'fixedsizelist': {
		const out = [];
		for (let j = i * t.listSize; j < (i + 1) * t.listSize; j++)
			out.push(elem(f.children[0], col.children[0], j));
		return out;
	}
	case 'struct':
		return doc(f.children, col.children, i);
	case 'map': {
		const ent = col.children[0], ef = f.children[0];
		const o = {};
		for (let j = Number(col.OFFSET[i]); j < Number(col.OFFSET[i + 1]); j++) {
			const v = value(ef.children[1], ent.children[1], j);
			if (v !== undefined)
				o[ent.children[0].DATA[j]] = v;
		}
		return o;
	}
	default:
		throw new Error('type ' + t.name + ' not handled');
	}
}
function elem(f, col, j) {
	const v = value(f, col, j);
	return v === undefined ? null : v;
}
function doc(fields, cols, i) {
	const o = {};
	fields.forEach((f, k) => {
		const v = value(f, cols[k], i);
		if (v !== undefined) o[f.name] = v;
	});
	return o;
}

function same(a, b, path) {
	if (b !== null && typeof b === 'object' && b[FLOAT] !== undefined) {
		const got = a && a.$numberDouble !== undefined ?
		    Number(a.$numberDouble) : NaN;
		const want = b.single ? Math.fround(b[FLOAT]) : b[FLOAT];
		if (got === want || (b.single && Math.fround(got) === want))
			return;
		throw new Error(path + ': ' + JSON.stringify(a) + ' != ' + want);
	}
	if (typeof b !== 'object' || b === null || typeof a !== 'object' ||
	    a === null) {
		if (a !== b)
			throw new Error(path + ': ' + JSON.stringify(a) + ' != ' +
			    JSON.stringify(b));
		return;
	}
	const ka = Object.keys(a), kb = Object.keys(b);
	if (ka.join('\0') !== kb.join('\0'))
		throw new Error(path + ': keys ' + JSON.stringify(ka) + ' != ' +
		    JSON.stringify(kb));
	for (const k of kb) same(a[k], b[k], path + '.' + k);
}

const fields = twin.schema.fields.slice(0, ncols);
let row = 0;
try {
	for (const b of twin.batches) {
		for (let i = 0; i < b.count; i++, row++) {
			if (row >= ours.length)
				throw new Error('missing row ' + row);
			same(ours[row], doc(fields, b.columns, i), 'row ' + row);
		}
	}
	if (row !== ours.length)
		throw new Error('extra rows: ' + ours.length + ' vs ' + row);
} catch (e) {
	console.error('ipc-expect: ' + e.message);
	process.exit(1);
}
console.log('ok ' + row + ' rows');
