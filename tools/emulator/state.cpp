#include "state.hpp"

#include <algorithm>

namespace kmeet::emulator {

namespace {

Json objects_to_json(const std::map<std::int64_t, StoredObject>& m) {
  Json a = Json::array();
  for (const auto& [id, o] : m) {
    a.push_back(Json{{"id", id}, {"cls", o.cls}, {"props", o.props}});
  }
  return a;
}

std::map<std::int64_t, StoredObject> objects_from_json(const Json& a) {
  std::map<std::int64_t, StoredObject> m;
  if (!a.is_array()) {
    return m;
  }
  for (const auto& e : a) {
    m[e.at("id").get<std::int64_t>()] = StoredObject{e.at("cls").get<std::string>(), e.at("props")};
  }
  return m;
}

template <class T>
T get_or(const Json& j, const char* key, T def) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? def : it->get<T>();
}

}  // namespace

std::vector<std::int64_t> State::linked_resources(std::int64_t event_id) const {
  std::vector<const Link*> ls;
  for (const auto& [k, l] : links) {
    if (l.event_id == event_id) {
      ls.push_back(&l);
    }
  }
  std::sort(ls.begin(), ls.end(), [](const Link* a, const Link* b) { return a->seq < b->seq; });
  std::vector<std::int64_t> out;
  for (const Link* l : ls) {
    out.push_back(l->resource_id);
  }
  return out;
}

Json State::to_json() const {
  Json j = Json::object();
  j["version"] = 1;
  j["next_resource_id"] = next_resource_id;
  j["next_event_id"] = next_event_id;
  j["next_link_seq"] = next_link_seq;
  j["next_session_id"] = next_session_id;
  j["next_newrow_user_id"] = next_newrow_user_id;
  j["next_newrow_room_id"] = next_newrow_room_id;
  j["next_message_id"] = next_message_id;
  j["resources"] = objects_to_json(resources);
  j["events"] = objects_to_json(events);
  Json links_j = Json::array();
  for (const auto& [k, l] : links) {
    links_j.push_back(Json{{"eventId", l.event_id}, {"resourceId", l.resource_id},
                           {"createdAt", l.created_at}, {"updatedAt", l.updated_at}, {"seq", l.seq}});
  }
  j["links"] = std::move(links_j);
  j["logged_out"] = logged_out;
  j["users"] = users;
  Json rooms = Json::array();
  for (const auto& [res, room] : newrow_rooms) {
    rooms.push_back(Json{{"resourceId", res}, {"roomId", room}});
  }
  j["newrow_rooms"] = std::move(rooms);
  Json nu = Json::array();
  for (const auto& [k, u] : newrow_users) {
    nu.push_back(Json{{"id", u.id}, {"third_party_id", u.third_party_id}, {"email", u.email},
                      {"first_name", u.first_name}, {"last_name", u.last_name}, {"role", u.role}});
  }
  j["newrow_users"] = std::move(nu);
  Json ss = Json::array();
  for (const auto& s : sessions) {
    Json att = Json::array();
    for (const auto& a : s.attendees) {
      att.push_back(Json{{"user_id", a.user_id}, {"newrow_user_id", a.newrow_user_id},
                         {"user_type", a.user_type}, {"user_name", a.user_name}, {"email", a.email},
                         {"role", a.role}, {"contextual_role", a.contextual_role},
                         {"event_id", a.event_id}, {"joined", a.joined}, {"left", a.left}});
    }
    ss.push_back(Json{{"id", s.id}, {"resource_id", s.resource_id}, {"start", s.start},
                      {"end", s.end}, {"attendees", std::move(att)}});
  }
  j["sessions"] = std::move(ss);
  Json ms = Json::array();
  for (const auto& m : messages) {
    ms.push_back(Json{{"id", m.id}, {"resource_id", m.resource_id}, {"type", m.type},
                      {"third_party_user_id", m.third_party_user_id}, {"user_name", m.user_name},
                      {"message", m.message}, {"time", m.time}});
  }
  j["messages"] = std::move(ms);
  j["joins"] = joins;
  Json es = Json::array();
  for (const auto& [id, o] : entries) {
    es.push_back(Json{{"id", id}, {"cls", o.cls}, {"props", o.props}});
  }
  j["entries"] = std::move(es);
  j["next_entry_seq"] = next_entry_seq;
  Json tokens = Json::array();
  for (const auto& [id, t] : app_tokens) {
    tokens.push_back(Json{{"props", t.props}, {"seq", t.seq}, {"deleted_at", t.deleted_at}});
  }
  j["app_tokens"] = std::move(tokens);
  j["next_app_token_seq"] = next_app_token_seq;
  j["invalidated_session_ids"] = invalidated_session_ids;
  return j;
}

State State::from_json(const Json& j) {
  State s;
  s.next_resource_id = get_or<std::int64_t>(j, "next_resource_id", s.next_resource_id);
  s.next_event_id = get_or<std::int64_t>(j, "next_event_id", s.next_event_id);
  s.next_link_seq = get_or<std::int64_t>(j, "next_link_seq", s.next_link_seq);
  s.next_session_id = get_or<std::int64_t>(j, "next_session_id", s.next_session_id);
  s.next_newrow_user_id = get_or<std::int64_t>(j, "next_newrow_user_id", s.next_newrow_user_id);
  s.next_newrow_room_id = get_or<std::int64_t>(j, "next_newrow_room_id", s.next_newrow_room_id);
  s.next_message_id = get_or<std::int64_t>(j, "next_message_id", s.next_message_id);
  s.resources = objects_from_json(j.value("resources", Json::array()));
  s.events = objects_from_json(j.value("events", Json::array()));
  for (const auto& l : j.value("links", Json::array())) {
    Link link{l.at("eventId").get<std::int64_t>(), l.at("resourceId").get<std::int64_t>(),
              l.at("createdAt").get<std::int64_t>(), l.at("updatedAt").get<std::int64_t>(),
              l.at("seq").get<std::int64_t>()};
    s.links[{link.event_id, link.resource_id}] = link;
  }
  for (const auto& k : j.value("logged_out", Json::array())) {
    s.logged_out.insert(k.get<std::string>());
  }
  for (const auto& u : j.value("users", Json::array())) {
    s.users.insert(u.get<std::string>());
  }
  for (const auto& r : j.value("newrow_rooms", Json::array())) {
    s.newrow_rooms[r.at("resourceId").get<std::int64_t>()] = r.at("roomId").get<std::int64_t>();
  }
  for (const auto& u : j.value("newrow_users", Json::array())) {
    NewrowUser nu{u.at("id").get<std::int64_t>(), u.at("third_party_id").get<std::string>(),
                  u.at("email").get<std::string>(), u.at("first_name").get<std::string>(),
                  u.at("last_name").get<std::string>(), u.at("role").get<std::string>()};
    s.newrow_users[nu.third_party_id] = nu;
  }
  for (const auto& sj : j.value("sessions", Json::array())) {
    RoomSession rs;
    rs.id = sj.at("id").get<std::int64_t>();
    rs.resource_id = sj.at("resource_id").get<std::int64_t>();
    rs.start = sj.at("start").get<std::int64_t>();
    rs.end = sj.at("end").get<std::int64_t>();
    for (const auto& a : sj.value("attendees", Json::array())) {
      Attendance at;
      at.user_id = a.at("user_id").get<std::string>();
      at.newrow_user_id = a.at("newrow_user_id").get<std::int64_t>();
      at.user_type = a.at("user_type").get<std::string>();
      at.user_name = a.at("user_name").get<std::string>();
      at.email = a.at("email").get<std::string>();
      at.role = a.at("role").get<std::string>();
      at.contextual_role = a.at("contextual_role").get<std::string>();
      at.event_id = a.at("event_id").get<std::int64_t>();
      at.joined = a.at("joined").get<std::int64_t>();
      at.left = a.at("left").get<std::int64_t>();
      rs.attendees.push_back(std::move(at));
    }
    s.sessions.push_back(std::move(rs));
  }
  for (const auto& m : j.value("messages", Json::array())) {
    s.messages.push_back(Message{m.at("id").get<std::int64_t>(), m.at("resource_id").get<std::int64_t>(),
                                 m.at("type").get<std::string>(),
                                 m.at("third_party_user_id").get<std::string>(),
                                 m.at("user_name").get<std::string>(),
                                 m.at("message").get<std::string>(), m.at("time").get<std::int64_t>()});
  }
  s.joins = get_or<std::int64_t>(j, "joins", 0);
  for (const auto& e : j.value("entries", Json::array())) {
    s.entries[e.at("id").get<std::string>()] = StoredObject{e.at("cls").get<std::string>(), e.at("props")};
  }
  s.next_entry_seq = get_or<std::int64_t>(j, "next_entry_seq", s.next_entry_seq);
  for (const auto& t : j.value("app_tokens", Json::array())) {
    AppTokenRecord r{t.at("props"), t.at("seq").get<std::int64_t>(), get_or<std::int64_t>(t, "deleted_at", 0)};
    s.app_tokens[r.props.at("id").get<std::string>()] = std::move(r);
  }
  s.next_app_token_seq = get_or<std::int64_t>(j, "next_app_token_seq", s.next_app_token_seq);
  for (const auto& id : j.value("invalidated_session_ids", Json::array())) {
    s.invalidated_session_ids.insert(id.get<std::string>());
  }
  return s;
}

}  // namespace kmeet::emulator
