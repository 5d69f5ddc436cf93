// check_timetable: everything about a timetable that can be judged without the server.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "kmeet/validate.hpp"
#include "sync/identity.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {
namespace {

constexpr std::size_t kMaxScope = 64;
constexpr std::size_t kMaxKey = 1024;

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

Room to_room(const SyncRoom& want) {
  Room room;
  room.name = want.name;
  room.system_name = want.system_name;
  room.description = want.description;
  room.settings = want.settings;
  return room;
}

Event to_event(const SyncSession& session) {
  Event e;
  e.summary = session.summary;
  if (session.description && !session.description->empty()) e.description = session.description;
  e.start = session.start;
  e.end = session.end;
  e.settings = session.settings;
  return e;
}

namespace {

std::string where(const SyncSession& s) { return s.origin.empty() ? "key '" + s.key + "'" : s.origin; }

// The event a session becomes, checked as Events::add would (kmeet/validate.hpp).
void check_event(const SyncSession& s, std::vector<std::string>& problems) {
  try {
    validate(to_event(s));
  } catch (const ValidationError& v) {
    problems.push_back(fmt::format("{}: {}: {}", where(s), v.field(), v.reason()));
  }
}

// The room's key, and the room with its system name; problems when it cannot be a room.
std::optional<std::pair<std::string, SyncRoom>> room_of(const SyncSession& s, std::vector<std::string>& problems) {
  SyncRoom room = s.room;
  if (room.id) {
    if (!room.id->valid()) {
      problems.push_back(fmt::format("{}: room: {} is not a room id", where(s), room.id->value()));
      return std::nullopt;
    }
    return std::pair{"id:" + room.id->str(), room};
  }
  if (room.system_name.empty()) room.system_name = default_room_system_name(room.name);
  try {
    validate(to_room(room));
    if (room.system_name.find(',') != std::string::npos) {
      // Rooms are found again by a systemNameIn list, which is comma-separated (docs/protocol.md D.6).
      throw ValidationError("room.system_name", "must not contain ','");
    }
  } catch (const ValidationError& v) {
    problems.push_back(fmt::format("{}: {}: {}", where(s), v.field(), v.reason()));
    return std::nullopt;
  }
  return std::pair{"name:" + room.system_name, room};
}

// Sessions naming one room must say the same about it.
void check_same_room(const SyncSession& s, const SyncRoom& seen, const SyncRoom& room, std::vector<std::string>& problems) {
  if (seen.id) return;
  if (seen.name != room.name || seen.description != room.description || !seen.settings.same_values(room.settings)) {
    problems.push_back(fmt::format("{}: room '{}' ({}) is described differently by another session (name, description "
                                   "or settings)",
                                   where(s), room.name, room.system_name));
  }
}

}  // namespace

void check_options(const SyncOptions& o) {
  if (o.scope.empty() || o.scope.size() > kMaxScope || has_control(o.scope)) {
    throw ValidationError("scope", fmt::format("must be 1..{} bytes without control characters", kMaxScope));
  }
  if (o.concurrency < 1 || o.concurrency > 1024) throw ValidationError("concurrency", "must be 1..1024");
  if (o.batch < 1 || o.batch > 100) throw ValidationError("batch", "must be 1..100");
}

Checked check_timetable(const Timetable& t, const SyncOptions& options) {
  check_options(options);
  if (t.to <= t.from) throw ValidationError("to", "the window must end after it starts");
  Checked out;
  std::vector<std::string> problems;
  std::map<std::string, const SyncSession*> keys;
  for (const SyncSession& s : t.sessions) {
    if (s.key.empty() || s.key.size() > kMaxKey || has_control(s.key)) {
      problems.push_back(fmt::format("{}: key: must be 1..{} bytes without control characters", where(s), kMaxKey));
      continue;
    }
    if (auto [it, fresh] = keys.emplace(s.key, &s); !fresh) {
      problems.push_back(fmt::format("{}: key '{}' is used by {} too", where(s), s.key, where(*it->second)));
      continue;
    }
    const auto in = [&](Timestamp x) { return x >= t.from && x < t.to; };
    const bool in_window = in(s.start) || in(s.original_start.value_or(s.start));
    const std::string digest = key_digest(options.scope, s.key);
    if (s.cancelled) {  // only ever cancelled: its room and fields do not matter
      out.sessions.push_back(Wanted{&s, digest, {}, in_window});
      continue;
    }
    check_event(s, problems);
    const auto room = room_of(s, problems);
    if (!room) continue;
    if (auto [it, fresh] = out.rooms.emplace(room->first, room->second); !fresh) check_same_room(s, it->second, room->second, problems);
    out.sessions.push_back(Wanted{&s, digest, room->first, in_window});
  }
  if (!problems.empty()) throw TimetableError(std::move(problems));
  return out;
}

}  // namespace kmeet::detail::sync
