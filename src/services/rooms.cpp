// scheduleResource.* (protocol.md D.2).

#include "kmeet/rooms.hpp"

#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/idempotent.hpp"
#include "services/list_all.hpp"
#include "services/service_call.hpp"

namespace kmeet {

using detail::kRoomService;
using detail::make_call;

Room Rooms::add(const Room& room) const {
  detail::validate(room);
  // The systemName is the idempotency key: the caller's, or one made here.
  Room keyed = room;
  if (!keyed.system_name) keyed.system_name = detail::new_idempotency_key(*ctx_);
  detail::WireJson p = detail::WireJson::object();
  p["scheduleResource"] = detail::to_wire(keyed);
  const detail::ApiCall add = make_call(kRoomService, "add", std::move(p), false);
  const detail::ClientContext& ctx = *ctx_;
  return detail::add_idempotent<Room>(
      ctx, [&] { return detail::room_from_wire(ctx.api.call(add, &detail::one_attempt())); },
      [&] { return detail::find_room(ctx, *keyed.system_name); }, detail::kRoomKeyTaken);
}

Room Rooms::get(RoomId id) const {
  detail::validate_id(id.value(), "room_id");
  return detail::room_from_wire(
      ctx_->api.call(make_call(kRoomService, "get", detail::id_param("scheduleResourceId", id.value()), true)));
}

Room Rooms::update(RoomId id, const RoomUpdate& changes) const {
  detail::validate_id(id.value(), "room_id");
  detail::validate(changes);
  detail::WireJson p = detail::id_param("scheduleResourceId", id.value());
  p["scheduleResource"] = detail::to_wire(changes);
  return detail::room_from_wire(ctx_->api.call(make_call(kRoomService, "update", std::move(p), true)));
}

Room Rooms::remove(RoomId id) const {
  detail::validate_id(id.value(), "room_id");
  const detail::Json result =
      ctx_->api.call(detail::make_delete(kRoomService, detail::id_param("scheduleResourceId", id.value())));
  if (!result.is_null()) return detail::room_from_wire(result);
  // An earlier attempt with an unknown outcome deleted it (the resend found no such room): read
  // the deleted room back; deleted rooms are listed when asked for (protocol.md D.2).
  RoomFilter deleted;
  deleted.id = id;
  deleted.status = RoomStatus::deleted;
  deleted.tags_like.reset();
  const Page<Room> found = list(deleted, Pager{1, 1});
  if (!found.items.empty()) return found.items.front();
  ApiError::Details d;
  d.code = "INVALID_OBJECT_ID";
  d.message = "Invalid object id [" + id.str() + "]";
  d.args["ID"] = id.str();
  throw ApiError(std::move(d));
}

Page<Room> Rooms::list(const RoomFilter& filter, const Pager& pager) const {
  return detail::list_page(*ctx_, kRoomService, filter, pager, detail::room_page_from_wire);
}

Listing<Room> Rooms::list_all(const RoomFilter& filter, int page_size) const {
  return detail::keyset_list_all<Room>(
      filter, page_size, [self = *this](const RoomFilter& f, const Pager& p) { return self.list(f, p); }, "rooms");
}

}  // namespace kmeet
