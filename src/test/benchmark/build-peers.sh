#!/usr/bin/env bash
# Builds the benchmark's peers into OUT (the benchmark's own command runs it: ./mvnw -Pbenchmark verify):
#  - OUT/spring-grpc.jar: the Spring gRPC app (src/test/benchmark/spring-grpc), its own Maven build, serving the
#    service's GreeterService/ChatService from the service's compiled classes (target/grpc-patterns.jar.original);
#  - OUT/go/server: the grpc-go server of the interop suite (src/test/interop/go), offline from Debian's packages;
#  - OUT/python: stubs for the article's Python server (src/test/interop/python/server.py), from Debian's grpcio.
# Installs the Debian packages it needs when they are missing (h2load too, the benchmark's native client).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:?usage: build-peers.sh OUT}
mkdir -p "$OUT"

DEBS=(nghttp2-client python3-grpcio python3-grpc-tools golang-go golang-google-grpc-dev
      golang-github-golang-protobuf-1-5-dev protoc-gen-go protoc-gen-go-grpc protobuf-compiler)
missing=()
for deb in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing+=("$deb")
done
if ((${#missing[@]})); then
    apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

./mvnw -B -ntp -q -f src/test/benchmark/spring-grpc/pom.xml package -Dgrpc-patterns.dir="$PWD"
cp src/test/benchmark/spring-grpc/target/spring-grpc-peer.jar "$OUT/spring-grpc.jar"

bash src/test/interop/go/build.sh "$OUT/go" >/dev/null

mkdir -p "$OUT/python"
/usr/bin/python3 -m grpc_tools.protoc -I src/main/proto --python_out="$OUT/python" --grpc_python_out="$OUT/python" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto
echo "peers built in $OUT"
