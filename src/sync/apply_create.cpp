// apply_sync, creates: the keys are listed again first (a session made since the plan is a
// conflict, never a duplicate), then one create_meetings request per batch.
#include <fmt/format.h>

#include "sync/apply_internal.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet::detail::sync {
namespace {

Event event_of(const SyncCreate& c) {
  Event e = to_event(c.session);
  e.reference_id = c.reference_id;
  return e;
}

}  // namespace

void Applier::run_creates() {
  const auto parts = batches(plan_.create.size());
  in_flight_for(
      client_, parts.size(), options_.concurrency, [&](std::size_t b) { create_batch(parts[b]); },
      [&](std::size_t b, const std::exception_ptr& e) {
        // A request-wide failure (nothing can have run, or create_meetings would have said so).
        for (std::size_t i : parts[b]) {
          if (result_.create[i].message == "not run") fail(result_.create[i], e);
        }
      });
}

void Applier::create_batch(const std::vector<std::size_t>& items) {
  std::vector<SyncItemResult*> results;
  for (std::size_t i : items) results.push_back(&result_.create[i]);
  if (stopped(results)) return;
  EventFilter f;
  f.type = EventListType::any;
  for (std::size_t i : items) f.reference_id_in.push_back(plan_.create[i].reference_id);
  std::map<std::string, EventId> exists;
  for (const Event& e : client_.events().list_all(f)) exists.emplace(e.reference_id.value_or(""), e.id);
  std::vector<MeetingSpec> specs;
  std::vector<std::size_t> sent;
  for (std::size_t i : items) {
    const SyncCreate& c = plan_.create[i];
    SyncItemResult& r = result_.create[i];
    if (const auto it = exists.find(c.reference_id); it != exists.end()) {
      r = SyncItemResult{SyncStatus::conflict, it->second,
                         fmt::format("event {} was made for this session since the plan: plan again", it->second.value())};
      continue;
    }
    MeetingSpec spec;
    std::string why;
    if (inline_rooms_.contains(c.session.room.system_name) && !c.session.room.id) {
      spec.room = to_room(c.session.room);
    } else if (const auto id = room_id(c.session.room, why)) {
      spec.room = *id;
    } else {
      r = SyncItemResult{SyncStatus::failed, std::nullopt, why};
      continue;
    }
    spec.event = event_of(c);
    spec.keys_checked = true;  // listed just above
    specs.push_back(std::move(spec));
    sent.push_back(i);
  }
  if (specs.empty()) return;
  const std::vector<MeetingResult> made = client_.create_meetings(specs);
  for (std::size_t k = 0; k < sent.size() && k < made.size(); ++k) {
    SyncItemResult& r = result_.create[sent[k]];
    if (made[k].ok()) {
      r = SyncItemResult{SyncStatus::done, made[k].value().event.id, {}};
    } else {
      r = SyncItemResult{SyncStatus::failed, std::nullopt, made[k].error_message()};
      stop_on(made[k].error());
    }
  }
}

}  // namespace kmeet::detail::sync
