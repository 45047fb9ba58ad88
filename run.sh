#!/usr/bin/env bash
# Builds the wasm engine and serves the page on http://127.0.0.1:${PORT}/.
#
#   ./run.sh            # port 8000
#   PORT=9000 ./run.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
port="${PORT:-8000}"

scripts/setup.sh --build

# --target web: the page loads the ES module directly, with no bundler.
wasm-pack build --release --target web --out-dir www/pkg --no-typescript
scripts/optimize-wasm.sh

# Python's server sends .wasm as application/wasm, which streaming
# compilation needs; binding to loopback keeps the lab off the network.
echo "Landscape Lab: http://127.0.0.1:${port}/"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
