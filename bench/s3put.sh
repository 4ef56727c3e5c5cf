#!/bin/bash
# bench/s3put.sh [SIZE_MIB]: upload SIZE_MIB (default 1024) MiB from a
# file in the page cache, piped to standard input, with s3put, awscli
# (`aws s3 cp -`) and rclone (`rclone rcat`, when installed) to the same
# local Swift s3api, in the same run; then s3put and awscli over HTTPS.
# Prints wall seconds, client user+sys CPU seconds, peak RSS, and the
# ratios to awscli.
#
# Targets: client CPU <= 0.25 x awscli, wall <= 0.8 x awscli.
# Uses a running Swift when $TEST_STATE/swift.env exists, else starts one
# (t/servers/swift.sh) and stops it at the end.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_MIB=${1:-1024}
BIN=${BIN:-build/bin}
[ -x "$BIN/s3put" ] || make -s all
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-s3put.XXXXXX")
own=
cleanup() {
	[ -z "$own" ] || sh t/servers/swift.sh stop "$dir/state" >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
state=${TEST_STATE:-$dir/state}
if [ ! -f "$state/swift.env" ]; then
	state=$dir/state
	own=1
	sh t/servers/swift.sh start "$state" >&2
fi
. "$state/swift.env"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null
bucket=bench-s3put-$$
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
$AWS s3api create-bucket --bucket $bucket >/dev/null
trap 'sh t/servers/s3-bucket-rm.sh $bucket >/dev/null 2>&1 || true; cleanup' EXIT
export S3_ENDPOINT

f=$dir/data
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$f"
cat "$f" >/dev/null

# run NAME CMD...: cat the file into CMD under /usr/bin/time; prints
# "wall cpu rss_mib".
run() {
	name=$1
	shift
	cat "$f" | /usr/bin/time -f "%e %U %S %M" -o "$dir/t" "$@" \
	    >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; echo "$name failed" >&2; exit 1; }
	awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$dir/t"
}
row() {	# NAME "wall cpu rss" [REF-"wall cpu rss"]
	set -- "$1" $2 ${3:-}
	if [ $# -eq 7 ]; then
		printf '%-26s %7s %7s %7s %9s %9s\n' "$1" "$2" "$3" "$4" \
		    "$(awk -v a="$2" -v b="$5" 'BEGIN{printf "%.2f", a / b}')" \
		    "$(awk -v a="$3" -v b="$6" 'BEGIN{printf "%.2f", a / b}')"
	else
		printf '%-26s %7s %7s %7s %9s %9s\n' "$1" "$2" "$3" "$4" 1 1
	fi
}

echo "$SIZE_MIB MiB from stdin to Swift s3api on loopback"
printf '%-26s %7s %7s %7s %9s %9s\n' tool wall_s cpu_s rss_MiB wall/aws cpu/aws
aws_http=$(run aws $AWS s3 cp - s3://$bucket/aws)
put_http=$(run s3put "$BIN/s3put" --endpoint-url "$S3_ENDPOINT" \
    s3://$bucket/s3put)
row "aws s3 cp - (http)" "$aws_http"
row "s3put (http)" "$put_http" "$aws_http"
if command -v rclone >/dev/null 2>&1; then
	export RCLONE_CONFIG_SW_TYPE=s3 RCLONE_CONFIG_SW_PROVIDER=Other \
	    RCLONE_CONFIG_SW_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
	    RCLONE_CONFIG_SW_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \
	    RCLONE_CONFIG_SW_ENDPOINT=$S3_ENDPOINT \
	    RCLONE_CONFIG_SW_FORCE_PATH_STYLE=true RCLONE_CONFIG_SW_REGION=$AWS_REGION
	# rclone cannot use a custom CA bundle over plain HTTP
	rc_http=$(run rclone env -u AWS_CA_BUNDLE rclone --config /dev/null \
	    rcat sw:$bucket/rclone)
	row "rclone rcat (http)" "$rc_http" "$aws_http"
fi
aws_tls=$(run aws-tls /usr/bin/aws --endpoint-url "$S3_ENDPOINT_TLS" \
    --ca-bundle "$S3_CA_BUNDLE" s3 cp - s3://$bucket/aws-tls)
put_tls=$(run s3put-tls "$BIN/s3put" --endpoint-url "$S3_ENDPOINT_TLS" \
    --ca-bundle "$S3_CA_BUNDLE" s3://$bucket/s3put-tls)
row "aws s3 cp - (https)" "$aws_tls"
row "s3put (https, BearSSL)" "$put_tls" "$aws_tls"
echo "targets: s3put cpu/aws <= 0.25, wall/aws <= 0.8"
echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
