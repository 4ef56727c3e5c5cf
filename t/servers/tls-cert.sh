#!/bin/sh
# tls-cert.sh DIR: make a throwaway test CA and a server certificate it
# signs, for TLS tests. Writes in DIR:
#	ca.crt ca.key		the CA (the bundle tests trust)
#	server.crt server.key	CN=localhost, SAN DNS:localhost + IP:127.0.0.1
#	self.crt self.key	self-signed CN=localhost, in no bundle
# Keys are RSA 2048 (BearSSL and every client handle them). Idempotent:
# does nothing when DIR/server.crt exists.
set -eu
d=$1
[ -f "$d/server.crt" ] && exit 0
mkdir -p "$d"
cd "$d"
umask 077
q() { "$@" >/dev/null 2>&1 || { echo "tls-cert: failed: $*" >&2; exit 1; }; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt \
    -days 30 -subj "/CN=s3pipe test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
q openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
    -subj "/CN=localhost"
printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" \
    "keyUsage=digitalSignature,keyEncipherment" >server.ext
q openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
    -CAcreateserial -out server.crt -days 30 -extfile server.ext
q openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.crt \
    -days 30 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost"
rm -f server.csr server.ext ca.srl
chmod 644 ca.crt server.crt self.crt
