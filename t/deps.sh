#!/bin/sh
# Install build and test dependencies: Debian packages from t/deps/apt.txt
# and npm test tools from t/deps/package.json into .test-tools/.
# Idempotent: does nothing (quickly) when everything is present.
set -eu
cd "$(dirname "$0")/.."

missing=
for p in $(sed 's/#.*//' t/deps/apt.txt); do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
# npm: Debian's package, unless a nodejs that bundles npm is installed.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "deps: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null ||
	    echo "deps: apt-get update failed; trying the cached lists" >&2
	$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm tools: reinstall only when package.json changed since last install.
want=$(cksum < t/deps/package.json)
have=$(cat .test-tools/.stamp 2>/dev/null || true)
if grep -q '"@\|"[a-z]' t/deps/package.json &&
    [ "$want" != "$have" ] &&
    sed -n '/"dependencies"/,/}/p' t/deps/package.json | grep -q ':.*"'; then
	echo "deps: installing npm test tools into .test-tools/" >&2
	mkdir -p .test-tools
	cp t/deps/package.json .test-tools/package.json
	(cd .test-tools && npm install --no-audit --no-fund --loglevel=error >/dev/null)
	echo "$want" > .test-tools/.stamp
fi
