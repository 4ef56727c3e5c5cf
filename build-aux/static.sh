#!/bin/sh
# build-aux/static.sh: `make static`. Builds the tools of cmd/ as fully
# static, stripped binaries into build-static/bin, linked with musl
# (Debian musl-tools) against BearSSL and zstd built for musl from
# Debian's own source packages, at exactly the versions of the installed
# libbearssl-dev and libzstd-dev.
#
# Tools that need libmongoc/libbson (the MongoDB tools) are skipped with
# a message: a static link is not possible from Debian packages (see
# doc/static.md: Debian's libsasl2.a carries its GSSAPI/LDAP/SQL plugins
# and Debian ships no static Kerberos; there is no musl build of
# libmongoc, OpenSSL, SASL, ICU or snappy). A tool is such a tool when
# its cmd/NAME.c includes, directly or through lib/ headers, <mongoc/...>
# or <bson/...>; lib/ sources with the same property are left out of the
# musl archive. tool_libs() is the per-tool library list; STATIC_SKIP=
# "tool ..." skips more tools.
#
# Sources come only from the Debian archive: `apt-get source` through a
# private apt state in build-static/apt (deb-src entries made from the
# machine's own /etc/apt/sources.list.d/debian.sources, so the system's
# apt configuration and lists do not change and no root is needed). apt
# checks them against the signed Sources index. The musl BearSSL/zstd
# builds are cached in build-static/musl, keyed by versions and flags.
#
# Objects are compiled by the main Makefile's own pattern rule (same
# warnings, -MMD dependencies, incremental) with BUILD=build-static/
# musl-obj; this script only makes the archive and links.
#
# Environment: MAKE (passed by the Makefile), STATIC_SKIP, STATIC_OUT
# (default build-static).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${STATIC_OUT:-build-static}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
MAKE=${MAKE:-make}
SKIP=${STATIC_SKIP:-}

# Size: -Os, one section per function and object, --gc-sections, -s.
SECT="-ffunction-sections -fdata-sections"
MUSL_OPT="-Os"
LINK="-static -Wl,--gc-sections -s"

say() { printf 'static: %s\n' "$*" >&2; }
die() { printf 'static: error: %s\n' "$*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 ||
	    die "$1 not found (Debian package $2; run: sh t/deps.sh)"
}

# srcver PKG: "SOURCE=VERSION" of the source package an installed binary
# package was built from.
srcver() {
	v=$(dpkg-query -W -f='${source:Package}=${source:Version}' "$1" \
	    2>/dev/null) || die "$1 is not installed (run: sh t/deps.sh)"
	[ -n "$v" ] || die "cannot read the source version of $1"
	echo "$v"
}

# apt_private: apt configuration that reads deb-src entries only, into
# $OUT/apt, leaving the system's lists and caches alone.
apt_private() {
	A=$OUT/apt
	mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/parts"
	src=/etc/apt/sources.list.d/debian.sources
	if [ -f "$src" ]; then
		sed 's/^Types:.*/Types: deb-src/' "$src" >"$A/parts/debian-src.sources"
	else
		# One-line format: turn every "deb " line into "deb-src ".
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
		    >"$A/parts/debian-src.list"
	fi
	{
		echo "Dir::State::Lists \"$A/lists\";"
		echo "Dir::Cache \"$A/cache\";"
		echo "Dir::Etc::SourceList \"/dev/null\";"
		echo "Dir::Etc::SourceParts \"$A/parts\";"
		echo "Acquire::Languages \"none\";"
		[ "$(id -u)" -ne 0 ] || echo "APT::Sandbox::User \"root\";"
	} >"$A/apt.conf"
	export APT_CONFIG=$A/apt.conf
}

# apt_update: refresh the private deb-src index.
apt_update() {
	say "apt-get update (deb-src, private state in $OUT/apt)"
	apt-get -q update >"$OUT/apt/update.log" 2>&1 ||
	    { cat "$OUT/apt/update.log" >&2; die "apt-get update failed"; }
}

# fetch_sources SRC=VER...: apt-get source into $OUT/deps (unpacked, with
# Debian's patches applied). The private index is updated when it is
# missing, or once more when it does not know a version (point release).
fetch_sources() {
	apt_private
	ls "$OUT/apt/lists/"*Sources* >/dev/null 2>&1 || apt_update
	mkdir -p "$OUT/deps"
	for try in 1 2; do
		(cd "$OUT/deps" && apt-get -q --only-source source "$@" \
		    >"$OUT/deps/source.log" 2>&1) && return 0
		[ $try -eq 1 ] && apt_update
	done
	tail -n 20 "$OUT/deps/source.log" >&2
	die "apt-get source $* failed"
}

# musl_deps: BearSSL and zstd static libraries and headers for musl in
# $OUT/musl/{lib,include}; rebuilt only when the key changes.
musl_deps() {
	bv=$(srcver libbearssl-dev)
	zv=$(srcver libzstd-dev)
	mv=$(dpkg-query -W -f='${Version}' musl-dev 2>/dev/null || echo none)
	key="$bv $zv musl=$mv opt=$MUSL_OPT $SECT"
	M=$OUT/musl
	if [ -f "$M/stamp" ] && [ "$(cat "$M/stamp")" = "$key" ]; then
		return 0
	fi
	say "building BearSSL and zstd for musl ($bv, $zv)"
	rm -rf "$M" "$OUT/deps"
	fetch_sources "$bv" "$zv"
	bdir=$(ls -d "$OUT/deps/${bv%%=*}"-*/ | head -n 1)
	zdir=$(ls -d "$OUT/deps/${zv%%=*}"-*/ | head -n 1)
	[ -d "$bdir" ] && [ -d "$zdir" ] || die "unpacked sources not found"
	mkdir -p "$M/lib" "$M/include" "$M/obj"
	j=$(nproc 2>/dev/null || echo 2)
	MK="env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make"
	# Upstream Makefiles, our compiler and flags (-fPIC dropped); none of
	# the outer make's variables (CC=clang, BUILD=...) leak in.
	$MK -s -C "$bdir" -j"$j" CONF=Unix CC=musl-gcc \
	    CFLAGS="-W -Wall $MUSL_OPT $SECT" BUILD="$M/obj/bearssl" lib \
	    >"$M/bearssl.log" 2>&1 ||
	    { tail -n 20 "$M/bearssl.log" >&2; die "BearSSL build failed"; }
	cp "$M/obj/bearssl/libbearssl.a" "$M/lib/"
	cp "$bdir"/inc/*.h "$M/include/"
	# zstd: compression and decompression only (no dictionary builder,
	# no legacy formats), single-threaded like Debian's libzstd.a.
	$MK -s -C "$zdir/lib" -j"$j" CC=musl-gcc \
	    CFLAGS="$MUSL_OPT $SECT" ZSTD_LIB_DICTBUILDER=0 \
	    ZSTD_LEGACY_SUPPORT=0 BUILD_DIR="$M/obj/zstd" libzstd.a \
	    >"$M/zstd.log" 2>&1 ||
	    { tail -n 20 "$M/zstd.log" >&2; die "zstd build failed"; }
	cp "$zdir/lib/libzstd.a" "$M/lib/"
	cp "$zdir/lib/zstd.h" "$zdir/lib/zstd_errors.h" "$M/include/"
	rm -rf "$M/obj"
	echo "$key" >"$M/stamp"
}

# mongo_files: lib/ and cmd/ sources and headers that include libmongoc or
# libbson headers, directly or through our own headers (fixed point).
mongo_files() {
	all=$(ls lib/*.[ch] lib/*/*.[ch] cmd/*.c 2>/dev/null)
	set=$(grep -lE '^#[[:space:]]*include[[:space:]]*<(mongoc|bson)/' \
	    $all 2>/dev/null || true)
	i=0
	while [ $i -lt 20 ]; do
		hs=$(printf '%s\n' $set | sed -n 's,^lib/\(.*\.h\)$,\1,p')
		[ -n "$hs" ] || break
		pat=$(printf '%s\n' $hs | sed 's/\./\\./g' | paste -sd'|' -)
		new=$(grep -lE "^#[[:space:]]*include[[:space:]]*\"($pat)\"" \
		    $all 2>/dev/null || true)
		new=$(printf '%s\n' $set $new | sort -u)
		[ "$new" = "$(printf '%s\n' $set | sort -u)" ] && break
		set=$new
		i=$((i + 1))
	done
	printf '%s\n' $set
}

# tool_libs TOOL: the link libraries of one tool. Unused archive members
# are never linked, so the default is the union.
tool_libs() {
	case $1 in
	*)	echo "-L$OUT/musl/lib -lbearssl -lzstd -lpthread -lm" ;;
	esac
}

# build TOOL...: compile the musl-safe part of lib/ and the tools, then
# link each tool.
build() {
	O=$OUT/musl-obj
	objs=
	for f in $lib_src; do
		printf '%s\n' $mongo | grep -qx "$f" || objs="$objs $O/${f%.c}.o"
	done
	for t; do objs="$objs $O/cmd/$t.o"; done
	say "compiling for musl (BUILD=$O)"
	# shellcheck disable=SC2086
	$MAKE -s --no-print-directory BUILD="$O" SAN= EXTRA= CC=musl-gcc \
	    OPT="$MUSL_OPT" MONGO_CFLAGS= \
	    CFLAGS="$SECT -I$OUT/musl/include" $objs
	rm -f "$O/libs3pipe-static.a"
	# shellcheck disable=SC2046
	ar rcsD "$O/libs3pipe-static.a" $(printf '%s\n' $objs | grep -v /cmd/)
	mkdir -p "$OUT/bin"
	for t; do
		# shellcheck disable=SC2046
		musl-gcc $LINK -o "$OUT/bin/$t.tmp" "$O/cmd/$t.o" \
		    "$O/libs3pipe-static.a" $(tool_libs "$t") \
		    2>"$O/$t.link.log" ||
		    { cat "$O/$t.link.log" >&2; die "linking $t failed"; }
		mv "$OUT/bin/$t.tmp" "$OUT/bin/$t"
	done
}

need musl-gcc musl-tools
need dpkg-source dpkg-dev
need apt-get apt

lib_src=$(ls lib/*.c lib/*/*.c 2>/dev/null)
mongo=$(mongo_files)
tools=
mkdir -p "$OUT"
: >"$OUT/skipped.txt"
for c in cmd/*.c; do
	t=$(basename "$c" .c)
	why=
	case " $SKIP " in *" $t "*) why="STATIC_SKIP" ;; esac
	if [ -z "$why" ] && printf '%s\n' $mongo | grep -qx "$c"; then
		why="needs libmongoc/libbson, which cannot be linked"
		why="$why statically from Debian packages (doc/static.md)"
	fi
	if [ -n "$why" ]; then
		say "skipping $t: $why"
		echo "$t $why" >>"$OUT/skipped.txt"
		rm -f "$OUT/bin/$t"
		continue
	fi
	tools="$tools $t"
done
[ -n "$tools" ] || die "no tools to build"

musl_deps
build $tools
# The CA bundle examples/Dockerfile copies into the image.
ca=/etc/ssl/certs/ca-certificates.crt
if [ -s "$ca" ]; then
	cp "$ca" "$OUT/ca-certificates.crt"
else
	say "warning: $ca missing (Debian ca-certificates);" \
	    "examples/Dockerfile needs it"
fi

# Sizes, also kept in $OUT/sizes.txt.
for t in $tools; do
	wc -c <"$OUT/bin/$t" | awk -v t="$t" \
	    '{ printf "%-18s musl %9d bytes %6.2f MiB\n", t, $1, $1 / 1048576 }'
done | tee "$OUT/sizes.txt"
