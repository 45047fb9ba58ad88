#!/usr/bin/env bash
# Installs what Landscape Lab needs, and only what is missing, so that a
# second run takes seconds.
#
#   scripts/setup.sh --build   wasm32 target, wasm-pack, wasm-bindgen-cli,
#                              the npm dependencies (binaryen's wasm-opt)
#   scripts/setup.sh --test    the above, plus rustfmt, clippy, chromium
#                              and chromedriver
#
# Called by run.sh and test.sh; safe to run by hand any number of times.
set -euo pipefail

readonly WASM_PACK_VERSION=0.15.1
readonly WASM_TARGET=wasm32-unknown-unknown
readonly MIN_NODE_MAJOR=20 # playwright-core 1.65 needs Node.js 20
readonly WASM_OPT_VERSION=132 # binaryen, pinned in package.json

usage() {
  echo "usage: $0 [--build] [--test]" >&2
  exit 2
}

want_build=false
want_test=false
for arg in "$@"; do
  case "$arg" in
    --build) want_build=true ;;
    --test) want_build=true want_test=true ;; # tests build the wasm too
    -h | --help) usage ;;
    *) echo "unknown argument: $arg" >&2; usage ;;
  esac
done
if ! $want_build; then usage; fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# No test tool may fetch a browser of its own: the network is closed to
# anything but package registries, and Debian's chromium is the browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUPPETEER_SKIP_DOWNLOAD=1

say() { printf 'setup: %s\n' "$*"; }

# Second word of a tool's `--version` line ("wasm-pack 0.15.1"), or empty.
tool_version() {
  "$@" --version 2>/dev/null | awk 'NR == 1 { print $2 }' || true
}

# Major version of a "Chromium 156.0..." / "ChromeDriver 156.0..." line.
major_of() {
  "$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -n 1 \
    | cut -d . -f 1 || true
}

# --- Prerequisites ----------------------------------------------------------
# Checked first, so that a machine where we cannot install them fails fast
# with one list of what to do instead of after minutes of compiling.

apt_packages=()
if ! command -v python3 >/dev/null; then apt_packages+=(python3); fi
if $want_test; then
  if ! command -v chromium >/dev/null; then apt_packages+=(chromium); fi
  if ! command -v chromedriver >/dev/null; then
    apt_packages+=(chromium-driver)
  fi
fi

# Things apt cannot provide: Debian 12's rustc (1.63) and nodejs (18) are
# too old for this crate and for playwright-core. The build needs Node.js
# too: wasm-opt is binaryen's npm package.
todo=()
if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
  todo+=("install rustup with the stable toolchain: https://rustup.rs")
fi
node_major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' \
  || true)"
if [[ -z "$node_major" ]] || ((node_major < MIN_NODE_MAJOR)) \
  || ! command -v npm >/dev/null; then
  todo+=("install Node.js >= $MIN_NODE_MAJOR with npm (found: ${node_major:-none})")
fi

can_apt=false
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  can_apt=true
fi
if ((${#apt_packages[@]} > 0)) && ! $can_apt; then
  todo+=("sudo apt-get update && sudo apt-get install -y ${apt_packages[*]}")
fi

if ((${#todo[@]} > 0)); then
  say "missing prerequisites; do this, then run $0 again:" >&2
  printf '  %s\n' "${todo[@]}" >&2
  exit 1
fi

if ((${#apt_packages[@]} > 0)); then
  say "installing ${apt_packages[*]} with apt-get"
  # The package lists may be stale or absent on a fresh machine. Recommends
  # stay on: they bring the fonts that canvas text is drawn with.
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}"
fi

if $want_test; then
  # chromedriver only drives a chromium of its own major version.
  chromium_major="$(major_of chromium)"
  driver_major="$(major_of chromedriver)"
  if [[ -z "$chromium_major" || "$chromium_major" != "$driver_major" ]]; then
    say "chromium (${chromium_major:-none}) and chromedriver" \
      "(${driver_major:-none}) must share a major version;" \
      "apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi

# --- Rust toolchain pieces --------------------------------------------------

if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
  say "adding the $WASM_TARGET target"
  rustup target add "$WASM_TARGET"
fi

if $want_test; then
  components=()
  if ! cargo fmt --version >/dev/null 2>&1; then components+=(rustfmt); fi
  if ! cargo clippy --version >/dev/null 2>&1; then components+=(clippy); fi
  if ((${#components[@]} > 0)); then
    say "adding ${components[*]}"
    rustup component add "${components[@]}"
  fi
fi

# --- wasm-pack --------------------------------------------------------------

if [[ "$(tool_version wasm-pack)" != "$WASM_PACK_VERSION" ]]; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

# --- wasm-bindgen-cli -------------------------------------------------------
# Must equal the wasm-bindgen in Cargo.lock, or wasm-pack tries to download
# one, fails, and falls back to a slow unlocked build in its own cache.

if [[ ! -f Cargo.lock ]]; then
  say "no Cargo.lock yet: generating it"
  cargo generate-lockfile
fi

# Cargo.lock lists `name = "..."` then `version = "..."` per [[package]].
bindgen_versions="$(awk '
  /^\[\[package\]\]/ { name = "" }
  $1 == "name" { name = $3; gsub(/"/, "", name) }
  $1 == "version" && name == "wasm-bindgen" { v = $3; gsub(/"/, "", v); print v }
' Cargo.lock)"
if [[ -z "$bindgen_versions" ]]; then
  say "Cargo.lock has no wasm-bindgen package; is it a dependency?" >&2
  exit 1
fi
if [[ "$bindgen_versions" == *$'\n'* ]]; then
  say "Cargo.lock has several wasm-bindgen versions:" $bindgen_versions >&2
  exit 1
fi
bindgen_version="$bindgen_versions"

if [[ "$(tool_version wasm-bindgen)" != "$bindgen_version" ]] \
  || [[ "$(tool_version wasm-bindgen-test-runner)" != "$bindgen_version" ]]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
  # Deliberately without --locked: the unlocked build is the one measured
  # to work with this toolchain on these machines.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# --- npm dependencies -------------------------------------------------------
# binaryen (wasm-opt, for the build) and playwright-core (the page tests).
# npm records what it installed in node_modules/.package-lock.json; when
# that is older than package.json or package-lock.json, or wasm-opt is not
# the pinned version, reinstall.

stamp=node_modules/.package-lock.json
if [[ ! -f "$stamp" || package.json -nt "$stamp" \
  || (-f package-lock.json && package-lock.json -nt "$stamp") ]] \
  || ! node_modules/.bin/wasm-opt --version 2>/dev/null \
    | grep -q "version $WASM_OPT_VERSION "; then
  say "installing the npm dependencies"
  # --ignore-scripts: no install hook gets a chance to fetch a browser.
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --ignore-scripts
  else
    npm install --no-audit --no-fund --ignore-scripts
  fi
  touch "$stamp"
fi

summary="wasm-pack $WASM_PACK_VERSION, wasm-bindgen $bindgen_version"
summary+=", wasm-opt $WASM_OPT_VERSION"
if $want_test; then
  summary+=", $(chromium --version 2>/dev/null | awk '{ print $1, $2 }')"
  summary+=", node $(node --version)"
fi
say "ready: $summary"
