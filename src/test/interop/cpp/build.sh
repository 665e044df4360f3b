#!/usr/bin/env bash
# Builds the C++ (gRPC C-core) client and server into OUT (default: a new temp dir) from Debian's packages, stubs
# generated from src/main/proto and the standard health.proto into OUT/gen for this build only. Prints OUT.
# Needs libgrpc++-dev, protobuf-compiler-grpc, grpc-proto, pkg-config, g++ (src/test/interop/run.sh installs them).
#   bash src/test/interop/cpp/build.sh [OUT]   ->   OUT/client, OUT/server
set -euo pipefail
cd "$(dirname "$0")/../../../.."
OUT=${1:-$(mktemp -d)}
GEN=$OUT/gen
mkdir -p "$GEN"
protoc -I src/main/proto -I /usr/share/grpc-proto/grpc --cpp_out="$GEN" --grpc_out="$GEN" \
    --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto health/v1/health.proto
STUBS=("$GEN"/grpcpatterns/v1/*.cc "$GEN"/health/v1/*.cc)
FLAGS=$(pkg-config --cflags --libs grpc++ protobuf)
g++ -std=c++17 -O1 -pthread -I"$GEN" src/test/interop/cpp/client.cc "${STUBS[@]}" $FLAGS -o "$OUT/client" &
client=$!
g++ -std=c++17 -O1 -pthread -I"$GEN" src/test/interop/cpp/server.cc "$GEN"/grpcpatterns/v1/*.cc $FLAGS -o "$OUT/server" &
server=$!
wait $client
wait $server
echo "$OUT"
