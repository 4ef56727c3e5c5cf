#!/bin/bash
# Replay the fuzz corpora of the 02xx parsers (http, xml, cfg) through the
# plain and sanitizer builds: every input must run without a crash or
# a sanitizer report.
. "$(dirname "$0")/lib.sh"

for t in http xml cfg; do
	if [ ! -x "$BUILD/fuzz/replay_$t" ]; then
		test_skip "replay $t corpus" "replay_$t not built"
		continue
	fi
	test_expect_success "replay $t corpus" '
		n=$(ls "$ROOT/t/fuzz/corpus/$t" | wc -l) &&
		test "$n" -ge 5 &&
		"$BUILD/fuzz/replay_$t" "$ROOT/t/fuzz/corpus/$t" 2>err &&
		assert_match "replayed $n inputs" "$(cat err)"
	'
done

test_done
