#!/bin/bash
# Replay every fuzz corpus (t/fuzz/corpus/NAME) through its target with
# the plain and sanitizer builds. No libFuzzer needed.
. "$(dirname "$0")/lib.sh"

for dir in "$ROOT"/t/fuzz/corpus/*/; do
	name=$(basename "$dir")
	test_expect_success "fuzz corpus replay: $name" '
		[ -x "$BUILD/fuzz/replay_'$name'" ]
		"$BUILD/fuzz/replay_'$name'" "'$dir'"
	'
done

test_done
