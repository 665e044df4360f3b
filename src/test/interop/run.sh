#!/usr/bin/env bash
# Interop suite: clients and servers grpc-patterns did not write talk to it over real ports.
#  - the article's four Python clients against the jar (their output must equal the article's);
#  - the jar's client profile against the article's Python servers, merged into one;
#  - a Node (grpc-js) client, buf lint and buf curl (server reflection, no proto files);
#  - grpc.health.v1 Check and Watch from Python.
# Needs the packaged jar (./mvnw -B -ntp verify or package); installs its own Debian and npm packages.
# Closes with "interop: N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/../../.."
started=$SECONDS

HERE=src/test/interop
JAR=target/grpc-patterns.jar
PY=/usr/bin/python3            # Debian's, where apt puts grpcio (python3 on PATH may be another one)
export PYTHONDONTWRITEBYTECODE=1

[[ -f $JAR ]] || { echo "interop: $JAR is missing: build it first (./mvnw -B -ntp package)" >&2; exit 1; }

# --- Install ----------------------------------------------------------------------------------------
DEBS=(python3-grpcio python3-grpc-tools grpc-proto)   # grpc-proto: the standard grpc/health/v1/health.proto
command -v npm >/dev/null || DEBS+=(nodejs npm)
missing=()
for deb in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing+=("$deb")
done
if ((${#missing[@]})); then
    apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
        || { echo "interop: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
# `npm install --no-save` rather than `npm ci`: installs the lock's versions and checksums, but the npm
# registry reachable here serves buf's binaries only for Linux, so the lock cannot list the other
# platforms' optional packages, and `npm ci` refuses such a lock as out of sync.
(cd $HERE/node && npm install --no-save --no-audit --no-fund --loglevel=error) \
    || { echo "interop: npm install failed" >&2; exit 1; }
BUF=$PWD/$HERE/node/node_modules/.bin/buf

# --- Processes and clean-up -----------------------------------------------------------------------
WORK=$(mktemp -d)
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap stop_all EXIT

free_port() { $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Python stubs from the project's protos (and the standard health.proto), generated for this run only.
GEN=$WORK/gen
mkdir -p "$GEN"
$PY -m grpc_tools.protoc -I src/main/proto -I /usr/share/grpc-proto/grpc --python_out="$GEN" --grpc_python_out="$GEN" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto health/v1/health.proto \
    || { echo "interop: protoc failed" >&2; exit 1; }
export PYTHONPATH=$GEN

# --- Checks ---------------------------------------------------------------------------------------
passed=0
failed=0
check() {   # check NAME COMMAND...: one counted check; its output is shown only when it fails
    local name=$1 log=$WORK/check.log from=$SECONDS
    shift
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "PASS $name ($((SECONDS - from)) s)"
    else
        failed=$((failed + 1))
        echo "FAIL $name ($((SECONDS - from)) s)"
        sed 's/^/    /' "$log"
    fi
}
prints() {   # prints EXPECTED_FILE COMMAND...: the command succeeds and prints exactly the file's text
    local expected=$1 out=$WORK/out
    shift
    "$@" >"$out" || { echo "exit code $?"; cat "$out"; return 1; }
    diff -u "$expected" "$out"
}
wait_for_grpc_port() {   # until a channel to the port is ready (an event, with a timeout)
    $PY -c "import grpc; grpc.channel_ready_future(grpc.insecure_channel('127.0.0.1:$1')).result(timeout=$2)"
}

# The service under test.
GRPC_PORT=$(free_port)
HTTP_PORT=$(free_port)
export GRPC_PORT
java -jar $JAR --grpc.server.port=$GRPC_PORT --server.port=$HTTP_PORT --demo.enabled=false >"$WORK/jar.log" 2>&1 &
jar_pid=$!
pids+=($jar_pid)
if wait_for_grpc_port $GRPC_PORT 300; then   # start-up took 135 s on the loaded shared machine
    echo "interop: the jar is listening on $GRPC_PORT ($((SECONDS - started)) s so far)"
else
    echo "interop: the jar did not open port $GRPC_PORT" >&2
    tail -50 "$WORK/jar.log" >&2
    exit 1
fi

# 5. Health from a non-Java client: SERVING once the service is ready (a Watch waits for it), then by Check.
check "python: grpc.health.v1 Watch reports SERVING once the service is ready" \
    $PY $HERE/python/health_check.py watch SERVING 120
check "python: grpc.health.v1 Check answers SERVING" prints <(echo SERVING) $PY $HERE/python/health_check.py check

# 1. The article's four Python clients: their printed output is the article's, byte for byte.
#    ClientStream: the article's server ends the joined text with a space, invisible in its printed
#    output; ours joins with single spaces, so the article's text as printed is compared exactly.
#    Bidi: the exact order of the lines shows each reply printed before the next message was.
for client in unary_client server_stream_client client_stream_client bidi_client; do
    check "python: article's $client.py prints the article's output" \
        prints $HERE/python/expected/$client.out $PY $HERE/python/$client.py
done

# 3. Node (grpc-js) client.
check "node: grpc-js client, four RPCs, 10,000-message ClientStream, 1,000-message Chat" \
    node --test $HERE/node/client.test.js

# 4. buf: lint, and curl through server reflection with no proto files.
check "buf: lint src/main/proto" bash -c "cd src/main/proto && '$BUF' lint"
buf_curl() { "$BUF" curl --protocol grpc --http2-prior-knowledge --reflect -d "$2" "http://127.0.0.1:$GRPC_PORT/$1"; }
check "buf: curl SayHello through reflection" prints <(cat <<'EOF'
{
  "responseText": "Hello, Hyeonghwan!"
}
EOF
) buf_curl grpcpatterns.v1.Greeter/SayHello '{"name": "Hyeonghwan"}'
check "buf: curl ServerStream through reflection" prints <(cat <<'EOF'
{
  "messageText": "Hello world"
}
{
  "messageText": "This is server streaming grpc"
}
{
  "messageText": "Good bye"
}
EOF
) buf_curl grpcpatterns.v1.ChatService/ServerStream '{"message_text": "start"}'

# 2. The jar's client profile against the article's servers (merged into one Python server).
PY_PORT=$(free_port)
GRPC_PORT=$PY_PORT $PY -u $HERE/python/server.py >"$WORK/server.out" 2>"$WORK/server.err" &
pids+=($!)
jar_client() {
    wait_for_grpc_port $PY_PORT 60 || return 1
    java -jar $JAR --spring.profiles.active=client --grpc.client.demo.address=static://127.0.0.1:$PY_PORT \
        --demo.chat-pause=0s >"$WORK/client.log" 2>&1 || { echo "exit code $?"; tail -50 "$WORK/client.log"; return 1; }
    # What the demo printed: the article's replies, from the article's server (its ClientStream reply
    # keeps the trailing space).
    sed -n 's/.*dev\.grpcpatterns\.demo\.ClientMode *: //p' "$WORK/client.log" | diff -u $HERE/python/expected/jar_client.out -
}
check "jar: client profile against the article's Python servers exits 0, printing their replies" jar_client
check "python: the article's server printed the article's output" diff -u $HERE/python/expected/server.out "$WORK/server.out"

# 5. Health during shutdown: a Watch opened while SERVING sees NOT_SERVING once the jar gets SIGTERM.
shutdown_health() {
    local out=$WORK/watch.out
    $PY -u $HERE/python/health_check.py watch NOT_SERVING 120 >"$out" 2>&1 &
    local watcher=$!
    for ((i = 0; i < 300; i++)); do   # the Watch is open once it has printed the current status
        grep -qx SERVING "$out" && break
        sleep 0.1
    done
    grep -qx SERVING "$out" || { echo "the Watch did not report SERVING"; kill $watcher; cat "$out"; return 1; }
    kill -TERM $jar_pid
    wait $watcher || { echo "the Watch did not see NOT_SERVING:"; cat "$out"; return 1; }
}
check "python: grpc.health.v1 Watch sees NOT_SERVING once the jar is shutting down" shutdown_health

echo "interop: took $((SECONDS - started)) s"
echo "interop: $passed passed, $failed failed"
((failed == 0))
