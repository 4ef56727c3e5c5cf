#!/bin/bash
# SigV4: every case of the aws-c-auth suite (t/data/sigv4), header and
# query (presigned) signing, byte-exact against the expected files.
. "$(dirname "$0")/lib.sh"

SUITE=$DATA/sigv4/v4
FILES="header-canonical-request header-string-to-sign header-signature
header-signed-request query-canonical-request query-string-to-sign
query-signature query-signed-request"

ncases=0
for c in "$SUITE"/*/; do
	n=$(basename "$c")
	ncases=$((ncases + 1))
	test_expect_success "sigv4 case $n" '
		mkdir -p out/$n &&
		sigv4_suite "$SUITE/$n" out/$n &&
		for f in $FILES; do
			assert_files_eq "$SUITE/$n/$f.txt" out/$n/$f.txt
		done
	'
done

test_expect_success 'the suite has all 38 cases' '
	assert_eq 38 "$ncases" "case count"
'

test_expect_success 'a wrong secret changes every signature' '
	mkdir -p bad/get-vanilla out2 &&
	cp "$SUITE"/get-vanilla/* bad/get-vanilla/ &&
	sed "s/wJalrXUtnFEMI/wJalrXUtnFEMX/" "$SUITE/get-vanilla/context.json" \
	    >bad/get-vanilla/context.json &&
	sigv4_suite bad/get-vanilla out2 &&
	assert_files_eq "$SUITE/get-vanilla/header-canonical-request.txt" \
	    out2/header-canonical-request.txt &&
	! cmp -s "$SUITE/get-vanilla/header-signature.txt" out2/header-signature.txt &&
	! cmp -s "$SUITE/get-vanilla/query-signature.txt" out2/query-signature.txt
'

test_expect_success 'the secret never appears in any output' '
	test -d out/get-vanilla &&
	if grep -r "wJalrXUtnFEMI" out; then false; fi
'

test_done
