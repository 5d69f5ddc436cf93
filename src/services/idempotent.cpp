#include "services/idempotent.hpp"

#include <array>

#include <fmt/format.h>

#include "ks/crypto.hpp"
#include "model/wire.hpp"
#include "services/service_call.hpp"

namespace kmeet::detail {

std::string new_idempotency_key(const ServiceContext& ctx) {
  std::array<std::uint8_t, 16> bytes{};
  ctx.random(bytes);
  return "kmeet-" + to_hex(bytes);
}

void give_up_add(const RetryLoop& loop, const std::exception_ptr& failure, const std::exception_ptr& unknown,
                 const AddKey& key) {
  std::optional<CancelledError::Reason> reason = loop.stopped_by_caller();
  try {
    std::rethrow_exception(failure);
  } catch (const CancelledError& e) {
    reason = e.reason();
  } catch (...) {  // NOLINT(bugprone-empty-catch): any other failure is judged below
  }
  // A look-up that ran out of the caller's time ends with the unknown outcome it was settling.
  if (const CallState* call = CallScope::current(); !reason && call != nullptr) reason = call->stopped();
  if (reason) {
    throw CancelledError(*reason, std::string(key.call), unknown != nullptr, std::string(key.key_field), key.key,
                         unknown ? unknown : failure);
  }
  std::rethrow_exception(unknown ? unknown : failure);
}

const RetryPolicy& one_attempt() {
  static const RetryPolicy once = RetryPolicy::none();
  return once;
}

namespace {

/// A one-page list; two results by default, enough to tell "one object" from "ambiguous".
ApiCall list_call(std::string_view service, WireJson filter, int page_size = 2) {
  return make_call(service, "list", list_params(std::move(filter), to_wire(Pager{page_size, 1})), true);
}

/// The one object a key names. Two matches (a caller's key shared by older objects) cannot be
/// told apart: adopting either could hand back, and on a later failure roll back, someone else's
/// object, so the look-up gives up with ApiError `KMEET_AMBIGUOUS_KEY`, which the retry loops
/// treat as final (like the server's own errors).
template <class T>
std::optional<T> only_one(const Page<T>& page, const char* what, const char* key) {
  if (page.items.empty()) return std::nullopt;
  if (page.items.size() > 1) {
    ApiError::Details d;
    d.code = "KMEET_AMBIGUOUS_KEY";
    d.message = fmt::format(
        "the look-up after a lost answer found more than one {} with this {}, so kmeet cannot tell which one it "
        "created: give each create its own {} or leave it unset",
        what, key, key);
    throw ApiError(std::move(d));
  }
  return page.items.front();
}

}  // namespace

ApiCall find_room_call(const std::string& system_name) {
  RoomFilter f;
  f.system_name = system_name;
  return list_call(kRoomService, to_wire(f));
}

ApiCall find_event_call(const std::string& reference_id, int page_size) {
  EventFilter f;
  f.reference_id = reference_id;
  WireJson filter = to_wire(f);
  // Any event class (record and meeting events alike), not only the record filter's.
  filter["objectType"] = "KalturaScheduleEventFilter";
  return list_call(kEventService, std::move(filter), page_size);
}

ApiCall find_link_call(EventId event, RoomId room) {
  LinkFilter f;
  f.event_id = event;
  f.room_id = room;
  return list_call(kLinkService, to_wire(f));
}

ApiCall find_links_of_event_call(EventId event) {
  LinkFilter f;
  f.event_id = event;
  return list_call(kLinkService, to_wire(f), 50);
}

std::vector<EventRoomLink> links_to_room_zero(const Json& page) {
  std::vector<EventRoomLink> out;
  for (EventRoomLink& l : link_page_from_wire(page).items) {
    if (l.room_id.value() == 0) out.push_back(std::move(l));
  }
  return out;
}

std::optional<Room> found_room(const Json& page) {
  return only_one(room_page_from_wire(page), "room", "system_name");
}
std::optional<Event> found_event(const Json& page) {
  return only_one(event_page_from_wire(page), "event", "reference_id");
}
std::optional<EventRoomLink> found_link(const Json& page) {
  return only_one(link_page_from_wire(page), "link", "event and room");
}

std::optional<Room> find_room(const ServiceContext& ctx, const std::string& system_name) {
  return found_room(ctx.api.call(find_room_call(system_name), &one_attempt()));
}
std::optional<Event> find_event(const ServiceContext& ctx, const std::string& reference_id) {
  return found_event(ctx.api.call(find_event_call(reference_id), &one_attempt()));
}
std::optional<EventRoomLink> find_link(const ServiceContext& ctx, EventId event, RoomId room) {
  return found_link(ctx.api.call(find_link_call(event, room), &one_attempt()));
}

}  // namespace kmeet::detail
