#!/usr/bin/env bash
# Builds the page as a folder of static files for any static host: GitHub
# Pages, a course server, a USB stick served with `python3 -m http.server`.
# Every path in it is relative, nothing comes from a CDN and nothing runs on
# the server, so it works from a sub-path (https://host/course/lab/) too.
#
#   scripts/dist.sh                  # builds the wasm, writes dist/
#   scripts/dist.sh --no-build DIR   # copies the www/pkg built already
#
# What goes in: the two pages, the style sheet, the ES modules and the
# wasm-pack output the modules import (its .gitignore, package.json and
# README stay out: a .gitignore of "*" would keep the engine out of a
# gh-pages branch). The bundled CSVs are compiled into the engine, so
# www/data is not needed.
set -euo pipefail

usage() {
  echo "usage: $0 [--no-build] [OUT_DIR]   (default OUT_DIR: dist)" >&2
  exit 2
}

build=true
out_dir=
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -h | --help) usage ;;
    -*) echo "unknown option: $arg" >&2; usage ;;
    *)
      if [[ -n "$out_dir" ]]; then usage; fi
      out_dir="$arg"
      ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
out_dir="${out_dir:-dist}"

if $build; then
  scripts/setup.sh --build
  wasm-pack build --release --target web --out-dir www/pkg --no-typescript
  scripts/optimize-wasm.sh
fi
for file in www/pkg/landscape_lab.js www/pkg/landscape_lab_bg.wasm; do
  if [[ ! -f "$file" ]]; then
    echo "missing $file: run $0 without --no-build" >&2
    exit 1
  fi
done

# A fresh folder each time, so no file of an older build lingers; but only
# an empty folder or an older build (it holds .nojekyll) is ever removed.
if [[ -d "$out_dir" && -n "$(ls -A "$out_dir")" && ! -f "$out_dir/.nojekyll" ]]; then
  echo "$out_dir is not empty and holds no earlier build; not replacing it" >&2
  exit 1
fi
rm -rf "$out_dir"
mkdir -p "$out_dir/js" "$out_dir/pkg"
cp www/index.html www/compare.html www/style.css "$out_dir/"
cp www/js/*.js "$out_dir/js/"
cp www/pkg/landscape_lab.js www/pkg/landscape_lab_bg.wasm "$out_dir/pkg/"
if [[ -d www/pkg/snippets ]]; then
  cp -r www/pkg/snippets "$out_dir/pkg/"
fi
# GitHub Pages serves the files as they are, without Jekyll.
touch "$out_dir/.nojekyll"

# A file loaded from the root of the host or from another host would break
# the page on a sub-path or offline: refuse to write such a build. (A link
# the reader clicks, <a href="https://...">, loads nothing.)
absolute="$(grep -rnE \
  "src=\"(/|[a-z]+://)|<link [^>]*href=\"(/|[a-z]+://)|url\((['\"]?)(/|[a-z]+://)|from '(/|[a-z]+:)|import\('(/|[a-z]+:)" \
  "$out_dir" --include='*.html' --include='*.css' --include='*.js' || true)"
if [[ -n "$absolute" ]]; then
  echo "absolute paths in the build; it would not run from a sub-path:" >&2
  echo "$absolute" >&2
  exit 1
fi

count="$(find "$out_dir" -type f | wc -l)"
size="$(du -sh "$out_dir" | cut -f 1)"
echo "wrote $out_dir/: $count files, $size; serve it with"
echo "  python3 -m http.server 8000 --bind 127.0.0.1 --directory $out_dir"
