// find_conflicts: sessions of one room at overlapping times.
#include <algorithm>

#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {
namespace {

struct Slot {
  SyncConflict::Side side;
  bool ours = false;  ///< a session of the timetable (pairs of other events are not reported)
};

SyncConflict::Side side_of(const Wanted& w, const Actual& actual, const std::string& scope) {
  SyncConflict::Side side{w.session->key, std::nullopt, w.session->summary, w.session->start, w.session->end};
  if (const auto it = actual.by_digest.find(w.digest); it != actual.by_digest.end()) {
    const Event* cur = current_event(it->second, scope);
    if (cur != nullptr && cur->status == EventStatus::active) side.event = cur->id;
  }
  return side;
}

void close_cluster(std::vector<Slot>::const_iterator begin, std::vector<Slot>::const_iterator end,
                   const std::optional<RoomId>& room_id, const std::string& room, std::vector<SyncConflict>& out) {
  const auto count = static_cast<std::size_t>(end - begin);
  if (count < 2 || std::none_of(begin, end, [](const Slot& s) { return s.ours; })) return;
  SyncConflict c{room_id, room, {}, count};
  c.sessions.reserve(std::min(count, SyncConflict::kMaxListed));
  for (auto it = begin; it != end && c.sessions.size() < SyncConflict::kMaxListed; ++it) c.sessions.push_back(it->side);
  out.push_back(std::move(c));
}

// Sorted by start, one pass: a session that starts before the latest end so far joins the
// cluster; the others start a new one. O(N log N), one entry per cluster.
void sweep(std::vector<Slot>& slots, const std::optional<RoomId>& room_id, const std::string& room,
           std::vector<SyncConflict>& out) {
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return std::tie(a.side.start, a.side.end) < std::tie(b.side.start, b.side.end);
  });
  auto first = slots.cbegin();
  Timestamp reach{};
  for (auto it = slots.cbegin(); it != slots.cend(); ++it) {
    if (it != first && it->side.start >= reach) {
      close_cluster(first, it, room_id, room, out);
      first = it;
    }
    reach = it == first ? it->side.end : std::max(reach, it->side.end);
  }
  close_cluster(first, slots.cend(), room_id, room, out);
}

}  // namespace

std::vector<SyncConflict> find_conflicts(const Checked& checked, const Actual& actual, const std::string& scope) {
  std::map<std::string, std::vector<Slot>> by_room;
  for (const Wanted& w : checked.sessions) {
    if (w.session->cancelled || !considered(w, actual)) continue;
    by_room[w.room_key].push_back(Slot{side_of(w, actual, scope), true});
  }
  std::vector<SyncConflict> out;
  for (auto& [key, slots] : by_room) {
    std::optional<RoomId> room_id;
    std::string name = checked.rooms.at(key).name;
    if (const auto it = actual.rooms.find(key); it != actual.rooms.end()) {
      room_id = it->second.id;
      name = it->second.name;
      if (const auto events = actual.room_events.find(it->second.id); events != actual.room_events.end()) {
        for (const Event& e : events->second) {
          // This scope's own events stand in the list as the sessions they become.
          if (generation_of(e, scope) != 0 || !e.start || !e.end) continue;
          slots.push_back(Slot{SyncConflict::Side{std::nullopt, e.id, e.summary, *e.start, *e.end}, false});
        }
      }
    }
    sweep(slots, room_id, name, out);
  }
  return out;
}

}  // namespace kmeet::detail::sync
