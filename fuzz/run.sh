#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input — CSV, run configs, the page's links (hash →
# config → the engine's check, and back), training logs — for a bounded time each. Not
# part of ./test.sh: run it by hand.
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
mkdir -p corpus/csv corpus/config corpus/log corpus/url_state
# Seed the corpora with the project's own inputs.
cp ../tests/corpus/csv/*.csv ../www/data/iris.csv corpus/csv/ 2>/dev/null || true
cut -f1 ../tests/corpus/config/expected.tsv | grep -v '^#' | split -l 1 - corpus/config/seed-
# The same configs, and two valid ones, as the page writes them into a link's hash.
cut -f1 ../tests/corpus/config/expected.tsv | grep -v '^#' | python3 -c '
import sys, urllib.parse
valid = ["{}", "{\"data\": {\"source\": \"moons\"}, \"epochs\": 2}"]
for number, config in enumerate(valid + sys.stdin.read().splitlines()):
    hash = urllib.parse.urlencode({"config": config, "open": "settings",
                                   "speed": "40", "smoothing": "0.6"})
    with open(f"corpus/url_state/seed-{number:03}", "w") as file:
        file.write(hash)
'
for target in csv config url_state log; do
  echo "== fuzzing ${target} for ${seconds} s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 2>&1 | tail -n 4
done
