#!/usr/bin/env bash
# Observability suite: the jar next to a real Zipkin and a real Prometheus (docs/observability.md).
#  - traces read back from Zipkin's HTTP API: the demo's run as one tree (paced ServerStream, Chat), the article's
#    Python clients carrying a traceparent (and a b3 header) they set, a cancelled stream, a stream ended by the drain;
#  - Prometheus scraping the jar under a bounded load of the four patterns: PromQL for calls per method and status,
#    error ratio, p99, calls in flight; every Grafana panel query (deploy/grafana) returns series; the alert rules
#    (deploy/prometheus) load, evaluate, and pass their promtool unit tests.
# Needs the packaged jar (./mvnw -B -ntp verify or package); installs its own Debian packages and fetches Zipkin's
# server from Maven Central (target/zipkin). Closes with "observability: N passed, N failed".
set -uo pipefail
HERE=src/test/observability
ZIPKIN_JAR=target/zipkin/zipkin-server-3.5.1-exec.jar
export PYTHONDONTWRITEBYTECODE=1
SUITE=observability
source "$(dirname "$0")/../suite.sh"   # install_debs, WORK and pids cleaned up on exit, free_port, check, prints
INTERVAL=3   # seconds between ServerStream replies: a stream stays open long enough to cancel, drain and scrape

require_built $JAR

# --- Install ----------------------------------------------------------------------------------------
DEBS=(prometheus python3-grpcio python3-grpc-tools curl)   # prometheus brings promtool
install_debs "${DEBS[@]}"
# Debian's package starts its own server on 9090; this suite runs its own.
systemctl disable --now prometheus prometheus-node-exporter >/dev/null 2>&1 || true
if [[ ! -f $ZIPKIN_JAR ]]; then
    ./mvnw -q -B -ntp dependency:copy -Dartifact=io.zipkin:zipkin-server:3.5.1:jar:exec -DoutputDirectory=target/zipkin \
        || { echo "observability: fetching zipkin-server failed" >&2; exit 1; }
fi

wait_for() {   # wait_for SECONDS COMMAND...: until the command succeeds
    local until=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do ((SECONDS < until)) || return 1; sleep 1; done
}

GEN=$WORK/gen
mkdir -p "$GEN"
$PY -m grpc_tools.protoc -I src/main/proto --python_out="$GEN" --grpc_python_out="$GEN" \
    grpcpatterns/v1/greeter.proto grpcpatterns/v1/chat.proto || { echo "observability: protoc failed" >&2; exit 1; }
export PYTHONPATH=$GEN:$PWD/src/test/interop/python

ZIPKIN_PORT=$(free_port)
ZIPKIN=http://127.0.0.1:$ZIPKIN_PORT
QUERY_PORT=$ZIPKIN_PORT java -Xmx256m -jar $ZIPKIN_JAR >"$WORK/zipkin.log" 2>&1 &
pids+=($!)

GRPC_PORT=$(free_port)
HTTP_PORT=$(free_port)
export GRPC_PORT
# Tracing is on by default; the endpoint alone reports the spans (every one sampled here, for the checks).
java -jar $JAR --grpc.server.port=$GRPC_PORT --server.port=$HTTP_PORT \
    --management.tracing.sampling.probability=1.0 --management.zipkin.tracing.endpoint=$ZIPKIN/api/v2/spans \
    --chat.server-stream.interval=${INTERVAL}s --demo.chat-pause=200ms --grpc.server.shutdown-grace-period=2s \
    >"$WORK/jar.log" 2>&1 &
jar_pid=$!
pids+=($jar_pid)

PROM_PORT=$(free_port)
PROMETHEUS=http://127.0.0.1:$PROM_PORT
cat >"$WORK/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$PWD/deploy/prometheus/alerts.yml"]
scrape_configs:
  - job_name: grpc-patterns
    metrics_path: /actuator/prometheus
    static_configs: [{targets: ["127.0.0.1:$HTTP_PORT"]}]
YML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address=127.0.0.1:$PROM_PORT >"$WORK/prometheus.log" 2>&1 &
pids+=($!)

# --- Checks ---------------------------------------------------------------------------------------
finish() {
    echo "observability: took $((SECONDS - started)) s"
    echo "observability: $passed passed, $failed failed"
    ((failed == 0))
    exit
}

check "promtool: alert rules' unit tests (deploy/prometheus/alerts.test.yml)" \
    bash -c "cd deploy/prometheus && promtool check rules alerts.yml && promtool test rules alerts.test.yml"

started_up() { wait_for 300 curl -sf $ZIPKIN/health && wait_for 300 curl -sf $PROMETHEUS/-/ready \
    && wait_for 300 grep -q 'Demo finished: all four patterns answered' "$WORK/jar.log"; }
if ! check "zipkin, prometheus and the jar started; the demo ran" started_up; then
    tail -30 "$WORK/jar.log" "$WORK/zipkin.log" "$WORK/prometheus.log"
    finish
fi

# 1. The demo's run: one trace, demo span > client span per call > server span, statuses and message counts.
check "zipkin: the demo's run is one tree (paced ServerStream, Chat)" \
    $PY $HERE/check_zipkin.py $ZIPKIN demo grpc-patterns $INTERVAL

# 2. Calls from the article's Python clients, in a trace they started: the server span is the child of theirs.
traced_child() {   # traced_child STYLE CLIENT METHOD STATUS [SENT]
    local out=$WORK/traced.err trace parent
    $PY $HERE/traced.py "$1" "$2" 2>"$out" || { cat "$out"; return 1; }
    read -r _ trace parent <"$out"
    $PY $HERE/check_zipkin.py $ZIPKIN child "$trace" "$parent" "$3" "$4" ${5:-}
}
check "zipkin: article's unary_client.py with a traceparent: SayHello's server span is its child" \
    traced_child traceparent unary_client grpcpatterns.v1.Greeter/SayHello OK
check "zipkin: article's bidi_client.py with a traceparent: Chat's server span is its child" \
    traced_child traceparent bidi_client grpcpatterns.v1.ChatService/Chat OK 3
check "zipkin: a b3 header is accepted: SayHello's server span is the caller's child" \
    traced_child b3 unary_client grpcpatterns.v1.Greeter/SayHello OK
check "zipkin: a ServerStream cancelled after its first reply: span CANCELLED, 1 message sent" \
    traced_child traceparent cancel grpcpatterns.v1.ChatService/ServerStream CANCELLED 1

# 3. Prometheus under load.
check "load: four patterns for 25 s from 5 threads" $PY $HERE/load.py $GRPC_PORT 25
load_ended=$(date +%s.%N)
check "prometheus: a scrape of the jar after the load ended (every call counted)" \
    wait_for 30 $PY $HERE/check_prometheus.py $PROMETHEUS scraped-after $load_ended
check "prometheus: calls per method and status, error ratio, p99, calls in flight" \
    $PY $HERE/check_prometheus.py $PROMETHEUS load
check "grafana: every panel query of deploy/grafana/grpc-patterns.json returns series" \
    $PY $HERE/check_prometheus.py $PROMETHEUS dashboard deploy/grafana/grpc-patterns.json
check "prometheus: every alert rule of deploy/prometheus/alerts.yml loaded and evaluates" \
    $PY $HERE/check_prometheus.py $PROMETHEUS rules

# 4. The drain: a stream open at SIGTERM is ended with UNAVAILABLE after the grace period, its span says so, and a
#    scrape during the drain shows what the drain alert looks at: not ready, calls in flight.
drain() {
    local out=$WORK/drain.out trace parent scrape=$WORK/drain.scrape
    $PY $HERE/traced.py traceparent drain >"$out" 2>"$WORK/drain.err" &
    local client=$!
    wait_for 60 grep -q 'Received message' "$out" || { echo "no first reply"; cat "$out" "$WORK/drain.err"; return 1; }
    kill -TERM $jar_pid
    wait_for 10 bash -c "curl -sf localhost:$HTTP_PORT/actuator/prometheus >$scrape && grep -qx 'application_readiness 0.0' $scrape" \
        || { echo "no scrape showed readiness 0 during the drain"; return 1; }
    grep -E '^grpc_server_calls_active [1-9]' $scrape || { echo "no calls in flight in the drain's scrape"; return 1; }
    wait $client || { echo "the stream did not end with UNAVAILABLE:"; cat "$out"; return 1; }
    cat "$out"
    wait $jar_pid
    read -r _ trace parent <"$WORK/drain.err"
    # The span counts what was sent: as many replies as the client read (one, or two when a loaded machine delays the
    # SIGTERM past the next pacing tick), never one lost or added.
    local received
    received=$(grep -c 'Received message' "$out")
    $PY $HERE/check_zipkin.py $ZIPKIN child "$trace" "$parent" grpcpatterns.v1.ChatService/ServerStream UNAVAILABLE "$received"
}
check "drain: an open stream ends UNAVAILABLE, its span too; a scrape during the drain shows it" drain

finish
