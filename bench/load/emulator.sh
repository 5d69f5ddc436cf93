# Sourced by the load scripts: start_emulator LATENCY_MS starts kmeet-emulator ($emulator) on a free
# port with that latency in a fresh $work directory, stops it and removes $work on exit, and sets
# $base to its URL.
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
