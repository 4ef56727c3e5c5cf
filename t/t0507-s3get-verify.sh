#!/bin/bash
# --verify of multipart objects, against a small fake S3 (Python) that
# answers HEAD ?partNumber=N the way S3 does (206, Content-Range,
# x-amz-mp-parts-count), the way radosgw does (200, the parameter
# ignored), or not at all (405, as Swift). Swift cannot show this path.
. "$(dirname "$0")/lib.sh"
need_cmd python3
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

cat >"$TMP/fakes3.py" <<'PY'
import hashlib, http.server, os, re, sys, threading
data = open(sys.argv[1], 'rb').read()
part = int(sys.argv[2])            # upload part size
mode = sys.argv[3]                 # s3 | rgw | swift | badetag | uneven
portfile = sys.argv[4]
sizes = []
off = 0
while off < len(data):
    n = min(part, len(data) - off)
    sizes.append(n)
    off += n
if mode == 'uneven' and len(sizes) > 2:
    sizes = [sizes[0] + sizes[1] // 2, sizes[1] - sizes[1] // 2] + sizes[2:]
md5s = b''
off = 0
for n in sizes:
    md5s += hashlib.md5(data[off:off + n]).digest()
    off += n
etag = '"%s-%d"' % (hashlib.md5(md5s).hexdigest(), len(sizes))
if mode == 'badetag':
    etag = '"%s-%d"' % ('0' * 32, len(sizes))

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a):
        pass
    def send(self, status, body, extra):
        self.send_response(status)
        self.send_header('ETag', etag)
        self.send_header('Content-Length', str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)
    def answer(self):
        m = re.search(r'[?&]partNumber=(\d+)', self.path)
        if m and mode == 'swift':
            return self.send(405, b'', [])
        if m and mode != 'rgw':
            k = int(m.group(1))
            a = sum(sizes[:k - 1])
            b = a + sizes[k - 1] - 1
            return self.send(206, data[a:b + 1], [
                ('Content-Range', 'bytes %d-%d/%d' % (a, b, len(data))),
                ('x-amz-mp-parts-count', str(len(sizes)))])
        r = self.headers.get('Range')
        if r:
            a, b = r[6:].split('-')
            a = int(a)
            b = min(int(b) if b else len(data) - 1, len(data) - 1)
            return self.send(206, data[a:b + 1], [
                ('Content-Range', 'bytes %d-%d/%d' % (a, b, len(data)))])
        return self.send(200, data, [])
    do_GET = answer
    do_HEAD = answer

s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
open(portfile + '.tmp', 'w').write(str(s.server_address[1]))
os.rename(portfile + '.tmp', portfile)
threading.Timer(120, s.shutdown).start()
s.serve_forever()
PY

mkfile "$TMP/obj" $((5 << 20 | 12345))

# fake NAME PARTSIZE MODE: start the fake, EP = its endpoint
fake() {
	python3 "$TMP/fakes3.py" "$TMP/obj" "$2" "$3" "$TMP/$1.port" &
	cleanup_add "kill $! 2>/dev/null"
	EP=http://127.0.0.1:$(wait_port "$TMP/$1.port")
}

fake s3 1048576 s3
test_expect_success 'S3-style part answers: ETag recomputed and verified' '
	s3get --endpoint-url '"$EP"' --verify -v -o out s3://bkt/obj 2>err
	cmp "$TMP/obj" out
	want=$(sum8m -a etag -p 1M "$TMP/obj" | cut -d" " -f1)
	assert_match "verified ETag \"$want\"" "$(cat err)"
'

test_expect_success 'verify over a resumed file hashes the kept bytes too' '
	head -c 3000000 "$TMP/obj" >r.part
	printf "s3get-resume 1\ns3://bkt/obj\n0\n%s\n%s\n" \
	    "\"$(sum8m -a etag -p 1M "$TMP/obj" | cut -d" " -f1)\"" \
	    $((5 << 20 | 12345)) >r.part.s3get
	s3get --endpoint-url '"$EP"' --verify -v -o r --resume s3://bkt/obj 2>err
	cmp "$TMP/obj" r
	assert_match "verified ETag" "$(cat err)"
'

fake bad 1048576 badetag
test_expect_success 'wrong ETag: exit 1, mismatch, no -o file left' '
	assert_exit 1 s3get --endpoint-url '"$EP"' --verify -o out2 s3://bkt/obj \
	    2>err
	assert_match "ETag mismatch" "$(cat err)"
	[ ! -e out2 ] && [ ! -e out2.part ]
'

fake rgw 1048576 rgw
test_expect_success 'radosgw-style 200 for ?partNumber: cannot verify' '
	s3get --endpoint-url '"$EP"' --verify s3://bkt/obj >got 2>err
	cmp "$TMP/obj" got
	assert_match "cannot verify .*no 206" "$(cat err)"
'

fake swift 1048576 swift
test_expect_success 'Swift-style 405 for ?partNumber: cannot verify' '
	s3get --endpoint-url '"$EP"' --verify s3://bkt/obj >got 2>err
	cmp "$TMP/obj" got
	assert_match "cannot verify" "$(cat err)"
'

fake uneven 1048576 uneven
test_expect_success 'parts of different sizes: cannot verify, no false alarm' '
	s3get --endpoint-url '"$EP"' --verify s3://bkt/obj >got 2>err
	cmp "$TMP/obj" got
	assert_match "cannot verify .*not of one size" "$(cat err)"
'

test_done
