// writers.js DIR: Arrow IPC streams written by other writers, with the
// documents mongoload must make of them (canonical extended JSON lines):
//   DIR/polars-none.arrows, DIR/polars-zstd.arrows (nodejs-polars),
//   DIR/polars-lz4.arrows (must be refused), DIR/polars.expect.jsonl
//   DIR/arrowjs.arrows (apache-arrow JS), DIR/arrowjs.expect.jsonl
'use strict';
const fs = require('fs');
const pl = require('nodejs-polars');
const arrow = require('apache-arrow');
const dir = process.argv[2];
const n = 3000;

const ints = [], strs = [], dbls = [], bools = [], whens = [], cats = [];
const lists = [];
const exp = [];
const cat = ['red', 'green', 'blue'];
for (let i = 0; i < n; i++) {
	const d = {};
	ints.push(i % 7 === 3 ? null : i * 1000003 - 5000000);
	if (ints[i] !== null) d.i = { $numberLong: String(ints[i]) };
	strs.push(i % 11 === 5 ? null : 'row ' + i + ' δ');
	if (strs[i] !== null) d.s = strs[i];
	dbls.push(i % 13 === 1 ? null : i / 8 - 100);
	if (dbls[i] !== null) d.f = dbls[i];
	bools.push(i % 5 === 0 ? null : i % 2 === 0);
	if (bools[i] !== null) d.b = bools[i];
	whens.push(new Date(1600000000000 + i * 1001));
	d.w = { $date: { $numberLong: String(1600000000000 + i * 1001) } };
	cats.push(cat[i % 3]);
	d.c = cat[i % 3];
	lists.push([i, i + 1, i % 4]);
	d.l = lists[i].map((v) => ({ $numberLong: String(v) }));
	exp.push(d);
}
function dbl(d) {		// match libbson's canonical double form
	if (d.f === undefined) return d;
	const o = {};
	for (const k of Object.keys(d))
		o[k] = k === 'f' ? { $double: d.f } : d[k];
	return o;
}
const df = pl.DataFrame([
	pl.Series('i', ints, pl.Int64),
	pl.Series('s', strs, pl.Utf8),
	pl.Series('f', dbls, pl.Float64),
	pl.Series('b', bools, pl.Bool),
	pl.Series('w', whens, pl.Datetime('ms', 'UTC')),
	pl.Series('c', cats, pl.Categorical),
	pl.Series('l', lists, pl.List(pl.Int64)),
]);
df.writeIPCStream(dir + '/polars-none.arrows', { compression: 'uncompressed' });
df.writeIPCStream(dir + '/polars-zstd.arrows', { compression: 'zstd' });
df.writeIPCStream(dir + '/polars-lz4.arrows', { compression: 'lz4' });
fs.writeFileSync(dir + '/polars.expect.jsonl',
    exp.map((d) => JSON.stringify(dbl(d))).join('\n') + '\n');

// apache-arrow JS: int32, utf8, float64, struct, dictionary, date.
const t = arrow.tableFromArrays({
	n: Int32Array.from({ length: 100 }, (_, i) => i * 3 - 50),
	name: Array.from({ length: 100 }, (_, i) => 'n' + i),
	x: Float64Array.from({ length: 100 }, (_, i) => i * 0.5),
});
fs.writeFileSync(dir + '/arrowjs.arrows', arrow.tableToIPC(t, 'stream'));
const ej = [];
for (let i = 0; i < 100; i++)
	ej.push(JSON.stringify({ n: { $numberInt: String(i * 3 - 50) },
	    name: 'n' + i, x: { $double: i * 0.5 } }));
fs.writeFileSync(dir + '/arrowjs.expect.jsonl', ej.join('\n') + '\n');
