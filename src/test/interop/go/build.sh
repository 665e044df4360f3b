#!/usr/bin/env bash
# Builds the grpc-go client and server into OUT (default: a new temp dir), offline, from Debian's packages:
# GOPATH mode (no modules, no download), Go stubs generated from src/main/proto into OUT/gopath for this build
# only. Prints OUT. Needs golang-go, golang-google-grpc-dev, golang-github-golang-protobuf-1-5-dev,
# protoc-gen-go, protoc-gen-go-grpc (src/test/interop/run.sh installs them).
#   bash src/test/interop/go/build.sh [OUT]   ->   OUT/client, OUT/server
set -euo pipefail
cd "$(dirname "$0")/../../../.."
OUT=${1:-$(mktemp -d)}
mkdir -p "$OUT/gopath/src"
export GO111MODULE=off GOPATH=$OUT/gopath:/usr/share/gocode GOCACHE=$OUT/gocache GOFLAGS=
# The protos name no Go package: map them to the import path grpcpatterns/v1 here instead.
MAP="Mgrpcpatterns/v1/greeter.proto=grpcpatterns/v1;grpcpatternsv1,Mgrpcpatterns/v1/chat.proto=grpcpatterns/v1;grpcpatternsv1"
protoc -I src/main/proto --go_out="$MAP:$OUT/gopath/src" --go-grpc_out="$MAP:$OUT/gopath/src" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto
for program in client server; do
    (cd src/test/interop/go/$program && go build -o "$OUT/$program" .)
done
echo "$OUT"
