#!/bin/sh
# lint.sh: man pages clean under mandoc -Tlint; banned unbounded
# string functions absent from cmd/ and lib/.
set -u
cd "$(dirname "$0")/.."
rc=0
for m in man/*.1; do
	[ -f "$m" ] || continue
	out=$(mandoc -Tlint -Wwarning "$m" 2>&1)
	if [ -n "$out" ]; then
		echo "$out"
		rc=1
	fi
done
if grep -nE '\<(strcpy|strcat|sprintf|vsprintf|atoi|atol|atoll|gets)[[:space:]]*\(' \
    cmd/*.c lib/*.c lib/*.h lib/*/*.c lib/*/*.h 2>/dev/null; then
	echo "lint: banned function (use bounded forms and checked conversions)"
	rc=1
fi
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc
