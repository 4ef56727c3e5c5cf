#!/bin/bash
# lib/thrift.c and lib/parquet.c through t/helper/pqmeta_unit.c: Thrift
# compact cases and every prefix of a message; pq_parse_tail's "need
# more bytes" protocol (the S3 suffix-read path) at several tail sizes;
# every cut of each footer fails with a message; memory, depth and
# footer-size limits.
. "$(dirname "$0")/lib.sh"

PQ=$DATA/parquet
FILES=$(find "$PQ" -name "*.parquet" | sort)

test_expect_success 'thrift: values, skips, rejections, every prefix' '
	pqmeta_unit thrift
'

test_expect_success 'pq_parse_tail: 0 or -2 with the footer offset, then 0' '
	pqmeta_unit tail $FILES
'

test_expect_success 'every cut of every footer fails cleanly' '
	pqmeta_unit prefix $FILES "$DATA"/parquet-bad/ARROW-GH-4*.parquet
'

test_expect_success 'limits: memory, depth, footer size' '
	pqmeta_unit limits "$PQ/list_columns.parquet" &&
	pqmeta_unit limits "$PQ/nested_structs.rust.parquet"
'

test_expect_success 'the driver reports failures (cannot pass vacuously)' '
	head -c 100 "$DATA_RANDOM" >junk.parquet &&
	assert_exit 1 pqmeta_unit tail junk.parquet >out &&
	assert_match "1 failures" "$(cat out)"
'

test_done
