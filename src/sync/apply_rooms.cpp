// apply_sync, rooms: the rooms the plan needs and does not find are made first, unless only one
// new session uses them (then its create request makes it, rolled back with the session).
#include <fmt/format.h>

#include "sync/apply_internal.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {

void Applier::prepare_rooms() {
  std::map<std::string, std::size_t> uses;  // system name -> sessions needing it
  std::map<std::string, const SyncRoom*> rooms;
  for (const SyncCreate& c : plan_.create) {
    if (!c.session.room.id) ++uses[c.session.room.system_name], rooms[c.session.room.system_name] = &c.session.room;
  }
  std::set<std::string> by_update;
  for (const SyncUpdate& u : plan_.update) {
    if (u.session.room.id) continue;
    const auto& changes = u.changes;
    if (std::find(changes.begin(), changes.end(), SyncField::room) == changes.end()) continue;
    by_update.insert(u.session.room.system_name);
    rooms[u.session.room.system_name] = &u.session.room;
  }
  std::vector<const SyncRoom*> to_make;
  for (const auto& [name, room] : rooms) {
    if (uses[name] == 1 && !by_update.contains(name)) {
      inline_rooms_.insert(name);
    } else {
      to_make.push_back(room);
    }
  }
  in_flight_for(
      client_, to_make.size(), options_.concurrency, [&](std::size_t k) { make_room(*to_make[k]); },
      [&](std::size_t k, const std::exception_ptr& e) {
        std::lock_guard lock(mutex_);
        room_errors_[to_make[k]->system_name] = message_of(e);
      });
}

void Applier::make_room(const SyncRoom& want) {
  if (stop_) throw Error("not sent: " + stop_reason_);
  RoomId id;
  try {
    id = client_.rooms().add(to_room(want)).id;
  } catch (const ApiError& e) {
    stop_on(std::current_exception());
    if (e.code() != "SYSTEM_NAME_ALREADY_EXISTS") throw;
    // Made since the plan was read (another run, or by hand): use it.
    RoomFilter f;
    f.tags_like.reset();
    f.system_name = want.system_name;
    const auto found = client_.rooms().list(f).items;
    if (found.empty()) throw;
    if (!found.front().settings.newrow) {
      throw ValidationError("room", fmt::format("room {} ('{}') is not a Kaltura Meetings room", found.front().id.value(),
                                                want.system_name));
    }
    id = found.front().id;
  }
  std::lock_guard lock(mutex_);
  room_ids_[want.system_name] = id;
}

std::optional<RoomId> Applier::room_id(const SyncRoom& room, std::string& why) const {
  if (room.id) return room.id;
  if (const auto it = room_ids_.find(room.system_name); it != room_ids_.end()) return it->second;
  const auto err = room_errors_.find(room.system_name);
  why = fmt::format("room '{}' ({}) could not be made: {}", room.name, room.system_name,
                    err != room_errors_.end() ? err->second : "unknown error");
  return std::nullopt;
}

}  // namespace kmeet::detail::sync
