# Sourced by the load scripts (needs $emulator and $kmeet set).
#
# start_emulator LATENCY_MS: starts kmeet-emulator on a free port with that latency in a fresh
# $work directory, stops it and removes $work on exit, and sets $base to its URL.
start_emulator() {
  work=$(mktemp -d)
  emu_pid=
  trap 'if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
  "$emulator" --port 0 --latency "$1" >"$work/emulator.out" 2>"$work/emulator.err" &
  emu_pid=$!
  for _ in $(seq 100); do
    if grep -q '^listening ' "$work/emulator.out" 2>/dev/null; then break; fi
    sleep 0.05
  done
  base=http://127.0.0.1:$(awk '/^listening /{print $2; exit}' "$work/emulator.out")
}

# timed_kmeet INTERVAL ARGS...: runs `kmeet ARGS` under GNU time (stdout in $work/out, stderr in
# $work/err), sampling its thread count every INTERVAL seconds; sets $wall (s), $rss_mib (peak
# RSS) and $most (the most threads seen). Fails when kmeet does.
timed_kmeet() {
  local interval=$1 timer pid n
  shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$kmeet" "$@" >"$work/out" 2>"$work/err" &
  timer=$!
  most=0
  while kill -0 "$timer" 2>/dev/null; do
    pid=$(pgrep -P "$timer" || true)
    if [ -n "$pid" ] && [ -d "/proc/$pid/task" ]; then
      n=$(ls "/proc/$pid/task" 2>/dev/null | wc -l) || n=0  # the process may end between the test and ls
      if [ "$n" -gt "$most" ]; then most=$n; fi
    fi
    sleep "$interval"
  done
  wait "$timer" || return 1
  local rss_kb
  read -r wall rss_kb <"$work/time"
  rss_mib=$(awk -v k="$rss_kb" 'BEGIN{print k/1024}')
}
