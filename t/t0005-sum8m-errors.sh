#!/bin/bash
# Errors: unreadable files, usage, and that --help is the man SYNOPSIS.
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

test_expect_success 'usage text is the SYNOPSIS of the man page' '
	sum8m --help >usage 2>&1 || true
	norm() { tr -s " \n\t" " " | sed "s/^ //; s/ $//"; }
	want=$(MANWIDTH=200 mandoc -Tascii "$ROOT/man/sum8m.1" | sed "s/.\x08//g" |
	    sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" | norm)
	got=$(sed "s/^usage: //; s/^       //" usage | norm)
	assert_eq "$want" "$got"
'

test_done
