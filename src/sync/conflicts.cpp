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

void sweep(std::vector<Slot>& slots, const std::optional<RoomId>& room_id, const std::string& room,
           std::vector<SyncConflict>& out) {
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return std::tie(a.side.start, a.side.end) < std::tie(b.side.start, b.side.end);
  });
  for (std::size_t i = 0; i < slots.size(); ++i) {
    for (std::size_t j = i + 1; j < slots.size() && slots[j].side.start < slots[i].side.end; ++j) {
      if (slots[i].ours || slots[j].ours) out.push_back(SyncConflict{room_id, room, slots[i].side, slots[j].side});
    }
  }
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
