#!/usr/bin/env bash
# `kmeet import` at scale (issue 19, docs/performance.md "Provisioning at scale"): ROWS meetings
# (one new room each) against kmeet-emulator --latency MS, one meeting per request and then in
# batches, CONCURRENCY requests in flight; prints wall time, peak RSS and the most threads the
# kmeet process had. Then, when node finds the npm kaltura-client (NODE_PATH), the official Node
# client making NODE_ROWS of the same meetings one after the other (node_sequential.js).
#
# usage: bench/load/import_at_scale.sh BUILD_DIR [ROWS=10000] [CONCURRENCY=256] [LATENCY_MS=100] [NODE_ROWS=200]
# The batched run sends BATCH (20) meetings per request with BATCH_CONCURRENCY (32) in flight
# (environment), 640 meetings in flight: 256 batches at once would hold 5,120.
# Needs: bash, awk, curl, GNU time (/usr/bin/time), optionally node.
set -euo pipefail

build=${1:?usage: $0 BUILD_DIR [ROWS] [CONCURRENCY] [LATENCY_MS] [NODE_ROWS]}
rows=${2:-10000}
concurrency=${3:-256}
latency=${4:-100}
node_rows=${5:-200}
here=$(cd "$(dirname "$0")" && pwd)
emulator=$build/tools/emulator/kmeet-emulator
kmeet=$build/tools/cli/kmeet

. "$(dirname "$0")/common.sh"
start_emulator "$latency"

# One new room per meeting, an hour apart from 2030-01-01.
awk -v n="$rows" 'BEGIN { print "room_name,summary,start,end";
  for (i = 0; i < n; i++) printf "Room %d,Lecture %d,%d,%d\n", i, i, 1893456000 + i * 3600, 1893456000 + i * 3600 + 1800 }' \
  >"$work/term.csv"

export KALTURA_SERVICE_URL=$base KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=emulator-admin-secret
export HOME=$work XDG_RUNTIME_DIR=$work

# run LABEL ARGS...: one import from an empty server.
run() {
  local label=$1
  shift
  curl -sf -X POST "$base/__emulator/reset" >/dev/null
  timed_kmeet 0.05 import "$work/term.csv" "$@" || { echo "$label: kmeet import failed:"; cat "$work/err"; return 1; }
  printf '%-34s %8s s wall  %6.1f MiB peak RSS  %2d threads  %s\n' "$label" "$wall" "$rss_mib" \
    "$most" "$(tr -d ' \n' <"$work/out")"
}

batch=${BATCH:-20}
batch_concurrency=${BATCH_CONCURRENCY:-32}
echo "kmeet import: $rows meetings, emulator --latency $latency ms"
run "1 per request, $concurrency in flight" --concurrency "$concurrency" --batch 1
run "$batch per request, $batch_concurrency in flight" --concurrency "$batch_concurrency" --batch "$batch"

if command -v node >/dev/null 2>&1 && node -e "require('kaltura-client')" 2>/dev/null; then
  curl -sf -X POST "$base/__emulator/reset" >/dev/null
  node "$here/node_sequential.js" "$base" "$node_rows" "$rows"
else
  echo "official Node client: not measured (node or the npm kaltura-client is not on NODE_PATH)"
fi
