#!/bin/bash
# lib/fb (builder and verifier) and lib/arrow_read: the fuzz corpus (Arrow's own
# regression files plus golden and our streams), truncation at every
# offset, random flips in the headers, and the golden files as read by
# polars versus our stream of the same values read by polars.
. "$(dirname "$0")/lib.sh"
need_cmd node
NODE_PATH=$ROOT/.test-tools/node_modules
export NODE_PATH
JS=$ROOT/t/js

test_expect_success 'flatbuffers: built, verified, truncated and flipped' '
	fbcheck >out &&
	assert_match "^ok" "$(cat out)"
'

test_expect_success 'fuzz corpus replays without a crash' '
	"$BUILD/fuzz/replay_arrow" "$ROOT/t/fuzz/corpus/arrow" 2>err &&
	assert_match "replayed [0-9]+ inputs" "$(cat err)"
'

test_expect_success 'golden streams verify and end with EOS' '
	for f in "$DATA"/arrow-ipc/*.stream; do
		arrowcheck "$f" >out || { cat out; return 1; }
		assert_eq eos "$(tail -n 1 out)" || return 1
	done
'

test_expect_success 'every truncation of our stream is detected' '
	node "$JS/gen-docs.js" 20 7 4 >in &&
	json2arrow -z -r 8 <in >full &&
	arrowcheck full >/dev/null &&
	size=$(wc -c <full) &&
	i=0 &&
	while [ $i -lt $size ]; do
		head -c $i full >part
		if arrowcheck part >out; then
			echo "prefix of $i bytes accepted"; return 1
		fi
		grep -Eq "^(truncated|error: )" out || { cat out; return 1; }
		i=$((i + 1))
	done
'

test_expect_success 'random byte flips in the headers: no crash' '
	size=$(wc -c <full) &&
	for seed in $(seq 1 200); do
		perl -e "srand($seed); local \$/; \$d = <STDIN>;
		    for (1..4) { \$o = int(rand(600 < length(\$d) ? 600 : length(\$d)));
		    substr(\$d, \$o, 1) = chr(int(rand(256))); } print \$d" <full >flip
		rc=0
		arrowcheck flip >out 2>&1 || rc=$?
		[ $rc -le 1 ] || { echo "seed $seed: exit $rc"; cat out; return 1; }
		"$BUILD/fuzz/replay_arrow" flip 2>/dev/null || { echo "seed $seed: replay"; return 1; }
	done
'

test_expect_success 'polars reads golden streams and ours alike' '
	for f in primitive nested binary datetime; do
		node "$JS/golden2docs.js" "$DATA/arrow-ipc/generated_$f.stream" \
		    >docs 2>/dev/null &&
		json2arrow -P -z <docs >ours &&
		node "$JS/readarrow.js" polars ours >rows 2>/dev/null &&
		node "$JS/compare.js" docs rows || { echo "$f"; return 1; }
	done
'

test_done
