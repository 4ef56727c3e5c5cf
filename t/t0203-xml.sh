#!/bin/bash
# XML: S3 response documents (ListObjectsV2, ListBuckets, uploads, parts,
# initiate, complete incl. 200-with-Error after heartbeats, Error),
# entity decoding, strictness, limits, truncation at every offset.
. "$(dirname "$0")/lib.sh"

D=$DATA/xml

kind_of() {
	case $1 in
	list-*) echo list ;;
	buckets) echo buckets ;;
	uploads) echo uploads ;;
	parts) echo parts ;;
	initiate) echo initiate ;;
	complete*|heartbeat-*) echo complete ;;
	error-*) echo error ;;
	bad-deep|bad-two-roots) echo root ;;
	bad-*) echo list ;;
	esac
}

for f in "$D"/*.xml; do
	n=$(basename "$f" .xml)
	k=$(kind_of "$n")
	test_expect_success "$n parses as $k to the expected fields" '
		xml_test $k "$f" >out &&
		assert_files_eq "$D/$n.expected" out
	'
done

for f in "$D"/*.xml; do
	n=$(basename "$f" .xml)
	case $n in bad-*) continue ;; esac
	k=$(kind_of "$n")
	test_expect_success "$n: every truncated prefix is rejected" '
		xml_test trunc $k "$f"
	'
done

test_expect_success 'entity decoding table' '
	xml_test entities
'

test_expect_success 'an unexpected root is an error, not an empty listing' '
	xml_test list "$D/buckets.xml" >out &&
	assert_match "error kind 2: .*root <ListAllMyBucketsResult>" "$(cat out)"
'

test_expect_success 'a key longer than 1024 bytes is a limit error' '
	{
		printf "<ListBucketResult><Contents><Key>"
		head -c 1025 /dev/zero | tr "\0" k
		printf "</Key></Contents></ListBucketResult>"
	} >long.xml &&
	xml_test list long.xml >out &&
	assert_match "error kind 3: xml: <Key> longer than 1024" "$(cat out)"
'

test_done
