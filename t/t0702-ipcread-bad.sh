#!/bin/bash
# lib/ipcread on hostile input: the Arrow fuzz regression files, every
# truncation point, random flips in headers and bodies, buffers past the
# body and negative lengths. No crash, no hang, no sanitizer report; a
# message and exit 1 for every invalid stream.
. "$(dirname "$0")/lib.sh"

G=$DATA/ipc-read

test_expect_success 'every arrow-ipc-bad file: exit 1 with a message, in time' '
	n=0
	for f in "$G"/bad/c*; do
		rc=0
		timeout 20 arrow2json <"$f" >/dev/null 2>err || rc=$?
		if [ $rc -ne 1 ] || ! grep -q "^arrow2json: ." err; then
			echo "$f: exit $rc"; cat err; exit 1
		fi
		n=$((n + 1))
	done
	test $n -ge 80
'

for f in primitive nested_dictionary map recursive_nested dictionary \
    binary; do
	test_expect_success "$f: every prefix fails as truncated" '
		ipctorture truncate "$G/cpp-21.0.0/generated_'$f'.stream" >out
		cat out
		grep -q ", 0 accepted" out
	'
	test_expect_success "$f: buffers past the body, negative lengths" '
		ipctorture badbuf "$G/cpp-21.0.0/generated_'$f'.stream"
	'
	test_expect_success "$f: random flips (headers and bodies)" '
		ipctorture flip "$G/cpp-21.0.0/generated_'$f'.stream" \
		    '$(scaled 20000)' 7
	'
done

test_expect_success 'zstd stream: truncation, bad buffers, flips' '
	f="$G/2.0.0-compression/generated_zstd.stream"
	ipctorture truncate "$f" | grep ", 0 accepted"
	ipctorture badbuf "$f"
	ipctorture flip "$f" '$(scaled 20000)' 11
'

test_expect_success 'a truncated stream is reported as truncated' '
	f="$G/cpp-21.0.0/generated_primitive.stream"
	head -c $(($(wc -c <"$f") - 8)) "$f" >cut.arrows
	assert_exit 1 arrow2json <cut.arrows >/dev/null 2>err
	grep -q "truncated Arrow stream (no end-of-stream marker)" err
'

test_expect_success 'a lying body length costs no memory up front' '
	ipctorture lie "$G/cpp-21.0.0/generated_primitive.stream" lie.arrows
	if [ "$TEST_SANITIZE" = 1 ]; then
		assert_exit 1 arrow2json <lie.arrows >/dev/null 2>err
	else
		(ulimit -v 200000; assert_exit 1 arrow2json <lie.arrows \
		    >/dev/null 2>err)
	fi
	grep -q "truncated Arrow stream" err
'

test_done
