#!/usr/bin/env bash
# Container test: builds the Dockerfile in a real Docker engine and checks the running image from outside.
# Needs target/grpc-patterns.jar (./mvnw package), root, and a Java 25+ JDK (the first /usr/lib/jvm/* that is 25+, or
# JAVA25_HOME; Debian bookworm has none to install, base-rootfs.sh fails naming it). Run: bash src/test/docker/run.sh
#
# The engine is our own dockerd (data, exec root, pidfile and socket under a temp dir) inside its own network
# namespace: its bridge, docker-proxy and iptables rules can't clash with another engine on the machine, and they
# all vanish with the namespace on exit. The namespace has no route out, so the build also proves it needs no
# network. The "host" side of every check (curl, the jar as a client) runs in that
# namespace too and reaches the container the way any host would: through the published ports.
set -euo pipefail
cd "$(dirname "$0")/../../.."

jar=target/grpc-patterns.jar
[[ -s $jar ]] || { echo "FAIL: $jar missing; run ./mvnw package first" >&2; exit 1; }
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}" >&2 \
        || { apt-get update >&2 && apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}" >&2; }
fi

image=grpc-patterns:container-test
base=grpc-patterns-base:bookworm
tmp=$(mktemp -d /tmp/grpc-patterns-docker.XXXXXX)
netns=grpc-patterns-docker-$$
dockerd_pid=
export DOCKER_HOST=unix://$tmp/docker.sock DOCKER_BUILDKIT=0 DOCKER_CONFIG=$tmp/client

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
# nsenter, not `ip netns exec`: that one remounts /sys, hiding the cgroup mounts dockerd needs.
in_netns() { nsenter --net="/run/netns/$netns" "$@"; }

cleanup() {
    local status=$?
    set +e
    if [[ -S $tmp/docker.sock ]]; then
        local ids
        ids=$(docker ps -aq)
        [[ -z $ids ]] || docker rm -f $ids >/dev/null
    fi
    if [[ -n $dockerd_pid ]]; then   # SIGTERM: dockerd stops its containerd and unmounts its layers
        kill "$dockerd_pid" 2>/dev/null
        for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$dockerd_pid" 2>/dev/null && log "dockerd killed after 30s"
    fi
    ip netns del "$netns" 2>/dev/null
    # Only if dockerd died without unmounting its layers.
    awk -v t="$tmp/" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls "$@" every half second until it succeeds; fails after $1 seconds.
wait_for() {
    local timeout=$1 what=$2; shift 2
    local deadline=$((SECONDS + timeout))
    until "$@"; do
        ((SECONDS < deadline)) || fail "$what not within ${timeout}s"
        sleep 0.5
    done
}

# --- the engine ----------------------------------------------------------------------------------------------
ip netns add "$netns"
in_netns ip link set lo up
echo '{}' >"$tmp/daemon.json"   # none of the machine's engine settings
nsenter --net="/run/netns/$netns" dockerd --config-file "$tmp/daemon.json" --host "$DOCKER_HOST" \
    --data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/dockerd.pid" >"$tmp/dockerd.log" 2>&1 &
dockerd_pid=$!   # nsenter execs dockerd: the same process
engine_up() {
    kill -0 "$dockerd_pid" 2>/dev/null || { cat "$tmp/dockerd.log" >&2; fail "dockerd exited"; }
    docker version >/dev/null 2>&1
}
wait_for 60 "dockerd answering" engine_up
log "dockerd $(docker version --format '{{.Server.Version}}') up in network namespace $netns"

# --- the images ----------------------------------------------------------------------------------------------
rootfs=$(bash src/test/docker/base-rootfs.sh)
# JAVA_HOME and PATH as in eclipse-temurin's images, which the Dockerfile stands on: `java` found on PATH.
docker import --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$rootfs" "$base" >/dev/null
log "base image $base imported from $rootfs"
build_start=$SECONDS
docker build --quiet --build-arg BASE_IMAGE="$base" -t "$image" . >/dev/null
build_seconds=$((SECONDS - build_start))
image_bytes=$(docker image inspect -f '{{.Size}}' "$image")
base_bytes=$(docker image inspect -f '{{.Size}}' "$base")
log "built $image in ${build_seconds}s"
# The image's runtime is Java 25+ (its AOT cache needs it), and the training run left nothing behind in /tmp.
java_version=$(docker run --rm --entrypoint java "$image" -version 2>&1 | awk -F'"' '/ version "/ {print $2; exit}')
major=${java_version%%.*}
((${major:-0} >= 25)) || fail "the image's Java is ${java_version:-unknown}, not 25+"
leftovers=$(docker run --rm --entrypoint ls "$image" -A /tmp)
[[ -z $leftovers ]] || fail "the image's /tmp is not empty: $leftovers"
log "image runs Java $java_version; /tmp is empty"

# --- the server container ------------------------------------------------------------------------------------
docker network create grpc-patterns-test >/dev/null
run_start=$(date +%s.%N)
docker run -d --name server --network grpc-patterns-test --memory 512m \
    -p 127.0.0.1::50051 -p 127.0.0.1::8080 "$image" --demo.chat-pause=0s >/dev/null
grpc_port=$(docker port server 50051/tcp | head -n1 | sed 's/.*://')
http_port=$(docker port server 8080/tcp | head -n1 | sed 's/.*://')
log "server published on 127.0.0.1:$grpc_port (gRPC) and 127.0.0.1:$http_port (HTTP)"

health() { docker inspect -f '{{.State.Health.Status}}' server; }
healthy() {
    local state
    state=$(health)
    [[ $state != unhealthy ]] || { docker logs server >&2; fail "Docker reports the server unhealthy"; }
    [[ $(docker inspect -f '{{.State.Running}}' server) == true ]] || { docker logs server >&2; fail "server exited"; }
    [[ $state == healthy ]]
}
wait_for 180 "Docker health status healthy" healthy
healthy_seconds=$(awk -v a="$run_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
started_line=$(docker logs server 2>&1 | grep -m1 'Started GrpcPatternsApplication' || true)
[[ -n $started_line ]] || fail "no 'Started' line in the server log"
start_seconds=$(sed -E 's/.* in ([0-9.]+) seconds.*/\1/' <<<"$started_line")
log "healthy after ${healthy_seconds}s; Spring: $started_line"
# The ENTRYPOINT's access flags keep JDK 25 from warning about Netty's native library and sun.misc.Unsafe.
! docker logs server 2>&1 | grep '^WARNING' >&2 || fail "the JVM printed warnings (above)"

# PID 1 is the JVM and it is not root.
pid1=$(docker exec server cat /proc/1/status)
[[ $(awk '/^Name:/ {print $2}' <<<"$pid1") == java ]] || fail "PID 1 is not the JVM: $(head -n1 <<<"$pid1")"
uid=$(awk '/^Uid:/ {print $2}' <<<"$pid1")
[[ $uid != 0 ]] || fail "the JVM runs as root"
log "PID 1 is java, uid $uid"

# Actuator over the published HTTP port.
health_json=$(in_netns curl -fsS "http://127.0.0.1:$http_port/actuator/health")
[[ $health_json == '{"status":"UP"'* ]] || fail "/actuator/health is not UP: $health_json"
log "/actuator/health: ${health_json:0:60}..."

# The heap follows the container's 512 MiB limit (MaxRAMPercentage=75), not the machine's memory.
heap_json=$(in_netns curl -fsS "http://127.0.0.1:$http_port/actuator/metrics/jvm.memory.max?tag=area:heap")
heap_mib=$(sed -E 's/.*"statistic":"VALUE","value":([0-9.E+]+).*/\1/' <<<"$heap_json" \
           | awk '{printf "%d", $1 / 1048576}')
((heap_mib > 256 && heap_mib <= 384)) || fail "max heap ${heap_mib} MiB is not 75% of the 512 MiB limit"
log "max heap ${heap_mib} MiB under a 512 MiB limit"

# All four RPCs over the published gRPC port: the jar's client profile exits 0 only if every flow succeeded.
client_args=(--spring.profiles.active=client --demo.chat-pause=0s)
in_netns timeout 300 java -jar "$jar" "${client_args[@]}" \
    --grpc.client.demo.address="static://127.0.0.1:$grpc_port" >"$tmp/host-client.log" 2>&1 \
    || { cat "$tmp/host-client.log" >&2; fail "the four RPCs from the host"; }
grep -q 'All four patterns answered' "$tmp/host-client.log" || fail "host client did not report success"
log "host client: All four patterns answered"

# The client profile in a second container, by name over the user-defined network; Spring args pass through.
timeout 300 docker run --rm --network grpc-patterns-test "$image" "${client_args[@]}" \
    --grpc.client.demo.address=static://server:50051 >"$tmp/container-client.log" 2>&1 \
    || { cat "$tmp/container-client.log" >&2; fail "the client container against the server container"; }
grep -q 'All four patterns answered' "$tmp/container-client.log" || fail "client container did not report success"
log "client container: All four patterns answered"

# The AOT cache is usable by the image's own JVM and flags (-XX:AOTMode=on refuses to start otherwise), in a
# 256 MiB container, where the JVM picks SerialGC although the cache was trained with G1: its heap objects load too.
docker run --rm --memory 256m -e JAVA_TOOL_OPTIONS='-XX:AOTMode=on -Xlog:aot -Xlog:gc -Dspring.context.exit=onRefresh' \
    "$image" >"$tmp/aot.log" 2>&1 || { cat "$tmp/aot.log" >&2; fail "the AOT cache is not usable"; }
grep -q 'Using Serial' "$tmp/aot.log" || fail "no SerialGC in a 256 MiB container: $(grep -m1 'Using' "$tmp/aot.log")"
grep -Eq 'Loaded heap +region' "$tmp/aot.log" || fail "the AOT cache's heap objects were not loaded under SerialGC"
log "AOT cache maps with -XX:AOTMode=on, its heap objects load under SerialGC"

# The HEALTHCHECK asks for readiness, not merely an open port: the image's own check, run in a container whose
# HTTP port serves but has no /actuator/health/readiness (actuator moved elsewhere: 404), must fail; run in the
# server, it must pass.
[[ $(docker inspect -f '{{index .Config.Healthcheck.Test 0}} {{index .Config.Healthcheck.Test 1}}' "$image") == 'CMD bash' ]] \
    || fail "unexpected HEALTHCHECK form"
check=$(docker inspect -f '{{index .Config.Healthcheck.Test 3}}' "$image")   # CMD bash -c SCRIPT
docker run -d --name no-readiness --memory 512m -p 127.0.0.1::8080 "$image" \
    --management.endpoints.web.base-path=/elsewhere --demo.enabled=false >/dev/null
probe_port=$(docker port no-readiness 8080/tcp | head -n1 | sed 's/.*://')
wait_for 180 "HTTP of the no-readiness container" in_netns curl -fs -o /dev/null "http://127.0.0.1:$probe_port/elsewhere/health/readiness"
[[ $(in_netns curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$probe_port/actuator/health/readiness") == 404 ]] \
    || fail "readiness should be 404 with actuator elsewhere"
! docker exec no-readiness bash -c "$check" || fail "the HEALTHCHECK passes without readiness"
docker exec server bash -c "$check" || fail "the HEALTHCHECK fails against the ready server"
docker rm -f no-readiness >/dev/null
log "HEALTHCHECK command: passes on a ready server, fails on a 404 readiness"

# docker stop: SIGTERM to the JVM, graceful shutdown, exit within the 10 s grace (else SIGKILL: 137).
stop_start=$SECONDS
docker stop server >/dev/null
stop_seconds=$((SECONDS - stop_start))
exit_code=$(docker inspect -f '{{.State.ExitCode}}' server)
[[ $exit_code == 0 || $exit_code == 143 ]] || { docker logs server >&2; fail "exit code $exit_code after docker stop"; }
# Read the whole log before searching it: grep -q would stop at the match, and under pipefail the SIGPIPE that
# docker logs then gets (the log goes on after that line) fails the check at random.
docker logs server >"$tmp/server.log" 2>&1
grep -q 'Commencing graceful shutdown' "$tmp/server.log" || { cat "$tmp/server.log" >&2; fail "no graceful shutdown in the log"; }
log "docker stop: exit $exit_code after ${stop_seconds}s, graceful shutdown logged"

# --- report --------------------------------------------------------------------------------------------------
mib() { awk -v b="$1" 'BEGIN {printf "%.0f MiB", b / 1048576}'; }
printf '\nContainer test PASSED\n'
printf '  %-28s %s\n' \
    "image size" "$(mib "$image_bytes") (base $(mib "$base_bytes"), layers on top $(mib $((image_bytes - base_bytes))))" \
    "docker build (no network)" "${build_seconds}s" \
    "Spring start in container" "${start_seconds}s" \
    "docker run -> healthy" "${healthy_seconds}s (health interval 5s)" \
    "docker stop -> exited" "${stop_seconds}s (exit $exit_code)"
