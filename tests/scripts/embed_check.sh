#!/usr/bin/env bash
# The embed example in a real browser (run inside with_emulator.sh --meeting):
#
#   embed_check.sh EMBED_APP CHROMIUM OUT_DIR
#
# Starts EMBED_APP on a free port, checks the page's iframe snippet (curl), opens the page for a
# moderator and for an attendee in headless Chromium (screenshots OUT_DIR/embed-moderator.png and
# OUT_DIR/embed-attendee.png), and checks through the emulator's /__emulator/objects that the
# launch page inside each iframe was loaded with the right user, role and contextual role.
set -euo pipefail
app="$1"
chromium="$2"
out="$3"
: "${KMEET_EMULATOR_URL:?run me inside with_emulator.sh --meeting}"
: "${KMEET_EVENT_ID:?run me inside with_emulator.sh --meeting}"
mkdir -p "$out"
work="$(mktemp -d)"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "embed_check.sh: $*" >&2
  exit 1
}

"$app" --port 0 >"$work/app.out" 2>"$work/app.err" &
app_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$work/app.out" | head -n 1)"
  [ -n "$port" ] && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.err" >&2; fail "the embed app exited"; }
  sleep 0.1
done
[ -n "$port" ] || fail "the embed app did not print 'listening PORT'"
app_url="http://127.0.0.1:$port"

# 1. The page itself: the guide's iframe snippet around a launch URL on the configured KAF.
curl -sS --fail -o "$work/page.html" \
  "$app_url/meeting?user=probe@example.com&role=attendee&event=$KMEET_EVENT_ID"
grep -q "<iframe src=\"$KALTURA_KAF_URL/virtualEvent/launch?ks=" "$work/page.html" ||
  fail "no iframe with the launch URL in the page: $(cat "$work/page.html")"
grep -q 'allow="microphone \*; camera \*; speakers \*; usermedia \*; autoplay \*; fullscreen \*; display-capture \*;"' \
  "$work/page.html" || fail "the iframe lacks the guide's allow list"
status="$(curl -sS -o /dev/null -w '%{http_code}' "$app_url/meeting?user=x&role=owner&event=$KMEET_EVENT_ID")"
[ "$status" = 400 ] || fail "a bad role gave HTTP $status, expected 400"

# 2. A browser loads the page and the launch page inside its iframe.
browse() {  # browse NAME QUERY
  local profile="$work/profile-$1"
  timeout 180 "$chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --user-data-dir="$profile" \
    --hide-scrollbars --window-size=1200,820 --virtual-time-budget=10000 \
    --screenshot="$out/embed-$1.png" "$app_url/meeting?$2" >"$work/chromium-$1.log" 2>&1 ||
    { cat "$work/chromium-$1.log" >&2; fail "chromium failed on the $1 page"; }
  [ -s "$out/embed-$1.png" ] || fail "no screenshot for the $1 page"
}
browse moderator "user=ada@example.com&role=moderator&event=$KMEET_EVENT_ID&first_name=Ada&last_name=Lovelace"
browse attendee "user=max@example.com&role=attendee&event=$KMEET_EVENT_ID&first_name=Max"

# 3. The emulator recorded both joins, each with the right user and role.
curl -sS --fail -o "$work/objects.json" "$KMEET_EMULATOR_URL/__emulator/objects"
expect_join() {  # expect_join USER ROLE CONTEXTUAL_ROLE NAME
  local record
  record="$(grep -o "{[^{}]*\"user_id\":\"$1\"[^{}]*}" "$work/objects.json" | head -n 1)"
  [ -n "$record" ] || fail "the emulator recorded no join of $1: $(cat "$work/objects.json")"
  for want in "\"role\":\"$2\"" "\"contextual_role\":\"$3\"" "\"user_name\":\"$4\"" "\"event_id\":$KMEET_EVENT_ID"; do
    case "$record" in
      *"$want"*) ;;
      *) fail "join of $1 lacks $want: $record" ;;
    esac
  done
  echo "joined: $record"
}
expect_join ada@example.com adminRole 0 "Ada Lovelace"
expect_join max@example.com viewerRole 3 "Max"
if grep -q '"user_id":"probe@example.com"' "$work/objects.json"; then
  fail "curl's page load joined the room (only a browser should load the iframe)"
fi
echo "embed: screenshots in $out/embed-moderator.png and $out/embed-attendee.png"
