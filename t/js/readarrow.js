// readarrow.js READER FILE: print the rows of an Arrow IPC stream as JSON
// lines, read by an independent implementation: READER is "arrow"
// (apache-arrow JS, with fzstd registered for ZSTD bodies) or "polars"
// (nodejs-polars). Values are normalised so both readers print the same:
// binary and fixed-size binary as hex, timestamps as ms since the epoch,
// 64-bit integers (BigInt) as "n:DIGITS", decimals as strings.
'use strict';
const fs = require('fs');
const [reader, file] = process.argv.slice(2);
// An aligned copy: typed-array views need 8-byte aligned offsets.
const buf = new Uint8Array(fs.readFileSync(file));

function hex(u8) {
	return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex');
}

function norm(v) {
	if (v === null || v === undefined) return null;
	if (typeof v === 'bigint') return 'n:' + v.toString();
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
		// Copy: fzstd may return an unaligned view of its input.
		decode(d) { return new Uint8Array(fzstd.decompress(d)); },
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
	let df = pl.readIPCStream(Buffer.from(buf));
	// nodejs-polars cannot hand Binary to JS: go through list<u8>.
	// and its JS numbers lose int64 precision: go through strings.
	const bin = [], i64 = [];
	for (const name of df.columns) {
		let t;
		try {
			t = String(df.getColumn(name).dtype);
		} catch (e) {
			bin.push(name);
			df = df.withColumns(pl.col(name).cast(pl.List(pl.UInt8)));
			continue;
		}
		if (t === 'Int64' || t === 'DataType(Int64)') {
			i64.push(name);
			df = df.withColumns(pl.col(name).cast(pl.Utf8));
		}
	}
	console.error('schema ' + df.columns.join(',') + ' binary ' + bin.join(','));
	for (const r of df.toRecords()) {
		for (const name of bin)
			if (r[name] !== null && r[name] !== undefined)
				r[name] = Buffer.from(Array.from(r[name])).toString('hex');
		for (const name of i64)
			if (r[name] !== null && r[name] !== undefined)
				r[name] = 'n:' + r[name];
		console.log(JSON.stringify(norm(r)));
	}
} else {
	console.error('usage: readarrow.js arrow|polars FILE');
	process.exit(2);
}
