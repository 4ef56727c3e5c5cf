// splits.cjs N SEED: N documents of a "split" as extended JSON lines for
// mongoutil insert: ObjectId _id, role, a features array of doubles, a
// nested document, a date. Deterministic for a seed.
'use strict';
const [n, seed] = [+process.argv[2], +process.argv[3]];
let s = seed >>> 0 || 1;
const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
const roles = ['admin', 'user', 'guest'];
const out = [];
for (let i = 0; i < n; i++) {
	const oid = (seed.toString(16).padStart(8, '0') + i.toString(16).padStart(16, '0')).slice(-24);
	const features = Array.from({ length: 8 }, () => ({ $numberDouble: (rnd() * 100).toFixed(3) }));
	out.push(JSON.stringify({
		_id: { $oid: oid },
		role: roles[Math.floor(rnd() * 3)],
		features,
		meta: { source: `split-${seed}`, score: { $numberDouble: rnd().toFixed(6) } },
		ts: { $date: { $numberLong: String(1767225600000 + i * 60000) } },
	}));
}
process.stdout.write(out.join('\n') + '\n');
