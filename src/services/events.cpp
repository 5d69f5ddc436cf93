// scheduleEvent.* (protocol.md D.3).

#include "kmeet/events.hpp"

#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/idempotent.hpp"
#include "services/list_all.hpp"
#include "services/service_call.hpp"

namespace kmeet {

using detail::kEventService;
using detail::make_call;

Event Events::add(const Event& event, const EventAddOptions& options) const {
  detail::validate(event, options.allow_long_event);
  // The referenceId is the idempotency key: the caller's, or one made here.
  Event keyed = event;
  if (!keyed.reference_id) keyed.reference_id = detail::new_idempotency_key(*ctx_);
  detail::WireJson p = detail::WireJson::object();
  p["scheduleEvent"] = detail::to_wire(keyed);
  const detail::ApiCall add = make_call(kEventService, "add", std::move(p), false);
  const detail::ClientContext& ctx = *ctx_;
  return detail::add_idempotent<Event>(
      ctx, [&] { return detail::event_from_wire(ctx.api.call(add, &detail::one_attempt())); },
      [&] { return detail::find_event(ctx, *keyed.reference_id); }, {});
}

Event Events::get(EventId id) const {
  detail::validate_id(id.value(), "event_id");
  return detail::event_from_wire(
      ctx_->api.call(make_call(kEventService, "get", detail::id_param("scheduleEventId", id.value()), true)));
}

Event Events::update(EventId id, const EventUpdate& changes) const {
  detail::validate_id(id.value(), "event_id");
  detail::validate(changes);
  detail::WireJson p = detail::id_param("scheduleEventId", id.value());
  p["scheduleEvent"] = detail::to_wire(changes);
  return detail::event_from_wire(ctx_->api.call(make_call(kEventService, "update", std::move(p), true)));
}

Event Events::cancel(EventId id) const {
  detail::validate_id(id.value(), "event_id");
  return detail::event_from_wire(
      ctx_->api.call(make_call(kEventService, "cancel", detail::id_param("scheduleEventId", id.value()), true)));
}

Event Events::remove(EventId id) const {
  detail::validate_id(id.value(), "event_id");
  const detail::Json result =
      ctx_->api.call(detail::make_delete(kEventService, detail::id_param("scheduleEventId", id.value())));
  if (!result.is_null()) return detail::event_from_wire(result);
  // An earlier attempt with an unknown outcome deleted it (the resend found no such event).
  // Deleted events cannot be read back (protocol.md D.3): only the id and the status are known.
  Event gone;
  gone.id = id;
  gone.status = EventStatus::deleted;
  return gone;
}

Page<Event> Events::list(const EventFilter& filter, const Pager& pager) const {
  return detail::list_page(*ctx_, kEventService, filter, pager, detail::event_page_from_wire);
}

Listing<Event> Events::list_all(const EventFilter& filter, int page_size) const {
  return detail::keyset_list_all<Event>(
      filter, page_size, [self = *this](const EventFilter& f, const Pager& p) { return self.list(f, p); }, "events");
}

}  // namespace kmeet
