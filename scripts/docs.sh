#!/usr/bin/env bash
# Builds the API reference (Doxygen, from include/kmeet) into OUT (default build/docs) and fails on
# any Doxygen warning. Usage: scripts/docs.sh [OUT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/build/docs}"
if ! command -v doxygen >/dev/null 2>&1; then
  echo "docs.sh: doxygen is not installed (scripts/deps.sh installs it)" >&2
  exit 1
fi
mkdir -p "$out"
version="$(sed -n 's/^project(kmeet VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
rm -f "$out/warnings.log"
status=0
KMEET_DOCS_OUT="$out" KMEET_VERSION="$version" KMEET_SOURCE_DIR="$root" \
  doxygen "$root/docs/Doxyfile" || status=$?
if [ -s "$out/warnings.log" ]; then
  echo "docs.sh: Doxygen warnings:" >&2
  cat "$out/warnings.log" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "docs.sh: doxygen failed ($status)" >&2
  exit "$status"
fi
echo "docs.sh: API reference in $out/html/index.html (0 warnings)"
