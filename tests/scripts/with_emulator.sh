#!/usr/bin/env bash
# Runs a command against a fresh kmeet-emulator on a free loopback port.
#
#   with_emulator.sh EMULATOR [--meeting] -- COMMAND [ARGS...]
#
# Starts `EMULATOR --port 0`, waits for its `listening PORT` line, exports the KALTURA_* variables
# the examples read (KALTURA_SERVICE_URL, KALTURA_KAF_URL, KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET,
# KALTURA_USER_SECRET) and KMEET_EMULATOR_URL, runs COMMAND, then stops the emulator. With
# --meeting it first creates a room and a session linked to it (plain api_v3 calls with curl), lets
# sam@example.com join it through the launch page, and
# exports KMEET_ROOM_ID, KMEET_EVENT_ID and KMEET_TEST_KS (an admin KS from session.start). Exits with COMMAND's status.
set -euo pipefail
emulator="$1"
shift
meeting=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --meeting) meeting=1 ;;
    *) echo "with_emulator.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || { echo "usage: with_emulator.sh EMULATOR [--meeting] -- COMMAND..." >&2; exit 2; }

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$emulator" --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
port=""
for _ in $(seq 1 600); do  # up to 60 s on a loaded machine
  port="$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$work/emulator.out" | head -n 1)"
  [ -n "$port" ] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "with_emulator.sh: the emulator exited:" >&2
    cat "$work/emulator.err" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$port" ] || { echo "with_emulator.sh: the emulator did not print 'listening PORT'" >&2; exit 1; }

base="http://127.0.0.1:$port"
export KMEET_EMULATOR_URL="$base"
export KALTURA_SERVICE_URL="$base"
export KALTURA_KAF_URL="$base"
export KALTURA_PARTNER_ID=1234567
export KALTURA_ADMIN_SECRET=emulator-admin-secret
export KALTURA_USER_SECRET=emulator-user-secret

# POSTs a JSON body to one api_v3 action and prints the response.
api() {
  curl -sS --fail -H 'Content-Type: application/json' --data "$2" "$base/api_v3/service/$1"
}
# The first "id" number of a response.
first_id() {
  grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2
}

if [ "$meeting" = 1 ]; then
  ks="$(api session/action/start \
    "{\"format\":1,\"secret\":\"$KALTURA_ADMIN_SECRET\",\"partnerId\":$KALTURA_PARTNER_ID,\"type\":2,\"userId\":\"examples\"}" |
    tr -d '"')"
  room="$(api schedule_scheduleresource/action/add \
    "{\"format\":1,\"ks\":\"$ks\",\"scheduleResource\":{\"objectType\":\"KalturaLocationScheduleResource\",\"name\":\"Examples room\",\"tags\":\"vcprovider:newrow\"}}" |
    first_id)"
  now="$(date +%s)"
  event="$(api schedule_scheduleevent/action/add \
    "{\"format\":1,\"ks\":\"$ks\",\"scheduleEvent\":{\"objectType\":\"KalturaRecordScheduleEvent\",\"summary\":\"Examples session\",\"tags\":\"custom_rec_auto_start:1,custom_rs_show_invite:0,custom_rs_user_lang:en-US\",\"startDate\":$now,\"endDate\":$((now + 3600)),\"recurrenceType\":0}}" |
    first_id)"
  api schedule_scheduleeventresource/action/add \
    "{\"format\":1,\"ks\":\"$ks\",\"scheduleEventResource\":{\"objectType\":\"KalturaScheduleEventResource\",\"eventId\":$event,\"resourceId\":$room}}" >/dev/null
  # One attendee joins through the launch page (a user KS from session.start with the user
  # secret), so the room has a session with attendance for the analytics examples.
  user_ks="$(api session/action/start \
    "{\"format\":1,\"secret\":\"$KALTURA_USER_SECRET\",\"partnerId\":$KALTURA_PARTNER_ID,\"type\":0,\"userId\":\"sam@example.com\",\"privileges\":\"eventId:$event,role:viewerRole,userContextualRole:3,firstName:Sam\"}" |
    tr -d '"')"
  curl -sS --fail -o /dev/null -G --data-urlencode "ks=$user_ks" "$base/virtualEvent/launch"
  if [ -z "$room" ] || [ -z "$event" ]; then
    echo "with_emulator.sh: could not create the room and session" >&2
    exit 1
  fi
  # The admin KS, for examples that read a KS (inspect_ks).
  export KMEET_ROOM_ID="$room" KMEET_EVENT_ID="$event" KMEET_TEST_KS="$ks"
fi

set +e
"$@"
status=$?
set -e
exit "$status"
