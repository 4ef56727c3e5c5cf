#!/bin/bash
# SigV4 in S3 mode: the worked examples of the AWS S3 documentation
# (header and presigned), the signing-key cache, rejected inputs.
. "$(dirname "$0")/lib.sh"

for mode in docs cache errors; do
	test_expect_success "sigv4 $mode" '
		sigv4_test $mode >out || { cat out; exit 1; }
		! grep -v "^ok " out
	'
done

test_done
