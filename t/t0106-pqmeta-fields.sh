#!/bin/bash
# The field rules of the footer decoder (lib/pqdec.h) on crafted
# FileMetaData: unknown ids skipped, a field of another wire type
# skipped (integer widths interchange), a repeated field read again,
# required fields, enums that must be valid, unions, and the context
# that error messages carry.
. "$(dirname "$0")/lib.sh"
need_cmd perl jq

# mkpq NAME FOOTER-HEX: "PAR1" + footer + 4-byte length + "PAR1".
mkpq() {
	perl -e '
		my $hex = $ARGV[0];
		$hex =~ s/\s//g;
		my $f = pack("H*", $hex);
		print "PAR1", $f, pack("V", length($f)), "PAR1";
	' "$2" >"$1"
}

# Compact Thrift pieces. A field header byte is (id delta << 4) | type
# (5 i32, 6 i64, 8 binary, 9 list, c struct, 1/2 bool), or type alone
# followed by the zigzag id. FileMetaData: 1 version, 2 schema, 3
# num_rows, 4 row_groups, 6 created_by.
V='1502'				# version 1
ROOT='480172 1502 00'			# name "r", num_children 1
LEAF='1502 380161 00'			# type INT32, name "a"
S="192c $ROOT $LEAF"			# schema [root, leaf]
N='1600'				# num_rows 0
R='190c'				# row_groups []

# ColumnMetaData of leaf "a": type INT32, encodings [PLAIN] as list<i8>,
# path ["a"], codec 0, num_values 1, sizes 5 and 5, data_page_offset 4.
CM='1502 191300 19180161 1500 1602 160a 160a 2608'
# RowGroup: columns [{file_offset 4, meta_data CM}], sizes 0, 0 rows.
rg() {
	echo "191c 2608 1c $1 00 1600 1600 00"
}

# decode NAME FOOTER-HEX: pqmeta -j -s of it into out (exit 0 wanted).
decode() {
	mkpq "$1" "$2"
	pqmeta -j -s "$1" >out
}

# fails NAME FOOTER-HEX ERE: pqmeta exits 1 with a message matching ERE.
fails() {
	mkpq "$1" "$2"
	assert_exit 1 pqmeta -j "$1" >/dev/null 2>err
	assert_match "$3" "$(cat err)"
}

test_expect_success 'the plain footer decodes' '
	decode ok.parquet "$V $S $N $R 00" &&
	assert_eq "[1,0,1,null]" "$(jq -c "[.version, .num_rows,
	    .num_columns, .created_by]" out)"
'

test_expect_success 'unknown field ids are skipped, whatever their type' '
	: "100: struct {1: i32}, 101: list<binary> [x, y], then 6 by id" &&
	decode unknown.parquet "$V $S $N $R 0cc801 1502 00
	    09ca01 28 0178 0179 080c 0178 00" &&
	assert_eq "[0,\"x\"]" "$(jq -c "[.num_rows, .created_by]" out)"
'

test_expect_success 'a field of another wire type is skipped' '
	: "created_by (6) as i32: skipped, so absent" &&
	decode type.parquet "$V $S $N $R 2502 00" &&
	assert_eq null "$(jq -c .created_by out)" &&
	: "num_rows as binary: skipped, so the required field is missing" &&
	fails type2.parquet "$V $S 1800 $R 00" \
	    "required field in FileMetaData \(version, schema, num_rows, "
'

test_expect_success 'integer widths interchange, ranges are checked' '
	: "num_rows as i8, then version as i64" &&
	decode width.parquet "$V $S 1307 $R 00" &&
	assert_eq "[1,7]" "$(jq -c "[.version, .num_rows]" out)" &&
	decode width2.parquet "1604 $S $N $R 00" &&
	assert_eq 2 "$(jq -c .version out)" &&
	: "version (i32) sent as i64 2^31" &&
	fails range.parquet "16 8080808010 $S $N $R 00" "integer out of range"
'

test_expect_success 'a repeated field is read again: the later value wins' '
	decode dup.parquet "$V $S $N $R 280178 080c0179 00" &&
	assert_eq "\"y\"" "$(jq -c .created_by out)" &&
	decode dup2.parquet "$V $S $N $R 060605 00" &&
	assert_eq -3 "$(jq -c .num_rows out)" &&
	: "a writer reusing the id with another type: that one is skipped" &&
	decode dup3.parquet "$V $S $N $R 280178 050c02 00" &&
	assert_eq "\"x\"" "$(jq -c .created_by out)"
'

test_expect_success 'required fields in nested structs, with their place' '
	fails noname.parquet "$V 192c $ROOT 1502 00 $N $R 00" \
	    "corrupt footer: schema\[1\]: required field name missing" &&
	fails norows.parquet "$V $S $N 191c 190c 1600 00 00" \
	    "row_groups\[0\]: required field in row group \(columns, total_" &&
	fails nocodec.parquet "$V $S $N 191c $(rg "1502 191300 19180161
	    2602 160a 160a 2608 00") 00" \
	    "row_groups\[0\]: columns\[0\]: required field in meta_data missing"
'

test_expect_success 'column chunks: list<i8> encodings, statistics context' '
	decode chunk.parquet "$V $S $N 191c $(rg "$CM 00") 00" &&
	assert_eq "[[\"PLAIN\"],[\"a\"],5]" "$(jq -c ".row_groups[0].columns[0]
	    .meta_data | [.encodings, .path_in_schema,
	    .total_compressed_size]" out)" &&
	: "statistics.max longer than the footer" &&
	fails stats.parquet "$V $S $N 191c $(rg "$CM 3c 187f00 00") 00" \
	    "row_groups\[0\]: columns\[0\]: meta_data: statistics: binary len"
'

test_expect_success 'enums that must be valid: physical and repetition type' '
	fails phys.parquet "$V 192c $ROOT 1510 380161 00 $N $R 00" \
	    "schema\[1\]: invalid physical type 8 at byte" &&
	fails rep.parquet "$V 192c $ROOT 1502 2506 180161 00 $N $R 00" \
	    "schema\[1\]: invalid repetition type 3 at byte"
'

test_expect_success 'LogicalType: first member wins, odd parameters skipped' '
	: "DECIMAL(scale 2, precision 5), then a STRING member: ignored" &&
	decode lt.parquet "$V 192c $ROOT 1502 380161 6c 5c 1504 150a 00
	    0c02 00 00 00 $N $R 00" &&
	assert_eq "{\"type\":\"DECIMAL\",\"scale\":2,\"precision\":5}" \
	    "$(jq -c ".schema[1].logical_type" out)" &&
	: "scale as binary: skipped" &&
	decode lt2.parquet "$V 192c $ROOT 1502 380161 6c 5c 180178 150a 00
	    00 00 $N $R 00" &&
	assert_eq "[0,5]" "$(jq -c ".schema[1].logical_type |
	    [.scale, .precision]" out)" &&
	: "TIME(isAdjustedToUTC, unit MICROS)" &&
	decode lt3.parquet "$V 192c $ROOT 1502 380161 6c 7c 11 1c 2c00 00
	    00 00 00 $N $R 00" &&
	assert_eq "[\"TIME\",true,\"MICROS\"]" "$(jq -c ".schema[1]
	    .logical_type | [.type, .is_adjusted_to_utc, .unit]" out)"
'

test_done
