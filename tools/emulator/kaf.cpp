#include "kaf.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "model.hpp"

namespace kmeet::emulator {

namespace {

constexpr std::int64_t kPageSize = 30;

struct KafError {
  int status;
  std::string code;
  std::string message;
};

KafResponse error_page(const KafError& e) {
  KafResponse r;
  r.status = e.status;
  r.body = "<!DOCTYPE html>\n<html><head><title>Kaltura Meetings - cannot join</title></head><body>\n"
           "<h1>Cannot join the room</h1>\n<p id=\"error-code\">" +
           html_escape(e.code) + "</p>\n<p id=\"error\">" + html_escape(e.message) + "</p>\n</body></html>\n";
  return r;
}

KafResponse error_json(const KafError& e) {
  KafResponse r;
  r.status = e.status;
  r.content_type = "application/json";
  Json j = Json::object();
  j["status"] = "error";
  j["error"] = Json{{"code", e.code}, {"message", e.message}};
  r.body = j.dump();
  return r;
}

/// The KS privileges as KAF reads them: later duplicates win (F.6).
std::map<std::string, std::string> privileges_of(const KsInfo& info) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : info.privilege_list) {
    m[k] = v;
  }
  return m;
}

std::optional<std::string> get(const std::map<std::string, std::string>& m, const std::string& k) {
  const auto it = m.find(k);
  if (it == m.end()) {
    return std::nullopt;
  }
  return it->second;
}

bool active(const StoredObject& o) { return json_intval(o.props.value("status", Json(0))) != 3; }

std::string prop_str(const StoredObject& o, const char* key) {
  const auto it = o.props.find(key);
  return it == o.props.end() ? std::string() : json_strval(*it);
}

/// `key:value` pairs of a tags string, in order (`vcprovider:newrow`, `custom_*`...).
std::vector<std::pair<std::string, std::string>> tag_pairs(const std::string& tags) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& part : split(tags, ',')) {
    const std::string t = trim(part);
    if (t.empty()) {
      continue;
    }
    const auto colon = t.find(':');
    if (colon == std::string::npos) {
      out.emplace_back(t, "");
    } else {
      out.emplace_back(t.substr(0, colon), t.substr(colon + 1));
    }
  }
  return out;
}

bool is_newrow_room(const StoredObject& r) {
  for (const auto& [k, v] : tag_pairs(prop_str(r, "tags"))) {
    if (k == "vcprovider" && v == "newrow") {
      return true;
    }
  }
  return false;
}

std::int64_t newrow_room_id(State& st, std::int64_t resource_id) {
  auto it = st.newrow_rooms.find(resource_id);
  if (it == st.newrow_rooms.end()) {
    it = st.newrow_rooms.emplace(resource_id, st.next_newrow_room_id++).first;
  }
  return it->second;
}

bool moderator_present(const State& st, std::int64_t resource_id, std::int64_t now) {
  for (const auto& s : st.sessions) {
    if (s.resource_id != resource_id || s.end < now) {
      continue;
    }
    for (const auto& a : s.attendees) {
      if (a.user_type == "instructor" && a.left >= now) {
        return true;
      }
    }
  }
  return false;
}

/// Where a KS points: the room (resource) and, when given, the event.
struct Target {
  std::int64_t resource_id = 0;
  std::int64_t event_id = 0;
};

/// Resolves eventId / resourceId privileges to a room tagged vcprovider:newrow.
Target resolve_target(const State& st, const std::map<std::string, std::string>& privs) {
  const auto event = get(privs, "eventId");
  const auto resource = get(privs, "resourceId");
  if (!event && !resource) {
    throw KafError{400, "MISSING_EVENT_OR_RESOURCE",
                   "The KS names neither an eventId nor a resourceId privilege."};
  }
  Target t;
  if (resource) {
    if (!is_integer_string(*resource)) {
      throw KafError{400, "INVALID_RESOURCE_ID", "resourceId \"" + *resource + "\" is not a number."};
    }
    t.resource_id = php_intval(*resource);
  }
  if (event) {
    if (!is_integer_string(*event)) {
      throw KafError{400, "INVALID_EVENT_ID", "eventId \"" + *event + "\" is not a number."};
    }
    t.event_id = php_intval(*event);
    const auto ev = st.events.find(t.event_id);
    if (ev == st.events.end() || !active(ev->second)) {
      throw KafError{404, "EVENT_NOT_FOUND", "Event " + *event + " does not exist."};
    }
    if (json_intval(ev->second.props.value("status", Json(0))) == 1) {
      throw KafError{400, "EVENT_CANCELLED", "Event " + *event + " was cancelled."};
    }
    const auto rooms = st.linked_resources(t.event_id);
    if (rooms.empty()) {
      throw KafError{400, "EVENT_NOT_LINKED",
                     "Event " + *event + " is not associated with a resource (scheduleEventResource)."};
    }
    if (resource) {
      if (std::find(rooms.begin(), rooms.end(), t.resource_id) == rooms.end()) {
        throw KafError{400, "EVENT_NOT_IN_ROOM",
                       "Event " + *event + " is not linked to resource " + *resource + "."};
      }
    } else {
      // The resource is found automatically: the first linked room that is a Meetings room.
      std::int64_t chosen = 0;
      for (const auto rid : rooms) {
        const auto r = st.resources.find(rid);
        if (r != st.resources.end() && active(r->second) && is_newrow_room(r->second)) {
          chosen = rid;
          break;
        }
      }
      t.resource_id = chosen != 0 ? chosen : rooms.front();
    }
  }
  const auto r = st.resources.find(t.resource_id);
  if (r == st.resources.end() || !active(r->second)) {
    throw KafError{404, "RESOURCE_NOT_FOUND", "Resource " + std::to_string(t.resource_id) + " does not exist."};
  }
  if (!is_newrow_room(r->second)) {
    throw KafError{400, "RESOURCE_NOT_TAGGED", "Resource " + std::to_string(t.resource_id) +
                                                   " is not a meeting room: its tags lack vcprovider:newrow."};
  }
  return t;
}

KsInfo checked_ks(const World& w, const std::string& ks, std::int64_t now, int status) {
  if (ks.empty()) {
    throw KafError{status, "MISSING_KS", "No KS was given (ks query parameter)."};
  }
  const KsCheck c = w.check_ks(ks, now);
  if (!c.ok) {
    std::string why = c.reason == "EXPIRED"  ? "the KS has expired"
                      : c.reason == "LOGOUT" ? "the KS was ended (session.end) or revoked (its app token was deleted)"
                                             : "the KS is not valid for this partner (bad string or signature)";
    throw KafError{status, "INVALID_KS", "Invalid KS: " + why + " [" + c.reason + "]."};
  }
  return c.info;
}

std::string user_display_name(const std::map<std::string, std::string>& privs, const std::string& user) {
  const std::string first = get(privs, "firstName").value_or("");
  const std::string last = get(privs, "lastName").value_or("");
  std::string name = trim(first + " " + last);
  return name.empty() ? user : name;
}

std::string row(const std::string& key, const std::string& value, const std::string& id = {}) {
  return "<tr><th>" + html_escape(key) + "</th><td" + (id.empty() ? "" : " id=\"" + id + "\"") + ">" +
         html_escape(value) + "</td></tr>\n";
}

}  // namespace

namespace {

/// Who joins which room as what: the launch KS, read and checked.
struct Join {
  KsInfo info;
  std::map<std::string, std::string> privs;
  std::string role;        ///< viewerRole / adminRole
  std::string contextual;  ///< userContextualRole, default 3
  bool moderator = false;
  std::string display;
  Target t;
};

Join read_join(const World& w, const std::string& ks, std::int64_t now) {
  Join j;
  j.info = checked_ks(w, ks, now, 403);
  j.privs = privileges_of(j.info);
  const auto role = get(j.privs, "role");
  if (!role) {
    throw KafError{403, "MISSING_ROLE", "The KS has no role privilege (role:viewerRole or role:adminRole)."};
  }
  if (*role != "viewerRole" && *role != "adminRole") {
    throw KafError{403, "INVALID_ROLE", "Unknown role \"" + *role + "\": use viewerRole or adminRole."};
  }
  if (j.info.user_id.empty()) {
    throw KafError{400, "MISSING_USER", "The KS has no user id; every person needs a unique userId."};
  }
  j.role = *role;
  j.t = resolve_target(w.state, j.privs);
  j.contextual = get(j.privs, "userContextualRole").value_or("3");
  j.moderator = j.role == "adminRole";
  j.display = user_display_name(j.privs, j.info.user_id);
  return j;
}

/// Settings: the room's custom_* tags, then the event's override them (G.3).
std::vector<std::pair<std::string, std::string>> effective_settings(const StoredObject& room,
                                                                    const StoredObject* event) {
  std::vector<std::pair<std::string, std::string>> settings;
  auto apply = [&settings](const std::string& tags) {
    for (const auto& [k, v] : tag_pairs(tags)) {
      if (k.rfind("custom_", 0) != 0) {
        continue;
      }
      auto it = std::find_if(settings.begin(), settings.end(), [&](const auto& p) { return p.first == k; });
      if (it != settings.end()) {
        it->second = v;
      } else {
        settings.emplace_back(k, v);
      }
    }
  };
  apply(prop_str(room, "tags"));
  if (event != nullptr) {
    apply(prop_str(*event, "tags"));
  }
  return settings;
}

/// The room's running session (end >= now), or a new one starting now.
RoomSession& current_session(State& st, std::int64_t resource_id, std::int64_t now) {
  for (auto it = st.sessions.rbegin(); it != st.sessions.rend(); ++it) {
    if (it->resource_id == resource_id && it->end >= now) {
      return *it;
    }
  }
  RoomSession s;
  s.id = st.next_session_id++;
  s.resource_id = resource_id;
  s.start = now;
  s.end = now;
  st.sessions.push_back(std::move(s));
  return st.sessions.back();
}

/// Records the join in the analytics model (docs/emulator.md "Analytics session model").
RoomSession& record_join(World& w, const Join& j, std::int64_t now) {
  State& st = w.state;
  NewrowUser& nu = st.newrow_users[j.info.user_id];
  if (nu.id == 0) {
    nu.id = st.next_newrow_user_id++;
    nu.third_party_id = j.info.user_id;
  }
  nu.first_name = get(j.privs, "firstName").value_or(nu.first_name);
  nu.last_name = get(j.privs, "lastName").value_or(nu.last_name);
  nu.email = get(j.privs, "email").value_or(nu.email);
  nu.role = j.moderator ? "instructor" : "student";
  newrow_room_id(st, j.t.resource_id);
  RoomSession& session = current_session(st, j.t.resource_id, now);
  const std::int64_t left = now + w.cfg.attendance_seconds;
  auto att = std::find_if(session.attendees.begin(), session.attendees.end(),
                          [&](const Attendance& a) { return a.user_id == j.info.user_id; });
  if (att == session.attendees.end()) {
    Attendance a;
    a.user_id = j.info.user_id;
    a.newrow_user_id = nu.id;
    a.joined = now;
    a.left = left;
    session.attendees.push_back(a);
    att = session.attendees.end() - 1;
  } else {
    att->left = std::max(att->left, left);
  }
  att->user_type = j.moderator ? "instructor" : "student";
  att->user_name = j.display;
  att->email = nu.email;
  att->role = j.role;
  att->contextual_role = j.contextual;
  att->event_id = j.t.event_id;
  session.end = std::max(session.end, att->left);
  st.users.insert(j.info.user_id);
  ++st.joins;
  w.dirty = true;
  return session;
}

std::string waiting_page(const Join& j, const StoredObject& room) {
  return "<h1>Waiting for a moderator</h1>\n<p id=\"status\">waiting</p>\n<table>\n" +
         row("user", j.info.user_id, "user") + row("room", prop_str(room, "name"), "room-name") +
         row("room id", std::to_string(j.t.resource_id), "room-id") +
         "</table>\n<p>Attendees joining a room by resourceId enter once a moderator is present.</p>\n"
         "</body></html>\n";
}

std::string join_page(const World& w, const Join& j, const StoredObject& room, const StoredObject* event,
                      std::int64_t session_id) {
  std::string page = "<h1>" + html_escape(j.display) + " joins " + html_escape(prop_str(room, "name")) +
                     "</h1>\n<table>\n";
  page += row("user", j.info.user_id, "user");
  page += row("display name", j.display, "display-name");
  page += row("email", get(j.privs, "email").value_or(""), "email");
  page += row("role", std::string(j.moderator ? "moderator" : "attendee") + " (" + j.role + ")", "role");
  page += row("contextual role", j.contextual, "contextual-role");
  page += row("room", prop_str(room, "name"), "room-name");
  page += row("room id", std::to_string(j.t.resource_id), "room-id");
  if (event != nullptr) {
    page += row("event", prop_str(*event, "summary"), "event-summary");
    page += row("event id", std::to_string(j.t.event_id), "event-id");
    page += row("event start", prop_str(*event, "startDate"), "event-start");
    page += row("event end", prop_str(*event, "endDate"), "event-end");
  }
  page += row("session id", std::to_string(session_id), "session-id");
  if (!w.cfg.kaf_base.empty()) {
    page += row("KAF", w.cfg.kaf_base, "kaf");
  }
  page += "</table>\n<h2>Settings</h2>\n<table id=\"settings\">\n";
  for (const auto& [k, v] : effective_settings(room, event)) {
    page += row(k, url_decode(v, false), "setting-" + k);
  }
  return page + "</table>\n</body></html>\n";
}

}  // namespace

KafResponse kaf_launch(World& w, const std::string& ks, std::int64_t now) {
  std::lock_guard<std::mutex> lock(w.mu);
  State& st = w.state;
  try {
    const Join j = read_join(w, ks, now);
    const StoredObject& room = st.resources.at(j.t.resource_id);
    const StoredObject* event = j.t.event_id != 0 ? &st.events.at(j.t.event_id) : nullptr;
    const std::string head = "<!DOCTYPE html>\n<html><head><title>Kaltura Meetings - " +
                             html_escape(prop_str(room, "name")) + "</title></head><body>\n";
    if (event == nullptr && !j.moderator && !moderator_present(st, j.t.resource_id, now)) {
      return KafResponse{200, "text/html; charset=utf-8", head + waiting_page(j, room)};
    }
    const RoomSession& session = record_join(w, j, now);
    return KafResponse{200, "text/html; charset=utf-8", head + join_page(w, j, room, event, session.id)};
  } catch (const KafError& e) {
    return error_page(e);
  }
}

namespace {

std::int64_t param_int(const Json& params, const char* key, std::int64_t def) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
    return def;
  }
  return json_intval(*it);
}

Json page_envelope(const char* key, const std::vector<Json>& all, std::int64_t page) {
  const auto total = static_cast<std::int64_t>(all.size());
  Json items = Json::array();
  for (std::int64_t i = page * kPageSize; i < total && i < (page + 1) * kPageSize; ++i) {
    items.push_back(all[static_cast<std::size_t>(i)]);
  }
  Json data = Json::object();
  data[key] = std::move(items);
  data["total_count"] = total;
  data["next_page"] = (page + 1) * kPageSize < total ? std::to_string(page + 1) : std::string();
  return Json{{"status", "success"}, {"data", std::move(data)}};
}

/// A duration as the GUIDE's records carry it: minutes with 4 decimals, as a string
/// (1498 s -> "24.9667", 32 s -> "0.5333"; MySQL's division, rounded half up).
std::string minutes(std::int64_t seconds) {
  const std::int64_t s = std::max<std::int64_t>(0, seconds);
  const std::int64_t ten_thousandths = (s * 10000 * 2 + 60) / 120;
  return fmt::format("{}.{:04d}", ten_thousandths / 10000, ten_thousandths % 10000);
}

Json user_json(const NewrowUser& u) {
  Json j = Json::object();
  j["id"] = std::to_string(u.id);
  j["third_party_id"] = u.third_party_id;
  j["email"] = u.email;
  j["first_name"] = u.first_name;
  j["last_name"] = u.last_name;
  j["role"] = u.role;
  return j;
}

/// One analytics request: the room it is about and its common parameters.
struct Query {
  State& st;
  Target t;
  Json params;
  std::int64_t page = 0;
  std::int64_t from = INT64_MIN;
  std::int64_t to = INT64_MAX;
  std::string room_str;  ///< t.resource_id as a string
};

std::string room_name(const State& st, std::int64_t rid) {
  const auto r = st.resources.find(rid);
  return r == st.resources.end() ? std::string() : prop_str(r->second, "name");
}

Json session_json(State& st, const RoomSession& s) {
  // GUIDE: an object keyed by the KAF user id, JSON-encoded into a string:
  // "{\"203\":{\"role\":\"admin\",\"name\":\"Denis Sicun\"}}".
  Json instructors = Json::object();
  for (const auto& a : s.attendees) {
    if (a.user_type == "instructor") {
      instructors[std::to_string(a.newrow_user_id)] = Json{{"role", "admin"}, {"name", a.user_name}};
    }
  }
  Json j = Json::object();
  j["id"] = std::to_string(s.id);
  j["room_id"] = std::to_string(newrow_room_id(st, s.resource_id));
  j["third_party_room_id"] = std::to_string(s.resource_id);
  j["room_name"] = room_name(st, s.resource_id);
  j["date_start"] = std::to_string(s.start);
  j["date_end"] = std::to_string(s.end);
  j["duration"] = minutes(s.end - s.start);
  j["type"] = "room";
  j["instructors"] = instructors.dump();
  j["participants_count"] = std::to_string(s.attendees.size());
  return j;
}

Json sessions(Query& q) {
  const std::string tp =
      q.params.contains("third_party_room_id") ? json_strval(q.params["third_party_room_id"]) : q.room_str;
  std::vector<Json> all;
  for (const auto& s : q.st.sessions) {
    if (s.resource_id != q.t.resource_id || (!tp.empty() && tp != q.room_str) || s.start < q.from || s.start > q.to) {
      continue;
    }
    all.push_back(session_json(q.st, s));
  }
  return page_envelope("sessions", all, q.page);
}

Json attendance_json(const RoomSession& s, const Attendance& a, bool third_party) {
  Json j = Json::object();
  j["session_id"] = std::to_string(s.id);
  j["user_id"] = std::to_string(a.newrow_user_id);
  if (third_party) {
    j["lti_user_id"] = a.user_id;
  }
  j["user_type"] = a.user_type;
  j["user_name"] = a.user_name;
  j["user_email"] = a.email;
  if (third_party) {
    j["lti_user_email"] = a.email;
  }
  j["time_joined"] = std::to_string(a.joined);
  j["time_left"] = std::to_string(a.left);
  j["duration"] = minutes(a.left - a.joined);
  j["attention"] = "100%";
  return j;
}

Json session_attendees(Query& q) {
  if (!q.params.contains("session_id")) {
    throw KafError{400, "MISSING_PARAM", "session_id is required."};
  }
  const std::int64_t sid = json_intval(q.params["session_id"]);
  const auto s = std::find_if(q.st.sessions.begin(), q.st.sessions.end(),
                              [&](const RoomSession& x) { return x.id == sid; });
  if (s == q.st.sessions.end() || s->resource_id != q.t.resource_id) {
    throw KafError{404, "SESSION_NOT_FOUND",
                   "Session " + std::to_string(sid) + " does not exist in room " + q.room_str + "."};
  }
  const bool third_party = param_int(q.params, "include_third_party_data", 0) == 1;
  std::vector<Json> all;
  for (const auto& a : s->attendees) {
    if (a.joined >= q.from && a.joined <= q.to) {
      all.push_back(attendance_json(*s, a, third_party));
    }
  }
  return page_envelope("session_attendance", all, q.page);
}

Json room_messages(Query& q) {
  const std::string tp =
      q.params.contains("third_party_room_id") ? json_strval(q.params["third_party_room_id"]) : q.room_str;
  const std::string type = q.params.contains("type") ? json_strval(q.params["type"]) : std::string();
  std::vector<Json> all;
  for (const auto& m : q.st.messages) {
    if (m.resource_id != q.t.resource_id || tp != q.room_str || (!type.empty() && m.type != type) ||
        m.time < q.from || m.time > q.to) {
      continue;
    }
    Json j = Json::object();
    j["id"] = std::to_string(m.id);
    j["third_party_user_id"] = m.third_party_user_id;
    j["user_name"] = m.user_name;
    j["message"] = m.message;
    j["type"] = m.type;
    j["date"] = std::to_string(m.time);
    all.push_back(std::move(j));
  }
  return page_envelope("messages", all, q.page);
}

Json rooms(Query& q) {
  std::vector<Json> all;
  for (const auto& [rid, r] : q.st.resources) {
    if (!active(r) || !is_newrow_room(r)) {
      continue;
    }
    Json j = Json::object();
    j["id"] = std::to_string(newrow_room_id(q.st, rid));
    j["third_party_id"] = std::to_string(rid);
    j["name"] = prop_str(r, "name");
    all.push_back(std::move(j));
  }
  return page_envelope("rooms", all, q.page);
}

Json users(Query& q) {
  std::vector<const NewrowUser*> list;
  for (const auto& [k, u] : q.st.newrow_users) {
    list.push_back(&u);
  }
  std::sort(list.begin(), list.end(), [](const NewrowUser* a, const NewrowUser* b) { return a->id < b->id; });
  std::vector<Json> all;
  for (const NewrowUser* u : list) {
    all.push_back(user_json(*u));
  }
  return page_envelope("users", all, q.page);
}

Json user(Query& q, const std::string& id) {
  const NewrowUser* found = nullptr;
  for (const auto& [k, u] : q.st.newrow_users) {
    if (std::to_string(u.id) == id) {
      found = &u;
    }
  }
  if (found == nullptr) {
    throw KafError{404, "USER_NOT_FOUND", "User " + id + " does not exist."};
  }
  return Json{{"status", "success"}, {"data", user_json(*found)}};
}

/// The `api` privilege: URL-encoded `{"method":"GET","action":...,"params":{...}}` (G.2).
Json read_api_request(const std::map<std::string, std::string>& privs) {
  const auto api = get(privs, "api");
  if (!api) {
    throw KafError{400, "MISSING_API", "The KS has no api privilege."};
  }
  const Json req = Json::parse(url_decode(*api, false), nullptr, false);
  if (!req.is_object() || !req.contains("action") || !req["action"].is_string()) {
    throw KafError{400, "INVALID_API", "The api privilege is not URL-encoded JSON with an action."};
  }
  if (to_lower(req.value("method", std::string("GET"))) != "get") {
    throw KafError{405, "INVALID_METHOD", "Only method GET is supported."};
  }
  if (!get(privs, "role")) {
    throw KafError{403, "MISSING_ROLE", "The KS has no role privilege."};
  }
  return req;
}

Json run_analytics(Query& q, const std::string& action) {
  if (action == "analytics/sessions") return sessions(q);
  if (action == "analytics/session-attendees") return session_attendees(q);
  if (action == "analytics/room-messages") return room_messages(q);
  if (action == "rooms") return rooms(q);
  if (action == "users") return users(q);
  if (action.rfind("users/", 0) == 0) return user(q, action.substr(6));
  throw KafError{404, "UNKNOWN_ACTION", "Unknown analytics action \"" + action + "\"."};
}

}  // namespace

KafResponse kaf_api(World& w, const std::string& ks, std::int64_t now) {
  std::lock_guard<std::mutex> lock(w.mu);
  try {
    const KsInfo info = checked_ks(w, ks, now, 401);
    const auto privs = privileges_of(info);
    const Json req = read_api_request(privs);
    Query q{w.state, resolve_target(w.state, privs), Json::object()};
    if (req.contains("params") && req["params"].is_object()) {
      q.params = req["params"];
    }
    q.page = std::max<std::int64_t>(0, param_int(q.params, "page", 0));
    q.from = param_int(q.params, "from_date", INT64_MIN);
    q.to = param_int(q.params, "to_date", INT64_MAX);
    q.room_str = std::to_string(q.t.resource_id);
    const Json out = run_analytics(q, req["action"].get<std::string>());
    return KafResponse{200, "application/json", out.dump()};
  } catch (const KafError& e) {
    return error_json(e);
  }
}

std::string add_message(World& w, std::int64_t resource_id, const std::string& type, const std::string& user_id,
                        const std::string& user_name, const std::string& text, std::int64_t now) {
  std::lock_guard<std::mutex> lock(w.mu);
  State& st = w.state;
  const auto r = st.resources.find(resource_id);
  if (r == st.resources.end() || !active(r->second)) {
    return "unknown resource";
  }
  if (type != "questions" && type != "public" && type != "moderators") {
    return "type must be questions, public or moderators";
  }
  st.messages.push_back(Message{st.next_message_id++, resource_id, type, user_id, user_name, text, now});
  w.dirty = true;
  return {};
}

}  // namespace kmeet::emulator
