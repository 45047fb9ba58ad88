#!/usr/bin/env bash
# Runs every check, in order, and stops at the first failure: formatting,
# lints, native tests, browser (wasm) tests, the release build, and the
# end-to-end page test against the served www/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

started_at=$SECONDS
step_started_at=

# A header per step, with the time the previous step took, so a failure
# and a slow step are both easy to find in a CI log.
section() {
  if [[ -n "$step_started_at" ]]; then
    printf '(%d s)\n' "$((SECONDS - step_started_at))"
  fi
  step_started_at=$SECONDS
  printf '\n==== %s ====\n' "$*"
}

section "setup"
scripts/setup.sh --test

section "cargo fmt --check"
cargo fmt --check

section "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

section "cargo clippy --target wasm32-unknown-unknown (the web module)"
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

section "cargo test (native)"
cargo test

section "wasm-pack test --headless --chrome (browser tests)"
# webdriver.json at the crate root adds the chromium flags this machine
# needs; Debian's chromedriver finds /usr/bin/chromium by itself.
wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)"

section "browser determinism test on the wasm-opt'd engine"
# wasm-opt must not change a number: the page loads the optimized engine.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$PWD/scripts/optimized-test-runner.sh" \
  CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test --release --target wasm32-unknown-unknown --test determinism

section "wasm-pack build --release (www/pkg), wasm-opt"
wasm-pack build --release --target web --out-dir www/pkg --no-typescript
scripts/optimize-wasm.sh

section "page test (node --test tests/e2e/)"
# Ask the kernel for a free loopback port, so a running ./run.sh or a
# second checkout never collides with this server.
port="${E2E_PORT:-$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')}"
server_log="$(mktemp -t landscape-lab-server.XXXXXX)"
python3 -m http.server "$port" --bind 127.0.0.1 --directory www \
  >"$server_log" 2>&1 &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$server_log"
}
trap stop_server EXIT

# Wait for the server to answer before the browser asks it anything.
export LAB_URL="http://127.0.0.1:${port}/"
for _ in $(seq 1 100); do
  if python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1)' "$LAB_URL" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the web server exited:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.1
done

echo "serving www/ at $LAB_URL"
if ! node --test tests/e2e/; then
  echo "page test failed; web server log:" >&2
  tail -n 50 "$server_log" >&2
  exit 1
fi

section "done"
echo "all checks passed in $((SECONDS - started_at)) s"
