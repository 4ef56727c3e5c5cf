#!/bin/sh
# jongodb.sh start|stop STATE_DIR: a throwaway MongoDB-compatible server
# (jongodb, npm @jongodb/memory-server-bin-linux-x64-gnu, installed into
# .test-tools by t/deps.sh) on a free loopback port. start writes
# STATE_DIR/jongodb.env with MONGODB_URI (finite timeouts) and
# JONGODB_PID. See ../shared/SERVERS-MONGO.md for its limits: no drop,
# listCollections or rename; keep collections at about 5k documents.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/t/servers/proc.sh"
cmd=${1:?usage: jongodb.sh start|stop STATE_DIR}
state=${2:?usage: jongodb.sh start|stop STATE_DIR}
bin=$ROOT/.test-tools/node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb

case $cmd in
start)
	if [ ! -x "$bin" ]; then
		sh "$ROOT/t/deps.sh" >&2
	fi
	[ -x "$bin" ] || { echo "jongodb.sh: $bin missing" >&2; exit 1; }
	mkdir -p "$state"
	log=$state/jongodb.log
	: >"$log"	# exists before the child opens it, for the poll below
	"$bin" --host=127.0.0.1 --port=0 >"$log" 2>&1 &
	pid=$!
	i=0
	uri=
	while [ $i -lt 100 ]; do
		uri=$(sed -n 's/^JONGODB_URI=//p' "$log" | head -n 1)
		[ -n "$uri" ] && break
		if ! kill -0 "$pid" 2>/dev/null || grep -q JONGODB_START_FAILURE "$log"; then
			cat "$log" >&2
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$uri" ]; then
		kill "$pid" 2>/dev/null || true
		echo "jongodb.sh: no URI after 10 s" >&2
		exit 1
	fi
	# mongodb://127.0.0.1:PORT/test -> base without the database.
	base=${uri%/*}
	write_env "$state" jongodb "$pid" "$base"
	;;
stop)
	stop_env "$state" jongodb
	;;
*)
	echo "usage: jongodb.sh start|stop STATE_DIR" >&2
	exit 2
	;;
esac
