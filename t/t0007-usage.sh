#!/bin/bash
# Every tool: --help prints exactly the SYNOPSIS of its man page (white
# space aside), exits 0; an unknown option exits 2.
. "$(dirname "$0")/lib.sh"

# white space is free, also around the "|" of alternatives
norm() { tr -s " \n\t" " " | sed "s/ *| */|/g; s/^ //; s/ \$//"; }

for page in "$ROOT"/man/*.1; do
	tool=$(basename "$page" .1)
	[ -x "$BIN/$tool" ] || continue
	test_expect_success "$tool: usage is the man SYNOPSIS" '
		"$BIN/'$tool'" --help >usage
		want=$(MANWIDTH=300 mandoc -Tascii "'$page'" | sed "s/.\x08//g" |
		    sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" | norm)
		got=$(sed "s/^usage: //; s/^       //" usage | norm)
		assert_eq "$want" "$got"
		assert_exit 2 "$BIN/'$tool'" --no-such-option 2>/dev/null
	'
done

test_done
