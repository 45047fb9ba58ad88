#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input — CSV, run configs (also the page's URL state),
# training logs — for a bounded time each. Not part of ./test.sh: run it by hand.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]      (default 60)
#
# A crash leaves its input in fuzz/artifacts/<target>/; turn it into a regression test
# (tests/corpus.rs) before fixing it. Uses the stable toolchain with RUSTC_BOOTSTRAP for
# the sanitizer flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-60}"
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked
fi
mkdir -p corpus/csv corpus/config corpus/log
# Seed the corpora with the project's own inputs.
cp ../tests/corpus/csv/*.csv ../www/data/iris.csv corpus/csv/ 2>/dev/null || true
cut -f1 ../tests/corpus/config/expected.tsv | grep -v '^#' | split -l 1 - corpus/config/seed-
for target in csv config log; do
  echo "== fuzzing ${target} for ${seconds} s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 2>&1 | tail -n 4
done
