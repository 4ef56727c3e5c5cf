#!/bin/bash
# Credentials end to end against Swift: environment, profile files, and
# a fake EC2 metadata service (IMDSv2) on loopback.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
export AWS_ENDPOINT_URL=$S3_ENDPOINT
KEY=$AWS_ACCESS_KEY_ID
SECRET=$AWS_SECRET_ACCESS_KEY

test_expect_success 'environment credentials' '
	s3ls s3://$BUCKET
'

test_expect_success 'profile from AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE' '
	printf "[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n[swift]\naws_access_key_id = %s\naws_secret_access_key = %s\n" \
	    "$KEY" "$SECRET" >creds
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
	    AWS_SHARED_CREDENTIALS_FILE=$TMP/creds AWS_PROFILE=swift \
	    s3ls s3://$BUCKET
	assert_exit 1 env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
	    AWS_SHARED_CREDENTIALS_FILE=$TMP/creds s3ls s3://$BUCKET 2>err
	assert_match "403" "$(cat err)"
'

test_expect_success 'fake IMDSv2 on loopback: token, role, credentials' '
	cat >imds.py <<PY
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body):
        self.send_response(code); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self.reply(200, b"tok123")
        else: self.reply(400, b"")
    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != "tok123": return self.reply(401, b"")
        p = "/latest/meta-data/iam/security-credentials/"
        if self.path == p: return self.reply(200, b"role1")
        if self.path == p + "role1":
            return self.reply(200, json.dumps({"Code": "Success", "AccessKeyId": "$KEY",
                "SecretAccessKey": "$SECRET", "Token": "",
                "Expiration": "2099-01-01T00:00:00Z"}).encode())
        self.reply(404, b"")
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.timeout = 30
for _ in range(20): s.handle_request()
PY
	python3 imds.py port & pid=$!
	port=$(wait_port port)
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
	    AWS_EC2_METADATA_DISABLED=false \
	    AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$port \
	    s3ls s3://$BUCKET
	kill $pid 2>/dev/null || true
'

test_expect_success 'no credentials anywhere: a clear error, exit 1' '
	assert_exit 1 env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
	    s3ls s3://$BUCKET 2>err
	assert_match "credentials" "$(cat err)"
'

test_done
