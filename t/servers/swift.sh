#!/bin/sh
# swift.sh start|stop STATE_DIR: OpenStack Swift with s3api on free
# loopback ports, over HTTP and HTTPS (see ../shared/SERVERS-S3.md).
#
# start: installs the Debian packages when missing, picks free ports
# (probing, since other suites may run their own Swift at the same
# time), builds rings that name those ports, writes the configs under
# STATE_DIR/swift, makes a test CA and a server certificate for
# localhost, starts memcached, the object, container and account servers,
# the object updater (so listings catch up after a container update that
# timed out under load) and two proxies (HTTP and HTTPS), waits (at most SWIFT_START_TIMEOUT,
# default 90 s) until all answer, and writes STATE_DIR/swift.env:
#	S3_ENDPOINT=http://127.0.0.1:PORT
#	S3_ENDPOINT_TLS=https://localhost:PORT	(BearSSL checks DNS names)
#	S3_CA_BUNDLE=STATE_DIR/swift/tls/ca.crt
#	AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing
#	AWS_REGION=us-east-1 S3_SERVER=swift
# Tests get their own bucket with s3_bucket_new (t/lib.sh).
# A port taken between probe and bind makes a server exit: start then
# retries with new ports (3 tries).
#
# min_segment_size is S3's real 5 MiB minimum part size, so tests see
# EntityTooSmall like on AWS; SWIFT_MIN_SEGMENT_SIZE overrides it.
# /etc/swift/swift.conf is global (Swift always reads that path): it is
# only created, with the packaged defaults, when missing.
#
# stop: TERM to every process started, waits for them (KILL after 10 s),
# removes STATE_DIR/swift and swift.env.
set -eu
cmd=${1:-}
state=${2:-}
[ -n "$state" ] || { echo "usage: swift.sh start|stop STATE_DIR" >&2; exit 2; }
mkdir -p "$state"
state=$(cd "$state" && pwd)
S=$state/swift
here=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "swift.sh: $*" >&2
	exit 1
}

stop_all() {
	[ -d "$S/run" ] || return 0
	pids=
	for f in "$S"/run/*.pid; do
		[ -f "$f" ] || continue
		p=$(cat "$f")
		kill "$p" 2>/dev/null && pids="$pids $p"
		rm -f "$f"
	done
	i=0
	while [ $i -lt 100 ]; do
		alive=
		for p in $pids; do
			kill -0 "$p" 2>/dev/null && alive="$alive $p"
		done
		[ -z "$alive" ] && return 0
		pids=$alive
		sleep 0.1
		i=$((i + 1))
	done
	for p in $pids; do
		kill -9 "$p" 2>/dev/null || true
	done
}

install_pkgs() {
	command -v swift-proxy-server >/dev/null 2>&1 &&
	    command -v memcached >/dev/null 2>&1 &&
	    command -v openssl >/dev/null 2>&1 &&
	    command -v curl >/dev/null 2>&1 &&
	    [ -x /usr/bin/aws ] && return 0
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "swift.sh: installing Swift packages" >&2
	pkgs="swift-proxy swift-account swift-container swift-object memcached
	    awscli openssl curl"
	apt="$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
	$apt install -y -qq --no-install-recommends $pkgs >/dev/null 2>&1 ||
	{ $apt update -qq >/dev/null 2>&1 || true
	  $apt install -y -qq --no-install-recommends $pkgs >/dev/null; } ||
	    die "apt-get install $pkgs failed"
}

# free_ports N: N distinct ports that 127.0.0.1 can bind now, outside
# the ephemeral range (where outgoing connections would take them).
free_ports() {
	python3 - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1]); got = []
rnd = random.Random()
for _ in range(2000):
    p = rnd.randrange(20000, 32000)
    if p in got:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        got.append(p)
    except OSError:
        pass
    finally:
        s.close()
    if len(got) == n:
        break
print(" ".join(map(str, got)))
EOF
}

setup() {
	# $1 object $2 container $3 account $4 proxy $5 tls proxy $6 memcached
	rm -rf "$S/srv" "$S"/*.builder "$S"/*.ring.gz "$S"/*.conf
	mkdir -p "$S/srv/d1" "$S/log" "$S/run"
	for t in object:$1 container:$2 account:$3; do
		n=${t%%:*}
		p=${t##*:}
		(cd "$S" &&
		swift-ring-builder $n.builder create 10 1 1 >/dev/null &&
		swift-ring-builder $n.builder add r1z1-127.0.0.1:$p/d1 100 \
		    >/dev/null &&
		swift-ring-builder $n.builder rebalance >/dev/null) ||
		    die "ring $n failed"
		cat >"$S/$n-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $p
workers = 0
user = $(id -un)
swift_dir = $S
devices = $S/srv
mount_check = false
log_level = INFO

[pipeline:main]
pipeline = $n-server

[app:$n-server]
use = egg:swift#$n
CONF
		[ $n = object ] && cat >>"$S/$n-server.conf" <<CONF
# container updates that fail under load are saved and replayed by the
# updater; without it a listing could miss an object for good
node_timeout = 10

[object-updater]
interval = 1
recon_cache_path = $S/run
CONF
	done
	for v in http:$4 https:$5; do
		scheme=${v%%:*}
		p=${v##*:}
		tls=
		[ "$scheme" = https ] &&
		    tls="cert_file = $S/tls/server.crt
key_file = $S/tls/server.key"
		cat >"$S/proxy-$scheme.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $p
workers = 0
user = $(id -un)
swift_dir = $S
log_level = INFO
$tls

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$6
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:dlo]
use = egg:swift#dlo

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000

[filter:tempauth]
use = egg:swift#tempauth
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
max_upload_part_num = 10000
min_segment_size = ${SWIFT_MIN_SEGMENT_SIZE:-5242880}
s3_acl = false
allow_no_owner = true
check_bucket_owner = false
dns_compliant_bucket_names = true
allowable_clock_skew = 900
CONF
	done
}

launch() {
	# launch NAME CMD...: start in the background, remember the pid.
	n=$1
	shift
	"$@" >"$S/log/$n.log" 2>&1 </dev/null &
	echo $! >"$S/run/$n.pid"
}

# http_up URL [CURL-ARGS]: any HTTP answer at all.
http_up() {
	u=$1
	shift
	c=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "$u" 2>/dev/null) ||
	    true
	[ -n "$c" ] && [ "$c" != 000 ]
}

# try_start: one attempt on fresh ports. 0 up, 1 a server died (retry).
try_start() {
	set -- $(free_ports 6)
	[ $# -eq 6 ] || die "no free loopback ports"
	op=$1 cp=$2 ap=$3 pp=$4 tp=$5 mp=$6
	setup "$op" "$cp" "$ap" "$pp" "$tp" "$mp"
	mcuser=
	[ "$(id -u)" -eq 0 ] && mcuser="-u root"
	launch memcached memcached $mcuser -l 127.0.0.1 -p "$mp" -m 64 -U 0
	launch object swift-object-server "$S/object-server.conf" -v
	launch object-updater swift-object-updater "$S/object-server.conf" -v
	launch container swift-container-server "$S/container-server.conf" -v
	launch account swift-account-server "$S/account-server.conf" -v
	launch proxy-http swift-proxy-server "$S/proxy-http.conf" -v
	launch proxy-https swift-proxy-server "$S/proxy-https.conf" -v
	limit=$(( ${SWIFT_START_TIMEOUT:-90} * 10 ))
	i=0
	while [ $i -lt "$limit" ]; do
		for f in "$S"/run/*.pid; do
			kill -0 "$(cat "$f")" 2>/dev/null && continue
			echo "swift.sh: $(basename "$f" .pid) exited:" >&2
			tail -n 5 "$S/log/$(basename "$f" .pid).log" >&2
			return 1
		done
		if http_up "http://127.0.0.1:$pp/healthcheck" &&
		    http_up "https://localhost:$tp/healthcheck" \
			--cacert "$S/tls/ca.crt" &&
		    http_up "http://127.0.0.1:$op/" &&
		    http_up "http://127.0.0.1:$cp/" &&
		    http_up "http://127.0.0.1:$ap/"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	stop_all
	die "not up after ${SWIFT_START_TIMEOUT:-90} s (logs in $S/log)"
}

start() {
	install_pkgs
	if [ ! -f /etc/swift/swift.conf ]; then
		mkdir -p /etc/swift
		printf '%s\n' '[swift-hash]' 'swift_hash_path_suffix = changeme' \
		    'swift_hash_path_prefix = changeme' '' \
		    '[storage-policy:0]' 'name = Policy-0' 'default = yes' \
		    >/etc/swift/swift.conf
	fi
	t0=$(date +%s.%N)
	stop_all
	mkdir -p "$S"
	sh "$here/tls-cert.sh" "$S/tls"
	n=0
	until try_start; do
		stop_all
		n=$((n + 1))
		[ $n -lt 3 ] || die "servers keep exiting (logs in $S/log)"
	done
	t1=$(date +%s.%N)
	cat >"$state/swift.env.tmp" <<ENV
S3_SERVER=swift
S3_ENDPOINT=http://127.0.0.1:$pp
S3_ENDPOINT_TLS=https://localhost:$tp
S3_CA_BUNDLE=$S/tls/ca.crt
AWS_ACCESS_KEY_ID=test:tester
AWS_SECRET_ACCESS_KEY=testing
AWS_REGION=us-east-1
SWIFT_DIR=$S
export S3_SERVER S3_ENDPOINT S3_ENDPOINT_TLS S3_CA_BUNDLE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION SWIFT_DIR
ENV
	mv "$state/swift.env.tmp" "$state/swift.env"
	echo "swift.sh: up in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s:" \
	    "http 127.0.0.1:$pp, https localhost:$tp" >&2
}

case $cmd in
start)	start ;;
stop)	stop_all
	rm -rf "$S" "$state/swift.env" ;;
*)	echo "usage: swift.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
