// pqmeta-duckdb.cjs: DuckDB as an independent oracle for pqmeta.
//
//   node pqmeta-duckdb.cjs gen DIR          write the test files into DIR
//   node pqmeta-duckdb.cjs check FILE JSON...  compare pqmeta -j -s
//                                  output (JSON) with DuckDB's view of FILE
//
// check compares field by field with parquet_file_metadata(),
// parquet_metadata(), parquet_schema() and parquet_kv_metadata(); it
// prints every difference and exits 1 if there was one. Where DuckDB
// 1.5 shows a field differently from parquet.thrift, the comparison
// normalises (each case is commented at its place).
// Requires @duckdb/node-api (NODE_PATH=.test-tools/node_modules).
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

const TYPES = `
	(i % 2 = 0) AS bo, (i % 100)::TINYINT AS ti, i::SMALLINT AS si,
	(i * 7 - 5000)::INTEGER AS ii, (i * 1000003 - 7)::BIGINT AS bi,
	(i % 200)::UTINYINT AS uti, i::USMALLINT AS usi, i::UINTEGER AS ui,
	(i * 3)::UBIGINT AS ubi, (i / 3 - 7)::FLOAT AS fl,
	(i / 7 - 100)::DOUBLE AS db, 'str' || i AS vc,
	('\\x00\\x01ab' || (i % 10))::BLOB AS bl,
	DATE '1969-12-01' + i::INTEGER AS dt, TIME '01:02:03' + INTERVAL (i) SECOND AS tm,
	TIMESTAMP '2020-01-01 01:02:03.123456' + INTERVAL (i) SECOND AS ts,
	TIMESTAMPTZ '2020-01-01 01:02:03+00' + INTERVAL (i) MINUTE AS tstz,
	TIMESTAMP_MS '1960-01-01 01:02:03.123' + INTERVAL (i) HOUR AS tsms,
	TIMESTAMP_NS '2020-01-01 01:02:03.123456789' + INTERVAL (i) SECOND AS tsns,
	((i % 9000) / 100 - 45)::DECIMAL(4,2) AS d4, (i / 7 - 50)::DECIMAL(18,3) AS d18,
	(i / 7 - 99)::DECIMAL(38,10) AS d38,
	CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS nu,
	NULL::INTEGER AS allnull`;

const NESTED = `
	[i, i + 1, NULL] AS li, [[i], [], NULL] AS lili,
	{'a': i, 'b': 'x' || i, 'c': [i::DOUBLE]} AS st,
	MAP {'k' || (i % 5): i} AS mp,
	CASE WHEN i % 4 = 0 THEN NULL ELSE {'p': [{'q': i}]} END AS deep,
	['a', NULL, 'b' || i] AS ls`;

const FILES = {
	'types.parquet': `COPY (SELECT ${TYPES} FROM range(10000) t(i))
	    TO '@OUT@' (FORMAT parquet, ROW_GROUP_SIZE 2048,
	    KV_METADATA {k1: 'v1', 'ARROW:like': 'some value', empty: ''})`,
	'types-zstd.parquet': `COPY (SELECT ${TYPES} FROM range(3000) t(i))
	    TO '@OUT@' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1024)`,
	'nested.parquet': `COPY (SELECT ${NESTED} FROM range(5000) t(i))
	    TO '@OUT@' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION gzip)`,
	'empty.parquet': `COPY (SELECT ${TYPES}, ${NESTED} FROM range(10) t(i)
	    WHERE false) TO '@OUT@' (FORMAT parquet)`,
	'wide.parquet': `COPY (SELECT ${Array.from({ length: 1000 },
	    (_, k) => `(i + ${k})::${k % 3 ? 'BIGINT' : 'VARCHAR'} AS c${k}`)
	    .join(', ')} FROM range(3000) t(i))
	    TO '@OUT@' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
	'uncompressed.parquet': `COPY (SELECT i, 'v' || i AS s FROM
	    range(100) t(i)) TO '@OUT@' (FORMAT parquet,
	    COMPRESSION uncompressed, FIELD_IDS 'auto',
	    KV_METADATA {sole: 'one'})`,
};

async function connect() {
	const inst = await DuckDBInstance.create(':memory:');
	return inst.connect();
}

async function rows(con, sql) {
	const r = await con.runAndReadAll(sql);
	return r.getRowObjectsJson();
}

async function gen(dir) {
	const con = await connect();
	for (const [name, sql] of Object.entries(FILES))
		await con.run(sql.replace('@OUT@', `${dir}/${name}`));
}

// ---- our JSON rendered the way DuckDB prints it ---------------------

function unitText(u) {
	return `TimeUnit(MILLIS=${u === 'MILLIS' ? 'MilliSeconds()' : '<null>'}` +
	    `, MICROS=${u === 'MICROS' ? 'MicroSeconds()' : '<null>'}` +
	    `, NANOS=${u === 'NANOS' ? 'NanoSeconds()' : '<null>'})`;
}

function logicalText(lt) {
	// DuckDB shows no logical type for ids it does not know.
	if (!lt || typeof lt.type === 'number')
		return null;
	const simple = { STRING: 'StringType()', MAP: 'MapType()',
	    LIST: 'ListType()', ENUM: 'EnumType()', DATE: 'DateType()',
	    UNKNOWN: 'NullType()', JSON: 'JsonType()', BSON: 'BsonType()',
	    UUID: 'UUIDType()', FLOAT16: 'Float16Type()' };
	if (simple[lt.type])
		return simple[lt.type];
	switch (lt.type) {
	case 'DECIMAL':
		return `DecimalType(scale=${lt.scale}, precision=${lt.precision})`;
	case 'TIME':
	case 'TIMESTAMP':
		return `${lt.type === 'TIME' ? 'TimeType' : 'TimestampType'}(` +
		    `isAdjustedToUTC=${lt.is_adjusted_to_utc ? 1 : 0}, ` +
		    `unit=${unitText(lt.unit)})`;
	case 'INTEGER':
		// DuckDB 1.5 prints the i8 bitWidth as a character.
		return `IntType(bitWidth=${String.fromCharCode(lt.bit_width)}, ` +
		    `isSigned=${lt.is_signed ? 1 : 0})`;
	case 'GEOMETRY':
		return `GeometryType(crs=${lt.crs === undefined ? '<null>' :
		    lt.crs})`;
	case 'GEOGRAPHY':
		return `GeographyType(crs=${lt.crs === undefined ? '<null>' :
		    lt.crs}, algorithm=${lt.algorithm === undefined ? '<null>' :
		    lt.algorithm})`;
	}
	return JSON.stringify(lt);
}

function str(v) {
	return v === undefined || v === null ? null : String(v);
}

// Normalise a statistics value from either side so equal values compare
// equal: numbers numerically, timestamps without 'T'/'Z' and trailing
// fraction zeros, blobs as DuckDB escapes them.
function normStat(v, physical, isBlob, isFloat) {
	if (v === null || v === undefined)
		return null;
	if (Object.is(v, -0))
		return '-0';
	let s = String(v);
	if (isFloat) {
		const x = parseFloat(s);
		if (Object.is(x, -0))
			return '-0';
		return physical === 'FLOAT' ? String(Math.fround(x)) : String(x);
	}
	if (isBlob)
		return s;
	if (/^-?\d{4,}-\d\d-\d\d[T ]\d\d:/.test(s) || /^\d\d:\d\d:\d\d/.test(s)) {
		s = s.replace('T', ' ').replace(/Z$/, '+00');
		s = s.replace(/(\.\d*?)0+(\+00)?$/, '$1$2').replace(/\.(\+00)?$/, '$1');
	}
	return s;
}

function hexToDuck(h) {
	let out = '';
	for (let i = 0; i < h.length; i += 2) {
		const b = parseInt(h.substr(i, 2), 16);
		out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) :
		    '\\x' + h.substr(i, 2).toUpperCase();
	}
	return out;
}

async function check(file, jsonFile) {
	// Integers beyond 2^53 would be rounded by JSON.parse: keep them as
	// strings (pqmeta writes them exactly).
	const ours = JSON.parse(fs.readFileSync(jsonFile, 'utf8').replace(
	    /([:\[,])(-?\d{16,})(?=[,\]}])/g, '$1"$2"'));
	const con = await connect();
	const q = file.replace(/'/g, "''");
	const diffs = [];
	const cmp = (what, want, got) => {
		want = str(want);
		got = str(got);
		if (want !== got)
			diffs.push(`${what}: duckdb ${JSON.stringify(want)}, ` +
			    `pqmeta ${JSON.stringify(got)}`);
	};

	const [fm] = await rows(con, `SELECT * FROM parquet_file_metadata('${q}')`);
	cmp('num_rows', fm.num_rows, ours.num_rows);
	cmp('num_row_groups', fm.num_row_groups, ours.num_row_groups);
	cmp('created_by', fm.created_by, ours.created_by);
	cmp('format_version', fm.format_version, ours.version);
	cmp('file_size', fm.file_size_bytes, ours.file_size);
	cmp('footer_size', fm.footer_size, ours.footer_length);
	// DuckDB 1.5 knows only TYPE_ORDER and prints "<null>" for others.
	cmp('column_orders', (fm.column_orders || []).map(c =>
	    /=<null>\)$/.test(c) ? 'other' :
	    c.replace(/^ColumnOrder\((\w+)=.*$/, '$1')).join(','),
	    (ours.column_orders || []).map(c => c === 'TYPE_ORDER' ? c :
	    'other').join(','));

	const sch = await rows(con, `SELECT * FROM parquet_schema('${q}')`);
	cmp('schema length', sch.length, ours.schema.length);
	sch.forEach((d, i) => {
		const o = ours.schema[i] || {};
		for (const k of ['name', 'type', 'type_length', 'repetition_type',
		    'num_children', 'converted_type', 'scale', 'precision',
		    'field_id'])
			cmp(`schema[${i}].${k}`, d[k], o[k]);
		cmp(`schema[${i}].logical_type`, d.logical_type,
		    logicalText(o.logical_type));
	});
	const leaves = ours.schema.filter(e => e.num_children === undefined);

	const kv = await rows(con, `SELECT decode(key) AS key,
	    decode(value) AS value FROM parquet_kv_metadata('${q}')`);
	cmp('key_value_metadata', JSON.stringify(kv.map(e => [e.key,
	    e.value === null ? '' : e.value])),
	    JSON.stringify((ours.key_value_metadata || []).map(e =>
	    [e.key, e.value === undefined ? '' : e.value])));

	const md = await rows(con, `SELECT * FROM parquet_metadata('${q}')
	    ORDER BY row_group_id, column_id`);
	let n = 0;
	for (const d of md) {
		const g = Number(d.row_group_id), c = Number(d.column_id);
		const rg = ours.row_groups[g] || {};
		const cc = (rg.columns || [])[c] || {};
		const m = cc.meta_data || {};
		const st = m.statistics || {};
		const w = `rg ${g} col ${c}`;
		const leaf = leaves[c] || {};
		const lt = leaf.logical_type || {};
		const isFloat = m.type === 'FLOAT' || m.type === 'DOUBLE' ||
		    lt.type === 'FLOAT16';
		const isBlob = (m.type === 'BYTE_ARRAY' ||
		    m.type === 'FIXED_LEN_BYTE_ARRAY') && !leaf.converted_type &&
		    !leaf.logical_type;
		n++;
		cmp(`${w} row_group_num_rows`, d.row_group_num_rows, rg.num_rows);
		cmp(`${w} row_group_num_columns`, d.row_group_num_columns,
		    (rg.columns || []).length);
		cmp(`${w} row_group_bytes`, d.row_group_bytes, rg.total_byte_size);
		cmp(`${w} row_group_compressed_bytes`,
		    d.row_group_compressed_bytes, rg.total_compressed_size);
		// DuckDB shows ColumnChunk.file_offset only when it is 0.
		if (d.file_offset !== null)
			cmp(`${w} file_offset`, d.file_offset, cc.file_offset);
		cmp(`${w} num_values`, d.num_values, m.num_values);
		cmp(`${w} path_in_schema`, d.path_in_schema,
		    (m.path_in_schema || []).join(', '));
		cmp(`${w} type`, d.type, m.type);
		cmp(`${w} compression`, d.compression, m.codec);
		cmp(`${w} encodings`, d.encodings, (m.encodings || []).join(', '));
		for (const k of ['index_page_offset', 'dictionary_page_offset',
		    'data_page_offset', 'total_compressed_size',
		    'total_uncompressed_size', 'bloom_filter_offset',
		    'bloom_filter_length'])
			cmp(`${w} ${k}`, d[k], m[k]);
		cmp(`${w} key_value_metadata`, JSON.stringify(
		    (d.key_value_metadata || []).map(e => [e.key, e.value])),
		    JSON.stringify((m.key_value_metadata || []).map(e =>
		    [e.key, e.value === undefined ? '' : e.value])));
		cmp(`${w} stats_null_count`, d.stats_null_count, st.null_count);
		cmp(`${w} stats_distinct_count`, d.stats_distinct_count,
		    st.distinct_count);
		cmp(`${w} min_is_exact`, d.min_is_exact, st.is_min_value_exact);
		cmp(`${w} max_is_exact`, d.max_is_exact, st.is_max_value_exact);
		for (const [dk, ok] of [['stats_min', 'min'], ['stats_max', 'max'],
		    ['stats_min_value', 'min_value'],
		    ['stats_max_value', 'max_value']]) {
			let o = st[ok];
			if (isBlob && o !== undefined)
				o = hexToDuck(o);
			// DuckDB drops NaN bounds from its statistics.
			if (o === 'NaN' && d[dk] === null)
				o = undefined;
			// A legacy TIMESTAMP_* converted type means adjusted to
			// UTC (parquet spec; pqmeta appends Z); DuckDB shows it
			// as a naive timestamp.
			if (typeof o === 'string' && !leaf.logical_type &&
			    /^TIMESTAMP_/.test(leaf.converted_type || ''))
				o = o.replace(/Z$/, '');
			cmp(`${w} ${dk}`, normStat(d[dk], m.type, isBlob, isFloat),
			    normStat(o, m.type, isBlob, isFloat));
		}
	}
	let total = 0;
	for (const rg of ours.row_groups)
		total += rg.columns.length;
	cmp('column chunks', n, total);
	for (const d of diffs)
		console.log(d);
	console.log(`${file}: ${n} column chunks, ${sch.length} schema ` +
	    `elements, ${kv.length} key-value pairs, ${diffs.length} differences`);
	return diffs.length === 0;
}

async function main() {
	const [cmd, a, b] = process.argv.slice(2);
	if (cmd === 'gen')
		await gen(a);
	else if (cmd === 'check') {
		// check FILE JSON [FILE JSON ...]
		const args = process.argv.slice(3);
		let ok = args.length > 0 && args.length % 2 === 0;
		for (let i = 0; i + 1 < args.length; i += 2)
			ok = (await check(args[i], args[i + 1])) && ok;
		process.exitCode = ok ? 0 : 1;
	}
	else
		throw new Error('usage: pqmeta-duckdb.cjs gen DIR | check FILE JSON');
}

main().catch(e => {
	console.error(e.stack || String(e));
	process.exitCode = 2;
});
