// stats.js DOCS.jsonl GROUPFIELD: statistics computed independently from
// the generated documents (extended JSON lines), in the shape of
// mongodump-arrow --stats: documents, group-by value counts, null counts
// of top-level fields (null or missing), list length min/max.
'use strict';
const fs = require('fs');
const [file, group] = process.argv.slice(2);
const docs = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
const names = [];
for (const d of docs) for (const k of Object.keys(d)) if (!names.includes(k)) names.push(k);
const out = { documents: docs.length, fields: {}, group: { values: {}, null: 0 } };
for (const k of names) {
	const f = { nulls: 0 };
	for (const d of docs) {
		const v = d[k];
		if (v === null || v === undefined) { f.nulls++; continue; }
		if (Array.isArray(v)) {
			f.list_length_min = Math.min(f.list_length_min ?? Infinity, v.length);
			f.list_length_max = Math.max(f.list_length_max ?? -1, v.length);
		}
	}
	out.fields[k] = f;
}
for (const d of docs) {
	const v = d[group];
	if (v === null || v === undefined) out.group.null++;
	else out.group.values[v] = (out.group.values[v] || 0) + 1;
}
const sorted = {};
for (const k of Object.keys(out.group.values).sort()) sorted[k] = out.group.values[k];
out.group.values = sorted;
console.log(JSON.stringify(out));
