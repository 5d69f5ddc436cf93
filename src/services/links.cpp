// scheduleEventResource.* (protocol.md D.4).

#include "kmeet/links.hpp"

#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/idempotent.hpp"
#include "services/list_all.hpp"
#include "services/service_call.hpp"

namespace kmeet {

using detail::kLinkService;
using detail::make_call;

EventRoomLink Links::add(EventId event, RoomId room) const {
  detail::validate_id(event.value(), "event_id");
  detail::validate_id(room.value(), "room_id");
  detail::WireJson p = detail::WireJson::object();
  p["scheduleEventResource"] = detail::link_to_wire(event.value(), room.value());
  // The pair is the idempotency key; "already exists" after an unknown outcome is our own add.
  const detail::ApiCall add = make_call(kLinkService, "add", std::move(p), false);
  const detail::ServiceContext& ctx = *ctx_;
  return detail::add_idempotent<EventRoomLink>(
      ctx, [&] { return detail::link_from_wire(ctx.api.call(add, &detail::one_attempt())); },
      [&] { return detail::find_link(ctx, event, room); }, detail::kLinkExists,
      {"schedule_scheduleeventresource.add", "event_id,room_id", event.str() + "," + room.str()});
}

Page<EventRoomLink> Links::list(const LinkFilter& filter, const Pager& pager) const {
  return detail::list_page(*ctx_, kLinkService, filter, pager, detail::link_page_from_wire);
}

Listing<EventRoomLink> Links::list_all(const LinkFilter& filter, int page_size) const {
  detail::validate(filter);
  detail::validate_page_size(page_size);
  auto fetch = [self = *this, filter](const detail::ListQuery& q) {
    LinkFilter f = filter;
    f.created_at_gte = q.created_gte;
    f.order_by = LinkOrder::created_at_asc;
    return self.list(f, Pager{q.page_size, q.page_index}).items;
  };
  auto key = [](const EventRoomLink& l) { return l.event_id.str() + "," + l.room_id.str(); };
  return detail::make_listing<EventRoomLink>(std::make_shared<detail::WindowSource<EventRoomLink>>(
      fetch, key, "links", filter.created_at_gte, page_size));
}

void Links::remove(EventId event, RoomId room) const {
  detail::validate_id(event.value(), "event_id");
  detail::validate_id(room.value(), "room_id");
  // Parameter names per protocol.md D.4: scheduleEventId / scheduleResourceId (a hard delete, returns null).
  detail::WireJson p = detail::id_param("scheduleEventId", event.value());
  p["scheduleResourceId"] = room.value();
  // After an unknown outcome, "not found" on the resend is the earlier attempt's hard delete.
  (void)ctx_->api.call(detail::make_delete(kLinkService, std::move(p)));
}

}  // namespace kmeet
