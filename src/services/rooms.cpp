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
  const detail::ServiceContext& ctx = *ctx_;
  return detail::add_idempotent<Room>(
      ctx, [&] { return detail::room_from_wire(ctx.api.call(add, &detail::one_attempt())); },
      [&] { return detail::find_room(ctx, *keyed.system_name); }, detail::kRoomKeyTaken,
      {"schedule_scheduleresource.add", "system_name", *keyed.system_name});
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
  detail::validate(filter);
  detail::validate(pager);
  return detail::room_page_from_wire(ctx_->api.call(make_call(
      kRoomService, "list", detail::list_params(detail::to_wire(filter), detail::to_wire(pager)), true)));
}

Listing<Room> Rooms::list_all(const RoomFilter& filter, int page_size) const {
  detail::validate(filter);
  detail::validate_page_size(page_size);
  std::vector<std::int64_t> not_in;
  for (RoomId id : filter.id_not_in) not_in.push_back(id.value());
  auto fetch = [self = *this, filter](const detail::KeysetQuery& q) {
    RoomFilter f = filter;
    f.created_at_gte = q.created_gte;
    f.created_at_lte = q.created_lte ? q.created_lte : filter.created_at_lte;
    f.id_not_in.clear();
    for (auto id : q.id_not_in) f.id_not_in.emplace_back(id);
    f.order_by = RoomOrder::created_at_asc;
    return self.list(f, Pager{q.page_size, q.page_index}).items;
  };
  auto key = [](const Room& r) { return std::pair{r.id.value(), r.created_at}; };
  return Listing<Room>(std::make_shared<detail::KeysetSource<Room>>(
      fetch, key, filter.created_at_gte, filter.created_at_lte, std::move(not_in), page_size));
}

}  // namespace kmeet
