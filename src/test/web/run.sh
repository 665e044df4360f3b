#!/usr/bin/env bash
# Web suite: clients nobody here wrote, over the jar's HTTP port (docs/web.md):
#  - connect-es (@connectrpc/connect-node) with its gRPC-Web and Connect (JSON, binary) transports and
#    nice-grpc-web's WebSocket transport (improbable-eng's grpc-websockets), on code @bufbuild/protoc-gen-es
#    generates here from the project's protos (web.test.mjs);
#  - curl, as docs/web.md shows it: the Connect JSON calls, their errors, and bad input.
# Needs the packaged jar (./mvnw -B -ntp verify or package); installs its own Debian and npm packages.
# Closes with "web: N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
HERE=src/test/web
SUITE=web
source "$(dirname "$0")/../suite.sh"   # install_debs, WORK and pids cleaned up on exit, free_port, check, prints

require_built $JAR

# --- Install ----------------------------------------------------------------------------------------
DEBS=(curl)
command -v npm >/dev/null || DEBS+=(nodejs npm)
install_debs "${DEBS[@]}"
# `npm install --no-save` rather than `npm ci`, as the interop suite explains: buf's platform packages are optional
# dependencies, which `npm ci` refuses as out of sync on another platform; this installs the lock's versions.
(cd $HERE && npm install --no-save --no-audit --no-fund --loglevel=error) \
    || { echo "web: npm install failed" >&2; exit 1; }
(cd $HERE && rm -rf gen && node_modules/.bin/buf generate ../../main/proto) \
    || { echo "web: generating the clients' code failed" >&2; exit 1; }

PACING_MS=300
HTTP_PORT=$(free_port)
java -jar $JAR --grpc.server.port=$(free_port) --server.port=$HTTP_PORT --demo.enabled=false \
    --chat.server-stream.interval=${PACING_MS}ms >"$WORK/jar.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 1800; i++)); do
    curl -sf localhost:$HTTP_PORT/actuator/health/readiness >/dev/null && break
    sleep 0.1
done
curl -sf localhost:$HTTP_PORT/actuator/health/readiness >/dev/null \
    || { echo "web: the jar did not become ready"; tail -50 "$WORK/jar.log"; exit 1; }
echo "web: the jar is up ($((SECONDS - started)) s so far)"
URL=http://localhost:$HTTP_PORT

check "node: connect-es gRPC-Web and Connect, nice-grpc-web WebSocket" \
    env WEB_URL=$URL PACING_MS=$PACING_MS node --test $HERE/web.test.mjs

# curl, exactly as docs/web.md shows it.
answers() {   # answers EXPECTED_STATUS EXPECTED_BODY CURL_ARGS...: curl gets that HTTP status and exactly that body
    local status=$1 body=$2 out=$WORK/body
    shift 2
    local got
    got=$(curl -s -o "$out" -w '%{http_code}' "$@") || { echo "curl failed"; return 1; }
    [[ $got == "$status" ]] || { echo "HTTP $got, not $status:"; cat "$out"; return 1; }
    diff <(echo "$body") <(cat "$out"; echo) || return 1
}
check "curl: Connect JSON SayHello answers {\"responseText\":\"Hello, Hyeonghwan!\"}" \
    answers 200 '{"responseText":"Hello, Hyeonghwan!"}' \
    -H 'content-type: application/json' -d '{"name":"Hyeonghwan"}' $URL/grpcpatterns.v1.Greeter/SayHello
check "curl: a blank name is HTTP 400, invalid_argument with its BadRequest and ErrorInfo" \
    answers 400 '{"code":"invalid_argument","message":"name must not be blank","details":[{"type":"google.rpc.BadRequest","value":"ChkKBG5hbWUSEW11c3Qgbm90IGJlIGJsYW5r","debug":{"fieldViolations":[{"field":"name","description":"must not be blank"}]}},{"type":"google.rpc.ErrorInfo","value":"CgpCTEFOS19OQU1FEg9ncnBjcGF0dGVybnMudjE","debug":{"reason":"BLANK_NAME","domain":"grpcpatterns.v1"}}]}' \
    -H 'content-type: application/json' -d '{"name":" "}' $URL/grpcpatterns.v1.Greeter/SayHello
check "curl: broken JSON is HTTP 400, invalid_argument saying why" \
    answers 400 '{"code":"invalid_argument","message":"request is not a valid grpcpatterns.v1.HelloRequest in JSON: Expect message object but got: \"Hyeonghwan\""}' \
    -H 'content-type: application/json' -d '"Hyeonghwan"' $URL/grpcpatterns.v1.Greeter/SayHello
check "curl: an unknown method is HTTP 501, unimplemented" \
    answers 501 '{"code":"unimplemented","message":"no method /grpcpatterns.v1.Greeter/SayGoodbye here"}' \
    -H 'content-type: application/json' -d '{}' $URL/grpcpatterns.v1.Greeter/SayGoodbye
envelopes() {   # each Connect envelope of stdin as a line: its flags, its JSON
    $PY -c 'import struct, sys
body, at = sys.stdin.buffer.read(), 0
while at < len(body):
    flags, length = struct.unpack(">BI", body[at:at + 5])
    print(flags, body[at + 5:at + 5 + length].decode())
    at += 5 + length'
}
server_stream_json() {   # the Connect streaming call with envelopes, as docs/web.md writes it with printf
    printf '\x00\x00\x00\x00\x17{"messageText":"start"}' \
        | curl -s --data-binary @- -H 'content-type: application/connect+json' \
            $URL/grpcpatterns.v1.ChatService/ServerStream | envelopes
}
check "curl: Connect JSON ServerStream sends three envelopes and the end of stream (flags 2)" \
    prints <(printf '%s\n' '0 {"messageText":"Hello world"}' '0 {"messageText":"This is server streaming grpc"}' \
        '0 {"messageText":"Good bye"}' '2 {}') \
    server_stream_json

echo "web: took $((SECONDS - started)) s"
echo "web: $passed passed, $failed failed"
((failed == 0))
