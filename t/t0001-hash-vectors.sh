#!/bin/bash
# Known-answer vectors for every hash kernel (SIMD and portable), plus
# base64, number parsing and the md5sum line format.
. "$(dirname "$0")/lib.sh"

for t in md5 md5x sha256 crc base64 num sumline; do
	test_expect_success "lib vectors: $t" "hashvec $t"
done

# The same vectors through the tool, stdin and file paths.
test_expect_success 'sum8m check values (crc32c, crc64nvme)' '
	printf 123456789 >v
	assert_eq "e3069283  v" "$(sum8m -a crc32c v)"
	assert_eq "ae8b14860a799888  -" "$(sum8m -a crc64nvme <v)"
	assert_eq "4waSgw==  v" "$(sum8m -a crc32c --base64 v)"
	assert_eq "rosUhgp5mIg=  v" "$(sum8m -a crc64nvme --base64 v)"
'

test_expect_success 'sum8m md5 and sha256 agree with md5sum/sha256sum' '
	for n in 0 1 63 64 65 1000 $((8 << 20)) $(( (8 << 20) + 1 )); do
		mkfile f$n $n
		assert_eq "$(md5sum f$n)" "$(sum8m f$n)" "md5 of $n bytes"
		assert_eq "$(sha256sum f$n)" "$(sum8m -a sha256 f$n)" \
		    "sha256 of $n bytes"
		assert_eq "$(md5sum <f$n)" "$(sum8m <f$n)" "md5 stdin $n"
	done
'

# An independent CRC: bitwise perl, to check the tool end to end.
crc_perl() {
	perl -e '
	    my ($w, $p) = @ARGV[0, 1]; local $/; my $d = <STDIN>;
	    use bigint; my $m = (1 << $w) - 1; my $c = $m; $p = hex($p);
	    for my $b (unpack("C*", $d)) { $c ^= $b;
	        for (1..8) { $c = ($c & 1) ? (($c >> 1) ^ $p) : ($c >> 1) } }
	    printf("%0" . ($w / 4) . "x\n", $c ^ $m);' "$@"
}

test_expect_success 'crc32c and crc64nvme match a bitwise reference' '
	for n in 0 5 127 128 129 1000 4099; do
		mkfile c$n $n
		assert_eq "$(crc_perl 32 82f63b78 <c$n)" \
		    "$(sum8m -a crc32c c$n | cut -d" " -f1)" "crc32c $n"
		assert_eq "$(crc_perl 64 9a6c9329ac4bc9b5 <c$n)" \
		    "$(sum8m -a crc64nvme c$n | cut -d" " -f1)" "crc64nvme $n"
	done
'

test_expect_success 'parallel CRC segments equal the streamed CRC' '
	mkfile big $(( $(scaled 150) << 20 ))
	for a in crc32c crc64nvme; do
		assert_eq "$(sum8m -a $a <big)" "$(sum8m -a $a big | \
		    sed "s/big\$/-/")" "$a file vs stdin"
		assert_eq "$(sum8m -j 1 -a $a big)" "$(sum8m -j 2 -a $a big)" \
		    "$a -j 1 vs -j 2"
	done
'

test_done
