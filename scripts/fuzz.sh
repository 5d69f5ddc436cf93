#!/usr/bin/env bash
# Builds kmeet's libFuzzer targets with clang + ASan + UBSan and runs each one.
# Usage: scripts/fuzz.sh [SECONDS_PER_FUZZER (default 60)] [--runs N]  e.g. scripts/fuzz.sh 0 --runs 10000000
# Seeds: fuzz/corpus/<name>/ (committed); the working corpus grows in build-fuzz/corpus/<name>/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kmeet_install_deps clang libclang-rt-14-dev

SECONDS_PER=${1:-60}
RUNS=""
if [ "${2:-}" = "--runs" ]; then RUNS=${3:?--runs needs a number}; fi
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DKMEET_BUILD_FUZZERS=ON -DKMEET_BUILD_TESTS=OFF \
  -DKMEET_BUILD_EXAMPLES=OFF -DKMEET_BUILD_BENCHMARKS=OFF -DKMEET_BUILD_TOOLS=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link $SAN" \
  -DCMAKE_EXE_LINKER_FLAGS="$SAN" >/dev/null
fuzzers=()
for src in fuzz/*_fuzz.cpp; do fuzzers+=("$(basename "$src" .cpp)"); done
cmake --build "$BUILD" -j "${JOBS:-2}" --target "${fuzzers[@]}"

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
status=0
for f in "${fuzzers[@]}"; do
  name=${f%_fuzz}
  work="$BUILD/corpus/$name"
  mkdir -p "$work"
  # CSV inputs stop at 4 KiB: longer files only repeat rows, and under ASan each extra row costs
  # the planner's per-row allocations (4x slower executions at 10 KiB).
  max_len=65536
  [ "$name" = csv_import ] && max_len=4096
  args=(-max_len=$max_len -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 "$work")
  [ -d "fuzz/corpus/$name" ] && args+=("fuzz/corpus/$name")
  if [ -n "$RUNS" ]; then args=(-runs="$RUNS" "${args[@]}"); else args=(-max_total_time="$SECONDS_PER" "${args[@]}"); fi
  echo "== $f (${RUNS:+$RUNS runs}${RUNS:-$SECONDS_PER s})"
  if ! "$BUILD/fuzz/$f" "${args[@]}" 2>"$BUILD/$f.log"; then
    echo "FAILED: $f — see $BUILD/$f.log and the crash-* file it names" >&2
    tail -40 "$BUILD/$f.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$BUILD/$f.log" | tail -2
  fi
done
exit $status
