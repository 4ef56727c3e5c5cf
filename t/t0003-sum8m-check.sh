#!/bin/bash
# -c check mode agrees with md5sum -c and sha256sum -c: same stdout,
# same exit status, equivalent warnings.
. "$(dirname "$0")/lib.sh"

setup() {
	mkfile a 1000
	mkfile b 70000
	printf 'x' >"sp ace"
	printf 'y' >'back\slash'
	printf 'z' >'new
line'
}

test_expect_success 'md5sum lists check with sum8m -c, and back' '
	setup
	md5sum a b "sp ace" "back\\slash" "new
line" >list.md5sum
	sum8m a b "sp ace" "back\\slash" "new
line" >list.sum8m
	assert_files_eq list.md5sum list.sum8m
	sum8m -c list.md5sum >out.sum8m
	md5sum -c list.md5sum >out.md5sum
	assert_files_eq out.md5sum out.sum8m
	md5sum -c list.sum8m >/dev/null
'

test_expect_success 'sha256 lists agree with sha256sum' '
	setup
	sha256sum a b >list
	assert_files_eq list <(sum8m -a sha256 a b)
	sum8m -a sha256 -c list >out
	sha256sum -c list >want
	assert_files_eq want out
'

test_expect_success 'mismatch and missing file: same output, exit 1' '
	setup
	md5sum a b >list
	echo "d41d8cd98f00b204e9800998ecf8427e  missing" >>list
	printf "tampered" >>b
	set +e
	md5sum -c list >want 2>want.err; wrc=$?
	sum8m -c list >out 2>out.err; orc=$?
	set -e
	assert_eq 1 $wrc "md5sum exit"
	assert_eq 1 $orc "sum8m exit"
	assert_files_eq want out
	sed "s/^md5sum:/X:/" want.err >w
	sed "s/^sum8m:/X:/" out.err >o
	assert_files_eq w o
'

test_expect_success 'improperly formatted lines counted like md5sum' '
	setup
	{ md5sum a; echo "garbage"; echo "zz  a"; } >list
	set +e
	md5sum -c list >want 2>want.err; wrc=$?
	sum8m -c list >out 2>out.err; orc=$?
	md5sum -c --strict list >/dev/null 2>&1; wsrc=$?
	sum8m -c --strict list >/dev/null 2>&1; osrc=$?
	set -e
	assert_eq $wrc $orc "exit"
	assert_eq $wsrc $osrc "exit --strict"
	assert_files_eq want out
	sed "s/^md5sum:/X:/" want.err >w
	sed "s/^sum8m:/X:/" out.err >o
	assert_files_eq w o
'

test_expect_success '--quiet and --status' '
	setup
	md5sum a b >list
	assert_eq "" "$(sum8m -c --quiet list)"
	printf "!" >>a
	assert_eq "a: FAILED" "$(sum8m -c --quiet list 2>/dev/null || true)"
	assert_eq "" "$(sum8m -c --status list 2>&1 || true)"
	assert_exit 1 sum8m -c --status list
'

test_expect_success 'no properly formatted lines: message, exit 1' '
	echo nothing >list
	assert_exit 1 sum8m -c list 2>err
	assert_match "no properly formatted checksum lines" "$(cat err)"
'

test_expect_success 'etag lists check, including the -N form' '
	mkfile big $(( 12 << 20 ))
	mkfile small 100
	sum8m -a etag -p 5M big small >list
	sum8m -a etag --multipart small | sed "s/small$/small2/" >>list
	cp small small2
	sum8m -a etag -p 5M -c list >out
	printf "big: OK\nsmall: OK\nsmall2: OK\n" >want
	assert_files_eq want out
'

test_done
