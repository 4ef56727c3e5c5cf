// pickstats.js STATS.json: the subset of mongodump-arrow --stats that
// stats.js computes independently, in the same shape.
'use strict';
const s = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const out = { documents: s.documents, fields: {}, group: { values: s.group_by.values, null: s.group_by.null } };
for (const [k, f] of Object.entries(s.fields)) {
	if (k.includes('.')) continue;
	const o = { nulls: f.nulls };
	if ('list_length_min' in f) {
		o.list_length_min = f.list_length_min;
		o.list_length_max = f.list_length_max;
	}
	out.fields[k] = o;
}
console.log(JSON.stringify(out));
