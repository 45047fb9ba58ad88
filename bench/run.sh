#!/usr/bin/env bash
# Times the engine against NumPy and PyTorch on the same work, in one go:
#
#   bench/run.sh            # at least 5 timed runs of everything after warm-up
#   bench/run.sh 9          # at least 9
#
# A workload runs more often when its runs would take less than 2 s in all
# (at most 51 runs), so that a burst of load on a shared machine moves the
# median less.
#
# Builds what it needs (the release CLI and native bench, the release wasm in
# www/pkg), exports the data, weights and directions once from the engine
# into target/bench/, then runs
#   1. the native engine (bench/native.rs),
#   2. the wasm engine in a Web Worker of headless chromium, the map drawn on
#      the main thread, and the lab page's long tasks while it trains
#      (bench/browser.mjs),
#   3. NumPy (bench/peers.py; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset
#      for this command only, since they select slower kernels),
#   4. PyTorch CPU when importable ($TORCH_PYTHON, default
#      /opt/torchenv/bin/python), on one thread and on two,
# and prints a Markdown table of medians, ratios and the targets of issue 8.
# Every peer but the 2-thread PyTorch rows runs single-threaded. No test
# needs this script.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

readonly MIN_REPEATS=5
repeats="${1:-$MIN_REPEATS}"
if ! [[ "$repeats" =~ ^[0-9]+$ ]] || ((repeats < MIN_REPEATS)); then
  echo "usage: bench/run.sh [REPEATS >= $MIN_REPEATS]" >&2
  exit 2
fi
readonly out=target/bench
readonly results="$out/results.csv"
readonly torch_python="${TORCH_PYTHON:-/opt/torchenv/bin/python}"
say() { printf 'bench: %s\n' "$*" >&2; }

# --- Build ---------------------------------------------------------------
scripts/setup.sh --build >&2
if ! command -v chromium >/dev/null || [[ ! -d node_modules/playwright-core ]]
then
  scripts/setup.sh --test >&2 # chromium and playwright-core
fi
say "building the release CLI and native bench"
cargo build --release --quiet --bin landscape-lab --example bench_native
say "building the release wasm (www/pkg)"
wasm-pack --quiet build --release --target web --out-dir www/pkg \
  --no-typescript >&2
scripts/optimize-wasm.sh

# --- Export the work once from the engine -------------------------------
rm -rf "$out"
mkdir -p "$out"/{configs,surface,digits,updates}
cli=target/release/landscape-lab
target/release/examples/bench_native --configs "$out/configs"
say "exporting data, weights, directions and the engine's values"
for pair in reference:surface digits:digits; do
  config="$out/configs/${pair%%:*}.json" dir="$out/${pair##*:}"
  "$cli" prepared --config "$config" --out "$dir/prepared.json"
  "$cli" surface --config "$config" --out "$dir" 2>>"$out/cli.log"
done
"$cli" prepared --config "$out/configs/updates.json" \
  --out "$out/updates/prepared.json"
"$cli" train --config "$out/configs/updates.json" --out "$out/updates" \
  2>>"$out/cli.log"

# Peers on one thread unless a row says otherwise.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
: >"$results"

# --- 1. Native -------------------------------------------------------------
say "native engine"
target/release/examples/bench_native "$repeats" | tail -n +2 \
  | awk -F, \
    '{ print "result," $1 ",native (release),1," $2 "," $4 ",0," $3 }' \
    >>"$results"

# --- 2. Browser ------------------------------------------------------------
port="$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory . \
  >"$out/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if python3 -c "import urllib.request as u
u.urlopen('http://127.0.0.1:$port/bench/browser/index.html')" 2>/dev/null
  then break; fi
  sleep 0.1
done
say "wasm engine and the page in headless chromium (about 2 minutes)"
node bench/browser.mjs "http://127.0.0.1:$port/" "$out" "$repeats" \
  >>"$results"
kill "$server_pid" 2>/dev/null || true

# --- 3. NumPy --------------------------------------------------------------
# NumPy from the system, else from PyTorch's environment, else installed from
# PyPI into a virtual environment under target/ (once).
numpy_python=python3
if ! python3 -c 'import numpy' 2>/dev/null; then
  if [[ -x "$torch_python" ]] && "$torch_python" -c 'import numpy' 2>/dev/null
  then
    numpy_python="$torch_python"
  else
    venv=target/bench-venv
    if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
      say "installing NumPy into $venv"
      python3 -m venv "$venv"
      "$venv/bin/pip" install --quiet numpy
    fi
    numpy_python="$venv/bin/python"
  fi
fi
say "NumPy ($numpy_python)"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
  "$numpy_python" bench/peers.py "$out" --repeats "$repeats" --only numpy \
  >>"$results"

# --- 4. PyTorch -------------------------------------------------------------
if [[ -x "$torch_python" ]] && "$torch_python" -c 'import torch' 2>/dev/null
then
  say "PyTorch, one thread"
  "$torch_python" bench/peers.py "$out" --repeats "$repeats" --only torch \
    >>"$results"
  say "PyTorch, two threads"
  OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 "$torch_python" bench/peers.py "$out" \
    --repeats "$repeats" --only torch --threads 2 --skip-naive >>"$results"
else
  echo "note,PyTorch not importable by $torch_python: its rows are skipped" \
    >>"$results"
fi

# --- Report ------------------------------------------------------------------
wasm=www/pkg/landscape_lab_bg.wasm
cpu="$(grep -m 1 'model name' /proc/cpuinfo | cut -d : -f 2 | sed 's/^ //')"
cores="$(grep -c ^processor /proc/cpuinfo)"
rust="$(rustc --version | cut -d ' ' -f 2)"
browser="$(chromium --version 2>/dev/null | head -n 1)"
echo "note,$(date -u +%F), $cpu, $cores cores; rustc $rust; $browser" \
  >>"$results"
python3 bench/report.py "$results" --wasm-bytes "$(stat -c %s "$wasm")" \
  --wasm-gzip-bytes "$(gzip -9 -c "$wasm" | wc -c)"
