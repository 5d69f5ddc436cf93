#!/usr/bin/env bash
# Checks formatting (clang-format --dry-run -Werror) and runs clang-tidy on src/ and include/.
# Usage: scripts/lint.sh [--fix-format] [--format-only] [BUILD_DIR]   (BUILD_DIR default: build)
# clang-tidy needs BUILD_DIR/compile_commands.json (the build exports it). Public headers are checked
# through the translation units that include them (HeaderFilterRegex in .clang-tidy).
# Env: JOBS (default 2). Exit status 1 when anything is reported. Not part of CI.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
fix=0
format_only=0
build="build"
for arg in "$@"; do
  case "$arg" in
    --fix-format) fix=1 ;;
    --format-only) format_only=1 ;;
    *) build="$arg" ;;
  esac
done
jobs="${JOBS:-2}"
status=0

mapfile -t files < <(find src include -name '*.cpp' -o -name '*.hpp' | sort)
echo "lint: clang-format on ${#files[@]} files"
if [ "$fix" = 1 ]; then
  clang-format -i "${files[@]}"
elif ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "lint: formatting differs (scripts/lint.sh --fix-format rewrites the files)" >&2
  status=1
fi

if [ "$format_only" = 0 ]; then
  if [ ! -f "$build/compile_commands.json" ]; then
    echo "lint: $build/compile_commands.json is missing: configure first (cmake -S . -B $build)" >&2
    exit 1
  fi
  mapfile -t sources < <(find src -name '*.cpp' | sort)
  echo "lint: clang-tidy on ${#sources[@]} sources (and the headers they include)"
  log="$(mktemp)"
  printf '%s\n' "${sources[@]}" |
    xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet >"$log" 2>/dev/null
  if grep -E -q 'warning:|error:' "$log"; then
    grep -E 'warning:|error:' "$log" | sort -u
    echo "lint: clang-tidy: $(grep -E -c 'warning:|error:' "$log") findings" >&2
    status=1
  fi
  rm -f "$log"
fi
[ "$status" = 0 ] && echo "lint: clean"
exit "$status"
