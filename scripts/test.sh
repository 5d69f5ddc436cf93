#!/usr/bin/env bash
# Installs what is missing, builds kmeet with its tests, and runs every test with ctest.
# Usage: scripts/test.sh [extra cmake -D options]. Env: BUILD_DIR (default build), JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kmeet_install_deps

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-2}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKMEET_BUILD_TESTS=ON "$@"
cmake --build "$BUILD_DIR" -j "$JOBS"
ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure --timeout 600
