# What the suite scripts (src/test/*/*.sh) share. A script sets SUITE (its name in messages) and HERE (its folder)
# and sources this file by its own path; from then on it runs in the repository's root, with:
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
started=$SECONDS
JAR=target/grpc-patterns.jar
PY=/usr/bin/python3   # Debian's, where apt puts grpcio (a python3 on PATH may be another one)

# require_built PATH...: what the build makes, which the suite needs (say so rather than fail later)
require_built() {
    local built
    for built in "$@"; do
        [[ -e $built ]] || { echo "$SUITE: $built is missing: build it first (./mvnw -B -ntp verify)" >&2; exit 1; }
    done
}

# install_debs DEB...: Debian's packages that are not installed yet (CI starts on a fresh machine).
install_debs() {
    local deb missing=()
    for deb in "$@"; do
        dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing+=("$deb")
    done
    if ((${#missing[@]})); then
        apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
            || { echo "$SUITE: apt-get install ${missing[*]} failed" >&2; exit 1; }
    fi
}

# A scratch folder, and the processes started into pids: both gone when the script exits, however it exits.
WORK=$(mktemp -d)
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap stop_all EXIT

free_port() { $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

passed=0
failed=0
# check NAME COMMAND...: one counted check; its output is shown only when it fails
check() {
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

# check_cell ROW COLUMN NAME COMMAND...: check, also marking one cell of a matrix, CELL[ROW,COLUMN] (an associative
# array the suite declares): ✓, or ✗ once any of its checks failed
check_cell() {
    local row=$1 column=$2 name=$3 log=$WORK/check.log from=$SECONDS
    shift 3
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        [[ ${CELL[$row,$column]:-} == ✗ ]] || CELL[$row,$column]=✓
        echo "PASS $row: $name ($((SECONDS - from)) s)"
    else
        failed=$((failed + 1))
        CELL[$row,$column]=✗
        echo "FAIL $row: $name ($((SECONDS - from)) s)"
        sed 's/^/    /' "$log"
    fi
}

# print_matrix CORNER ROWS COLUMNS [ROW_LABELS [COLUMN_LABELS]]: CELL as a Markdown table, · where nothing was
# checked. ROWS and COLUMNS name arrays of keys; the LABELS name associative arrays of headings (default: the key).
declare -A NO_LABELS=()
print_matrix() {
    local -n matrix_rows=$2 matrix_columns=$3 row_labels=${4:-NO_LABELS} column_labels=${5:-NO_LABELS}
    local row column line="| $1 |"
    for column in "${matrix_columns[@]}"; do line+=" ${column_labels[$column]:-$column} |"; done
    echo "$line"
    line="|---|"
    for column in "${matrix_columns[@]}"; do line+=":-:|"; done
    echo "$line"
    for row in "${matrix_rows[@]}"; do
        line="| ${row_labels[$row]:-$row} |"
        for column in "${matrix_columns[@]}"; do line+=" ${CELL[$row,$column]:-·} |"; done
        echo "$line"
    done
}

# prints EXPECTED_FILE COMMAND...: the command succeeds and prints exactly the file's text
prints() {
    local expected=$1 out=$WORK/out
    shift
    "$@" >"$out" || { echo "exit code $?"; cat "$out"; return 1; }
    diff -u "$expected" "$out"
}

# node_tests COUNT FILE [PATTERN]: `node --test` of FILE (only the tests whose names match PATTERN) passes, and exactly
# COUNT tests ran and passed: node passes when no test matches, so a renamed test would otherwise pass unseen.
node_tests() {
    local count=$1 file=$2 out=$WORK/node-tests.tap
    local args=(--test --test-reporter=tap)
    [[ -n ${3:-} ]] && args+=(--test-name-pattern="$3")
    node "${args[@]}" "$file" >"$out" 2>&1 || { cat "$out"; return 1; }
    grep -qx "# pass $count" "$out" && grep -qx '# fail 0' "$out" \
        || { cat "$out"; echo "expected $count tests to run and pass${3:+ matching '$3'}"; return 1; }
}

# await_log FILE TEXT SECONDS: the log shows TEXT within SECONDS (a started process says when it is ready)
await_log() {
    for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" && return 0; sleep 0.1; done
    echo "no '$2' in $1 within $3 s"; tail -50 "$1"; return 1
}

# The test authorization server (src/test/security/authserver), for the suites that turn identity on: built, then
# started on a free port with its issuer in ISSUER; token CLIENT [SCOPE] is a client-credentials access token from
# it (the copy-paste way of docs/security.md).
AUTHSERVER=src/test/security/authserver/target/test-authorization-server.jar
build_authorization_server() {
    ./mvnw -q -B -ntp -f src/test/security/authserver/pom.xml package -DskipTests \
        || { echo "$SUITE: building the authorization server failed" >&2; return 1; }
}
start_authorization_server() {
    local port
    port=$(free_port)
    java -XX:TieredStopAtLevel=1 -jar $AUTHSERVER --server.port=$port --spring.config.location=classpath:/application.yml \
        >"$WORK/authserver.log" 2>&1 &
    pids+=($!)
    await_log "$WORK/authserver.log" "Started TestAuthorizationServer" 180 || return 1
    ISSUER=http://localhost:$port
}
token() {
    curl -sf -u "$1:${1%-client}-secret" -d grant_type=client_credentials ${2:+-d scope=$2} "$ISSUER/oauth2/token" \
        | $PY -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
