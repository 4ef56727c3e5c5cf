#!/bin/bash
# S3 multipart ETags checked against an independent computation:
# split -b, md5sum each part, concatenate the binary digests, md5sum.
. "$(dirname "$0")/lib.sh"

etag_ref() {	# FILE PARTSIZE
	_size=$(wc -c <"$1")
	if [ "$_size" -le "$2" ]; then
		md5sum <"$1" | cut -d" " -f1
		return
	fi
	rm -rf parts && mkdir parts
	split -b "$2" -a 5 "$1" parts/p
	_n=$(ls parts | wc -l)
	for _p in parts/p*; do md5sum <"$_p" | cut -d" " -f1; done |
	    xxd -r -p | md5sum | sed "s/ .*/-$_n/"
}

# In the sanitizer pass the part sizes shrink with TEST_SCALE.
for ps in 5 8 16 100; do
	part=$(( ps * 1024 * 1024 * TEST_SCALE / 100 ))
	test_expect_success "etag part size ${ps}M (scaled: $part bytes)" '
		for size in 0 1 $((part - 1)) $part $((part + 1)) \
		    $((2 * part)) $((3 * part + 7)); do
			mkfile f $size
			want=$(etag_ref f '$part')
			assert_eq "$want  f" "$(sum8m -a etag -p '$part' f)" \
			    "file etag of $size bytes"
			assert_eq "$want  -" "$(sum8m -a etag -p '$part' <f)" \
			    "stdin etag of $size bytes"
		done
	'
done

test_expect_success 'default part size is 8 MiB; IEC suffixes' '
	mkfile f $(( (8 << 20) + 1 ))
	assert_eq "$(sum8m -a etag f)" "$(sum8m -a etag -p 8M f)"
	assert_eq "$(sum8m -a etag f)" "$(sum8m -a etag -p 8MiB f)"
	assert_match "-2  f\$" "$(sum8m -a etag f)"
'

test_expect_success 'single part is the plain md5; --multipart forces -1' '
	mkfile f 1000
	assert_eq "$(md5sum f)" "$(sum8m -a etag f)"
	want=$(md5sum <f | cut -d" " -f1 | xxd -r -p | md5sum | cut -d" " -f1)
	assert_eq "$want-1  f" "$(sum8m -a etag --multipart f)"
	: >empty
	assert_eq "d41d8cd98f00b204e9800998ecf8427e  empty" \
	    "$(sum8m -a etag empty)"
'

test_expect_success 'one thread and two threads agree' '
	mkfile f $(( $(scaled 40) << 20 ))
	assert_eq "$(sum8m -j 1 -a etag -p 5M f)" "$(sum8m -j 2 -a etag -p 5M f)"
	assert_eq "$(sum8m -j 1 -a etag -p 5M <f)" \
	    "$(sum8m -j 2 -a etag -p 5M <f)"
'

test_expect_success '--json carries size, part size and parts' '
	mkfile f $(( (5 << 20) * 2 + 3 ))
	out=$(sum8m -a etag -p 5M --json f)
	assert_match "\"file\":\"f\"" "$out"
	assert_match "\"size\":10485763" "$out"
	assert_match "\"part_size\":5242880,\"parts\":3" "$out"
	node -e "JSON.parse(process.argv[1])" "$out"
'

test_expect_success '--json escapes quotes, backslashes and control bytes' '
	name=$(printf "q%sb%ss\tt\001" "\"" "\\")
	printf abc >"$name"
	out=$(sum8m --json "$name")
	case "$out" in *"q\\\"b\\\\s\\u0009t\\u0001\""*) ;; *) false ;; esac
	node -e "if (JSON.parse(process.argv[1]).file !== process.argv[2])
	    process.exit(1)" "$out" "$name"
'

test_done
