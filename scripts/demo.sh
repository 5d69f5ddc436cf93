#!/usr/bin/env bash
# The whole Kaltura Meetings flow in one command, offline: installs what is missing, builds kmeet,
# starts kmeet-emulator on a free port and drives it with the `kmeet` CLI: a room with settings, a
# scheduled session, join links for a moderator and an attendee, the launch page each of them
# gets, the attendance report, bulk import, and a recorded session whose recording appears after it.
# Usage: scripts/demo.sh   Env: BUILD_DIR (default build), JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kmeet_install_deps

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-2}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building kmeet (cmake, Ninja, -j${JOBS})"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target kmeet-cli kmeet-emulator

KMEET="$BUILD_DIR/tools/cli/kmeet"
EMULATOR="$BUILD_DIR/tools/emulator/kmeet-emulator"

step "Starting the Kaltura emulator"
EMU_OUT=$(mktemp)
"$EMULATOR" --port 0 >"$EMU_OUT" 2>&1 &
EMU_PID=$!
cleanup() {
  kill "$EMU_PID" 2>/dev/null || true
  wait "$EMU_PID" 2>/dev/null || true
  rm -f "$EMU_OUT"
}
trap cleanup EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$EMU_OUT" | head -n1)
  [ -n "$PORT" ] && break
  kill -0 "$EMU_PID" 2>/dev/null || { cat "$EMU_OUT" >&2; echo "demo: the emulator did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "demo: the emulator did not report its port" >&2; exit 1; }
echo "kmeet-emulator listening on port $PORT"

# The emulator's default credentials (kmeet-emulator --help).
export KALTURA_SERVICE_URL="http://127.0.0.1:$PORT"
export KALTURA_KAF_URL="http://127.0.0.1:$PORT"
export KALTURA_PARTNER_ID=${KALTURA_PARTNER_ID:-1234567}
export KALTURA_ADMIN_SECRET=${KALTURA_ADMIN_SECRET:-emulator-admin-secret}
export KALTURA_USER_SECRET=${KALTURA_USER_SECRET:-emulator-user-secret}
# A fresh HOME keeps a personal ~/.config/kmeet/config.toml out of the demo.
export HOME=$(mktemp -d)
trap 'cleanup; rm -rf "$HOME"' EXIT

json_field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" | head -n1; }

step "kmeet doctor: is the setup right?"
"$KMEET" doctor -o table

step "Create a room with settings"
echo "\$ kmeet room create --name \"Physics 101\" --set rs_room_cap=30 --set rs_show_logo=off"
ROOM_JSON=$("$KMEET" room create --name "Physics 101" --description "Lecture hall" --set rs_room_cap=30 \
  --set rs_show_logo=off -o json)
echo "$ROOM_JSON"
ROOM=$(printf '%s' "$ROOM_JSON" | json_field id)

step "Schedule a session in it (event + link in one request)"
echo "\$ kmeet event create --room $ROOM --summary \"Lecture 1: Motion\" --start +5m --end +65m --set rs_class_mode=virtual_classroom --set rec_auto_start=on"
EVENT_JSON=$("$KMEET" event create --room "$ROOM" --summary "Lecture 1: Motion" --start +5m --end +65m \
  --set rs_class_mode=virtual_classroom --set rec_auto_start=on -o json)
echo "$EVENT_JSON"
EVENT=$(printf '%s' "$EVENT_JSON" | json_field id)

step "The room's sessions"
"$KMEET" event list --room "$ROOM" -o table

step "Join links"
echo "\$ kmeet join --event $EVENT --user prof@example.edu --role moderator --first-name Ada --last-name Lovelace"
MOD_URL=$("$KMEET" join --event "$EVENT" --user prof@example.edu --role moderator --first-name Ada \
  --last-name Lovelace -o json | json_field url)
echo "moderator: $MOD_URL"
echo "\$ kmeet join --event $EVENT --user student1@example.edu --first-name Alan --last-name Turing"
ATT_URL=$("$KMEET" join --event "$EVENT" --user student1@example.edu --first-name Alan --last-name Turing \
  -o json | json_field url)
echo "attendee:  $ATT_URL"

step "What the KS inside the attendee link says"
ATT_KS=$ATT_URL  # `ks inspect` takes the whole launch URL and finds the KS in it
printf '%s\n' "$ATT_KS" | "$KMEET" ks inspect - -o table

step "Open the launch pages (who joins as what)"
page_text() { curl -fsS "$1" | sed -e 's/<[^>]*>/ /g' -e 's/[[:space:]]\+/ /g' | grep -v '^ *$' | head -n 12; }
echo "-- moderator page:"
page_text "$MOD_URL"
echo "-- attendee page:"
page_text "$ATT_URL"

step "Attendance report"
if SESSIONS=$("$KMEET" analytics sessions --room "$ROOM" -o table 2>&1); then
  echo "$SESSIONS"
  SESSION=$("$KMEET" analytics sessions --room "$ROOM" -o json | json_field id)
  [ -n "$SESSION" ] && "$KMEET" analytics attendees --session "$SESSION" --room "$ROOM" -o table
else
  echo "$SESSIONS"
fi

step "Bulk provisioning from a CSV (run twice: the second run creates nothing)"
CSV="$HOME/term.csv"
{
  echo "room_name,summary,start,end,room.rs_room_cap,event.rs_class_mode"
  for i in 1 2 3 4 5 6; do
    echo "Seminar room $(( (i - 1) / 3 + 1 )),Seminar week $i,+$((i * 24))h,+$((i * 24 + 1))h,20,webinar"
  done
} >"$CSV"
cat "$CSV"
"$KMEET" import "$CSV" --results "$HOME/results.csv" -o table
"$KMEET" import "$CSV" -o table
echo "results file:"
cut -d, -f1-4 "$HOME/results.csv"

step "Record a session, then find the recording and its link (docs/recordings.md)"
echo "\$ kmeet event create --room $ROOM --summary \"Lecture 2: Energy\" --start -1m --end +4s --record"
REC_JSON=$("$KMEET" event create --room "$ROOM" --summary "Lecture 2: Energy" --start -1m --end +4s --record -o json)
echo "$REC_JSON"
REC_EVENT=$(printf '%s' "$REC_JSON" | json_field id)
# The moderator enters; when the session's end passes, the emulator makes the recording as the
# Meetings backend would: a clone of the template, converting for a while, then READY.
curl -fsS "$("$KMEET" join --event "$REC_EVENT" --user prof@example.edu --role moderator -o json | json_field url)" >/dev/null
sleep 6
echo "\$ kmeet recording list --event $REC_EVENT"
"$KMEET" recording list --event "$REC_EVENT" -o table
echo "\$ kmeet recording wait --event $REC_EVENT --timeout 2m --poll 2s"
REC_ID=$("$KMEET" recording wait --event "$REC_EVENT" --timeout 2m --poll 2s -o json | json_field id)
"$KMEET" recording list --event "$REC_EVENT" -o table
echo "\$ kmeet recording url $REC_ID --format download"
REC_URL=$("$KMEET" recording url "$REC_ID" --format download -o table)
echo "$REC_URL"
curl -fsS -o /dev/null -w 'GET that URL: HTTP %{http_code}, %{content_type}\n' "$REC_URL"

step "Timetable sync from iCalendar: plan, apply, plan again (nothing left to do)"
ICS="$HOME/lectures.ics"
MONDAY="$(date -d 'next monday' +%Y%m%d)"
cat >"$ICS" <<ICAL
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//kmeet demo//EN
BEGIN:VEVENT
UID:physics-lecture@demo.example
DTSTAMP:${MONDAY}T000000Z
DTSTART;TZID=Europe/Berlin:${MONDAY}T091500
DTEND;TZID=Europe/Berlin:${MONDAY}T104500
RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO
SUMMARY:Physics lecture
LOCATION:Lecture hall A
END:VEVENT
END:VCALENDAR
ICAL
echo "\$ kmeet sync lectures.ics --plan -o table"
"$KMEET" sync "$ICS" --plan -o table
"$KMEET" sync "$ICS" --apply -o table
"$KMEET" sync "$ICS" --plan -o table

step "Done: every step above was the kmeet CLI against the local emulator"
