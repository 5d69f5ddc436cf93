// The JSON of a sync plan and its results (docs/sync.md), and its rows for tables and CSV.
#include "cli/sync_report.hpp"

#include <fmt/format.h>

#include "cli/timefmt.hpp"

namespace kmeet::cli {
namespace {

Json seconds(const std::optional<Timestamp>& t) { return t ? Json(t->time_since_epoch().count()) : Json(); }
Json seconds(Timestamp t) { return Json(t.time_since_epoch().count()); }
Json optional_text(const std::optional<std::string>& s) { return s ? Json(*s) : Json(); }

// `{"id":42|null,"name":...,"systemName":...}`: a null id is a room the apply makes; name and
// system name are null for a room given by id only.
Json room_json(const SyncRoom& room) {
  Json j;
  j["id"] = room.id ? Json(room.id->value()) : Json();
  j["name"] = room.name.empty() ? Json() : Json(room.name);
  j["systemName"] = room.system_name.empty() ? Json() : Json(room.system_name);
  return j;
}

void add_result(Json& item, const SyncResult* result, const std::vector<SyncItemResult>* list, std::size_t i) {
  if (result == nullptr || list == nullptr || i >= list->size()) return;
  const SyncItemResult& r = (*list)[i];
  static constexpr const char* kNames[] = {"done", "failed", "conflict"};
  item["result"] = kNames[static_cast<int>(r.status)];
  if (r.event && !item.contains("id")) item["id"] = r.event->value();
  if (r.status != SyncStatus::done) item["error"] = r.message;
}

Json create_json(const SyncCreate& c) {
  Json j;
  j["key"] = c.session.key;
  j["summary"] = c.session.summary;
  j["startDate"] = seconds(c.session.start);
  j["endDate"] = seconds(c.session.end);
  j["room"] = room_json(c.session.room);
  j["referenceId"] = c.reference_id;
  j["source"] = c.session.origin;
  return j;
}

// The tags an update writes: the timetable's settings, the event's unknown tags kept.
std::string new_tags(const SyncUpdate& u) {
  EventSettings s = u.session.settings;
  s.extra = u.current.settings.extra;
  s.read_order.clear();
  return s.to_tags();
}

Json change_json(const SyncUpdate& u, SyncField f) {
  const SyncSession& s = u.session;
  switch (f) {
    case SyncField::summary: return Json::array({u.current.summary, s.summary});
    case SyncField::description: return Json::array({optional_text(u.current.description), optional_text(s.description)});
    case SyncField::start: return Json::array({seconds(u.current.start), seconds(s.start)});
    case SyncField::end: return Json::array({seconds(u.current.end), seconds(s.end)});
    case SyncField::settings: return Json::array({u.current.tags, new_tags(u)});
    case SyncField::room: {
      Json old = Json::array();
      for (RoomId id : u.current_rooms) old.push_back(id.value());
      return Json::array({old, room_json(s.room)});
    }
  }
  return Json();
}

Json update_json(const SyncUpdate& u) {
  Json j;
  j["id"] = u.current.id.value();
  j["key"] = u.session.key;
  j["summary"] = u.session.summary;
  Json changes = Json::object();
  for (SyncField f : u.changes) changes[std::string(to_string(f))] = change_json(u, f);
  j["changes"] = std::move(changes);
  j["source"] = u.session.origin;
  return j;
}

Json removal_json(const SyncRemoval& r) {
  Json j;
  j["id"] = r.current.id.value();
  j["key"] = optional_text(r.key);
  j["summary"] = r.current.summary;
  j["startDate"] = seconds(r.current.start);
  j["endDate"] = seconds(r.current.end);
  j["referenceId"] = optional_text(r.current.reference_id);
  j["reason"] = r.cancelled_by_source ? "cancelled in the timetable"
                : r.key                ? "a second event of this session"
                                       : "no longer in the timetable";
  return j;
}

Json side_json(const SyncConflict::Side& s) {
  Json j;
  j["key"] = optional_text(s.key);
  j["id"] = s.event ? Json(s.event->value()) : Json();
  j["summary"] = s.summary;
  j["startDate"] = seconds(s.start);
  j["endDate"] = seconds(s.end);
  return j;
}

template <class T, class F>
Json list_json(const std::vector<T>& items, F to_json, const SyncResult* result, const std::vector<SyncItemResult>* list) {
  Json out = Json::array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    Json j = to_json(items[i]);
    add_result(j, result, list, i);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

Json sync_document(const SyncPlan& plan, const SyncResult* result) {
  Json doc;
  doc["create"] = list_json(plan.create, create_json, result, result ? &result->create : nullptr);
  doc["update"] = list_json(plan.update, update_json, result, result ? &result->update : nullptr);
  doc["cancel"] = list_json(plan.cancel, removal_json, result, result ? &result->cancel : nullptr);
  doc["delete"] = list_json(plan.remove, removal_json, result, result ? &result->remove : nullptr);
  doc["unchanged"] = plan.unchanged;
  doc["kept"] = plan.kept;
  Json conflicts = Json::array();
  for (const SyncConflict& c : plan.conflicts) {
    Json j;
    j["room"] = {{"id", c.room_id ? Json(c.room_id->value()) : Json()}, {"name", c.room}};
    j["sessions"] = Json::array();
    for (const SyncConflict::Side& side : c.sessions) j["sessions"].push_back(side_json(side));
    j["count"] = c.count;
    conflicts.push_back(std::move(j));
  }
  doc["conflicts"] = std::move(conflicts);
  doc["window"] = {{"from", seconds(plan.from)}, {"to", seconds(plan.to)}, {"scope", plan.scope}};
  return doc;
}

}  // namespace kmeet::cli

namespace kmeet::cli {
namespace {

std::string room_text(const Json& room) {
  if (room.is_null()) return {};
  const std::string name = room["name"].is_null() ? std::string() : room["name"].get<std::string>();
  if (room["id"].is_null()) return name + " (new)";
  return name.empty() ? "room " + room["id"].dump() : name;
}

std::string value_text(const Json& v, const std::string& field) {
  if (v.is_null()) return "(none)";
  if (v.is_number_integer() && (field == "startDate" || field == "endDate")) {
    return format_iso(Timestamp{std::chrono::seconds{v.get<std::int64_t>()}});
  }
  if (v.is_string()) return v.get<std::string>().empty() ? "(none)" : v.get<std::string>();
  if (v.is_object()) return room_text(v);
  if (v.is_array()) {  // the rooms an event is linked to
    std::string out;
    for (const auto& id : v) out += (out.empty() ? "room " : ", ") + id.dump();
    return out.empty() ? "(no room)" : out;
  }
  return v.dump();
}

std::string changes_text(const Json& changes) {
  std::string out;
  for (const auto& [field, pair] : changes.items()) {
    out += fmt::format("{}{}: {} -> {}", out.empty() ? "" : "; ", field, value_text(pair[0], field),
                       value_text(pair[1], field));
  }
  return out;
}


Json row(const std::string& action, const Json& item) {
  Json r;
  r["action"] = action;
  r["id"] = item.contains("id") ? item["id"] : Json();
  r["key"] = item.contains("key") ? item["key"] : Json();
  r["summary"] = item.value("summary", std::string());
  // An update shows the session's new times when it moves.
  const Json* changes = item.contains("changes") ? &item["changes"] : nullptr;
  for (const char* t : {"startDate", "endDate"}) {
    r[t] = item.contains(t) ? item[t] : (changes != nullptr && changes->contains(t) ? (*changes)[t][1] : Json());
  }
  r["room"] = item.contains("room") ? room_text(item["room"]) : std::string();
  r["detail"] = item.contains("changes") ? changes_text(item["changes"]) : item.value("reason", std::string());
  std::string result = item.value("result", std::string());
  if (item.contains("error")) result += ": " + item["error"].get<std::string>();
  r["result"] = result;
  return r;
}

std::string side_text(const Json& s) {
  const std::string who = s["key"].is_null() ? "event " + s["id"].dump() : "key " + s["key"].get<std::string>();
  return fmt::format("{} ({}, {} to {})", who, s["summary"].get<std::string>(),
                     value_text(s["startDate"], "startDate"), value_text(s["endDate"], "endDate"));
}

// `A overlaps B`, or for a larger cluster `A overlaps 4 others: B, C, D (and 1 more)`.
std::string conflict_text(const Json& c) {
  const Json& sessions = c["sessions"];
  const auto count = c["count"].get<std::size_t>();
  if (count == 2 && sessions.size() == 2) return side_text(sessions[0]) + " overlaps " + side_text(sessions[1]);
  constexpr std::size_t kShown = 3;
  std::string out = fmt::format("{} overlaps {} others: ", side_text(sessions[0]), count - 1);
  for (std::size_t i = 1; i < sessions.size() && i <= kShown; ++i) out += (i > 1 ? ", " : "") + side_text(sessions[i]);
  if (count - 1 > kShown) out += fmt::format(" (and {} more)", count - 1 - kShown);
  return out;
}

}  // namespace

Json sync_rows(const Json& doc) {
  Json rows = Json::array();
  for (const char* action : {"create", "update", "cancel", "delete"}) {
    for (const auto& item : doc[action]) rows.push_back(row(action, item));
  }
  for (const auto& c : doc["conflicts"]) {
    Json r = row("conflict", c["sessions"][0]);
    r["room"] = c["room"]["name"].get<std::string>() + (c["room"]["id"].is_null() ? " (new)" : "");
    r["detail"] = conflict_text(c);
    rows.push_back(std::move(r));
  }
  return rows;
}

const std::vector<Column>& sync_columns() {
  static const std::vector<Column> kColumns = {
      {"action", "ACTION"},   {"id", "EVENT"}, {"key", "KEY"},   {"summary", "SUMMARY"}, {"startDate", "START"},
      {"endDate", "END"},     {"room", "ROOM"}, {"detail", "DETAIL"}, {"result", "RESULT"}};
  return kColumns;
}

std::string sync_summary(const Json& doc, bool applied) {
  auto count = [&](const char* action, const char* result) {
    std::size_t n = 0;
    for (const auto& item : doc[action]) n += item.value("result", std::string()) == result ? 1 : 0;
    return n;
  };
  std::string out = fmt::format("{} to create, {} to update, {} to cancel, {} to delete, {} unchanged",
                                doc["create"].size(), doc["update"].size(), doc["cancel"].size(),
                                doc["delete"].size(), doc["unchanged"].get<std::size_t>());
  if (doc["kept"].get<std::size_t>() > 0) out += fmt::format(", {} kept", doc["kept"].get<std::size_t>());
  out += fmt::format(", {} conflict{}", doc["conflicts"].size(), doc["conflicts"].size() == 1 ? "" : "s");
  if (applied) {
    std::size_t failed = 0, conflicts = 0;
    for (const char* action : {"create", "update", "cancel", "delete"}) {
      failed += count(action, "failed");
      conflicts += count(action, "conflict");
    }
    out += fmt::format("; applied: {} failed, {} changed on the server since the plan", failed, conflicts);
  }
  return out;
}

}  // namespace kmeet::cli
