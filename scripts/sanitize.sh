#!/usr/bin/env bash
# Builds and runs tests under a sanitizer (CMakePresets.json presets "asan" and "tsan"):
#
#   scripts/sanitize.sh address|thread          the async engine's tests: kmeet_scale_test (fibers,
#                                               the engine, 256 calls in flight, deadlines, throttling,
#                                               against kmeet-emulator) and kmeet_http_test (the
#                                               libcurl transport both paths share)
#   scripts/sanitize.sh address|thread --all    the whole suite
#   extra arguments go to ctest (e.g. -R AsyncEngine)
#
# address = AddressSanitizer + UndefinedBehaviorSanitizer (leaks checked at exit); thread =
# ThreadSanitizer with tests/tsan.supp. asan and tsan are accepted too. Not part of scripts/test.sh:
# an instrumented build takes 11 to 35 minutes on two shared cores (docs/async.md, "Sanitizers").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kmeet_install_deps
case "${1:-}" in
  address | asan) preset=asan ;;
  thread | tsan) preset=tsan ;;
  *)
    echo "usage: scripts/sanitize.sh address|thread [--all] [ctest args...]" >&2
    exit 2
    ;;
esac
shift
all=false
if [ "${1:-}" = "--all" ]; then
  all=true
  shift
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake --preset "$preset" "${launcher[@]}"
if $all; then
  cmake --build --preset "$preset"
  ctest --preset "$preset" --timeout 900 "$@"
else
  cmake --build --preset "$preset" --target kmeet_scale_test kmeet_http_test
  ctest --preset "$preset" --timeout 900 -L '^(scale|http)$' "$@"
fi
