#!/usr/bin/env bash
# Security suite: callers of other gRPC implementations with and without a JWT from a real authorization server.
#  - the test Spring Authorization Server (src/test/security/authserver, built here) and the jar with
#    spring.security.oauth2.resourceserver.jwt.issuer-uri pointing at it;
#  - the article's four Python clients, unchanged, with a token in metadata (python/with_token.py): the article's
#    output; without one: UNAUTHENTICATED "Authentication failed";
#  - the Node (grpc-js) client of the interop suite with a token; without one: UNAUTHENTICATED;
#  - a token without scope chat: SayHello answers, ServerStream is PERMISSION_DENIED;
#  - the jar's client profile, fetching its own token (client credentials), exits 0 when told it may send it over
#    this plaintext port (demo.token-over-plaintext); without that it sends none and exits 1, saying why.
# Needs the packaged jar (./mvnw -B -ntp verify or package); installs its own Debian and npm packages.
# Closes with "security: N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
HERE=src/test/security
INTEROP=src/test/interop
export PYTHONDONTWRITEBYTECODE=1
SUITE=security
source "$(dirname "$0")/../suite.sh"   # install_debs, WORK and pids cleaned up on exit, free_port, check, prints,
                                       # await_log, build_authorization_server, start_authorization_server, token

require_built $JAR

# --- Install ----------------------------------------------------------------------------------------
DEBS=(python3-grpcio python3-grpc-tools curl)
command -v npm >/dev/null || DEBS+=(nodejs npm)
install_debs "${DEBS[@]}"
(cd $INTEROP/node && npm install --no-save --no-audit --no-fund --loglevel=error) \
    || { echo "security: npm install failed" >&2; exit 1; }
build_authorization_server || exit 1

GEN=$WORK/gen
mkdir -p "$GEN"
$PY -m grpc_tools.protoc -I src/main/proto --python_out="$GEN" --grpc_python_out="$GEN" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto || { echo "security: protoc failed" >&2; exit 1; }
export PYTHONPATH=$GEN

refused() {   # refused CODE COMMAND...: the command fails, and what it printed names CODE and the short description
    local code=$1 out=$WORK/out
    shift
    if "$@" >"$out" 2>&1; then echo "it succeeded:"; cat "$out"; return 1; fi
    grep -q "$code" "$out" && grep -q -E "Authentication failed|Access denied" "$out" || { cat "$out"; return 1; }
}

# The authorization server, then the service trusting it.
start_authorization_server || exit 1

GRPC_PORT=$(free_port)
HTTP_PORT=$(free_port)
export GRPC_PORT
java -jar $JAR --grpc.server.port=$GRPC_PORT --server.port=$HTTP_PORT --demo.enabled=false \
    --spring.security.oauth2.resourceserver.jwt.issuer-uri=$ISSUER \
    --spring.security.oauth2.resourceserver.jwt.audiences=grpc-patterns >"$WORK/jar.log" 2>&1 &
pids+=($!)
await_log "$WORK/jar.log" "Started GrpcPatternsApplication" 300 || exit 1
echo "security: the authorization server and the jar are up ($((SECONDS - started)) s so far)"

CHAT_TOKEN=$(token chat-client chat) || { echo "security: no token from $ISSUER" >&2; exit 1; }
GREETER_TOKEN=$(token greeter-client)

# The article's Python clients: with a token, the article's output; without, refused.
for client in unary_client server_stream_client client_stream_client bidi_client; do
    check "python: article's $client.py with a token prints the article's output" \
        prints $INTEROP/python/expected/$client.out env GRPC_TOKEN="$CHAT_TOKEN" $PY $HERE/python/with_token.py \
        $INTEROP/python/$client.py
    check "python: article's $client.py without a token is UNAUTHENTICATED" \
        refused UNAUTHENTICATED $PY $INTEROP/python/$client.py
done
check "python: a token without scope chat may SayHello" \
    prints $INTEROP/python/expected/unary_client.out env GRPC_TOKEN="$GREETER_TOKEN" $PY $HERE/python/with_token.py \
    $INTEROP/python/unary_client.py
check "python: a token without scope chat gets PERMISSION_DENIED from ServerStream" \
    refused PERMISSION_DENIED env GRPC_TOKEN="$GREETER_TOKEN" $PY $HERE/python/with_token.py \
    $INTEROP/python/server_stream_client.py

# The Node client: all its tests with a token; without one its first call is refused.
node_with_token() { GRPC_TOKEN="$CHAT_TOKEN" node_tests 5 $INTEROP/node/client.test.js; }   # (env can't run a function)
check "node: grpc-js client with a token, four RPCs (its 5 tests)" node_with_token
node_without_token() {
    ! node --test $INTEROP/node/client.test.js >"$WORK/node.out" 2>&1 || { echo "passed without a token"; return 1; }
    grep -q "Authentication failed" "$WORK/node.out" || { cat "$WORK/node.out"; return 1; }
}
check "node: grpc-js client without a token is UNAUTHENTICATED" node_without_token

# The jar's client profile gets its own token (client credentials) and passes; without a registration it fails.
jar_client() {
    java -jar $JAR --spring.profiles.active=client --grpc.client.demo.address=static://localhost:$GRPC_PORT \
        --demo.chat-pause=0s "$@" >"$WORK/client.log" 2>&1
}
registration=(--spring.security.oauth2.client.registration.demo.client-id=chat-client
    --spring.security.oauth2.client.registration.demo.client-secret=chat-secret
    --spring.security.oauth2.client.registration.demo.authorization-grant-type=client_credentials
    --spring.security.oauth2.client.registration.demo.scope=chat
    --spring.security.oauth2.client.registration.demo.provider=test
    --spring.security.oauth2.client.provider.test.token-uri=$ISSUER/oauth2/token)
client_with_registration() {
    jar_client "${registration[@]}" --demo.token-over-plaintext=true || { tail -40 "$WORK/client.log"; return 1; }
}
client_keeps_its_token_off_plaintext() {
    if jar_client "${registration[@]}"; then echo "exit code 0: the token went over plaintext"; return 1; fi
    grep -q 'code=UNAUTHENTICATED, description=the demo channel is not encrypted' "$WORK/client.log" \
        || { tail -40 "$WORK/client.log"; return 1; }
}
client_without_registration() {
    if jar_client; then echo "exit code 0 without a token"; return 1; fi
    grep -q 'code=UNAUTHENTICATED' "$WORK/client.log" || { tail -40 "$WORK/client.log"; return 1; }
}
check "jar: client profile with a client-credentials registration exits 0" client_with_registration
check "jar: client profile sends no token over plaintext unless told to: exits 1, UNAUTHENTICATED" \
    client_keeps_its_token_off_plaintext
check "jar: client profile without a registration exits 1, UNAUTHENTICATED" client_without_registration

no_token_logged() { ! grep -F -e "$CHAT_TOKEN" -e "$GREETER_TOKEN" "$WORK/jar.log"; }
check "jar: no token reached the service's log" no_token_logged

echo "security: took $((SECONDS - started)) s"
echo "security: $passed passed, $failed failed"
((failed == 0))
