#!/bin/bash
# Tee mode copies stdin to stdout byte for byte and reports the sum.
. "$(dirname "$0")/lib.sh"

for size in 0 1 $(( $(scaled 100) << 20 )); do
	test_expect_success "tee is byte-identical for $size bytes" '
		mkfile in '$size'
		sum8m -t <in >out 2>sum
		cmp in out
		assert_eq "$(md5sum <in)" "$(cat sum)"
	'
done

test_expect_success 'tee -o FILE with etag and --json' '
	mkfile in $(( (5 << 20) * 3 ))
	sum8m -t -a etag -p 5M -o sum.txt <in | cmp - in
	assert_eq "$(sum8m -a etag -p 5M <in)" "$(cat sum.txt)"
	sum8m -t -a sha256 --json -o sum.json <in >/dev/null
	node -e "const j = JSON.parse(require(\"fs\").readFileSync(\"sum.json\"));
	    if (j.hash !== process.argv[1] || j.size !== 15728640) process.exit(1)" \
	    "$(sha256sum <in | cut -d" " -f1)"
'

test_expect_success 'tee in the middle of a pipe' '
	mkfile in 300000
	cat in | sum8m -t -a crc32c -o c | sum8m -t -o m | md5sum >final
	assert_eq "$(md5sum <in)" "$(cat final)"
	assert_eq "$(sum8m -a crc32c <in)" "$(cat c)"
'

test_expect_success 'a closed downstream pipe fails the tee (no silent loss)' '
	mkfile in $((20 << 20))
	set +e
	sum8m -t <in 2>err | head -c 10 >/dev/null
	rc=${PIPESTATUS[0]}
	set -e
	[ "$rc" -ne 0 ]
'

if [ "$TEST_SANITIZE" = 1 ]; then
	test_skip 'memory stays bounded' 'sanitizer pass'
else
	test_expect_success 'memory stays bounded (stdin, 1 GiB etag)' '
		/usr/bin/time -f %M -o rss sh -c \
		    "head -c 1G /dev/zero | sum8m -t -a etag >/dev/null 2>&1"
		rss_kb=$(tail -n 1 rss)
		echo "max RSS ${rss_kb} KiB"
		[ "$rss_kb" -lt $((200 * 1024)) ]
	'
fi

test_done
