#!/bin/bash
# pqmeta -j -s against DuckDB (an independent reader) on files DuckDB
# writes here: several row groups, all physical types, nested lists,
# maps and structs, nulls, key-value metadata, zero rows, 1000 columns
# (footer > 64 KiB), decimal and timestamp logical types, three codecs.
# The same comparison runs over every parquet-testing file DuckDB can
# open. t/pqmeta-duckdb.cjs compares every field of
# parquet_file_metadata(), parquet_metadata(), parquet_schema() and
# parquet_kv_metadata().
. "$(dirname "$0")/lib.sh"
need_cmd node jq
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
[ -d "$NODE_PATH/@duckdb/node-api" ] ||
    skip_all "@duckdb/node-api not installed (make deps)"
ORACLE=$ROOT/t/pqmeta-duckdb.cjs

test_expect_success 'DuckDB writes the test files' '
	mkdir -p "$TMP/gen" &&
	node "$ORACLE" gen "$TMP/gen" &&
	ls "$TMP/gen" >list &&
	assert_eq 6 "$(wc -l <list | tr -d " ")"
'

for f in types types-zstd nested empty wide uncompressed; do
	test_expect_success "$f.parquet: every field equals DuckDB's" "
		pqmeta -j -s '$TMP/gen/$f.parquet' >$f.json &&
		node '$ORACLE' check '$TMP/gen/$f.parquet' $f.json
	"
done

test_expect_success 'parquet-testing files DuckDB opens: every field equals' '
	set -- &&
	for f in $(jq -r "to_entries[] | select(.value.duckdb_error == null)
	    | .key" "$DATA/parquet/EXPECTED.json") \
	    ../parquet-bad/ARROW-GH-43605.parquet \
	    ../parquet-bad/ARROW-GH-45185.parquet \
	    ../parquet-bad/ARROW-GH-47662.parquet \
	    ../parquet-bad/ARROW-RS-GH-6229-DICTHEADER.parquet \
	    ../parquet-bad/ARROW-RS-GH-6229-LEVELS.parquet; do
		j=$(echo "$f" | tr / _).json
		pqmeta -j -s "$DATA/parquet/$f" >"$j"
		set -- "$@" "$DATA/parquet/$f" "$j"
	done &&
	[ $# -ge 120 ] &&
	node "$ORACLE" check "$@" >log || { grep -v " 0 differences" log; false; }
'

test_expect_success 'the comparison fails on a wrong value' '
	pqmeta -j -s "$TMP/gen/types.parquet" |
	    jq -c ".row_groups[1].columns[3].meta_data.statistics.max_value
	    += 1" >bad.json &&
	assert_exit 1 node "$ORACLE" check "$TMP/gen/types.parquet" bad.json \
	    >out &&
	assert_match "rg 1 col 3 stats_max_value" "$(cat out)" &&
	pqmeta -j -s "$TMP/gen/nested.parquet" |
	    jq -c ".schema[2].name = \"x\"" >bad.json &&
	assert_exit 1 node "$ORACLE" check "$TMP/gen/nested.parquet" bad.json \
	    >out
'

test_expect_success 'wide file: footer > 64 KiB read in exactly two reads' '
	pqmeta -v -j "$TMP/gen/wide.parquet" >w.json 2>v &&
	flen=$(jq .footer_length w.json) &&
	[ "$flen" -gt 65536 ] &&
	assert_match "read $((flen + 8)) bytes in 2 reads" "$(cat v)" &&
	assert_eq 1000 "$(jq .num_columns w.json)"
'

test_expect_success 'zero rows: text output and --rows' '
	pqmeta "$TMP/gen/empty.parquet" >e &&
	assert_match ": 0 rows, 0 row groups, 33 columns" "$(cat e)" &&
	pqmeta --rows "$TMP/gen/empty.parquet" "$TMP/gen/types.parquet" >r &&
	assert_eq "10000  total" "$(tail -n 1 r)"
'

test_done
