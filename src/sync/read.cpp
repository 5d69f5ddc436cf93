// read_actual: rooms, this scope's events (in the window, and by key), their links, and the
// other events of the rooms in use. List calls only.
#include <algorithm>

#include <fmt/format.h>

#include "sync/identity.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {
namespace {

template <class T>
std::vector<std::vector<T>> chunks(const std::vector<T>& all) {
  std::vector<std::vector<T>> out;
  for (std::size_t at = 0; at < all.size(); at += kMaxIn) {
    out.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at),
                     all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), at + kMaxIn)));
  }
  return out;
}

Room checked_room(const Room& r, const std::string& what) {
  if (!r.settings.newrow) {
    throw ValidationError("room", fmt::format("{} (room {}) is not a Kaltura Meetings room (no vcprovider:newrow tag)",
                                              what, r.id.value()));
  }
  return r;
}

void read_rooms(const Client& client, const Checked& checked, Actual& out) {
  std::vector<std::string> names;
  std::vector<RoomId> ids;
  for (const auto& [key, room] : checked.rooms) {
    if (room.id) {
      ids.push_back(*room.id);
    } else {
      names.push_back(room.system_name);
    }
  }
  for (const auto& part : chunks(names)) {
    RoomFilter f;
    f.tags_like.reset();  // any location resource under the name: a non-Meetings one is refused below
    f.system_name_in = part;
    for (const Room& r : client.rooms().list_all(f)) {
      if (r.system_name) out.rooms["name:" + *r.system_name] = checked_room(r, "room '" + *r.system_name + "'");
    }
  }
  for (const auto& part : chunks(ids)) {
    RoomFilter f;
    f.tags_like.reset();
    f.id_in = part;
    for (const Room& r : client.rooms().list_all(f)) out.rooms["id:" + r.id.str()] = checked_room(r, "room");
  }
  for (RoomId id : ids) {
    if (!out.rooms.contains("id:" + id.str())) {
      throw ValidationError("room", fmt::format("room {} does not exist", id.value()));
    }
  }
}

void add_event(Actual& out, const Event& e, const std::string& scope) {
  const auto ref = parse_reference(e.reference_id.value_or(""), scope);
  if (!ref) return;
  auto& list = out.by_digest[ref->key_digest];
  if (std::none_of(list.begin(), list.end(), [&](const Event& x) { return x.id == e.id; })) list.push_back(e);
}

void read_window(const Client& client, const Timetable& t, const std::string& scope, Actual& out) {
  EventFilter f;
  f.start_date_gte = t.from;
  f.start_date_lte = t.to - std::chrono::seconds{1};
  for (const Event& e : client.events().list_all(f)) {
    if (!parse_reference(e.reference_id.value_or(""), scope)) continue;
    add_event(out, e, scope);
    out.in_window.insert(e.id);
  }
}

// Events of the timetable's keys the window did not show (moved out of it, or outside it), one
// generation at a time: a key whose newest event is cancelled may have a newer generation.
std::map<std::string, int> keys_to_look_up(const Checked& checked, const std::string& scope, const Actual& out,
                                           const std::map<std::string, int>& asked) {
  std::map<std::string, int> next;  // digest -> generation to look up
  for (const Wanted& w : checked.sessions) {
    int want = 1;
    if (const auto it = out.by_digest.find(w.digest); it != out.by_digest.end()) {
      const Event* cur = current_event(it->second, scope);
      if (cur->status != EventStatus::cancelled) continue;
      want = generation_of(*cur, scope) + 1;
    }
    const auto seen = asked.find(w.digest);
    if (want <= kMaxGeneration && (seen == asked.end() || seen->second < want)) next[w.digest] = want;
  }
  return next;
}

void read_keys(const Client& client, const Checked& checked, const std::string& scope, Actual& out) {
  std::map<std::string, int> asked;
  for (auto next = keys_to_look_up(checked, scope, out, asked); !next.empty();
       next = keys_to_look_up(checked, scope, out, asked)) {
    std::vector<std::string> refs;
    for (const auto& [digest, generation] : next) {
      refs.push_back(reference_of(scope, digest, generation));
      asked[digest] = generation;
    }
    for (const auto& part : chunks(refs)) {
      EventFilter f;
      f.reference_id_in = part;
      for (const Event& e : client.events().list_all(f)) add_event(out, e, scope);
    }
  }
}

void read_links(const Client& client, Actual& out) {
  std::vector<EventId> ids;
  for (const auto& [digest, events] : out.by_digest) {
    for (const Event& e : events) ids.push_back(e.id);
  }
  for (const auto& part : chunks(ids)) {
    LinkFilter f;
    f.event_id_in = part;
    for (const EventRoomLink& l : client.links().list_all(f)) out.links[l.event_id].push_back(l.room_id);
  }
}

void read_room_events(const Client& client, const Timetable& t, Actual& out) {
  for (const auto& [key, room] : out.rooms) {
    EventFilter f;
    f.type = EventListType::any;
    f.room = room.id;
    f.status = EventStatus::active;
    f.start_date_lte = t.to;
    f.end_date_gte = t.from;
    out.room_events[room.id] = client.events().list_all(f).to_vector();
  }
}

}  // namespace

int generation_of(const Event& event, const std::string& scope) {
  const auto ref = parse_reference(event.reference_id.value_or(""), scope);
  return ref ? ref->generation : 0;
}

const Event* current_event(const std::vector<Event>& events, const std::string& scope) {
  const Event* best = nullptr;
  auto rank = [&](const Event& e) {
    // Higher generation first, then active before cancelled, then the lowest id.
    return std::tuple(generation_of(e, scope), e.status == EventStatus::active ? 1 : 0, -e.id.value());
  };
  for (const Event& e : events) {
    if (best == nullptr || rank(e) > rank(*best)) best = &e;
  }
  return best;
}

Actual read_actual(const Client& client, const Timetable& t, const Checked& checked, const std::string& scope) {
  Actual out;
  read_rooms(client, checked, out);
  read_window(client, t, scope, out);
  read_keys(client, checked, scope, out);
  read_links(client, out);
  read_room_events(client, t, out);
  return out;
}

}  // namespace kmeet::detail::sync
