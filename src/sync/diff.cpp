// diff: the timetable against what the server holds, into creates, updates and removals.
#include <algorithm>
#include <set>

#include "sync/identity.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {
namespace {

// Only the settings kmeet knows are compared and written: tags it does not know stay as they are.
EventSettings known_only(EventSettings s) {
  s.extra.clear();
  s.read_order.clear();
  return s;
}

std::vector<SyncField> changes_of(const SyncSession& want, const Event& cur, const std::vector<RoomId>& rooms) {
  std::vector<SyncField> out;
  if (want.summary != cur.summary) out.push_back(SyncField::summary);
  if (want.description.value_or("") != cur.description.value_or("")) out.push_back(SyncField::description);
  if (cur.start != want.start) out.push_back(SyncField::start);
  if (cur.end != want.end) out.push_back(SyncField::end);
  if (!known_only(want.settings).same_values(known_only(cur.settings))) out.push_back(SyncField::settings);
  // The event must be in exactly the timetable's room: a link to another room (made by hand,
  // or left by an interrupted room change) is a room change too.
  const auto in_room = [&](RoomId r) { return want.room.id && r == *want.room.id; };
  if (rooms.empty() || !std::all_of(rooms.begin(), rooms.end(), in_room)) out.push_back(SyncField::room);
  return out;
}

// The session with its room resolved: `room.id` set when the room exists.
SyncSession resolved(const Wanted& w, const Checked& checked, const Actual& actual) {
  SyncSession s = *w.session;
  if (w.room_key.empty()) return s;
  s.room = checked.rooms.at(w.room_key);
  if (const auto it = actual.rooms.find(w.room_key); it != actual.rooms.end()) s.room.id = it->second.id;
  return s;
}

void remove_event(const Event& e, std::optional<std::string> key, bool by_source, MissingAction action,
                  SyncPlan& plan) {
  SyncRemoval r{e, std::move(key), by_source};
  if (by_source || action == MissingAction::cancel) {
    plan.cancel.push_back(std::move(r));
  } else if (action == MissingAction::remove) {
    plan.remove.push_back(std::move(r));
  } else {
    ++plan.kept;
  }
}

void plan_session(const Wanted& w, const Event* cur, const Checked& checked, const Actual& actual,
                  const SyncOptions& o, SyncPlan& plan) {
  const SyncSession& s = *w.session;
  if (s.cancelled) {
    if (cur != nullptr && cur->status == EventStatus::active) {
      remove_event(*cur, s.key, true, o.missing, plan);
    } else {
      ++plan.unchanged;
    }
    return;
  }
  if (cur == nullptr || cur->status != EventStatus::active) {
    // A cancelled event cannot be made active again: the session gets the next generation.
    const int generation = cur != nullptr ? generation_of(*cur, o.scope) + 1 : 1;
    plan.create.push_back(SyncCreate{resolved(w, checked, actual), reference_of(o.scope, w.digest, generation)});
    return;
  }
  const auto links = actual.links.find(cur->id);
  const std::vector<RoomId> rooms = links != actual.links.end() ? links->second : std::vector<RoomId>{};
  SyncSession want = resolved(w, checked, actual);
  std::vector<SyncField> changes = changes_of(want, *cur, rooms);
  if (changes.empty()) {
    ++plan.unchanged;
  } else {
    plan.update.push_back(SyncUpdate{std::move(want), *cur, rooms, std::move(changes)});
  }
}

}  // namespace

bool considered(const Wanted& w, const Actual& actual) {
  if (w.in_window) return true;
  const auto it = actual.by_digest.find(w.digest);
  return it != actual.by_digest.end() && std::any_of(it->second.begin(), it->second.end(), [&](const Event& e) {
           return actual.in_window.contains(e.id);
         });
}

void diff(const Checked& checked, const Actual& actual, const SyncOptions& o, SyncPlan& plan) {
  std::set<std::string> named;  // every key of the timetable, in the window or not
  for (const Wanted& w : checked.sessions) named.insert(w.digest);
  for (const Wanted& w : checked.sessions) {
    if (!considered(w, actual)) continue;  // outside the window and no event in it: left alone
    const auto it = actual.by_digest.find(w.digest);
    const Event* cur = it != actual.by_digest.end() ? current_event(it->second, o.scope) : nullptr;
    if (cur != nullptr) {
      for (const Event& e : it->second) {  // a second active event under the key is not wanted
        if (e.id != cur->id && e.status == EventStatus::active) remove_event(e, w.session->key, false, o.missing, plan);
      }
    }
    plan_session(w, cur, checked, actual, o, plan);
  }
  for (const auto& [digest, events] : actual.by_digest) {
    if (named.contains(digest)) continue;
    for (const Event& e : events) {
      if (e.status == EventStatus::active && actual.in_window.contains(e.id)) {
        remove_event(e, std::nullopt, false, o.missing, plan);
      }
    }
  }
}

}  // namespace kmeet::detail::sync
