#!/usr/bin/env bash
# Throwaway certificates for trying TLS and mutual TLS locally, and for the security tests.
# Makes, in DIR: ca.crt/ca.key (a private CA), server.crt/server.key (CN and SAN localhost, 127.0.0.1)
# and client.crt/client.key (a client certificate), all signed by that CA, valid for DAYS days.
# Keys are unencrypted PKCS#8 PEM, the form grpc-java reads. Never use them for anything real.
# Usage: make-certs.sh DIR [DAYS]
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR [DAYS]}
days=${2:-30}
mkdir -p "$dir"
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=grpc-patterns test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt

# sign NAME SUBJECT EXTENSIONS: a key and a CA-signed certificate NAME.key/NAME.crt
sign() {
    key "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
        -extfile <(printf '%s\n' "$3") -out "$1.crt"
    rm "$1.csr"
}
sign server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
sign client "/CN=grpc-patterns demo client" "extendedKeyUsage=clientAuth"
rm -f ca.srl
