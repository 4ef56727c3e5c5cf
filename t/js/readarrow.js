// readarrow.js READER FILE: print the rows of an Arrow IPC stream as JSON
// lines, read by an independent implementation: READER is "arrow"
// (apache-arrow JS, with fzstd registered for ZSTD bodies) or "polars"
// (nodejs-polars). Values are normalised so both readers print the same:
// binary and fixed-size binary as hex, timestamps as ms since the epoch,
// 64-bit integers as decimal strings, decimals as strings.
'use strict';
const fs = require('fs');
const [reader, file] = process.argv.slice(2);
const buf = fs.readFileSync(file);

function hex(u8) {
	return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex');
}

function norm(v) {
	if (v === null || v === undefined) return null;
	if (typeof v === 'bigint') return v.toString();
	if (v instanceof Date) return v.getTime();
	if (v instanceof Uint8Array) return hex(v);
	if (Array.isArray(v)) return v.map(norm);
	if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v;
	if (typeof v === 'object') {
		if (typeof v.toArray === 'function' && typeof v.length === 'number')
			return Array.from(v.toArray(), norm);
		if (typeof v.toJSON === 'function' && !(v.constructor === Object)) {
			const j = v.toJSON();
			if (j !== v) return norm(j);
		}
		const o = {};
		for (const k of Object.keys(v)) o[k] = norm(v[k]);
		return o;
	}
	return v;
}

if (reader === 'arrow') {
	const arrow = require('apache-arrow');
	const fzstd = require('fzstd');
	arrow.compressionRegistry.set(arrow.CompressionType.ZSTD, {
		// The registry insists on an encoder; we only decode.
		encode(d) { return new Uint8Array([40, 181, 47, 253, 0, 0]); },
		decode(d) { return fzstd.decompress(d); },
	});
	const t = arrow.tableFromIPC(buf);
	const names = t.schema.fields.map((f) => f.name);
	const types = t.schema.fields.map((f) => String(f.type));
	console.error('schema ' + JSON.stringify(names.map((n, i) => n + ':' + types[i])));
	for (let i = 0; i < t.numRows; i++) {
		const row = t.get(i);
		const o = {};
		for (const n of names) {
			let v = row[n];
			if (v && typeof v === 'object' && typeof v.toJSON === 'function' &&
			    !(v instanceof Uint8Array))
				v = v.toJSON();
			o[n] = norm(v);
		}
		console.log(JSON.stringify(o));
	}
} else if (reader === 'polars') {
	const pl = require('nodejs-polars');
	const df = pl.readIPCStream(buf);
	console.error('schema ' + JSON.stringify(df.schema));
	for (const r of df.toRecords())
		console.log(JSON.stringify(norm(r)));
} else {
	console.error('usage: readarrow.js arrow|polars FILE');
	process.exit(2);
}
