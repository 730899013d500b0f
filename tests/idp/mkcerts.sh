#!/bin/sh
# mkcerts.sh [DIR] — throwaway TLS material for the test provider (OpenSSL 3), written to DIR
# (default ${TMPDIR:-/tmp}/lanyard-test-certs; never inside the source tree):
#   ca.pem / ca.key                  a test CA (valid 2 days)
#   server.pem / server.key          127.0.0.1, ::1 and localhost, signed by the CA
#   server-chain.pem                 server.pem + ca.pem
#   wronghost.pem / wronghost.key    signed by the CA, but only for wrong-host.example.test / 192.0.2.1
#   expired.pem / expired.key        127.0.0.1, ::1, localhost, signed by the CA, expired a day ago
#                                    (made with `openssl ca -startdate/-enddate`: `openssl x509`
#                                    in OpenSSL 3.0 has no -not_before/-not_after)
#   other-ca.pem                     an unrelated CA (for "trusted the wrong CA" cases)
# Private keys are unencrypted: test-only material, never reuse it.
set -eu
D=${1:-${TMPDIR:-/tmp}/lanyard-test-certs}
mkdir -p "$D"
cd "$D"
umask 077
q() { "$@" >/dev/null 2>&1 || { echo "mkcerts: failed: $*" >&2; "$@"; exit 1; }; }

q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Lanyard Test CA" -keyout ca.key -out ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Lanyard Other Test CA" -keyout other-ca.key -out other-ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign

ext() { # ext FILE SAN
  cat >"$1" <<EOX
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$2
EOX
}
leaf() { # leaf NAME CN SAN
  q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
    -keyout "$1.key" -out "$1.csr"
  ext "$1.ext" "$3"
}

leaf server 127.0.0.1 "IP:127.0.0.1,IP:::1,DNS:localhost"
q openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile server.ext -out server.pem
cat server.pem ca.pem >server-chain.pem

leaf wronghost wrong-host.example.test "DNS:wrong-host.example.test,IP:192.0.2.1"
q openssl x509 -req -in wronghost.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile wronghost.ext -out wronghost.pem

# expired: a minimal `openssl ca` setup, which accepts explicit validity dates
leaf expired 127.0.0.1 "IP:127.0.0.1,IP:::1,DNS:localhost"
mkdir -p ca.db
: >ca.db/index.txt
[ -f ca.db/serial ] || echo 1000 >ca.db/serial
cat >ca.cnf <<EOX
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ca.db
database = ca.db/index.txt
new_certs_dir = ca.db
serial = ca.db/serial
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
EOX
past() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
q openssl ca -batch -config ca.cnf -notext -startdate "$(past '-3 days')" -enddate "$(past '-1 day')" \
  -extfile expired.ext -in expired.csr -out expired.pem
rm -f ./*.csr ./*.ext ca.cnf
rm -rf ca.db

openssl verify -CAfile ca.pem server.pem >/dev/null
chmod 644 ./*.pem
echo "mkcerts: test CA and certificates in $(pwd)" >&2
