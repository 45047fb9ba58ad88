#!/usr/bin/env bash
# The five-seed evidence for every comparison preset, as in the README: for each preset,
# trains both runs from the same start on seeds 0..N−1 and prints mean ± sd of every
# metric and on how many seeds run A's value is the lower one.
#
#   bench/flat_vs_sharp.sh [SEEDS] [OUT_DIR]      (defaults: 5, target/flat_vs_sharp)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seeds="${1:-5}"
out="${2:-target/flat_vs_sharp}"
cargo build --release --quiet
binary=target/release/landscape-lab
for preset in flat_vs_sharp flat_vs_sharp_trained_longer sgd_vs_adam warmup_vs_no_warmup; do
  echo
  echo "### ${preset} (${seeds} seeds)"
  echo
  "$binary" compare --preset "$preset" --seeds "$seeds" --out "$out/$preset" 2>/dev/null
done
