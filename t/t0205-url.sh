#!/bin/bash
# URLs: percent-encoding (checked against perl), endpoints incl. IPv6,
# s3:// parsing, endpoint/region precedence, path-style vs virtual-hosted.
. "$(dirname "$0")/lib.sh"

unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_REGION AWS_DEFAULT_REGION

perl_encode() {
	perl -e '$s = $ARGV[0]; $keep = $ARGV[1] ? "\\/" : "";
	    $s =~ s/([^A-Za-z0-9\-._~$keep])/sprintf("%%%02X", ord($1))/ge;
	    print "$s\n"' -- "$1" "$2"
}

test_expect_success 'S3 key encoding matches an independent encoder' '
	for k in "a b" "dir/file+1.txt" "~user/_x-y.z" "ü/é/😀" "100%" \
	    "a?b&c=d#e" "sp  aces/" "!*()'\'';:@,\$[]" "tab	x" "\\back"; do
		assert_eq "$(perl_encode "$k" 1)" "$(url_test encode slash "$k")" \
		    "encode /$k/" || exit 1
		assert_eq "$(perl_encode "$k" 0)" "$(url_test encode "$k")" \
		    "query-encode /$k/" || exit 1
	done
'

test_expect_success 'random byte keys encode as perl does' '
	n=0
	while [ $n -lt $(scaled 200) ]; do
		k=$(head -c $((n % 40 + 1)) <(tail -c +$((n * 37 + 1)) "$DATA_RANDOM") |
		    tr -d "\000\n")
		assert_eq "$(perl_encode "$k" 1)" "$(url_test encode slash "$k")" \
		    "random key $n" || exit 1
		n=$((n + 1))
	done
'

test_expect_success 'decoding leaves bad escapes alone' '
	assert_eq "a b/c%zz%4" "$(url_test decode "a%20b%2fc%zz%4")"
'

test_expect_success 'endpoints: ports, IPv6 literals, base path, errors' '
	for u in http://127.0.0.1:9000 https://S3.Example.com/ \
	    "http://[::1]:8080/prefix/" "https://[fe80::1]" http://host:0 \
	    http://host:65536 ftp://x http://user@host/ "http://host/?q" \
	    "http://[::1" http://:80 "http://ho st/" http://host:80x \
	    "http://[::1]x"; do
		echo "$u -> $(url_test endpoint "$u")"
	done >out &&
	cat >expect <<-\EOT &&
	http://127.0.0.1:9000 -> tls=0 host=127.0.0.1 ipv6=0 port=9000 given=1 path=[] hosthdr=127.0.0.1:9000
	https://S3.Example.com/ -> tls=1 host=s3.example.com ipv6=0 port=443 given=0 path=[] hosthdr=s3.example.com
	http://[::1]:8080/prefix/ -> tls=0 host=::1 ipv6=1 port=8080 given=1 path=[/prefix] hosthdr=[::1]:8080
	https://[fe80::1] -> tls=1 host=fe80::1 ipv6=1 port=443 given=0 path=[] hosthdr=[fe80::1]
	http://host:0 -> error: endpoint URL '"'"'http://host:0'"'"': bad port
	http://host:65536 -> error: endpoint URL '"'"'http://host:65536'"'"': bad port
	ftp://x -> error: endpoint URL '"'"'ftp://x'"'"': scheme must be http or https
	http://user@host/ -> error: endpoint URL '"'"'http://user@host/'"'"': user info not allowed
	http://host/?q -> error: endpoint URL '"'"'http://host/?q'"'"': no query or fragment allowed
	http://[::1 -> error: endpoint URL '"'"'http://[::1'"'"': unclosed '"'"'['"'"'
	http://:80 -> error: endpoint URL '"'"'http://:80'"'"': bad or empty host
	http://ho st/ -> error: endpoint URL '"'"'http://ho st/'"'"': bad host name
	http://host:80x -> error: endpoint URL '"'"'http://host:80x'"'"': bad port
	http://[::1]x -> error: endpoint URL '"'"'http://[::1]x'"'"': bad host
	EOT
	assert_files_eq expect out
'

test_expect_success 's3:// URLs' '
	for u in s3://bucket/key s3://bucket s3://bucket/ "s3://b.dots/a/b c//d" \
	    s3:// s3://ab/x s3://Bad_Legacy/x "s3://bu\$cket/k" bucket/key; do
		echo "$u -> $(url_test s3 "$u")"
	done >out &&
	cat >expect <<-\EOT &&
	s3://bucket/key -> bucket=[bucket] key=[key]
	s3://bucket -> bucket=[bucket] key=[]
	s3://bucket/ -> bucket=[bucket] key=[]
	s3://b.dots/a/b c//d -> bucket=[b.dots] key=[a/b c//d]
	s3:// -> bucket=[] key=[]
	s3://ab/x -> error: '"'"'s3://ab/x'"'"': bucket name must be 3 to 63 characters
	s3://Bad_Legacy/x -> bucket=[Bad_Legacy] key=[x]
	s3://bu$cket/k -> error: '"'"'s3://bu$cket/k'"'"': bad character in bucket name
	bucket/key -> error: '"'"'bucket/key'"'"': not an s3://bucket/key URL
	EOT
	assert_files_eq expect out
'

test_expect_success 'AWS default: virtual-hosted, region in the host' '
	url_test request mybucket "dir/a b+c.txt" "partNumber=1&uploadId=x" >out &&
	cat >expect <<-\EOT &&
	connect=mybucket.s3.us-east-1.amazonaws.com:443 tls=1 region=us-east-1 path-style=0
	Host: mybucket.s3.us-east-1.amazonaws.com
	path: /dir/a%20b%2Bc.txt
	target: /dir/a%20b%2Bc.txt?partNumber=1&uploadId=x
	EOT
	assert_files_eq expect out
'

test_expect_success 'dotted or non-DNS bucket names go path-style over TLS' '
	AWS_REGION=eu-west-1 url_test request my.bucket k "" >out &&
	assert_match "^Host: s3.eu-west-1.amazonaws.com$" "$(cat out)" &&
	assert_match "^path: /my.bucket/k$" "$(cat out)" &&
	AWS_DEFAULT_REGION=ap-south-1 url_test request Bad_Bucket k "" >out &&
	assert_match "^path: /Bad_Bucket/k$" "$(cat out)" &&
	assert_match "region=ap-south-1" "$(cat out)"
'

test_expect_success 'region: flag > AWS_REGION > AWS_DEFAULT_REGION > profile' '
	URL_TEST_PROFILE_REGION=sa-east-1 url_test request bkt "" "" >out &&
	assert_match "region=sa-east-1" "$(cat out)" &&
	URL_TEST_PROFILE_REGION=sa-east-1 AWS_DEFAULT_REGION=ap-south-1 \
	    url_test request bkt "" "" >out &&
	assert_match "region=ap-south-1" "$(cat out)" &&
	URL_TEST_FLAG_REGION=us-west-2 AWS_REGION=eu-west-1 \
	    AWS_DEFAULT_REGION=ap-south-1 url_test request bkt "" "list-type=2" >out &&
	assert_match "^Host: bkt.s3.us-west-2.amazonaws.com$" "$(cat out)" &&
	assert_match "^target: /\?list-type=2$" "$(cat out)" &&
	AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=ap-south-1 \
	    url_test request bkt "" "" >out &&
	assert_match "region=eu-west-1" "$(cat out)"
'

test_expect_success 'endpoint: flag > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL, path-style' '
	AWS_ENDPOINT_URL=http://127.0.0.1:9000 url_test request bkt "k/ü" "" >out &&
	cat >expect <<-\EOT &&
	connect=127.0.0.1:9000 tls=0 region=us-east-1 path-style=1
	Host: 127.0.0.1:9000
	path: /bkt/k/%C3%BC
	target: /bkt/k/%C3%BC
	EOT
	assert_files_eq expect out &&
	AWS_ENDPOINT_URL=http://127.0.0.1:9000 \
	    AWS_ENDPOINT_URL_S3=https://[::1]:8443/base \
	    url_test request bkt k "x=1" >out &&
	cat >expect <<-\EOT &&
	connect=::1:8443 tls=1 region=us-east-1 path-style=1
	Host: [::1]:8443
	path: /base/bkt/k
	target: /base/bkt/k?x=1
	EOT
	assert_files_eq expect out &&
	URL_TEST_FLAG_ENDPOINT=http://localhost:1234 \
	    AWS_ENDPOINT_URL_S3=https://[::1]:8443 \
	    url_test request bkt "" "list-type=2" >out &&
	assert_match "^target: /bkt\?list-type=2$" "$(cat out)" &&
	assert_match "^Host: localhost:1234$" "$(cat out)"
'

test_expect_success 'ListBuckets, forced path-style, errors' '
	AWS_ENDPOINT_URL=http://127.0.0.1:9000 url_test request "" "" "" >out &&
	assert_match "^target: /$" "$(cat out)" &&
	URL_TEST_PATH_STYLE=1 url_test request bkt k "" >out &&
	assert_match "^Host: s3.us-east-1.amazonaws.com$" "$(cat out)" &&
	assert_match "^path: /bkt/k$" "$(cat out)" &&
	assert_match "scheme must be http" \
	    "$(AWS_ENDPOINT_URL=ftp://x url_test request bkt k "")" &&
	assert_match "bad region name" \
	    "$(AWS_REGION=us/east url_test request bkt k "")" &&
	assert_match "a key needs a bucket" "$(url_test request "" key "")"
'

test_done
