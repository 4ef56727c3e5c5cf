#!/bin/sh
# run-suite.sh BUILD: run every t/t*.sh with prove against BUILD's
# binaries. Servers that tests start (server_up) are shared for the run
# and stopped at the end.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
TEST_STATE=$(mktemp -d "${TMPDIR:-/tmp}/s3pipe-state.XXXXXX")
export BUILD TEST_STATE

stop_servers() {
	for e in "$TEST_STATE"/*.env; do
		[ -f "$e" ] || continue
		sh "t/servers/$(basename "$e" .env).sh" stop "$TEST_STATE" >/dev/null 2>&1
	done
	rm -rf "$TEST_STATE"
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

echo "== test suite: BUILD=$BUILD TEST_SCALE=${TEST_SCALE:-100}" >&2
prove -j"${TEST_JOBS:-2}" --exec /bin/bash ${PROVE_FLAGS:-} t/t*.sh
