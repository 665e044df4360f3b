#!/usr/bin/env bash
# Interop suite: clients and servers grpc-patterns did not write talk to it over real ports.
#  - the article's four Python clients against the jar (their output must equal the article's), and the jar's
#    client profile against the article's Python servers, merged into one;
#  - grpc-go, C++ and Ruby clients (built offline from Debian's packages): the four patterns with the article's
#    output, a deadline shorter than the paced ServerStream, a cancel mid-Chat (the server's in-flight gauge
#    returns to 0), grpc.health.v1 Check;
#  - the jar's client profile against a grpc-go and a C++ server serving the same protos;
#  - the rich error details (google.rpc.Status) decoded by the Go and Python clients;
#  - a Node (grpc-js) client, buf lint and buf curl (reflection v1alpha and v1, no proto files);
#  - grpc.health.v1 Watch from Python, also during shutdown.
# Needs the packaged jar (./mvnw -B -ntp verify or package); installs its own Debian and npm packages.
# Prints one table, implementations x checks, and closes with "interop: N passed, N failed"; exits non-zero when
# anything failed.
set -uo pipefail
HERE=src/test/interop
export PYTHONDONTWRITEBYTECODE=1
SUITE=interop
source "$(dirname "$0")/../suite.sh"   # install_debs, WORK and pids cleaned up on exit, free_port, check, prints

require_built $JAR

# --- Install ----------------------------------------------------------------------------------------
DEBS=(python3-grpcio python3-grpc-tools grpc-proto   # grpc-proto: the standard grpc/health/v1/health.proto
    protobuf-compiler curl
    # grpc-go in GOPATH mode; golang/protobuf 1.5 (not the 1.3 that golang-google-grpc-dev would pick) is the one
    # that works with protoc-gen-go 1.28's code.
    golang-go golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev protoc-gen-go protoc-gen-go-grpc
    libgrpc++-dev protobuf-compiler-grpc pkg-config g++   # C++: grpc_cpp_plugin, grpc_ruby_plugin
    ruby-grpc)
command -v npm >/dev/null || DEBS+=(nodejs npm)
install_debs "${DEBS[@]}"
# `npm install --no-save` rather than `npm ci`: installs the lock's versions and checksums, but the npm
# registry reachable here serves buf's binaries only for Linux, so the lock cannot list the other
# platforms' optional packages, and `npm ci` refuses such a lock as out of sync.
(cd $HERE/node && npm install --no-save --no-audit --no-fund --loglevel=error) \
    || { echo "interop: npm install failed" >&2; exit 1; }
BUF=$PWD/$HERE/node/node_modules/.bin/buf

# Stubs, generated for this run only: Python from the project's protos, the standard health.proto and the common
# protos' google/rpc (taken from the jar's own proto-google-common-protos); Ruby likewise; Go and C++ are built
# (in the background, while the jar starts) by their build.sh.
GEN=$WORK/gen
RUBY_GEN=$WORK/ruby
mkdir -p "$GEN" "$RUBY_GEN" "$WORK/protos"
$PY - "$JAR" "$WORK/protos" <<'PYEOF' || { echo "interop: google/rpc protos not found in the jar" >&2; exit 1; }
import io, re, sys, zipfile
jar = zipfile.ZipFile(sys.argv[1])
common = next(n for n in jar.namelist() if re.match(r"BOOT-INF/lib/proto-google-common-protos-.*\.jar$", n))
protos = zipfile.ZipFile(io.BytesIO(jar.read(common)))
for proto in ("google/rpc/status.proto", "google/rpc/error_details.proto"):
    protos.extract(proto, sys.argv[2])
PYEOF
{ $PY -m grpc_tools.protoc -I src/main/proto -I /usr/share/grpc-proto/grpc --python_out="$GEN" --grpc_python_out="$GEN" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto health/v1/health.proto &&
  protoc -I "$WORK/protos" --python_out="$GEN" google/rpc/status.proto google/rpc/error_details.proto &&
  protoc -I src/main/proto -I /usr/share/grpc-proto/grpc --ruby_out="$RUBY_GEN" --grpc_out="$RUBY_GEN" \
    --plugin=protoc-gen-grpc="$(command -v grpc_ruby_plugin)" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto health/v1/health.proto
} || { echo "interop: protoc failed" >&2; exit 1; }
export PYTHONPATH=$GEN
bash $HERE/go/build.sh "$WORK/go" >"$WORK/go.build" 2>&1 &
go_build=$!
bash $HERE/cpp/build.sh "$WORK/cpp" >"$WORK/cpp.build" 2>&1 &
cpp_build=$!
pids+=($go_build $cpp_build)

# --- Checks and the matrix ------------------------------------------------------------------------
ROWS=(python go cpp ruby node buf jar)
declare -A ROW_NAME=([python]="Python (grpcio, the article's programs)" [go]="Go (grpc-go)" [cpp]="C++ (gRPC C-core)"
    [ruby]="Ruby (grpc gem)" [node]="Node (grpc-js)" [buf]="buf curl (connect-go)" [jar]="the jar (its server log)")
COLUMNS=(unary server-stream client-stream bidi deadline cancel health errors reflection serves-jar other)
declare -A CELL=()   # ROW,COLUMN -> ✓ or ✗ (✗ once any of its checks failed)
# check ROW COLUMN NAME COMMAND...: one counted check in one cell of the matrix (instead of suite.sh's check)
check() { check_cell "$@"; }
matrix() { print_matrix implementation ROWS COLUMNS ROW_NAME; }   # as Markdown (docs/interoperability.md shows one)
wait_for_grpc_port() {   # until a channel to the port is ready (an event, with a timeout)
    $PY -c "import grpc; grpc.channel_ready_future(grpc.insecure_channel('127.0.0.1:$1')).result(timeout=$2)"
}
built() {   # built PID LOG: the background build succeeded
    wait "$1" || { echo "build failed:"; cat "$2"; return 1; }
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

# Health from non-Java clients: SERVING once the service is ready (a Watch waits for it), then by Check.
check python health "grpc.health.v1 Watch reports SERVING once the service is ready" \
    $PY $HERE/python/health_check.py watch SERVING 120
check python health "grpc.health.v1 Check answers SERVING" prints <(echo SERVING) $PY $HERE/python/health_check.py check

# The article's four Python clients: their printed output is the article's, byte for byte.
#    ClientStream: the article's server ends the joined text with a space, invisible in its printed
#    output; ours joins with single spaces, so the article's text as printed is compared exactly.
#    Bidi: the exact order of the lines shows each reply printed before the next message was.
declare -A ARTICLE=([unary]=unary_client [server-stream]=server_stream_client [client-stream]=client_stream_client
    [bidi]=bidi_client)
PATTERNS=(unary server-stream client-stream bidi)
logged_chat_lines() { grep -c 'dev\.grpcpatterns\.chat\.messages *: Client Message: ' "$WORK/jar.log"; }
before=$(logged_chat_lines)
for pattern in "${PATTERNS[@]}"; do
    check python $pattern "article's ${ARTICLE[$pattern]}.py prints the article's output" \
        prints $HERE/python/expected/${ARTICLE[$pattern]}.out $PY $HERE/python/${ARTICLE[$pattern]}.py
done
# The article's bidi server prints "Client Message: <text>" for each message; the jar logs the same line.
server_log_line() {
    sed -n 's/.*dev\.grpcpatterns\.chat\.messages *: //p' "$WORK/jar.log" | tail -n +$((before + 1)) \
        | diff -u $HERE/python/expected/server.out -
}
check jar bidi "logs the article's server line, Client Message: <text>, for every Chat message" server_log_line
check python errors "decodes the google.rpc details of three bad requests" \
    prints $HERE/python/expected/rich_errors.out $PY $HERE/python/rich_errors.py

# The other implementations' clients: the same four patterns and expected output, then the jar's behaviour.
active_calls() {   # the jar's in-flight gauge, grpc.server.calls.active, over the actuator
    curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/metrics/grpc.server.calls.active" \
        | $PY -c 'import json, sys; print(int(json.load(sys.stdin)["measurements"][0]["value"]))'
}
active_calls_become() {   # active_calls_become N SECONDS
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        [[ $(active_calls) == "$1" ]] && return 0
        sleep 0.1
    done
    echo "grpc.server.calls.active is $(active_calls), not $1, after $2 s"
    return 1
}
cancel_ends_the_call() {   # cancel_ends_the_call CLIENT...: open Chat counted, cancelled, counted no more
    local fifo=$WORK/cancel.fifo out=$WORK/cancel.out client writer i
    rm -f "$fifo" && mkfifo "$fifo"
    "$@" cancel <"$fifo" >"$out" 2>&1 &
    client=$!
    exec {writer}>"$fifo"
    for ((i = 0; i < 300; i++)); do grep -qx open "$out" && break; sleep 0.1; done
    grep -qx open "$out" || { echo "the Chat did not open:"; cat "$out"; exec {writer}>&-; kill $client; return 1; }
    active_calls_become 1 10 || { exec {writer}>&-; kill $client; return 1; }
    echo >&$writer
    exec {writer}>&-
    wait $client || { echo "the client failed:"; cat "$out"; return 1; }
    grep -qx CANCELLED "$out" || { cat "$out"; return 1; }
    active_calls_become 0 20
}
clients() {   # clients ROW CLIENT...: the checks every client implementation passes
    local row=$1 pattern
    shift
    for pattern in "${PATTERNS[@]}"; do
        check $row $pattern "$pattern prints the article's output" \
            prints $HERE/python/expected/${ARTICLE[$pattern]}.out "$@" $pattern
    done
    check $row deadline "a deadline shorter than the paced ServerStream ends it with DEADLINE_EXCEEDED" \
        prints <(echo DEADLINE_EXCEEDED) "$@" deadline
    check $row cancel "a cancel mid-Chat ends the call on the server (in-flight gauge 1, then 0)" \
        cancel_ends_the_call "$@"
    check $row health "grpc.health.v1 Check answers SERVING" prints <(echo SERVING) "$@" health
}
check go other "client and server build offline (GOPATH mode)" built $go_build "$WORK/go.build"
clients go "$WORK/go/client"
check go errors "decodes the google.rpc details of three bad requests" \
    prints $HERE/python/expected/rich_errors.out "$WORK/go/client" errors
check cpp other "client and server build (pkg-config grpc++ protobuf, g++)" built $cpp_build "$WORK/cpp.build"
clients cpp "$WORK/cpp/client"
clients ruby env RUBYLIB="$RUBY_GEN" ruby $HERE/ruby/client.rb

# Node (grpc-js) client, one pattern at a time (with 10,000-message ClientStream, 1,000-message Chat).
# Each cell names how many tests it expects: a renamed test matches none and fails the cell.
declare -A NODE_TESTS=([unary]='^SayHello' [server-stream]='^ServerStream' [client-stream]='^ClientStream'
    [bidi]='^Chat')
declare -A NODE_COUNTS=([unary]=2 [server-stream]=1 [client-stream]=1 [bidi]=1)
for pattern in "${PATTERNS[@]}"; do
    check node $pattern "grpc-js tests ${NODE_TESTS[$pattern]} (${NODE_COUNTS[$pattern]})" \
        node_tests ${NODE_COUNTS[$pattern]} $HERE/node/client.test.js "${NODE_TESTS[$pattern]}"
done

# buf: lint, and curl through server reflection (v1alpha and the standard v1) with no proto files.
check buf other "lint src/main/proto" bash -c "cd src/main/proto && '$BUF' lint"
buf_curl() {   # buf_curl PROTOCOL METHOD JSON
    "$BUF" curl --protocol grpc --http2-prior-knowledge --reflect --reflect-protocol "$1" -d "$3" \
        "http://127.0.0.1:$GRPC_PORT/$2"
}
list_services() {   # list_services PROTOCOL: the services reflection lists, sorted
    "$BUF" curl --protocol grpc --http2-prior-knowledge --reflect-protocol "$1" --list-services \
        "http://127.0.0.1:$GRPC_PORT" | sort
}
for protocol in grpc-v1alpha grpc-v1; do
    check buf unary "curl SayHello through reflection $protocol" prints <(cat <<'JSON'
{
  "responseText": "Hello, Hyeonghwan!"
}
JSON
    ) buf_curl $protocol grpcpatterns.v1.Greeter/SayHello '{"name": "Hyeonghwan"}'
    check buf reflection "reflection $protocol lists the services" prints <(printf '%s\n' grpc.health.v1.Health \
        grpc.reflection.v1.ServerReflection grpc.reflection.v1alpha.ServerReflection grpcpatterns.v1.ChatService \
        grpcpatterns.v1.Greeter) list_services $protocol
done
check buf server-stream "curl ServerStream through reflection grpc-v1" prints <(cat <<'JSON'
{
  "messageText": "Hello world"
}
{
  "messageText": "This is server streaming grpc"
}
{
  "messageText": "Good bye"
}
JSON
) buf_curl grpc-v1 grpcpatterns.v1.ChatService/ServerStream '{"message_text": "start"}'

# The jar's client profile against the other implementations' servers, all at once (each JVM start is slow
# here): the article's Python servers merged into one, the grpc-go server, the C++ server.
PY_PORT=$(free_port)
GRPC_PORT=$PY_PORT $PY -u $HERE/python/server.py >"$WORK/server.out" 2>"$WORK/server.err" &
pids+=($!)
declare -A SERVER_PORT=([python]=$PY_PORT)
if [[ -x $WORK/go/server ]]; then
    SERVER_PORT[go]=$(free_port)
    "$WORK/go/server" -port ${SERVER_PORT[go]} >"$WORK/go.server.log" 2>&1 &
    pids+=($!)
fi
if [[ -x $WORK/cpp/server ]]; then
    SERVER_PORT[cpp]=$(free_port)
    "$WORK/cpp/server" ${SERVER_PORT[cpp]} >"$WORK/cpp.server.log" 2>&1 &
    pids+=($!)
fi
declare -A JAR_CLIENT=()
for server in "${!SERVER_PORT[@]}"; do
    port=${SERVER_PORT[$server]}
    (wait_for_grpc_port $port 60 && java -jar $JAR --spring.profiles.active=client \
        --grpc.client.demo.address=static://127.0.0.1:$port --demo.chat-pause=0s) >"$WORK/client.$server.log" 2>&1 &
    JAR_CLIENT[$server]=$!
    pids+=($!)
done
jar_client() {   # jar_client SERVER EXPECTED: exit 0, and the demo printed the replies of that server
    [[ -n ${JAR_CLIENT[$1]:-} ]] || { echo "no $1 server (its build failed)"; return 1; }
    wait ${JAR_CLIENT[$1]} || { echo "exit code $?"; tail -50 "$WORK/client.$1.log"; return 1; }
    sed -n 's/.*dev\.grpcpatterns\.demo\.ClientMode *: //p' "$WORK/client.$1.log" | diff -u "$2" -
}
# The article's server keeps its ClientStream reply's trailing space; the Go and C++ servers join as the jar does.
check python serves-jar "the jar's client profile against the article's servers exits 0, printing their replies" \
    jar_client python $HERE/python/expected/jar_client.out
check python serves-jar "the article's server printed the article's output" \
    diff -u $HERE/python/expected/server.out "$WORK/server.out"
sed 's/ $//' $HERE/python/expected/jar_client.out >"$WORK/jar_client.joined.out"
check go serves-jar "the jar's client profile against the grpc-go server exits 0, printing the article's output" \
    jar_client go "$WORK/jar_client.joined.out"
check cpp serves-jar "the jar's client profile against the C++ server exits 0, printing the article's output" \
    jar_client cpp "$WORK/jar_client.joined.out"

# Health during shutdown: a Watch opened while SERVING sees NOT_SERVING once the jar gets SIGTERM.
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
check python health "grpc.health.v1 Watch sees NOT_SERVING once the jar is shutting down" shutdown_health

echo
echo "interop matrix: ✓ every check passed, ✗ one failed, · not checked"
matrix
echo
echo "interop: took $((SECONDS - started)) s"
echo "interop: $passed passed, $failed failed"
((failed == 0))
