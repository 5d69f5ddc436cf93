#!/usr/bin/env bash
# Runs COMMAND, prints its output, and fails unless it exits 0 and its stdout matches every PATTERN
# (grep -E) and none of the --not patterns.
#
#   expect.sh [-e PATTERN]... [--not PATTERN]... -- COMMAND [ARGS...]
set -uo pipefail
want=()
reject=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    -e) want+=("$2"); shift 2 ;;
    --not) reject+=("$2"); shift 2 ;;
    *) echo "expect.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shift
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$@" >"$out"
status=$?
cat "$out"
if [ "$status" -ne 0 ]; then
  echo "expect.sh: '$1' exited with $status" >&2
  exit 1
fi
for pattern in "${want[@]+"${want[@]}"}"; do
  grep -Eq -- "$pattern" "$out" || { echo "expect.sh: output lacks /$pattern/" >&2; exit 1; }
done
for pattern in "${reject[@]+"${reject[@]}"}"; do
  if grep -Eq -- "$pattern" "$out"; then
    echo "expect.sh: output must not match /$pattern/" >&2
    exit 1
  fi
done
