// scheduleResource.* (protocol.md D.2).

#include "kmeet/rooms.hpp"

#include "services/list_all.hpp"
#include "services/object_calls.hpp"

namespace kmeet {

using detail::kRoomCalls;

Room Rooms::add(const Room& room) const {
  detail::validate(room);
  // The systemName is the idempotency key: the caller's, or one made here.
  Room keyed = room;
  if (!keyed.system_name) keyed.system_name = detail::new_idempotency_key(*ctx_);
  return detail::add_keyed<Room>(
      *ctx_, kRoomCalls, keyed, *keyed.system_name, detail::room_from_wire,
      [&] { return detail::find_room(*ctx_, *keyed.system_name); }, detail::kRoomKeyTaken);
}

Room Rooms::get(RoomId id) const {
  return detail::call_by_id(*ctx_, kRoomCalls, "get", id.value(), detail::room_from_wire);
}

Room Rooms::update(RoomId id, const RoomUpdate& changes) const {
  return detail::update_by_id(*ctx_, kRoomCalls, id.value(), changes, detail::room_from_wire);
}

Room Rooms::remove(RoomId id) const {
  if (auto deleted = detail::delete_by_id(*ctx_, kRoomCalls, id.value(), detail::room_from_wire)) return *deleted;
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
  return detail::list_page(*ctx_, kRoomCalls.service, filter, pager, detail::room_page_from_wire);
}

Listing<Room> Rooms::list_all(const RoomFilter& filter, int page_size) const {
  return detail::keyset_list_all<Room>(ctx_, kRoomCalls, filter, page_size, detail::room_page_from_wire);
}

}  // namespace kmeet
