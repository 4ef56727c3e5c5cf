#!/bin/bash
# make static: every binary in build-static/bin is statically linked and
# runs inside an otherwise empty chroot (itself, a CA bundle, /etc/hosts):
# sum8m against md5sum outside, s3ls against Swift s3api over HTTP and
# HTTPS. The musl BearSSL/zstd build is cached in build-static/ after the
# first run (see doc/static.md).
. "$(dirname "$0")/lib.sh"
SB=$ROOT/build-static/bin

command -v musl-gcc >/dev/null 2>&1 ||
    skip_all "musl-gcc not installed (Debian musl-tools; run sh t/deps.sh)"
# chroot needs root; otherwise an unprivileged user namespace.
if [ "$(id -u)" -eq 0 ]; then
	CHROOT="chroot"
elif unshare -r true 2>/dev/null; then
	CHROOT="unshare -r chroot"
else
	skip_all "not root and no user namespaces: cannot chroot"
fi

# in_root DIR CMD...: run CMD in the chroot DIR with a minimal environment
# (no HOME, no config files: the binary must not need anything else).
in_root() {
	_r=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
	    AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
	    AWS_REGION="$AWS_REGION" AWS_EC2_METADATA_DISABLED=true \
	    $CHROOT "$_r" "$@"
}

# new_root TOOL...: a fresh chroot holding only the tools, the test CA as
# /ca.crt and /etc/hosts (musl resolves localhost from it); sets r.
new_root() {
	r=$(mktemp -d "$TMP/root.XXXXXX")
	mkdir "$r/etc"
	for _t; do cp "$SB/$_t" "$r/"; done
	cp "$S3_CA_BUNDLE" "$r/ca.crt"
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$r/etc/hosts"
}

server_up swift

test_expect_success 'make static builds the tools (cached musl libraries)' '
	mkdir -p "$ROOT/build-static"
	(cd "$ROOT" && flock build-static/.lock make -s static) >log 2>&1 ||
	    { cat log; exit 1; }
	test -x "$SB/sum8m"
	test -x "$SB/s3ls"
	test -s "$ROOT/build-static/musl/lib/libbearssl.a"
	test -s "$ROOT/build-static/musl/lib/libzstd.a"
'

# Every tool in cmd/ was built, or skipped by make static with a reason
# (MongoDB tools: doc/static.md).
for c in "$ROOT"/cmd/*.c; do
	t=$(basename "$c" .c)
	why=$(sed -n "s/^$t //p" "$ROOT/build-static/skipped.txt" 2>/dev/null)
	if [ -n "$why" ]; then
		test_skip "$t: static binary" "$why"
		continue
	fi
	test_expect_success "$t: static (file, ldd), runs in an empty chroot" '
		test -x "$SB/'"$t"'"
		f=$(file -b "$SB/'"$t"'")
		assert_match "statically linked" "$f" "file"
		! ldd "$SB/'"$t"'" >ldd.out 2>&1 || true
		assert_match "not a dynamic executable|statically linked" \
		    "$(cat ldd.out)" "ldd"
		r=$(mktemp -d "$TMP/root.XXXXXX")
		cp "$SB/'"$t"'" "$r/"
		set +e
		$CHROOT "$r" /'"$t"' --help >out 2>&1
		rc=$?
		set -e
		assert_match "^[02]\$" "$rc" "--help exit status"
		assert_match "usage" "$(cat out)"
	'
done

test_expect_success 'musl tools are under 2 MiB each' '
	while read -r t mode bytes rest; do
		[ "$mode" = musl ] || continue
		[ "$bytes" -lt 2097152 ] || { echo "$t: $bytes bytes"; exit 1; }
	done <"$ROOT/build-static/sizes.txt"
	grep -q "^s3ls  *musl " "$ROOT/build-static/sizes.txt"
'

test_expect_success 'sum8m in the chroot (4 threads) equals md5sum outside' '
	new_root sum8m
	mkfile "$r/data" $(scaled 20000000)
	in_root "$r" /sum8m -j 4 /data >got
	echo "$(md5sum <"$r/data" | cut -d" " -f1)  /data" >want
	assert_files_eq want got
'

s3_bucket_new
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
printf 'static\n' >"$TMP/obj"
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/dir/one"
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/dir/two"
$AWS s3 cp --quiet "$TMP/obj" "s3://$BUCKET/top"
printf 's3://%s/dir/one\ns3://%s/dir/two\ns3://%s/top\n' \
    "$BUCKET" "$BUCKET" "$BUCKET" >"$TMP/want.ls"

test_expect_success 's3ls in the chroot over HTTP' '
	new_root s3ls
	in_root "$r" /s3ls --endpoint-url "$S3_ENDPOINT" -r s3://$BUCKET >got
	assert_files_eq want.ls got
'

test_expect_success 's3ls in the chroot over HTTPS (localhost, --ca-bundle)' '
	new_root s3ls
	in_root "$r" /s3ls --endpoint-url "$S3_ENDPOINT_TLS" --ca-bundle /ca.crt \
	    -r s3://$BUCKET >got
	assert_files_eq want.ls got
'

test_expect_success 'HTTPS in the chroot fails without a CA (nothing leaks)' '
	new_root s3ls
	rm "$r/ca.crt"
	assert_exit 1 in_root "$r" /s3ls --endpoint-url "$S3_ENDPOINT_TLS" \
	    -r s3://$BUCKET >got 2>err
	assert_eq "" "$(cat got)"
	assert_match "CA bundle /etc/ssl/certs/ca-certificates.crt: No such" \
	    "$(cat err)"
'

# Tools that land later are exercised once they exist in cmd/.
if [ -f "$ROOT/cmd/s3put.c" ] && [ -f "$ROOT/cmd/s3get.c" ]; then
test_expect_success 's3put, s3get in the chroot, HTTPS, multipart, 4 threads' '
	new_root s3put s3get
	mkfile "$r/data" $(scaled 12000000)
	TLS="--endpoint-url $S3_ENDPOINT_TLS --ca-bundle /ca.crt"
	in_root "$r" /s3put $TLS -q -j 4 --part-size 5M s3://$BUCKET/put \
	    <"$r/data"
	$AWS s3 cp --quiet s3://$BUCKET/put aws.out
	assert_files_eq "$r/data" aws.out
	in_root "$r" /s3get $TLS -q -j 4 --part-size 5M s3://$BUCKET/put >got
	assert_files_eq "$r/data" got
'
else
	test_skip 's3put/s3get in the chroot' 'not in cmd/ on this branch'
fi

if [ -f "$ROOT/cmd/pqmeta.c" ]; then
test_expect_success 'pqmeta in the chroot: local file and s3:// over HTTPS' '
	new_root pqmeta
	cp "$DATA/parquet/alltypes_plain.parquet" "$r/f.parquet"
	in_root "$r" /pqmeta -j /f.parquet >got
	assert_match "\"num_rows\":8," "$(cat got)"
	$AWS s3 cp --quiet "$r/f.parquet" s3://$BUCKET/f.parquet
	in_root "$r" /pqmeta -j --endpoint-url "$S3_ENDPOINT_TLS" \
	    --ca-bundle /ca.crt s3://$BUCKET/f.parquet >got.s3
	assert_match "\"num_rows\":8," "$(cat got.s3)"
'
else
	test_skip 'pqmeta in the chroot' 'not in cmd/ on this branch'
fi

# examples/Dockerfile, without a docker engine: apply its COPY lines to an
# empty root (every source must exist after make static), put the test CA
# where the image has the system bundle, and run s3ls by PATH, with the
# default CA path, over HTTPS.
test_expect_success 'examples/Dockerfile: COPY sources exist, its tree runs' '
	df=$ROOT/examples/Dockerfile
	assert_eq "FROM scratch" "$(grep "^FROM" "$df")"
	r=$(mktemp -d "$TMP/image.XXXXXX")
	grep "^COPY " "$df" >copies
	test -s copies
	while read -r _ src dst; do
		test -e "$ROOT/$src" || { echo "missing $src"; exit 1; }
		case $dst in
		*/) mkdir -p "$r$dst"; cp -R "$ROOT/$src". "$r$dst" ;;
		*) mkdir -p "$(dirname "$r$dst")"; cp "$ROOT/$src" "$r$dst" ;;
		esac
	done <copies
	test -s "$r/etc/ssl/certs/ca-certificates.crt"
	cp "$S3_CA_BUNDLE" "$r/etc/ssl/certs/ca-certificates.crt"
	printf "127.0.0.1\tlocalhost\n" >"$r/etc/hosts"
	path=$(sed -n "s/^ENV PATH=//p" "$df")
	# The image PATH first: chroot finds s3ls by it inside the root.
	env -i PATH="$path:/usr/sbin:/usr/bin:/sbin:/bin" \
	    AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
	    AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
	    AWS_REGION="$AWS_REGION" $CHROOT "$r" \
	    s3ls --endpoint-url "$S3_ENDPOINT_TLS" -r s3://$BUCKET/dir/ >got
	grep "/dir/" want.ls >want.dir
	assert_files_eq want.dir got
'

test_done
