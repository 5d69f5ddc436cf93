// scheduleEvent.* (protocol.md D.3).

#include "kmeet/events.hpp"

#include "services/list_all.hpp"
#include "services/object_calls.hpp"

namespace kmeet {

using detail::kEventCalls;

Event Events::add(const Event& event, const EventAddOptions& options) const {
  detail::validate(event, options.allow_long_event);
  // The referenceId is the idempotency key: the caller's, or one made here.
  Event keyed = event;
  if (!keyed.reference_id) keyed.reference_id = detail::new_idempotency_key(*ctx_);
  return detail::add_keyed<Event>(*ctx_, kEventCalls, keyed, *keyed.reference_id, detail::event_from_wire,
                                  [&] { return detail::find_event(*ctx_, *keyed.reference_id); }, {});
}

Event Events::get(EventId id) const {
  return detail::call_by_id(*ctx_, kEventCalls, "get", id.value(), detail::event_from_wire);
}

Event Events::update(EventId id, const EventUpdate& changes) const {
  return detail::update_by_id(*ctx_, kEventCalls, id.value(), changes, detail::event_from_wire);
}

Event Events::cancel(EventId id) const {
  return detail::call_by_id(*ctx_, kEventCalls, "cancel", id.value(), detail::event_from_wire);
}

Event Events::remove(EventId id) const {
  if (auto deleted = detail::delete_by_id(*ctx_, kEventCalls, id.value(), detail::event_from_wire)) return *deleted;
  // An earlier attempt with an unknown outcome deleted it (the resend found no such event).
  // Deleted events cannot be read back (protocol.md D.3): only the id and the status are known.
  Event gone;
  gone.id = id;
  gone.status = EventStatus::deleted;
  return gone;
}

Page<Event> Events::list(const EventFilter& filter, const Pager& pager) const {
  return detail::list_page(*ctx_, kEventCalls.service, filter, pager, detail::event_page_from_wire);
}

Listing<Event> Events::list_all(const EventFilter& filter, int page_size) const {
  return detail::keyset_list_all<Event>(ctx_, kEventCalls, filter, page_size, detail::event_page_from_wire);
}

}  // namespace kmeet
