# What the suite scripts (src/test/*/run.sh) share; sourced after they set SUITE (their name in messages) and PY.

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
