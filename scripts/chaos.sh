#!/usr/bin/env bash
# The full chaos run: KMEET_CHAOS_MEETINGS meetings (default 10,000) against kmeet-emulator with
# 10 % injected faults of every kind; prints the figures recorded in docs/reliability.md.
# Usage: scripts/chaos.sh [MEETINGS]. CI runs the same test with 2,000 (ctest -L chaos).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kmeet_install_deps
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DKMEET_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target kmeet_chaos_test kmeet-emulator
KMEET_CHAOS_MEETINGS=${1:-${KMEET_CHAOS_MEETINGS:-10000}} "$BUILD_DIR/tests/kmeet_chaos_test" --gtest_color=no
