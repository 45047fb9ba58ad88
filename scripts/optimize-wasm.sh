#!/usr/bin/env bash
# Shrinks a release build of the engine in place with binaryen's wasm-opt
# and prints its size before and after:
#
#   scripts/optimize-wasm.sh                 # www/pkg/landscape_lab_bg.wasm
#   scripts/optimize-wasm.sh FILE.wasm [OUT.wasm]
#
# Run it after every `wasm-pack build --release`. wasm-opt comes from the
# npm package binaryen, pinned in package.json and installed by
# scripts/setup.sh --build: Debian's binaryen is too old (its output fails to
# load), and wasm-pack's own wasm-opt step stays off in Cargo.toml because it
# would download binaryen from GitHub.
#
# -O3 rather than -Oz: -Oz's file is only 1 KB smaller gzipped, and the
# digits map took 2.2 and 3.1 s with it against 1.39 and 1.36 s with -O3
# (1.77 and 1.53 s without wasm-opt): medians of two bench/browser.mjs runs
# each on 2026-12-04. No --fast-math: floats keep IEEE semantics, so the
# optimized engine computes the same numbers (test.sh runs
# tests/determinism.rs on it).
#
# Without -g the output has no name section (140 KB): a panic's message
# still reaches the console and the page, but its stack shows function
# indices instead of Rust names. Cargo's `strip = true` would drop the names
# too, but also the target_features section, and wasm-bindgen then returns
# results through memory instead of as multiple values.
set -euo pipefail

# Paths given are relative to the caller's directory, the default to the
# repository's.
readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
readonly WASM_OPT_VERSION=132

input="$(realpath -m "${1:-$ROOT/www/pkg/landscape_lab_bg.wasm}")"
output="$(realpath -m "${2:-$input}")"
say() { printf 'wasm-opt: %s\n' "$*" >&2; }

if [[ ! -f "$input" ]]; then
  say "no $input: build the engine first (wasm-pack build --release)"
  exit 1
fi
if ! "$WASM_OPT" --version 2>/dev/null | grep -q "version $WASM_OPT_VERSION "
then
  say "$WASM_OPT is not binaryen $WASM_OPT_VERSION: run scripts/setup.sh --build"
  exit 1
fi

kilobytes() { echo "$((($1 + 512) / 1024)) KB"; }
size_of() {
  echo "$(kilobytes "$(stat -c %s "$1")"), gzip -9 $(kilobytes \
    "$(gzip -9 -c "$1" | wc -c)")"
}

before="$(size_of "$input")"
# The features are the ones rustc enabled, read from the module's
# target_features section (simd128 among them, from .cargo/config.toml).
if ! "$WASM_OPT" -O3 --strip-debug --strip-producers "$input" \
  -o "$output.tmp"; then
  rm -f "$output.tmp"
  say "failed on $input"
  exit 1
fi
mv "$output.tmp" "$output"
say "$output: $before before, $(size_of "$output") after"
