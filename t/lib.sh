# t/lib.sh: TAP helpers for the test scripts. Source it first:
#
#	. "$(dirname "$0")/lib.sh"
#	test_expect_success 'description' '
#		commands run with set -e in a subshell, cwd = $TMP
#	'
#	test_done
#
# Environment (set by t/run-suite.sh, defaults for running one test alone):
#	BUILD		build directory (build or build-san); $BIN, $HELPER
#			point into it and $BIN is first in PATH
#	TEST_SCALE	percent of full data sizes (100 plain, 10 sanitizer);
#			use $(scaled N) for sizes
#	TEST_SANITIZE	1 in the sanitizer pass: skip memory-size assertions
#	TEST_HEAVY	1 in make check-heavy
#	TEST_STATE	shared directory for servers started by server_up
#
# Assertions for test bodies: assert_eq, assert_files_eq, assert_match,
# assert_exit. Each prints what differed and returns 1.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=$BUILD/bin
HELPER=$BUILD/t
DATA=$ROOT/t/data
TEST_SCALE=${TEST_SCALE:-100}
TEST_SANITIZE=${TEST_SANITIZE:-0}
TEST_HEAVY=${TEST_HEAVY:-0}
PATH=$BIN:$HELPER:$PATH
export ROOT BUILD BIN HELPER DATA TEST_SCALE TEST_SANITIZE TEST_HEAVY PATH

# Never talk to a real cloud: no instance metadata, no real credentials.
AWS_EC2_METADATA_DISABLED=true
AWS_CONFIG_FILE=/dev/null
AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
    AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_CONTAINER_CREDENTIALS_FULL_URI \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI

# Sanitizer reports must fail the test, and leaks count.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:exitcode=99}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
export ASAN_OPTIONS UBSAN_OPTIONS

TMP=$(mktemp -d "${TMPDIR:-/tmp}/s3pipe-t.XXXXXX")
_cleanups=
_own_state=
if [ -z "${TEST_STATE:-}" ]; then
	TEST_STATE=$TMP/state
	_own_state=1
fi
export TMP TEST_STATE

# cleanup_add CMD: run CMD (eval'd) when the test script exits, newest first.
cleanup_add() {
	_cleanups="$1
$_cleanups"
}

_run_cleanups() {
	_rc=$?
	set +e
	printf '%s\n' "$_cleanups" | while IFS= read -r _c; do
		[ -n "$_c" ] && eval "$_c" >/dev/null 2>&1
	done
	if [ -n "$_own_state" ] && [ -d "$TEST_STATE" ]; then
		for _e in "$TEST_STATE"/*.env; do
			[ -f "$_e" ] || continue
			_n=$(basename "$_e" .env)
			sh "$ROOT/t/servers/$_n.sh" stop "$TEST_STATE" >/dev/null 2>&1
		done
	fi
	rm -rf "$TMP"
	exit $_rc
}
trap _run_cleanups EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

_n=0
_failed=0
_planned=

plan() {
	_planned=$1
	echo "1..$1"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 255
}

# ok DESC / not_ok DESC [DETAILS-FILE]
ok() {
	_n=$((_n + 1))
	echo "ok $_n - $*"
}

not_ok() {
	_n=$((_n + 1))
	_failed=$((_failed + 1))
	echo "not ok $_n - $1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		tail -n 60 "$2" | sed 's/^/#   /'
	fi
}

test_skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP ${2:-}"
}

# test_expect_success DESC BODY: BODY runs in a subshell with set -e in
# $TMP; its output is shown only on failure.
test_expect_success() {
	_out=$TMP/.out.$((_n + 1))
	(cd "$TMP" && set -e && eval "$2") >"$_out" 2>&1 </dev/null
	_rc=$?
	if [ $_rc -eq 0 ]; then
		ok "$1"
	else
		echo "exit status $_rc" >>"$_out"
		not_ok "$1" "$_out"
	fi
	rm -f "$_out"
}

test_done() {
	[ -n "$_planned" ] || echo "1..$_n"
	[ "$_failed" -eq 0 ] || exit 1
	exit 0
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	[ "$1" = "$2" ] && return 0
	echo "${3:-value} differs:"
	echo "  expected: $1"
	echo "  actual:   $2"
	return 1
}

# assert_files_eq EXPECTED-FILE ACTUAL-FILE: diff -u on failure
assert_files_eq() {
	cmp -s "$1" "$2" && return 0
	echo "files differ: $1 $2"
	diff -u "$1" "$2" | head -n 40
	return 1
}

# assert_match ERE TEXT [WHAT]
assert_match() {
	printf '%s\n' "$2" | grep -Eq -- "$1" && return 0
	echo "${3:-text} does not match /$1/:"
	printf '%s\n' "$2" | sed 's/^/  | /' | head -n 20
	return 1
}

# assert_exit CODE CMD...: run CMD, require exit status CODE.
assert_exit() {
	_want=$1
	shift
	set +e
	"$@"
	_got=$?
	set -e
	[ "$_got" -eq "$_want" ] && return 0
	echo "exit status of '$*': expected $_want, got $_got"
	return 1
}

# scaled N: N scaled by TEST_SCALE percent, at least 1.
scaled() {
	_s=$(( $1 * TEST_SCALE / 100 ))
	[ "$_s" -ge 1 ] || _s=1
	echo "$_s"
}

# need_cmd CMD...: skip the whole script when a tool is missing. Only for
# optional peers; make check installs everything it depends on.
need_cmd() {
	for _c; do
		command -v "$_c" >/dev/null 2>&1 || skip_all "$_c not installed"
	done
}

# server_up NAME: start t/servers/NAME.sh once per TEST_STATE (shared by
# all tests of a run) and source the environment it writes.
server_up() {
	mkdir -p "$TEST_STATE"
	(
		flock 9
		# 9>&-: the server's daemons must not inherit the lock
		[ -f "$TEST_STATE/$1.env" ] ||
		    sh "$ROOT/t/servers/$1.sh" start "$TEST_STATE" >&2 9>&-
	) 9>"$TEST_STATE/$1.lock" || bail_out "cannot start server $1"
	. "$TEST_STATE/$1.env"
}

# mkfile NAME SIZE-IN-BYTES: deterministic pseudo-random content.
mkfile() {
	head -c "$2" "$DATA_RANDOM" >"$1" 2>/dev/null && [ "$(wc -c <"$1")" -eq "$2" ] && return 0
	# Larger than the pool: repeat it with a counter so parts differ.
	: >"$1"
	_i=0
	while [ "$(wc -c <"$1")" -lt "$2" ]; do
		{ echo "$_i"; cat "$DATA_RANDOM"; } >>"$1"
		_i=$((_i + 1))
	done
	truncate -s "$2" "$1"
}
DATA_RANDOM=$TEST_STATE/random.pool
if [ ! -f "$DATA_RANDOM" ]; then
	mkdir -p "$TEST_STATE"
	# 16 MiB of reproducible bytes (not /dev/urandom: failures must replay).
	perl -e 'srand(42); print pack("L*", map { int(rand(2**32)) } 1..(4*1024*1024))' \
	    >"$DATA_RANDOM.$$" && mv "$DATA_RANDOM.$$" "$DATA_RANDOM"
fi

# s3_bucket_new: after server_up swift, create a fresh bucket named for
# this test and set BUCKET to it; it is emptied (objects and multipart
# uploads) and deleted when the script exits. Call it at top level, not
# inside a test body (a subshell would lose the cleanup).
s3_bucket_new() {
	_s3b_n=$(( ${_s3b_n:-0} + 1 ))
	BUCKET=$(printf 't%s-%s-%s' "$(basename "$0" .sh)" "$$" "$_s3b_n" |
	    tr 'A-Z_.' 'a-z--' | tr -cd 'a-z0-9-' | cut -c1-63)
	/usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3api create-bucket \
	    --bucket "$BUCKET" >/dev/null || bail_out "cannot create $BUCKET"
	cleanup_add "sh '$ROOT/t/servers/s3-bucket-rm.sh' '$BUCKET'"
}

# get_bytes_in METRICS-FILE: the sum of bytes_in over its GetObject
# lines (what was downloaded, retries included).
get_bytes_in() {
	grep GetObject "$1" | grep -o '"bytes_in":[0-9]*' | cut -d: -f2 |
	    awk '{ s += $1 } END { print s + 0 }'
}

# s3_uploads_are N: wait (at most 20 s) until the multipart upload
# listing of $BUCKET shows N uploads; on failure say what it shows.
# Swift updates listings asynchronously, and under load only through its
# object updater, a second or more later.
s3_uploads_are() {
	for _u in $(seq 40); do
		/usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3api \
		    list-multipart-uploads --bucket "$BUCKET" >"$TMP/.uploads" &&
		    [ "$(grep -c UploadId "$TMP/.uploads")" = "$1" ] && return 0
		sleep 0.5
	done
	echo "expected $1 multipart uploads in $BUCKET, the listing has:"
	cat "$TMP/.uploads"
	return 1
}

# wait_port FILE: wait (at most 5 s) until a server wrote its port into
# FILE, then print it.
wait_port() {
	for _i in $(seq 50); do
		[ -s "$1" ] && break
		sleep 0.1
	done
	cat "$1"
}

# fault_proxy NAME HOST:PORT RULE...: start t/helper/faultproxy (rules:
# see its header) in front of HOST:PORT; sets FP_ENDPOINT to
# http://127.0.0.1:PORT of the proxy; its log is $TMP/NAME.log. Call at
# top level (the cleanup is registered in this shell).
fault_proxy() {
	_fpn=$1
	_fpu=$2
	shift 2
	_fpa=()
	for _r; do _fpa+=(-e "$_r"); done
	faultproxy -t 120 -P "$TMP/$_fpn.port" -l "$TMP/$_fpn.log" \
	    "${_fpa[@]}" "$_fpu" >/dev/null &
	cleanup_add "kill $! 2>/dev/null"
	FP_ENDPOINT=http://127.0.0.1:$(wait_port "$TMP/$_fpn.port")
}
