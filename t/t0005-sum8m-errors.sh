#!/bin/bash
# Errors: unreadable files and usage.
. "$(dirname "$0")/lib.sh"

test_expect_success 'missing file: message with name and errno, others go on' '
	mkfile a 10
	assert_exit 1 sum8m a missing a >out 2>err
	assert_eq 2 "$(wc -l <out)" "lines for the readable files"
	assert_match "^sum8m: missing: No such file or directory$" "$(cat err)"
'

test_expect_success 'directory and unreadable file' '
	mkdir d
	assert_exit 1 sum8m d 2>err
	assert_match "sum8m: d: .*directory" "$(cat err)"
'

test_expect_success 'usage errors exit 2' '
	assert_exit 2 sum8m -a nope 2>/dev/null
	assert_exit 2 sum8m -p 0 2>/dev/null
	assert_exit 2 sum8m -p 5Q 2>/dev/null
	assert_exit 2 sum8m -c -t 2>/dev/null
	assert_exit 2 sum8m -t file 2>/dev/null
	assert_exit 2 sum8m -o x 2>/dev/null
	assert_exit 2 sum8m --bogus 2>/dev/null
'

test_done
