#!/usr/bin/env bash
# gRPC's official interop cases (grpc/grpc's doc/interop-test-descriptions.md) through the service's whole chain:
# Debian's ruby-grpc interop client (src/ruby/pb/test/client.rb inside the gem, via ruby/official_client.rb) against
# gRPC's TestService, served by the packaged jar behind every interceptor the service has. The test service
# (src/test/java/dev/grpcpatterns/interop, its protos in src/test/proto/grpc/testing) joins the jar's classpath
# through Spring Boot's PropertiesLauncher (loader.path) and the interop profile; nothing else of the tests does.
#   plaintext   the jar on its own port;
#   TLS         the jar with the client's test CA's server certificate (the gem's spec/testdata/server1.*), and
#               client certificates asked for (identity on: the security interceptors and per-method rules run;
#               the interop client has no certificate, so TestService has a permit-all rule);
#   nginx       the plaintext jar behind the shipped deploy/nginx/grpc-patterns.conf (its upstream and listen lines
#               pointed at loopback ports).
# Needs the build's target/grpc-patterns.jar and target/test-classes (./mvnw -B -ntp verify); installs ruby-grpc and
# nginx. Prints a matrix, transports x cases; exits non-zero when any case failed.
set -uo pipefail
HERE=src/test/interop
SUITE=interop-cases
source "$(dirname "$0")/../suite.sh"   # install_debs, WORK and pids cleaned up on exit, free_port

require_built $JAR target/test-classes/dev/grpcpatterns/interop target/test-classes/io/grpc/testing/integration
install_debs ruby-grpc nginx
TESTDATA=$(ruby -e 'puts Gem::Specification.find_by_name("grpc").gem_dir')/src/ruby/spec/testdata
[[ -f $TESTDATA/server1.pem ]] || { echo "$SUITE: the grpc gem's test certificates are missing" >&2; exit 1; }

CASES=(empty_unary large_unary client_streaming server_streaming ping_pong empty_stream custom_metadata
    status_code_and_message special_status_message unimplemented_method unimplemented_service cancel_after_begin
    cancel_after_first_response timeout_on_sleeping_server client_compressed_unary client_compressed_streaming
    identity_on)   # ours, TLS row only: the service's own SayHello without credentials is UNAUTHENTICATED
TRANSPORTS=(plaintext tls nginx)
declare -A TRANSPORT_NAME=([plaintext]="plaintext" [tls]="TLS (test CA), identity on" [nginx]="through nginx")
declare -A CELL=()

# Only the interop service's classes join the jar: the rest of the test classes stay out of its component scan.
EXTRA=$WORK/interop-classes
mkdir -p "$EXTRA/dev/grpcpatterns" "$EXTRA/io/grpc/testing"
cp -r target/test-classes/dev/grpcpatterns/interop "$EXTRA/dev/grpcpatterns/"
cp -r target/test-classes/io/grpc/testing/integration "$EXTRA/io/grpc/testing/"

serve() {   # serve NAME GRPC_PORT ARGS...: the jar with the test service, in the background
    local name=$1 port=$2
    shift 2
    java -Dloader.path="$EXTRA" -cp $JAR org.springframework.boot.loader.launch.PropertiesLauncher \
        --spring.profiles.active=interop --grpc.server.port=$port --server.port=0 --demo.enabled=false "$@" \
        >"$WORK/$name.log" 2>&1 &
    pids+=($!)
}
listening() {   # listening NAME PORT SECONDS: until the jar logs that its gRPC server listens (or it dies)
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -q "gRPC Server started, listening on address: \*, port: $2" "$WORK/$1.log" && return 0
        sleep 0.1
    done
    echo "$SUITE: the $1 server did not start:" >&2
    tail -40 "$WORK/$1.log" >&2
    return 1
}

PLAIN_PORT=$(free_port)
TLS_PORT=$(free_port)
serve plaintext $PLAIN_PORT
serve tls $TLS_PORT --grpc.server.security.enabled=true \
    --grpc.server.security.certificate-chain=file:$TESTDATA/server1.pem \
    --grpc.server.security.private-key=file:$TESTDATA/server1.key \
    --grpc.server.security.client-auth=OPTIONAL --grpc.server.security.trust-cert-collection=file:$TESTDATA/ca.pem

# nginx: the shipped file, its one upstream server and its listen port moved to loopback ports.
NGINX_PORT=$(free_port)
NGINX=$WORK/nginx
mkdir -p "$NGINX"/{client_body,proxy,fastcgi,uwsgi,scgi}
chmod 777 "$NGINX"/*
sed -E -e "0,/^(\s*)server \S+:50051/s//\1server 127.0.0.1:$PLAIN_PORT/" -e '/^\s*server \S+:50051/d' \
    -e "s/^(\s*)listen 50051 http2;/\1listen 127.0.0.1:$NGINX_PORT http2;/" \
    deploy/nginx/grpc-patterns.conf >"$NGINX/grpc-patterns.conf"
cat >"$NGINX/nginx.conf" <<EOF
worker_processes 1;
pid $NGINX/nginx.pid;
error_log $NGINX/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $NGINX/client_body;
    proxy_temp_path $NGINX/proxy;
    fastcgi_temp_path $NGINX/fastcgi;
    uwsgi_temp_path $NGINX/uwsgi;
    scgi_temp_path $NGINX/scgi;
    include $NGINX/grpc-patterns.conf;
}
EOF
grep -q "listen 127.0.0.1:$NGINX_PORT http2;" "$NGINX/grpc-patterns.conf" &&
    grep -q "server 127.0.0.1:$PLAIN_PORT " "$NGINX/grpc-patterns.conf" ||
    { echo "$SUITE: deploy/nginx/grpc-patterns.conf no longer has the listen and upstream lines this suite moves" >&2
      exit 1; }
/usr/sbin/nginx -p "$NGINX" -c "$NGINX/nginx.conf" -g 'daemon off;' >"$NGINX/stdout.log" 2>&1 &
pids+=($!)

listening plaintext $PLAIN_PORT 300 && listening tls $TLS_PORT 300 || exit 1
echo "$SUITE: both servers listen ($((SECONDS - started)) s so far)"

run_case() {   # run_case TRANSPORT CASE: the official client prints OK: CASE and exits 0
    local -a target
    case $1 in
        plaintext) target=(--server_port=$PLAIN_PORT) ;;
        tls) target=(--server_port=$TLS_PORT --use_tls=true --use_test_ca=true
                --server_host_override=foo.test.google.fr) ;;
        nginx) target=(--server_port=$NGINX_PORT) ;;
    esac
    timeout 60 ruby $HERE/ruby/official_client.rb --server_host=localhost "${target[@]}" --test_case=$2 \
        >"$WORK/case.out" 2>&1 || { cat "$WORK/case.out"; return 1; }
    grep -qx "\"OK: $2\"" "$WORK/case.out" || { cat "$WORK/case.out"; return 1; }
}
for transport in "${TRANSPORTS[@]}"; do
    for name in "${CASES[@]}"; do
        [[ $name != identity_on || $transport == tls ]] || continue
        check_cell $name $transport $transport run_case $transport $name
    done
done

# Nothing in the servers' logs that a caller's call should never cause.
no_errors_logged() {   # no_errors_logged LOG: no ERROR line and no stack trace
    ! grep -n -E ' ERROR |WARN .*Exception|^\s+at ' "$1"
}
for server in plaintext tls; do
    check "$server: no error and no stack trace in the server's log" no_errors_logged "$WORK/$server.log"
done

echo
echo "interop cases: ✓ passed, ✗ failed, · not run (gRPC's ruby interop client against grpc.testing.TestService in the jar)"
print_matrix case CASES TRANSPORTS NO_LABELS TRANSPORT_NAME
echo
echo "$SUITE: took $((SECONDS - started)) s"
echo "$SUITE: $passed passed, $failed failed"
((failed == 0))
