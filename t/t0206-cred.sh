#!/bin/bash
# Credential chain: env, profiles, web identity (STS), container and
# EC2 IMDSv2 through a fake HTTP client (no sockets at all), expiry and
# refresh, and no secret in any error message.
. "$(dirname "$0")/lib.sh"

# Every source off: each test turns on what it needs.
unset AWS_REGION AWS_DEFAULT_REGION AWS_ENDPOINT_URL_STS \
    AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \
    AWS_EC2_METADATA_SERVICE_ENDPOINT AWS_ROLE_SESSION_NAME
export HOME=$TMP/home CRED_LOG=$TMP/requests.log CRED_FAKE=$TMP/fake.txt
mkdir -p "$HOME/.aws"
: >"$CRED_FAKE"

SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz
TOKEN=IQoJb3JpZ2luX2VjEXAMPLEzzTOKENzz

test_expect_success 'env: key, secret and session token' '
	AWS_ACCESS_KEY_ID=AKIAENV AWS_SECRET_ACCESS_KEY=$SECRET \
	    AWS_SESSION_TOKEN=$TOKEN cred_test get >out &&
	assert_eq "source=env akid=AKIAENV secret=$SECRET token=$TOKEN expires=0" \
	    "$(cat out)"
'

test_expect_success 'env: a key without its secret is an error, secret-free' '
	! AWS_ACCESS_KEY_ID=AKIAENV cred_test get >out &&
	assert_match "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not" \
	    "$(cat out)" &&
	! AWS_SECRET_ACCESS_KEY=$SECRET cred_test get >out &&
	! grep -F "$SECRET" out
'

cat >"$TMP/credentials" <<EOF
# comment
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = $SECRET

[dev]
aws_access_key_id=AKIADEVCREDS
aws_secret_access_key=${SECRET}dev
aws_session_token = ${TOKEN}dev
EOF
cat >"$TMP/config" <<EOF
[default]
region = eu-west-1

[profile dev]
aws_access_key_id = AKIADEVCONFIG
aws_secret_access_key = fromconfig

[profile cfgonly]
; nested settings are not top-level keys
s3 =
  aws_access_key_id = NESTED
aws_access_key_id = AKIACFGONLY
aws_secret_access_key = ${SECRET}cfg

[profile half]
aws_access_key_id = AKIAHALF
EOF

test_expect_success 'profile default from the credentials file' '
	AWS_SHARED_CREDENTIALS_FILE=$TMP/credentials AWS_CONFIG_FILE=$TMP/config \
	    cred_test get >out &&
	assert_eq "source=profile akid=AKIADEFAULT secret=$SECRET token= expires=0" \
	    "$(cat out)"
'

test_expect_success 'AWS_PROFILE: credentials file beats config file' '
	AWS_PROFILE=dev AWS_SHARED_CREDENTIALS_FILE=$TMP/credentials \
	    AWS_CONFIG_FILE=$TMP/config cred_test get >out &&
	assert_eq "source=profile akid=AKIADEVCREDS secret=${SECRET}dev token=${TOKEN}dev expires=0" \
	    "$(cat out)"
'

test_expect_success 'AWS_PROFILE from [profile NAME] in config; nested keys ignored' '
	AWS_PROFILE=cfgonly AWS_SHARED_CREDENTIALS_FILE=$TMP/credentials \
	    AWS_CONFIG_FILE=$TMP/config cred_test get >out &&
	assert_eq "source=profile akid=AKIACFGONLY secret=${SECRET}cfg token= expires=0" \
	    "$(cat out)"
'

test_expect_success 'default files under $HOME/.aws' '
	cp "$TMP/credentials" "$HOME/.aws/credentials" &&
	env -u AWS_SHARED_CREDENTIALS_FILE -u AWS_CONFIG_FILE AWS_PROFILE=dev \
	    "$HELPER/cred_test" get >out &&
	rm "$HOME/.aws/credentials" &&
	assert_match "^source=profile akid=AKIADEVCREDS " "$(cat out)"
'

test_expect_success 'unknown or half-configured profiles are errors, secret-free' '
	! AWS_PROFILE=nope AWS_SHARED_CREDENTIALS_FILE=$TMP/credentials \
	    AWS_CONFIG_FILE=$TMP/config cred_test get >out &&
	assert_match "profile .nope. not found" "$(cat out)" &&
	! AWS_PROFILE=half AWS_SHARED_CREDENTIALS_FILE=$TMP/credentials \
	    AWS_CONFIG_FILE=$TMP/config cred_test get >out &&
	assert_match "needs both aws_access_key_id and aws_secret_access_key" \
	    "$(cat out)" &&
	! grep -F "$SECRET" out
'

test_expect_success 'env beats profile' '
	AWS_ACCESS_KEY_ID=AKIAENV AWS_SECRET_ACCESS_KEY=x \
	    AWS_SHARED_CREDENTIALS_FILE=$TMP/credentials cred_test get >out &&
	assert_match "^source=env akid=AKIAENV " "$(cat out)"
'

cat >"$TMP/sts-ok.xml" <<EOF
<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
    <Credentials>
      <SessionToken>${TOKEN}sts</SessionToken>
      <SecretAccessKey>${SECRET}sts</SecretAccessKey>
      <Expiration>2026-11-26T21:00:00Z</Expiration>
      <AccessKeyId>ASIASTS</AccessKeyId>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>
EOF
cat >"$TMP/sts-denied.xml" <<'EOF'
<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>
  <RequestId>r-1</RequestId>
</ErrorResponse>
EOF
WEBTOKEN=eyJhbGciOiJSUzI1NiJ9.zzWEBIDzz.sig
printf '%s\n' "$WEBTOKEN" >"$TMP/webid"

test_expect_success 'web identity: STS AssumeRoleWithWebIdentity at AWS_ENDPOINT_URL_STS' '
	echo "POST http://127.0.0.1:1/ 200 $TMP/sts-ok.xml" >"$CRED_FAKE" &&
	: >"$CRED_LOG" &&
	AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/webid \
	    AWS_ROLE_ARN=arn:aws:iam::123456789012:role/r AWS_ROLE_SESSION_NAME=sess \
	    AWS_ENDPOINT_URL_STS=http://127.0.0.1:1 cred_test get >out &&
	assert_eq "source=web-identity akid=ASIASTS secret=${SECRET}sts token=${TOKEN}sts expires=1795726800000" \
	    "$(cat out)" &&
	cat >expect <<-EOT &&
	POST http://127.0.0.1:1/
	  Content-Type: application/x-www-form-urlencoded; charset=utf-8
	  body: Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=sess&Version=2011-06-15&WebIdentityToken=$WEBTOKEN
	EOT
	assert_files_eq expect "$CRED_LOG"
'

test_expect_success 'web identity: regional STS endpoint by default' '
	: >"$CRED_FAKE" && : >"$CRED_LOG" &&
	! AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/webid AWS_ROLE_ARN=arn:r AWS_REGION=eu-west-1 \
	    cred_test get >out &&
	assert_match "^POST https://sts.eu-west-1.amazonaws.com/$" "$(cat "$CRED_LOG")"
'

test_expect_success 'web identity: STS errors carry the code, not the token' '
	echo "POST http://127.0.0.1:1/ 403 $TMP/sts-denied.xml" >"$CRED_FAKE" &&
	! AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/webid AWS_ROLE_ARN=arn:r \
	    AWS_ENDPOINT_URL_STS=http://127.0.0.1:1 cred_test get >out &&
	assert_match "HTTP 403 AccessDenied: Not authorized" "$(cat out)" &&
	! grep -F zzWEBIDzz out &&
	! AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/webid cred_test get >out &&
	assert_match "needs both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN" \
	    "$(cat out)"
'

cat >"$TMP/ecs.json" <<EOF
{"AccessKeyId":"ASIAECS","Expiration":"2026-11-26T21:00:00Z","RoleArn":"arn:aws:iam::1:role/x","SecretAccessKey":"${SECRET}ecs","Token":"${TOKEN}ecs","Nested":{"a":[1,2,{"b":null}]}}
EOF
printf 'zzCONTAINERTOKENzz\n' >"$TMP/ctoken"

test_expect_success 'container: FULL_URI with the authorization token file' '
	echo "GET http://127.0.0.1:1/creds 200 $TMP/ecs.json" >"$CRED_FAKE" &&
	: >"$CRED_LOG" &&
	AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/creds \
	    AWS_CONTAINER_AUTHORIZATION_TOKEN=ignored \
	    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$TMP/ctoken cred_test get >out &&
	assert_eq "source=container akid=ASIAECS secret=${SECRET}ecs token=${TOKEN}ecs expires=1795726800000" \
	    "$(cat out)" &&
	printf "GET http://127.0.0.1:1/creds\n  Authorization: zzCONTAINERTOKENzz\n" >expect &&
	assert_files_eq expect "$CRED_LOG"
'

test_expect_success 'container: RELATIVE_URI means 169.254.170.2 (URL only)' '
	assert_eq "http://169.254.170.2/v2/credentials/abc-123" \
	    "$(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/credentials/abc-123 cred_test url)" &&
	assert_eq "http://169.254.170.2/v2/x" \
	    "$(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/x \
	       AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1/ignored cred_test url)"
'

test_expect_success 'container: plain http only to loopback or the container host' '
	assert_match "plain http only to loopback" \
	    "$(AWS_CONTAINER_CREDENTIALS_FULL_URI=http://example.com/c cred_test url)" &&
	assert_eq "https://example.com/c" \
	    "$(AWS_CONTAINER_CREDENTIALS_FULL_URI=https://example.com/c cred_test url)" &&
	assert_eq "http://[::1]:8/c" \
	    "$(AWS_CONTAINER_CREDENTIALS_FULL_URI=http://[::1]:8/c cred_test url)" &&
	assert_match "must start with /" \
	    "$(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=v2 cred_test url)"
'

IMDS=http://127.0.0.1:1
printf 'zzIMDSTOKENzz' >"$TMP/imds-token"
printf 'my-role\n' >"$TMP/imds-role"
cat >"$TMP/imds-creds.json" <<EOF
{
  "Code" : "Success",
  "LastUpdated" : "2026-11-26T19:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAIMDS",
  "SecretAccessKey" : "${SECRET}imds",
  "Token" : "${TOKEN}imds",
  "Expiration" : "2026-11-26T21:00:00Z"
}
EOF
cat >"$TMP/imds.txt" <<EOF
PUT $IMDS/latest/api/token 200 $TMP/imds-token
GET $IMDS/latest/meta-data/iam/security-credentials/ 200 $TMP/imds-role
GET $IMDS/latest/meta-data/iam/security-credentials/my-role 200 $TMP/imds-creds.json
EOF

test_expect_success 'IMDSv2: token, role, credentials, with the token header' '
	cp "$TMP/imds.txt" "$CRED_FAKE" && : >"$CRED_LOG" &&
	AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$IMDS/ \
	    cred_test get >out &&
	assert_eq "source=imds akid=ASIAIMDS secret=${SECRET}imds token=${TOKEN}imds expires=1795726800000" \
	    "$(cat out)" &&
	cat >expect <<-EOT &&
	PUT $IMDS/latest/api/token
	  X-aws-ec2-metadata-token-ttl-seconds: 21600
	GET $IMDS/latest/meta-data/iam/security-credentials/
	  X-aws-ec2-metadata-token: zzIMDSTOKENzz
	GET $IMDS/latest/meta-data/iam/security-credentials/my-role
	  X-aws-ec2-metadata-token: zzIMDSTOKENzz
	EOT
	assert_files_eq expect "$CRED_LOG"
'

test_expect_success 'IMDS disabled: nothing fetched, a clear error' '
	cp "$TMP/imds.txt" "$CRED_FAKE" && : >"$CRED_LOG" &&
	! AWS_EC2_METADATA_DISABLED=TRUE AWS_EC2_METADATA_SERVICE_ENDPOINT=$IMDS \
	    cred_test get >out &&
	assert_match "no AWS credentials.*metadata is disabled" "$(cat out)" &&
	test ! -s "$CRED_LOG"
'

test_expect_success 'IMDS: failures name the step, never a token' '
	echo "PUT $IMDS/latest/api/token 200 $TMP/imds-token" >"$CRED_FAKE" &&
	! AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$IMDS \
	    cred_test get >out &&
	assert_match "EC2 metadata role: GET .*connection refused" "$(cat out)" &&
	! grep -F zzIMDSTOKENzz out &&
	sed "s/Success/Failed/" "$TMP/imds-creds.json" >"$TMP/bad.json" &&
	sed "s|imds-creds.json|bad.json|" "$TMP/imds.txt" >"$CRED_FAKE" &&
	! AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$IMDS \
	    cred_test get >out &&
	assert_match "Code Failed" "$(cat out)" &&
	! grep -F "$SECRET" out
'

test_expect_success 'expiry: cached, refreshed 5 minutes early, old kept while valid' '
	cp "$TMP/imds.txt" "$CRED_FAKE" &&
	AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$IMDS \
	    EXPIRES_MS=1795726800000 cred_test refresh >out &&
	cat >expect <<-\EOT &&
	t-60m: rc 0 fetches 3 expires 1
	t-10m: rc 0 fetches 3 (cached)
	t-4m: rc 0 fetches 6 (refreshed)
	t-2m, source down: rc 0 akid ASIAIMDS
	expired, source down: rc -1
	source back: rc 0 akid ASIAIMDS
	EOT
	assert_files_eq expect out
'

test_expect_success 'profile settings (region) from the config file' '
	assert_eq "1 [eu-west-1]" "$(AWS_CONFIG_FILE=$TMP/config cred_test setting region)" &&
	assert_eq "0 []" \
	    "$(AWS_PROFILE=dev AWS_CONFIG_FILE=$TMP/config cred_test setting region)" &&
	assert_eq "0 []" "$(AWS_CONFIG_FILE=$TMP/nonexistent cred_test setting region)"
'

test_expect_success 'ini and JSON readers' '
	assert_eq "1 [eu-west-1]" "$(cred_test ini "$TMP/config" default region)" &&
	assert_eq "0 []" "$(cred_test ini "$TMP/config" default nope)" &&
	assert_eq "1 [AKIACFGONLY]" \
	    "$(cred_test ini "$TMP/config" "profile cfgonly" AWS_ACCESS_KEY_ID)" &&
	printf "{\"a\":\"x\\\\u00e9\\\\ud83d\\\\ude00\\\\n\",\"b\":1}" >j1 &&
	assert_eq "$(printf "1 [x\303\251\360\237\230\200\n]")" "$(cred_test json j1 a)" &&
	assert_eq "0 []" "$(cred_test json j1 b)" &&
	printf "{\"a\":\"x\"} trailing" >j2 &&
	assert_eq "-1 []" "$(cred_test json j2 a)" &&
	printf "{\"a\":\"\\\\ud800\"}" >j3 &&
	assert_eq "-1 []" "$(cred_test json j3 a)"
'

test_done
