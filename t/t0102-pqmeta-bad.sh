#!/bin/bash
# pqmeta on hostile input: the parquet-testing bad_data files, every
# good file cut at 20 offsets (several inside the footer), random byte
# flips in footers, and crafted footers that attack each limit. No
# crash, hang or sanitizer report (exit 99); the right exit status.
. "$(dirname "$0")/lib.sh"
need_cmd perl jq

PQ=$DATA/parquet
GOOD=$(cd "$PQ" && find . -name "*.parquet" | sed 's|^\./||' | sort)

# run_all EXPECT CMD...: exit status must be in EXPECT ("1" or "0|1").
run_all() {
	_want=$1
	shift
	set +e
	timeout 120 "$@" >out 2>err
	_rc=$?
	set -e
	case "|$_want|" in
	*"|$_rc|"*) return 0 ;;
	esac
	echo "exit status $_rc, expected $_want: $*" | cut -c1-300
	tail -n 20 err
	return 1
}

# footer_len FILE: the footer length from the trailer.
footer_len() {
	tail -c 8 "$1" | head -c 4 | od -An -tu4 | tr -d ' '
}

test_expect_success 'bad_data files: footers decode or fail cleanly' '
	for f in "$DATA"/parquet-bad/*.parquet; do
		run_all "0|1" pqmeta -j -s "$f"
	done &&
	run_all 1 pqmeta -s "$DATA/parquet-bad/PARQUET-1481.parquet" &&
	assert_match "PARQUET-1481.parquet: corrupt footer: schema\[" "$(cat err)" &&
	run_all 0 pqmeta "$DATA/parquet-bad/ARROW-GH-43605.parquet" &&
	assert_match ": 21186 rows, 1 row groups, 1 columns" "$(cat out)"
'

test_expect_success 'every good file cut at 20 offsets: exit 1, one message each' '
	for f in $GOOD; do
		size=$(wc -c <"$PQ/$f")
		flen=$(footer_len "$PQ/$f")
		fstart=$((size - flen - 8))
		rm -f cut.*
		n=0
		for off in 0 1 4 7 8 12 $((size / 4)) $((size / 2)) \
		    $((fstart - 1)) $fstart $((fstart + 1)) \
		    $((fstart + flen / 3)) $((fstart + flen / 2)) \
		    $((size - 12)) $((size - 9)) $((size - 8)) $((size - 5)) \
		    $((size - 4)) $((size - 2)) $((size - 1)); do
			[ $off -ge 0 ] && [ $off -lt $size ] || off=0
			n=$((n + 1))
			head -c $off "$PQ/$f" >cut.$n
		done
		run_all 1 pqmeta cut.*
		assert_eq "total: 0 files, 0 rows, 0 row groups, 0 bytes compressed, 0 uncompressed" "$(cat out)"
		assert_eq 20 "$(grep -c "^pqmeta: cut\.[0-9]*: " err)" "$f messages"
		grep -Ev "(not a Parquet file|truncated file)" err &&
		    { echo "$f: unexpected message"; exit 1; }
		true
	done
'

test_expect_success 'random byte flips in footers: exit 0 or 1, valid JSON' '
	per=$(scaled 20)
	for f in $GOOD; do
		rm -f flip.*
		perl -e '\''
			my ($f, $n, $seed) = @ARGV;
			srand($seed);
			open(my $in, "<:raw", $f) or die;
			local $/; my $d = <$in>; close($in);
			my $flen = unpack("V", substr($d, -8, 4));
			my $start = length($d) - 8 - $flen;
			for my $i (1 .. $n) {
				my $c = $d;
				for (1 .. 1 + int(rand(3))) {
					my $o = $start + int(rand($flen));
					substr($c, $o, 1) = chr(ord(substr($c, $o, 1)) ^
					    (1 + int(rand(255))));
				}
				open(my $o, ">:raw", "flip.$i") or die;
				print $o $c; close($o);
			}
		'\'' "$PQ/$f" $per ${#f}
		run_all "0|1" pqmeta -j -s flip.*
		[ ! -s out ] || jq -e . out >/dev/null ||
		    { echo "$f: invalid JSON from a flipped footer"; exit 1; }
	done
'

# mkpq NAME FOOTER-HEX [LENGTH]: "PAR1" + footer + 4-byte length + "PAR1";
# the length defaults to the footer's. Spaces in the hex are ignored.
mkpq() {
	perl -e '
		my ($hex, $len) = @ARGV;
		$hex =~ s/\s//g;
		my $f = pack("H*", $hex);
		$len = length($f) if !defined($len) || $len eq "";
		print "PAR1", $f, pack("V", $len), "PAR1";
	' "$2" "${3:-}" >"$1"
}

test_expect_success 'trailer errors: empty, tiny, bad magic, lengths' '
	: >empty.parquet &&
	run_all 1 pqmeta empty.parquet &&
	assert_match "empty.parquet: not a Parquet file \(only 0 bytes\)" "$(cat err)" &&
	printf PAR1 >par1 &&
	run_all 1 pqmeta par1 && assert_match "par1: truncated file" "$(cat err)" &&
	head -c 1000 "$DATA_RANDOM" >random.bin &&
	run_all 1 pqmeta random.bin &&
	assert_match "random.bin: not a Parquet file \(no PAR1" "$(cat err)" &&
	mkpq huge.parquet 1500 4294967280 &&
	run_all 1 pqmeta huge.parquet &&
	assert_match "footer length 4294967280 larger than the file" "$(cat err)" &&
	mkpq zero.parquet 00 0 &&
	run_all 1 pqmeta zero.parquet &&
	assert_match "footer length is zero" "$(cat err)" &&
	mkpq fit.parquet 1500 3 &&
	run_all 1 pqmeta fit.parquet &&
	assert_match "footer length 3 larger than the file" "$(cat err)"
'

test_expect_success 'hostile footers: depth, counts, lengths, schema' '
	mkpq deep.parquet "19$(printf "19%.0s" $(seq 200))00" &&
	run_all 1 pqmeta deep.parquet &&
	assert_match "nesting deeper than the limit" "$(cat err)" &&
	mkpq count.parquet "29fcffffffff0f00" &&
	run_all 1 pqmeta count.parquet &&
	assert_match "list count exceeds remaining bytes" "$(cat err)" &&
	mkpq str.parquet "6880808080080000" &&
	run_all 1 pqmeta str.parquet &&
	assert_match "binary length exceeds remaining bytes" "$(cat err)" &&
	mkpq varint.parquet "15ffffffffffffffffffff0100" &&
	run_all 1 pqmeta varint.parquet &&
	assert_match "varint too long" "$(cat err)" &&
	mkpq missing.parquet "150200" &&
	run_all 1 pqmeta missing.parquet &&
	assert_match "required field in FileMetaData .* missing" "$(cat err)" &&
	: "version 1, schema [root with 5 children, one leaf], 0 rows, no groups" &&
	mkpq kids.parquet "1502 192c 480172 150a 00 1502 380161 00 1600 190c 00" &&
	run_all 1 pqmeta kids.parquet &&
	assert_match "schema truncated: element 0 misses 4 children" "$(cat err)" &&
	mkpq ok.parquet "1502 192c 480172 1502 00 1502 380161 00 1600 190c 00" &&
	run_all 0 pqmeta -j -s ok.parquet &&
	assert_eq "[0,1]" "$(jq -c "[.num_rows, .num_columns]" out)" &&
	: "num_rows = INT64_MIN twice: totals saturate, no overflow" &&
	mkpq neg.parquet "1502 192c 480172 1502 00 1502 380161 00
	    16 ffffffffffffffffff01 190c 00" &&
	run_all 0 pqmeta --rows neg.parquet neg.parquet &&
	assert_eq "-9223372036854775808  total" "$(tail -n 1 out)"
'

test_done
