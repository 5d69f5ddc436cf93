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
  const detail::ServiceContext& ctx = *ctx_;
  return detail::add_idempotent<Event>(
      ctx, [&] { return detail::event_from_wire(ctx.api.call(add, &detail::one_attempt())); },
      [&] { return detail::find_event(ctx, *keyed.reference_id); }, {},
      {"schedule_scheduleevent.add", "reference_id", *keyed.reference_id});
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
  detail::validate(filter);
  detail::validate(pager);
  return detail::event_page_from_wire(ctx_->api.call(make_call(
      kEventService, "list", detail::list_params(detail::to_wire(filter), detail::to_wire(pager)), true)));
}

Listing<Event> Events::list_all(const EventFilter& filter, int page_size) const {
  detail::validate(filter);
  detail::validate_page_size(page_size);
  std::vector<std::int64_t> not_in;
  for (EventId id : filter.id_not_in) not_in.push_back(id.value());
  auto fetch = [self = *this, filter](const detail::KeysetQuery& q) {
    EventFilter f = filter;
    f.created_at_gte = q.created_gte;
    f.created_at_lte = q.created_lte ? q.created_lte : filter.created_at_lte;
    f.id_not_in.clear();
    for (auto id : q.id_not_in) f.id_not_in.emplace_back(id);
    f.order_by = EventOrder::created_at_asc;
    return self.list(f, Pager{q.page_size, q.page_index}).items;
  };
  auto key = [](const Event& e) { return std::pair{e.id.value(), e.created_at}; };
  return Listing<Event>(std::make_shared<detail::KeysetSource<Event>>(
      fetch, key, filter.created_at_gte, filter.created_at_lte, std::move(not_in), page_size));
}

}  // namespace kmeet
