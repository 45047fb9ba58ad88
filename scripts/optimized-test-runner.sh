#!/usr/bin/env bash
# A cargo runner for wasm32 test binaries: runs the test in headless
# chromium after scripts/optimize-wasm.sh, so that a browser test checks the
# engine as the page loads it (test.sh runs tests/determinism.rs this way):
#
#   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$PWD/scripts/optimized-test-runner.sh" \
#   CHROMEDRIVER="$(command -v chromedriver)" \
#     cargo test --release --target wasm32-unknown-unknown --test determinism
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 TEST.wasm [test arguments]" >&2
  exit 2
fi
test_wasm="$1"
shift
optimized="${test_wasm%.wasm}.opt.wasm"

"$(dirname "${BASH_SOURCE[0]}")/optimize-wasm.sh" "$test_wasm" "$optimized"
exec wasm-bindgen-test-runner "$optimized" "$@"
