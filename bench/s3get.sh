#!/bin/bash
# bench/s3get.sh [SIZE_MIB]: download one object (default 1 GiB) from a
# local Swift (s3api) to /dev/null with s3get, `aws s3 cp s3://... -`
# and `rclone cat` (when installed), over HTTP and HTTPS, in the same
# run so machine noise cancels in the ratios. Reports wall seconds,
# client CPU seconds (user + sys), peak RSS, and ratios against awscli.
#
# Targets: wall <= awscli, client CPU <= 0.3 x awscli.
# The server runs on the same machine and competes for the CPUs, so the
# wall numbers are a floor set by Swift, not by the clients.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_MIB=${1:-1024}
BIN=${BIN:-$ROOT/build/bin}
[ -x "$BIN/s3get" ] || make -s all
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true
unset AWS_CA_BUNDLE
state=${TEST_STATE:-}
own=
if [ -z "$state" ]; then
	state=$(mktemp -d "${TMPDIR:-/tmp}/bench-s3get.XXXXXX")
	own=1
fi
[ -f "$state/swift.env" ] || sh t/servers/swift.sh start "$state" >&2
. "$state/swift.env"
bucket=bench-s3get-$$
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-s3get-data.XXXXXX")
cleanup() {
	sh t/servers/s3-bucket-rm.sh "$bucket" >/dev/null 2>&1 || true
	rm -rf "$dir"
	[ -z "$own" ] || sh t/servers/swift.sh stop "$state" >/dev/null 2>&1
}
trap cleanup EXIT
$AWS s3api create-bucket --bucket "$bucket" >/dev/null
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$dir/obj"
want=$(md5sum <"$dir/obj" | cut -c1-32)
$AWS s3 cp --quiet "$dir/obj" "s3://$bucket/obj"
rm -f "$dir/obj"

have_rclone=0
command -v rclone >/dev/null 2>&1 && have_rclone=1

# run NAME CMD...: one timed run: "wall cpu rss_kib"; checks the md5.
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@" 2>"$dir/err" |
	    md5sum | cut -c1-32 >"$dir/md5"
	if [ "$(cat "$dir/md5")" != "$want" ]; then
		echo "$name: wrong bytes" >&2
		cat "$dir/err" >&2
		exit 1
	fi
	tail -n 1 "$dir/time" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
}

# Median of 3 runs, each column on its own: other jobs on the machine
# make single runs noisy, and a best-of-3 by wall picks a random CPU.
best() {
	: >"$dir/runs"
	for i in 1 2 3; do
		run "$@" >>"$dir/runs"
	done
	for col in 1 2 3; do
		cut -d' ' -f$col "$dir/runs" | sort -n | sed -n 2p
	done | paste -sd' '
}

rclone_conf() {
	cat >"$dir/rclone.conf" <<EOC
[swift]
type = s3
provider = Other
access_key_id = $AWS_ACCESS_KEY_ID
secret_access_key = $AWS_SECRET_ACCESS_KEY
endpoint = $1
region = us-east-1
force_path_style = true
EOC
}

printf '%-7s %-30s %8s %8s %9s %10s %10s\n' scheme tool wall cpu rss_MiB \
    wall/aws cpu/aws
for ep in "$S3_ENDPOINT" "$S3_ENDPOINT_TLS"; do
	scheme=${ep%%:*}
	a=$(best aws env AWS_CA_BUNDLE="$S3_CA_BUNDLE" /usr/bin/aws \
	    --endpoint-url "$ep" s3 cp "s3://$bucket/obj" -)
	rows=("awscli s3 cp -|$a")
	for j in 8 16; do
		r=$(best s3get "$BIN/s3get" --endpoint-url "$ep" \
		    --ca-bundle "$S3_CA_BUNDLE" -j $j "s3://$bucket/obj")
		rows+=("s3get -j $j|$r")
	done
	if [ $have_rclone = 1 ]; then
		rclone_conf "$ep"
		r=$(best rclone env -u AWS_CA_BUNDLE \
		    RCLONE_CONFIG="$dir/rclone.conf" rclone \
		    --ca-cert "$S3_CA_BUNDLE" cat "swift:$bucket/obj") || r=
		[ -z "$r" ] || rows+=("rclone cat|$r")
	fi
	set -- $a
	aw=$1 ac=$2
	for row in "${rows[@]}"; do
		name=${row%%|*}
		set -- ${row#*|}
		printf '%-7s %-30s %8.2f %8.2f %9.0f %10.2f %10.2f\n' "$scheme" \
		    "$name" "$1" "$2" "$(echo "$3" | awk '{print $1/1024}')" \
		    "$(awk -v x="$1" -v y="$aw" 'BEGIN{print x/y}')" \
		    "$(awk -v x="$2" -v y="$ac" 'BEGIN{print x/y}')"
	done
done
[ $have_rclone = 1 ] || echo "(rclone not installed: not measured)"
echo "median of 3 runs per row; object: $SIZE_MIB MiB; cpus: $(nproc);$(grep -m1 'model name' \
    /proc/cpuinfo | cut -d: -f2)"
