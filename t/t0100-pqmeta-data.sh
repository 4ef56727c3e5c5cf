#!/bin/bash
# pqmeta on the parquet-testing files: rows, row groups, leaf columns,
# writer and codecs against EXPECTED.json (read by DuckDB), plus the
# CLI contract: output forms, exit codes, usage, bytes read.
. "$(dirname "$0")/lib.sh"
need_cmd jq

PQ=$DATA/parquet
EXP=$PQ/EXPECTED.json

# Every key of EXPECTED.json is a file we can read or one DuckDB could
# not open: check each against what it says.
test_expect_success 'every expected file exists and no file is unlisted' '
	jq -r "keys[]" "$EXP" | sort >want &&
	(cd "$PQ" && find . -type f ! -name "*.json" ! -name "*.txt" |
	    sed "s|^\./||" | sort) >have &&
	assert_files_eq want have
'

test_expect_success 'num_rows, row groups, leaf columns, created_by, codecs' '
	fails=0
	for f in $(jq -r "to_entries[] | select(.value.num_rows != null) |
	    .key" "$EXP"); do
		pqmeta -j -s "$PQ/$f" >out.json || { echo "$f: exit $?"; fails=1; continue; }
		want=$(jq -c --arg f "$f" ".[\$f] | [.num_rows, .num_row_groups,
		    .num_columns, .created_by, (.codecs | sort)]" "$EXP")
		got=$(jq -c "[.num_rows, .num_row_groups, .num_columns,
		    .created_by, ([.row_groups[].columns[].meta_data.codec] |
		    unique)]" out.json)
		[ "$want" = "$got" ] || { echo "$f: want $want got $got"; fails=1; }
	done
	[ $fails -eq 0 ]
'

test_expect_success 'files DuckDB rejects: figures from the README' '
	pqmeta -j "$PQ/map_no_value.parquet" >m.json &&
	assert_eq "[3,1,4]" "$(jq -c "[.num_rows,.num_row_groups,.num_columns]" m.json)" &&
	f=encrypt_columns_plaintext_footer.parquet.encrypted &&
	pqmeta -j -s "$PQ/$f" >p.json &&
	want=$(jq -c --arg f $f ".[\$f] | [.duckdb_partial.num_rows,
	    .duckdb_partial.num_row_groups, .duckdb_partial.num_columns,
	    .created_by, .encryption_algorithm]" "$EXP") &&
	got=$(jq -c "[.num_rows, .num_row_groups, .num_columns, .created_by,
	    .encryption_algorithm]" p.json) &&
	assert_eq "$want" "$got"
'

test_expect_success 'encrypted footers (PARE): exit 1, message names file' '
	for f in $(jq -r "to_entries[] | select(.value.footer_magic == \"PARE\")
	    | .key" "$EXP"); do
		assert_exit 1 pqmeta "$PQ/$f" >out 2>err
		assert_match "^pqmeta: .*$f: encrypted footer" "$(cat err)"
		[ ! -s out ]
	done
'

test_expect_success 'typed statistics: decimals, dates, strings, NaN' '
	pqmeta -j -s "$PQ/int64_decimal.parquet" | jq -c \
	    "[.row_groups[0].columns[0].meta_data.statistics | .min, .max]" >d &&
	assert_eq "[\"1.00\",\"24.00\"]" "$(cat d)" &&
	pqmeta -j -s "$PQ/fixed_length_decimal.parquet" | jq -c \
	    "[.row_groups[0].columns[0].meta_data.statistics | .min, .max]" >d &&
	assert_eq "[\"2.00\",\"24.00\"]" "$(cat d)" &&
	pqmeta -j -s "$PQ/list_columns.parquet" | jq -c \
	    "[.row_groups[0].columns[1].meta_data.statistics | .min_value,
	    .max_value]" >s &&
	assert_eq "[\"abc\",\"xyz\"]" "$(cat s)" &&
	pqmeta -s "$PQ/nan_in_stats.parquet" >n &&
	assert_match "max_deprecated=NaN" "$(cat n)" &&
	f=$PQ/floating_orders_nan_count.parquet &&
	pqmeta -j -s "$f" | jq -c \
	    "[.row_groups[].columns[0].meta_data.statistics.nan_count]" >c &&
	assert_eq "[0,4,10,0,0]" "$(cat c)" &&
	pqmeta -s "$f" >t &&
	assert_eq 5 "$(grep -c "column 0 float_ieee754 .* nans=" t)"
'

test_expect_success 'schema: logical types in text and JSON' '
	pqmeta -s "$PQ/alltypes_tiny_pages.parquet" >t &&
	assert_match "tinyint_col: INT32 OPTIONAL INTEGER\(8,signed\)" "$(cat t)" &&
	pqmeta -j -s "$PQ/int32_decimal.parquet" | jq -c ".schema[1] |
	    [.converted_type, .precision, .scale]" >c &&
	assert_eq "[\"DECIMAL\",4,2]" "$(cat c)" &&
	pqmeta -j -s "$PQ/nested_structs.rust.parquet" | jq -r \
	    "[.schema[].converted_type | select(. != null)] | unique | join(\",\")" >n &&
	assert_match "TIMESTAMP_MICROS" "$(cat n)"
'

test_expect_success 'multiple files: one line each and a total; --rows' '
	pqmeta "$PQ/alltypes_plain.parquet" "$PQ/sort_columns.parquet" >out &&
	assert_eq 3 "$(wc -l <out | tr -d " ")" &&
	assert_match "^total: 2 files, 14 rows, 3 row groups" "$(tail -n 1 out)" &&
	pqmeta --rows "$PQ/alltypes_plain.parquet" "$PQ/sort_columns.parquet" >r &&
	printf "8  %s\n6  %s\n14  total\n" "$PQ/alltypes_plain.parquet" \
	    "$PQ/sort_columns.parquet" >want &&
	assert_files_eq want r
'

test_expect_success 'a bad file in the middle: reported, others printed, exit 1' '
	echo "not parquet at all" >bad.parquet &&
	assert_exit 1 pqmeta -j "$PQ/binary.parquet" bad.parquet \
	    "$PQ/int32_decimal.parquet" >out 2>err &&
	assert_eq 2 "$(jq -s length out)" &&
	assert_match "bad.parquet: not a Parquet file" "$(cat err)" &&
	assert_exit 1 pqmeta missing.parquet 2>err &&
	assert_match "missing.parquet: No such file" "$(cat err)"
'

test_expect_success 'usage: exit 2, prints the SYNOPSIS of pqmeta.1' '
	assert_exit 2 pqmeta 2>u1 &&
	assert_exit 2 pqmeta --bogus x 2>/dev/null &&
	assert_exit 2 pqmeta --rows -j x 2>/dev/null &&
	assert_exit 2 pqmeta --max-footer 12Q x 2>/dev/null &&
	syn=$(mandoc -Tascii -O width=300 "$ROOT/man/pqmeta.1" |
	    sed "s/.\x08//g" | sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" |
	    sed "1d;\$d" | tr -s " \n" " " | sed "s/^ //; s/ \$//") &&
	assert_eq "usage: $syn" "$(tr -s " \n" " " <u1 | sed "s/ \$//")"
'

test_expect_success 'reads at most one 64 KiB tail plus the rest of the footer' '
	for f in alltypes_tiny_pages.parquet overflow_i16_page_cnt.parquet \
	    delta_binary_packed.parquet; do
		pqmeta -v -j "$PQ/$f" >o 2>v
		flen=$(jq .footer_length o)
		got=$(sed -n "s/.*read \([0-9]*\) bytes in \([0-9]*\) reads/\1 \2/p" v)
		set -- $got
		max=$((flen + 8 > 65536 ? flen + 8 : 65536))
		[ "$1" -le "$max" ] || { echo "$f: read $1 > $max"; exit 1; }
		[ "$2" -le 2 ] || { echo "$f: $2 reads"; exit 1; }
	done
'

test_expect_success '--max-footer: a smaller cap refuses the footer (exit 1)' '
	assert_exit 1 pqmeta --max-footer 1K "$PQ/list_columns.parquet" 2>err &&
	assert_match "footer length 2140 exceeds the limit of 1024" "$(cat err)" &&
	pqmeta --max-footer 4K "$PQ/list_columns.parquet" >/dev/null
'

test_expect_success 'standard input as "-" and -k key-value values' '
	pqmeta -s -k - <"$PQ/list_columns.parquet" >o &&
	assert_match "^    ARROW:schema = " "$(cat o)"
'

test_done
