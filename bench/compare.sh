#!/usr/bin/env bash
# Side by side, in one run, against one kmeet-emulator: Kaltura's official Node client
# (npm kaltura-client, pinned) versus kmeet, on the same workloads.
#
#   bench/compare.sh [-n MEETINGS] [-c CALLS] [-b BUILD_DIR] [--callgrind] [--no-npm-install]
#
# 1. provisioning: N meetings (room + event + link). Node: scheduleResource.add, scheduleEvent.add,
#    scheduleEventResource.add one after another per meeting. kmeet: `kmeet import FILE.csv
#    --concurrency 1 --batch 1` over a generated CSV of N rows (each row its own room), and
#    kmeet-bench's `create_meeting` loop (one multirequest per meeting).
# 2. sequential calls/s: C x system.getTime and C x scheduleResource.get, both clients.
# 3. --callgrind: client CPU instructions per call (valgrind --tool=callgrind): each client runs
#    getTime C1 and C2 times (KMEET_CALLGRIND_CALLS="C1 C2", default "100 300"); (Ir(C2) - Ir(C1)) /
#    (C2 - C1) removes start-up and most of the JIT warm-up. Node under valgrind takes minutes.
#
# Needs: node + npm (registry reachable), a build with kmeet-emulator, kmeet-bench and kmeet (CLI),
# /usr/bin/time, valgrind for --callgrind. Prints a table; every figure is from this run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
meetings=1000
calls=2000
build="$root/build"
do_callgrind=0
npm_install=1
node_client_version="21.20.0"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) meetings="$2"; shift 2 ;;
    -c) calls="$2"; shift 2 ;;
    -b) build="$(cd "$2" && pwd)"; shift 2 ;;
    --callgrind) do_callgrind=1; shift ;;
    --no-npm-install) npm_install=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

emulator_bin="$build/tools/emulator/kmeet-emulator"
bench_bin="$build/bench/load/kmeet-bench"
cli_bin="$build/tools/cli/kmeet"
for f in "$emulator_bin" "$bench_bin" "$cli_bin"; do
  [[ -x "$f" ]] || { echo "compare.sh: missing $f (build targets kmeet-emulator kmeet-bench kmeet-cli)" >&2; exit 2; }
done
command -v node >/dev/null || { echo "compare.sh: node is needed (apt-get install nodejs npm)" >&2; exit 2; }

work="${KMEET_COMPARE_DIR:-$(mktemp -d /tmp/kmeet-compare.XXXXXX)}"
emu_pid=""
cleanup() {
  if [[ -n "$emu_pid" ]]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  if [[ -z "${KMEET_COMPARE_DIR:-}" ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# --- the official Node client, pinned, in a temp folder --------------------------------------
if [[ $npm_install -eq 1 || ! -d "$work/node_modules/kaltura-client" ]]; then
  (cd "$work" && npm init -y >/dev/null 2>&1 && \
    npm install --no-audit --no-fund --loglevel=error "kaltura-client@$node_client_version" >/dev/null)
fi
cp "$here/compare/official_node.js" "$work/official_node.js"
installed="$(node -p "require('$work/node_modules/kaltura-client/package.json').version")"
[[ "$installed" == "$node_client_version" ]] || { echo "compare.sh: got kaltura-client $installed" >&2; exit 1; }

# --- one emulator for everything -----------------------------------------------------------
partner=1234567
secret=emulator-admin-secret
"$emulator_bin" --port 0 --threads 8 >"$work/emulator.out" 2>"$work/emulator.err" &
emu_pid=$!
for _ in $(seq 100); do
  grep -q '^listening ' "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
port="$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$work/emulator.out" | head -1)"
[[ -n "$port" ]] || { echo "compare.sh: the emulator did not start" >&2; cat "$work/emulator.err" >&2; exit 1; }
url="http://127.0.0.1:$port"
export KALTURA_SERVICE_URL="$url" KALTURA_PARTNER_ID="$partner" KALTURA_ADMIN_SECRET="$secret"

json_field() {  # json_field FILE KEY -> the number after "KEY": in the last line that has it
  grep -o "\"$2\": *[0-9.e+-]*" "$1" | tail -1 | cut -d: -f2 | tr -d ' '
}
# Whole-process wall seconds and peak RSS (KiB) from GNU time's -f output.
timed() {  # timed OUTFILE CMD...  (stdout -> OUTFILE, timing -> OUTFILE.time)
  local out="$1"; shift
  /usr/bin/time -f '%e %M' -o "$out.time" "$@" >"$out" 2>"$out.err"
}
wall() { cut -d' ' -f1 "$1.time"; }
rss_mib() { awk '{printf "%.1f", $2/1024}' "$1.time"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a/b; else print "n/a" }'; }

# --- 1. provisioning ------------------------------------------------------------------------
csv="$work/meetings.csv"
run_id="$(date +%s)$$"
{
  echo "room_name,summary,start,end"
  start=$(( $(date +%s) + 2 * 86400 ))
  for i in $(seq 1 "$meetings"); do
    s=$(( start + (i % 5000) * 60 ))
    echo "cmp-$run_id room $i,session $i,$s,$(( s + 3600 ))"
  done
} >"$csv"

echo "kmeet vs official Node client (kaltura-client@$installed, node $(node --version)) against kmeet-emulator $url"
echo "machine: $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

timed "$work/node_meetings" node "$work/official_node.js" "$url" "$partner" "$secret" meetings "$meetings"
node_meet_s="$(json_field "$work/node_meetings" seconds)"
timed "$work/kmeet_import" "$cli_bin" import "$csv" --concurrency 1 --batch 1 --output json
import_wall="$(wall "$work/kmeet_import")"
created="$(json_field "$work/kmeet_import" created)"
timed "$work/kmeet_single" "$bench_bin" --service-url "$url" --only meetings-single --meetings "$meetings" --json
single_s="$(json_field "$work/kmeet_single" seconds)"
single_rt="$(json_field "$work/kmeet_single" round_trips)"

printf '%-58s %10s %10s %10s\n' "provisioning $meetings meetings" "seconds" "meetings/s" "vs node"
printf '%-58s %10.2f %10.0f %10s\n' "node: 3 sequential calls per meeting (loop only)" "$node_meet_s" \
  "$(awk -v n="$meetings" -v s="$node_meet_s" 'BEGIN{print n/s}')" "1.0x"
printf '%-58s %10.2f %10.0f %10s\n' "node: whole process (start-up, session.start)" "$(wall "$work/node_meetings")" \
  "$(awk -v n="$meetings" -v s="$(wall "$work/node_meetings")" 'BEGIN{print n/s}')" "1.0x"
printf '%-58s %10.2f %10.0f %10s\n' "kmeet import --concurrency 1 --batch 1 (whole process)" "$import_wall" \
  "$(awk -v n="$meetings" -v s="$import_wall" 'BEGIN{print n/s}')" "$(ratio "$(wall "$work/node_meetings")" "$import_wall")"
printf '%-58s %10.2f %10.0f %10s\n' "kmeet create_meeting loop (kmeet-bench, loop only)" "$single_s" \
  "$(awk -v n="$meetings" -v s="$single_s" 'BEGIN{print n/s}')" "$(ratio "$node_meet_s" "$single_s")"
echo "  kmeet import created ${created:-?} of $meetings; round trips per meeting (create_meeting): $(awk -v r="$single_rt" -v n="$meetings" 'BEGIN{printf "%.2f", r/n}')"
echo "  peak RSS: node $(rss_mib "$work/node_meetings") MiB, kmeet import $(rss_mib "$work/kmeet_import") MiB"
echo

# --- 2. sequential calls/s -------------------------------------------------------------------
printf '%-58s %10s %10s %10s\n' "sequential calls ($calls each)" "seconds" "calls/s" "vs node"
for w in time get; do
  name=$([[ $w == time ]] && echo system.getTime || echo scheduleResource.get)
  timed "$work/node_$w" node "$work/official_node.js" "$url" "$partner" "$secret" "$w" "$calls"
  ns="$(json_field "$work/node_$w" seconds)"
  timed "$work/kmeet_$w" "$bench_bin" --service-url "$url" --only "$w" --calls "$calls" --json
  ks="$(json_field "$work/kmeet_$w" seconds)"
  printf '%-58s %10.2f %10.0f %10s\n' "node $name" "$ns" "$(awk -v n="$calls" -v s="$ns" 'BEGIN{print n/s}')" "1.0x"
  printf '%-58s %10.2f %10.0f %10s\n' "kmeet $name" "$ks" "$(awk -v n="$calls" -v s="$ks" 'BEGIN{print n/s}')" "$(ratio "$ns" "$ks")"
done
echo

# --- 3. client CPU instructions per call -----------------------------------------------------
if [[ $do_callgrind -eq 1 ]]; then
  command -v valgrind >/dev/null || { echo "compare.sh: valgrind is needed for --callgrind" >&2; exit 2; }
  read -r c1 c2 <<<"${KMEET_CALLGRIND_CALLS:-100 300}"
  ir() {  # ir TAG CMD... -> total instructions of the whole process (all threads)
    local tag="$1"; shift
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$tag.out" "$@" >/dev/null 2>"$work/cg.$tag.log"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.$tag.log" | tail -1
  }
  k1="$(ir k1 "$bench_bin" --service-url "$url" --only time --calls $c1)"
  k2="$(ir k2 "$bench_bin" --service-url "$url" --only time --calls $c2)"
  n1="$(ir n1 node "$work/official_node.js" "$url" "$partner" "$secret" time $c1)"
  n2="$(ir n2 node "$work/official_node.js" "$url" "$partner" "$secret" time $c2)"
  kper=$(( (k2 - k1) / (c2 - c1) ))
  nper=$(( (n2 - n1) / (c2 - c1) ))
  printf '%-58s %14s\n' "client instructions per system.getTime call (callgrind)" "Ir/call"
  printf '%-58s %14s\n' "node (Ir($c2)-Ir($c1))/$((c2 - c1)), JIT included" "$nper"
  printf '%-58s %14s %10s\n' "kmeet (Ir($c2)-Ir($c1))/$((c2 - c1))" "$kper" "$(ratio "$nper" "$kper") fewer"
fi
