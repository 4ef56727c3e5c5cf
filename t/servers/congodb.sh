#!/bin/sh
# congodb.sh start|stop STATE_DIR: CongoDB, the Node.js wire-protocol
# server in npm @push.rocks/smartmongo 2.2.0, on a free loopback port.
# Used for mongoload's DDL paths (create, listIndexes, renameCollection
# with dropTarget, drop) and the throughput benchmark. Its numeric type
# rewriting and missing _id uniqueness make it unfit for round-trip or
# duplicate-key assertions (see ../shared/SERVERS-MONGO.md).
#
# The package's full install fails (devDependencies missing from the
# registry), so the first start installs only what dist_ts/congodb
# imports into .test-tools/congodb (npm pack + 6 runtime dependencies).
# start writes STATE_DIR/congodb.env with MONGODB_URI and CONGODB_PID.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/t/servers/proc.sh"
cmd=${1:?usage: congodb.sh start|stop STATE_DIR}
state=${2:?usage: congodb.sh start|stop STATE_DIR}
dir=$ROOT/.test-tools/congodb

install() {
	mkdir -p "$ROOT/.test-tools"
	exec 9>"$ROOT/.test-tools/congodb.lock"
	flock 9
	[ -f "$dir/.ok" ] && return 0
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	(
		cd "$dir.tmp"
		npm pack --silent @push.rocks/smartmongo@2.2.0 >/dev/null
		tar xzf push.rocks-smartmongo-2.2.0.tgz
		mv package/dist_ts dist_ts
		rm -rf package push.rocks-smartmongo-2.2.0.tgz
		cat >package.json <<'JSON'
{ "name": "congodb-min", "version": "0.0.0", "private": true, "type": "module",
  "dependencies": { "@push.rocks/smartfs": "*", "@push.rocks/smartpath": "^5.0.11",
    "@push.rocks/smartpromise": "^4.0.3", "@push.rocks/smartrx": "^3.0.0",
    "bson": "^6.10.0", "mingo": "^7.2.0" },
  "overrides": { "@push.rocks/lik": "6.4.0" } }
JSON
		npm i --ignore-scripts --no-audit --no-fund --loglevel=error \
		    >/dev/null
		cat >start-congo.mjs <<'JS'
import { CongoServer } from './dist_ts/congodb/index.js';
const server = new CongoServer({ host: '127.0.0.1', port: 0 });
await server.start();
console.log(`CONGODB_URI=mongodb://127.0.0.1:${server.server.address().port}`);
for (const s of ['SIGINT', 'SIGTERM'])
	process.on(s, async () => { await server.stop(); process.exit(0); });
JS
		touch .ok
	)
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

case $cmd in
start)
	[ -f "$dir/.ok" ] || install >&2
	mkdir -p "$state"
	log=$state/congodb.log
	: >"$log"	# exists before the child opens it, for the poll below
	node "$dir/start-congo.mjs" >"$log" 2>&1 &
	pid=$!
	i=0
	uri=
	while [ $i -lt 300 ]; do
		uri=$(sed -n 's/^CONGODB_URI=//p' "$log" | head -n 1)
		[ -n "$uri" ] && break
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$log" >&2
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$uri" ]; then
		kill "$pid" 2>/dev/null || true
		echo "congodb.sh: no URI after 30 s" >&2
		exit 1
	fi
	write_env "$state" congodb "$pid" "$uri"
	;;
stop)
	stop_env "$state" congodb
	;;
*)
	echo "usage: congodb.sh start|stop STATE_DIR" >&2
	exit 2
	;;
esac
