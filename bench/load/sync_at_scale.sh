#!/usr/bin/env bash
# `kmeet sync --apply` at scale (issue 19, docs/performance.md "Sync at scale"): a CSV timetable of
# ROWS new sessions (in ROOMS shared rooms, an hour apart, so none overlaps) applied against
# kmeet-emulator --latency MS with CONCURRENCY requests in flight, BATCH sessions per request; prints
# wall time, peak RSS and the most threads the kmeet process had, then the summary line.
#
# usage: bench/load/sync_at_scale.sh BUILD_DIR [ROWS=2000] [CONCURRENCY=64] [LATENCY_MS=100] [BATCH=20] [RUNS=3]
# KMEET=path/to/kmeet measures another binary (e.g. main's) against this build's emulator. Each
# run starts from an empty server (POST /__emulator/reset).
# Needs: bash, awk, curl, GNU time (/usr/bin/time).
set -euo pipefail

build=${1:?usage: $0 BUILD_DIR [ROWS] [CONCURRENCY] [LATENCY_MS] [BATCH] [RUNS]}
rows=${2:-2000}
concurrency=${3:-64}
latency=${4:-100}
batch=${5:-20}
runs=${6:-3}
rooms=${ROOMS:-40}
emulator=$build/tools/emulator/kmeet-emulator
kmeet=${KMEET:-$build/tools/cli/kmeet}

. "$(dirname "$0")/common.sh"
start_emulator "$latency"

# ROWS sessions from 2030-01-01, an hour apart, half an hour long, in ROOMS rooms.
awk -v n="$rows" -v r="$rooms" 'BEGIN { print "key,room_name,summary,start,end";
  for (i = 0; i < n; i++) printf "s%d,Room %d,Lecture %d,%d,%d\n", i, i % r, i, 1893456000 + i * 3600, 1893456000 + i * 3600 + 1800 }' \
  >"$work/term.csv"

export KALTURA_SERVICE_URL=$base KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=emulator-admin-secret
export HOME=$work XDG_RUNTIME_DIR=$work

# One apply from an empty server.
run() {
  curl -sf -X POST "$base/__emulator/reset" >/dev/null
  timed_kmeet 0.02 sync "$work/term.csv" --apply --from 2030-01-01T00:00:00Z --to 2031-01-01T00:00:00Z \
    --concurrency "$concurrency" --batch "$batch" || { echo "kmeet sync failed:"; tail -5 "$work/err"; return 1; }
  printf '%8s s wall  %6.1f MiB peak RSS  %3d threads  %s\n' "$wall" "$rss_mib" \
    "$most" "$(grep -c '"result": "done"' "$work/out" || true) of $(grep -c '"result":' "$work/out" || true) done"
}

echo "kmeet sync --apply: $rows sessions in $rooms rooms, emulator --latency $latency ms, --concurrency $concurrency --batch $batch ($kmeet)"
for _ in $(seq "$runs"); do run; done
echo "requests: $(curl -sf "$base/__emulator/stats" | sed 's/.*"requests":\([0-9]*\).*/\1/')"
