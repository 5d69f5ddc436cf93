// apply_sync, changes to existing events (update, cancel, delete): each batch reads its events
// (and, for room changes, their links) again; an event that changed since the plan is left alone.
#include <algorithm>

#include <fmt/format.h>

#include "sync/apply_internal.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {
namespace {

const Event& planned(const SyncPlan& plan, ChangeKind kind, std::size_t i) {
  switch (kind) {
    case ChangeKind::update: return plan.update[i].current;
    case ChangeKind::cancel: return plan.cancel[i].current;
    case ChangeKind::remove: break;
  }
  return plan.remove[i].current;
}

std::vector<SyncItemResult>& results_of(SyncResult& result, ChangeKind kind) {
  switch (kind) {
    case ChangeKind::update: return result.update;
    case ChangeKind::cancel: return result.cancel;
    case ChangeKind::remove: break;
  }
  return result.remove;
}

// What differs between the event as planned and as it is now (empty: unchanged).
std::string what_changed(const Event& was, const Event& now) {
  std::vector<std::string> fields;
  if (was.status != now.status) fields.emplace_back("status");
  if (was.summary != now.summary) fields.emplace_back("summary");
  if (was.description.value_or("") != now.description.value_or("")) fields.emplace_back("description");
  if (was.start != now.start) fields.emplace_back("startDate");
  if (was.end != now.end) fields.emplace_back("endDate");
  if (was.tags != now.tags) fields.emplace_back("tags");
  if (was.reference_id != now.reference_id) fields.emplace_back("referenceId");
  if (fields.empty() && was.updated_at != now.updated_at) fields.emplace_back("updatedAt");
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

bool changes_room(const SyncUpdate& u) {
  return std::find(u.changes.begin(), u.changes.end(), SyncField::room) != u.changes.end();
}

std::vector<RoomId> sorted(std::vector<RoomId> rooms) {
  std::sort(rooms.begin(), rooms.end());
  return rooms;
}

}  // namespace

void Applier::run_changes(ChangeKind kind) {
  auto& results = results_of(result_, kind);
  const auto parts = batches(results.size());
  in_flight_for(
      client_, parts.size(), options_.concurrency, [&](std::size_t b) { change_batch(kind, parts[b]); },
      [&](std::size_t b, const std::exception_ptr& e) {
        // The re-check itself failed: nothing of the batch was changed.
        for (std::size_t i : parts[b]) {
          if (results[i].message == "not run") fail(results[i], e);
        }
      });
}

void Applier::change_batch(ChangeKind kind, const std::vector<std::size_t>& items) {
  auto& results = results_of(result_, kind);
  std::vector<SyncItemResult*> pending;
  for (std::size_t i : items) pending.push_back(&results[i]);
  if (stopped(pending)) return;
  EventFilter f;
  f.type = EventListType::any;
  LinkFilter lf;
  for (std::size_t i : items) {
    f.id_in.push_back(planned(plan_, kind, i).id);
    if (kind == ChangeKind::update && changes_room(plan_.update[i])) lf.event_id_in.push_back(plan_.update[i].current.id);
  }
  std::map<EventId, Event> now;
  for (const Event& e : client_.events().list_all(f)) now.emplace(e.id, e);
  std::map<EventId, std::vector<RoomId>> rooms_now;
  if (!lf.event_id_in.empty()) {
    for (const EventRoomLink& l : client_.links().list_all(lf)) rooms_now[l.event_id].push_back(l.room_id);
  }
  for (std::size_t i : items) {
    const EventId id = planned(plan_, kind, i).id;
    const auto it = now.find(id);
    if (it == now.end()) {
      results[i] = SyncItemResult{SyncStatus::conflict, id,
                                  fmt::format("event {} no longer exists (deleted since the plan)", id.value())};
      continue;
    }
    if (stopped({&results[i]})) continue;
    change_one(kind, i, it->second, rooms_now[id]);
  }
}

void Applier::change_one(ChangeKind kind, std::size_t i, const Event& now, const std::vector<RoomId>& rooms_now) {
  auto& r = results_of(result_, kind)[i];
  const Event& was = planned(plan_, kind, i);
  r.event = was.id;
  std::string changed = what_changed(was, now);
  if (changed.empty() && kind == ChangeKind::update && changes_room(plan_.update[i]) &&
      sorted(rooms_now) != sorted(plan_.update[i].current_rooms)) {
    changed = "room";
  }
  if (!changed.empty()) {
    r.status = SyncStatus::conflict;
    r.message = fmt::format("event {} was changed on the server since the plan ({}): left as it is; plan again",
                            was.id.value(), changed);
    return;
  }
  try {
    if (kind == ChangeKind::update) {
      update_event(i);
    } else if (kind == ChangeKind::cancel) {
      (void)client_.events().cancel(was.id);
    } else {
      (void)client_.events().remove(was.id);
    }
    r.status = SyncStatus::done;
    r.message.clear();
  } catch (const ApiError& e) {
    if (kind != ChangeKind::update || e.code() != "SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS") {
      fail(r, std::current_exception());
      return;
    }
    // Another run (or a person) linked the event to its new room between our re-check and our add.
    r.status = SyncStatus::conflict;
    r.message = fmt::format("event {} was linked to its new room by someone else since the plan "
                            "(SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS): left as it is; plan again",
                            was.id.value());
  } catch (...) {
    fail(r, std::current_exception());
  }
}

void Applier::update_event(std::size_t i) {
  const SyncUpdate& u = plan_.update[i];
  EventUpdate change;
  change.type = u.current.type;
  bool fields = false;
  for (SyncField f : u.changes) {
    fields = fields || f != SyncField::room;
    if (f == SyncField::summary) change.summary = u.session.summary;
    if (f == SyncField::description) {
      change.description = u.session.description.value_or("").empty() ? Update<std::string>(clear)
                                                                        : Update<std::string>(*u.session.description);
    }
    if (f == SyncField::start || f == SyncField::end) change.start = u.session.start, change.end = u.session.end;
    if (f == SyncField::settings) {
      EventSettings s = u.session.settings;  // known settings from the timetable, unknown tags kept
      s.extra = u.current.settings.extra;
      s.read_order.clear();
      change.settings = s.empty() ? Update<EventSettings>(clear) : Update<EventSettings>(s);
    }
  }
  if (fields) (void)client_.events().update(u.current.id, change);
  if (!changes_room(u)) return;
  std::string why;
  const auto target = room_id(u.session.room, why);
  if (!target) throw Error(fields ? "the event was updated, but its room was not changed: " + why : why);
  // The new link first: a failure in between leaves the session in two rooms, never in none.
  if (std::find(u.current_rooms.begin(), u.current_rooms.end(), *target) == u.current_rooms.end()) {
    (void)client_.links().add(u.current.id, *target);
  }
  for (RoomId old : u.current_rooms) {
    if (old != *target) client_.links().remove(u.current.id, old);
  }
}

}  // namespace kmeet::detail::sync
