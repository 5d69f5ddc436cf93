#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer preset: scripts/sanitize.sh asan|tsan [ctest args...]
# Meant to run before every release (CI runs the plain suite; this takes ~3x longer).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kmeet_install_deps
preset=${1:?usage: scripts/sanitize.sh asan|tsan}
shift
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset" --timeout 900 "$@"
