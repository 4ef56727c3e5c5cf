#!/bin/sh
# bench/sum8m.sh [SIZE_MIB]: throughput of sum8m against md5sum and
# sha256sum on one file in the page cache, measured in the same run so
# machine noise cancels in the ratios.
#
# Targets (2 cores): etag >= 1.8 x md5sum, sha256 >= 3 x sha256sum
# (with SHA-NI), crc32c and crc64nvme >= 5 GB/s, md5 >= 1.0 x md5sum.
set -eu
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-2048}
BIN=${BIN:-build/bin}
[ -x "$BIN/sum8m" ] || make -s all
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-sum8m.XXXXXX")
trap 'rm -rf "$dir"' EXIT
f=$dir/data
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$f"
cat "$f" >/dev/null	# into the page cache

# best of 3 wall-clock seconds
t() {
	best=
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" "$f" >/dev/null
		e=$(date +%s.%N)
		best=$(echo "$s $e ${best:-}" | awk '{d = $2 - $1;
		    if ($3 == "" || d < $3) print d; else print $3}')
	done
	echo "$best"
}

mbs() { awk -v s="$1" -v m="$SIZE_MIB" 'BEGIN { printf "%.0f", m * 1.048576 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

md5sum_t=$(t md5sum)
sha256sum_t=$(t sha256sum)
printf '%-22s %8s %10s %s\n' tool seconds MB/s ratio
printf '%-22s %8.3f %10s\n' md5sum "$md5sum_t" "$(mbs "$md5sum_t")"
printf '%-22s %8.3f %10s\n' sha256sum "$sha256sum_t" "$(mbs "$sha256sum_t")"
for a in md5 etag sha256 crc32c crc64nvme; do
	s=$(t "$BIN/sum8m" -a "$a")
	case $a in
	sha256) r="$(ratio "$s" "$sha256sum_t") x sha256sum (target >= 3)" ;;
	etag) r="$(ratio "$s" "$md5sum_t") x md5sum (target >= 1.8)" ;;
	md5) r="$(ratio "$s" "$md5sum_t") x md5sum (target >= 1.0)" ;;
	*) r="(target >= 5000 MB/s)" ;;
	esac
	printf '%-22s %8.3f %10s %s\n' "sum8m -a $a" "$s" "$(mbs "$s")" "$r"
done
echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
