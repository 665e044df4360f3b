#!/usr/bin/env bash
# The page suite: the page at / in Debian's headless Chromium, driven by playwright-core (page.test.mjs), against
# the packaged jar started here on free ports:
#  - identity off: the first play shows the article's output, streamed as the server paces it; nothing is loaded
#    from anywhere but the jar; a blank name is INVALID_ARGUMENT naming its field; Cancel ends the server's call
#    (its open-calls gauge back to 0, the call recorded CANCELLED) over fetch and over WebSocket; a phone's screen;
#  - identity on (the test authorization server of src/test/security): no token, UNAUTHENTICATED; with a token,
#    the same as above;
#  - the browser libraries the jar serves (src/main/resources/page/lib) are the locked npm packages' files.
# `--screenshot` also writes the first play's picture to docs/images/page.png (the README's).
# Needs the packaged jar (./mvnw -B -ntp verify or package); installs chromium and node from Debian and its npm
# packages (locked). Closes with "page: N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
HERE=src/test/page
SUITE=page
source "$(dirname "$0")/../suite.sh"   # install_debs, WORK and pids cleaned up on exit, free_port, check,
                                       # await_log, build_authorization_server, start_authorization_server, token

require_built $JAR
SCREENSHOT=$WORK/page.png
[[ ${1:-} == --screenshot ]] && SCREENSHOT=$PWD/docs/images/page.png

# --- Install ----------------------------------------------------------------------------------------
DEBS=(chromium fonts-dejavu-core curl)
command -v npm >/dev/null || DEBS+=(nodejs npm)
install_debs "${DEBS[@]}"
(cd $HERE && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "page: npm ci failed" >&2; exit 1; }
build_authorization_server || exit 1

check "the page's libraries are the locked npm packages' files, unchanged" node $HERE/vendor.mjs --check

start_jar() {   # start_jar LOG ARGS...: the jar on free ports, its HTTP port in HTTP_PORT
    local log=$1
    shift
    HTTP_PORT=$(free_port)
    java -jar $JAR --grpc.server.port="$(free_port)" --server.port=$HTTP_PORT --demo.enabled=false "$@" >"$log" 2>&1 &
    pids+=($!)
    await_log "$log" "Started GrpcPatternsApplication" 300
}
browser() {   # browser [NAME=VALUE...]: page.test.mjs against the jar on HTTP_PORT
    env PAGE_URL=http://127.0.0.1:$HTTP_PORT/ "$@" node --test --test-concurrency=1 $HERE/page.test.mjs
}

# Identity off.
start_jar "$WORK/jar.log" || exit 1
check "chromium: the page, identity off" browser SCREENSHOT="$SCREENSHOT"
kill "${pids[-1]}"

# Identity on: the authorization server, then the jar trusting it.
start_authorization_server || exit 1
start_jar "$WORK/jar-identity.log" --spring.security.oauth2.resourceserver.jwt.issuer-uri=$ISSUER \
    --spring.security.oauth2.resourceserver.jwt.audiences=grpc-patterns || exit 1
TOKEN=$(token chat-client chat) || { echo "page: no token from $ISSUER" >&2; exit 1; }
check "chromium: the page, identity on" browser TOKEN="$TOKEN"
no_token_logged() { ! grep -F -e "$TOKEN" "$WORK/jar-identity.log"; }
check "jar: the page's token reached no log" no_token_logged

echo "page: took $((SECONDS - started)) s"
echo "page: $passed passed, $failed failed"
((failed == 0))
