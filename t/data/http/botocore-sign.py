#!/usr/bin/env python3
"""Independent check of t/data/http/*.req: sign the same S3 request with
botocore's S3SigV4Auth (fixed clock, no network) and print the
Authorization header. Used when the expected files were made; not run
by the test suite, which must not depend on botocore.

usage: botocore-sign.py METHOD URL REGION DATE BODYFILE|- [UNSIGNED] [H: V]...
credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
"""
import datetime
import os
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

method, url, region, date, bodyfile = sys.argv[1:6]
rest = sys.argv[6:]
unsigned = bool(rest) and rest[0] == "UNSIGNED"
if unsigned:
    rest = rest[1:]
body = b"" if bodyfile == "-" else open(bodyfile, "rb").read()
when = datetime.datetime.strptime(date, "%Y%m%dT%H%M%SZ")
botocore.auth.get_current_datetime = lambda *a, **k: when
req = AWSRequest(method=method, url=url, data=body)
for h in rest:
    name, value = h.split(":", 1)
    req.headers[name] = value.lstrip(" ")
if unsigned:
    req.context["payload_signing_enabled"] = False
creds = Credentials(os.environ["AWS_ACCESS_KEY_ID"],
                    os.environ["AWS_SECRET_ACCESS_KEY"],
                    os.environ.get("AWS_SESSION_TOKEN"))
auth = botocore.auth.S3SigV4Auth(creds, "s3", region)
if unsigned:
    auth._should_sha256_sign_payload = lambda request: False
auth.add_auth(req)
print(req.headers["Authorization"])
