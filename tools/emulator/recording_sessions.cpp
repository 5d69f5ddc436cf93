// Recordings as the Meetings backend would make them (docs/protocol.md J.1): a session with a
// template entry ends -> the template is cloned into a recording (rootEntryId = the template), which
// converts for a while, then is READY; and the J.6 URLs of entries, served. docs/emulator.md.

#include <set>

#include "entries.hpp"

namespace kmeet::emulator {

namespace {

constexpr std::int64_t kConverting = 1;  // PRECONVERT (J.5)

/// Did anyone join event `event_id` (by event, or by its room during the event)?
bool someone_joined(const State& st, std::int64_t event_id, const Json& event) {
  const std::int64_t start = json_intval(event.value("startDate", Json(0)));
  const std::int64_t end = json_intval(event.value("endDate", Json(0)));
  const std::vector<std::int64_t> rooms = st.linked_resources(event_id);
  for (const RoomSession& s : st.sessions) {
    const bool in_room = std::find(rooms.begin(), rooms.end(), s.resource_id) != rooms.end();
    for (const Attendance& a : s.attendees) {
      if (a.event_id == event_id || (in_room && a.event_id == 0 && a.joined >= start && a.joined < end)) return true;
    }
  }
  return false;
}

/// The template's metadata, copied into the recording as a clone would (J.1: name, tags,
/// categories, owner...).
constexpr const char* kCopied[] = {"name",          "description",       "userId",               "creatorId",
                                   "tags",          "categoriesIds",     "referenceId",          "accessControlId",
                                   "mediaType",     "entitledUsersEdit", "entitledUsersPublish", "entitledUsersView"};

/// Makes the recording of `event_id` from its template; it converts until `ready_at`, then gets
/// `final_status`.
const StoredObject& make_recording(World& w, std::int64_t event_id, const StoredObject& tmpl, std::int64_t seconds,
                                   std::int64_t ready_at, std::int64_t final_status, bool automatic, std::int64_t now) {
  State& st = w.state;
  Json props = Json::object();
  for (const char* key : kCopied) {
    if (tmpl.props.contains(key)) props[key] = tmpl.props[key];
  }
  if (!props.contains("mediaType")) props["mediaType"] = 1;
  const std::string id = new_entry_id(st);
  props["id"] = id;
  props["partnerId"] = w.cfg.partner_id;
  props["status"] = kConverting;
  props["moderationStatus"] = 6;
  props["moderationCount"] = 0;
  props["type"] = 1;
  props["sourceType"] = "1";  // a string on the wire (J.5)
  props["createdAt"] = now;
  props["updatedAt"] = now;
  for (const char* zero : {"rank", "totalRank", "votes", "plays", "views"}) props[zero] = 0;
  props["licenseType"] = -1;
  props["version"] = 0;
  props["duration"] = seconds;
  props["msDuration"] = seconds * 1000;
  props["rootEntryId"] = tmpl.props.value("id", Json(""));
  props["__seq"] = st.next_entry_seq;
  props["__eventId"] = event_id;
  props["__readyAt"] = ready_at;
  props["__finalStatus"] = final_status;
  props["__auto"] = automatic;
  set_entry_urls(w, props, id, true);
  st.entries[id] = StoredObject{"KalturaMediaEntry", props};
  w.dirty = true;
  return st.entries[id];
}

/// Converting recordings whose time has come get their final status.
void step_converting(World& w, std::int64_t now) {
  for (auto& [id, o] : w.state.entries) {
    const auto at = o.props.find("__readyAt");
    if (at == o.props.end() || json_intval(*at) > now) continue;
    const std::int64_t final_status = json_intval(o.props.value("__finalStatus", Json(2)));
    o.props["status"] = final_status;
    o.props["updatedAt"] = json_intval(*at);
    if (final_status == 2) {
      o.props["width"] = 1280;
      o.props["height"] = 720;
      o.props["flavorParamsIds"] = "0";
      o.props["version"] = 100001;
    }
    o.props.erase("__readyAt");
    w.dirty = true;
  }
}

}  // namespace

void advance_recordings(World& w, std::int64_t now) {
  State& st = w.state;
  std::set<std::int64_t> recorded;  // events the backend recorded already: one recording per event
  for (const auto& [id, o] : st.entries) {
    if (o.props.value("__auto", false)) recorded.insert(json_intval(o.props.value("__eventId", Json(0))));
  }
  for (const auto& [event_id, e] : st.events) {
    const std::string tmpl = json_strval(e.props.value("templateEntryId", Json("")));
    if (tmpl.empty() || json_intval(e.props.value("status", Json(0))) == 3 || recorded.count(event_id) != 0) continue;
    const std::int64_t start = json_intval(e.props.value("startDate", Json(0)));
    const std::int64_t end = json_intval(e.props.value("endDate", Json(0)));
    if (end > now || !someone_joined(st, event_id, e.props)) continue;
    const StoredObject* t = active_entry(st, tmpl);
    if (t == nullptr) continue;  // nothing to clone
    make_recording(w, event_id, *t, std::max<std::int64_t>(end - start, 0), now + w.cfg.recording_delay, 2, true, now);
  }
  step_converting(w, now);
}

Json record_now(World& w, const Json& request, std::int64_t now) {
  State& st = w.state;
  const std::int64_t event_id = json_intval(request.value("eventId", Json(0)));
  const auto e = st.events.find(event_id);
  if (event_id <= 0 || e == st.events.end() || json_intval(e->second.props.value("status", Json(0))) == 3) {
    throw std::invalid_argument("eventId must name an event that exists");
  }
  const std::string tmpl = json_strval(e->second.props.value("templateEntryId", Json("")));
  const StoredObject* t = tmpl.empty() ? nullptr : active_entry(st, tmpl);
  if (t == nullptr) {
    throw std::invalid_argument("event " + std::to_string(event_id) + " has no recording template (templateEntryId '" +
                                tmpl + "' names no entry)");
  }
  const Json& props = e->second.props;
  std::int64_t seconds = json_intval(props.value("endDate", Json(0))) - json_intval(props.value("startDate", Json(0)));
  if (request.contains("durationSeconds")) seconds = json_intval(request["durationSeconds"]);
  std::int64_t delay = w.cfg.recording_delay;
  if (request.contains("readyAfterSeconds")) delay = json_intval(request["readyAfterSeconds"]);
  if (seconds < 0 || delay < 0) throw std::invalid_argument("durationSeconds and readyAfterSeconds must be >= 0");
  const bool fail = request.contains("fail") && json_intval(request["fail"]) != 0;
  const StoredObject& made = make_recording(w, event_id, *t, seconds, now + delay, fail ? -1 : 2, false, now);
  const std::string id = json_strval(made.props["id"]);
  step_converting(w, now);  // readyAfterSeconds 0: final at once
  return entry_json(st.entries[id]);
}

}  // namespace kmeet::emulator
