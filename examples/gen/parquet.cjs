// parquet.cjs DIR N ROWS: write N Parquet files of about ROWS rows each
// with DuckDB: an id, a role (one of three), a features list of doubles
// (the LOB payload), a score and a timestamp. Deterministic.
'use strict';
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
	const [dir, n, rows] = [process.argv[2], +process.argv[3], +process.argv[4]];
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	await c.run('SELECT setseed(0.42)');
	for (let i = 1; i <= n; i++) {
		const name = `${dir}/lob-${String(i).padStart(4, '0')}.parquet`;
		await c.run(`COPY (
		    SELECT r AS id,
		        (['admin', 'user', 'guest'])[1 + (r * 7 + ${i}) % 3] AS role,
		        list_transform(range(16), x -> round(random() * 100, 3)) AS features,
		        round(random(), 6) AS score,
		        TIMESTAMP '2026-01-01' + to_seconds(r * 61) AS ts
		    FROM range(${rows} + ${i} * 17) t(r))
		    TO '${name}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`);
	}
}
main().catch(e => { console.error(e.message); process.exit(1); });
