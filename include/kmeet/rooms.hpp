#pragma once
/// @file rooms.hpp
/// Meetings rooms: the `scheduleResource` service (service id `schedule_scheduleresource`).

#include <memory>
#include <utility>

#include "kmeet/export.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/model.hpp"

namespace kmeet {
namespace detail {
struct ServiceContext;
}

/// Typed access to rooms. Get one from `Client::rooms()`; cheap to copy, safe to share.
/// Every method validates its input first (ValidationError naming the field) and otherwise
/// throws what the API layer throws (ApiError, HttpError, TransportError, ProtocolError).
class KMEET_EXPORT Rooms {
 public:

  /// `scheduleResource.add` of a `KalturaLocationScheduleResource` (name, systemName,
  /// description, parentId and the settings as tags; read-only fields are never sent).
  /// Safe to retry: `systemName` is the idempotency key (a `kmeet-<32 hex>` one is generated
  /// when `room.system_name` is unset). When the outcome of the add is unknown (connection lost
  /// after sending, 5xx, garbled answer) the room is looked up by that key before the add is sent
  /// again (bounded by the RetryPolicy); see docs/reliability.md.
  [[nodiscard]] Room add(const Room& room) const;
  /// `scheduleResource.get`. A deleted or unknown id gives ApiError `INVALID_OBJECT_ID`.
  [[nodiscard]] Room get(RoomId id) const;
  /// `scheduleResource.update`: sends only what `changes` sets.
  [[nodiscard]] Room update(RoomId id, const RoomUpdate& changes) const;
  /// `scheduleResource.delete` (soft delete); returns the room with status `deleted`. A delete is
  /// resent after an unknown outcome (connection lost after sending, 5xx); when the resend gets
  /// `INVALID_OBJECT_ID`, the first attempt did the delete: the deleted room is read back with
  /// `list` (`idEqual`, `statusEqual=3`) and returned instead of the error (docs/reliability.md).
  Room remove(RoomId id) const;  // NOLINT(modernize-use-nodiscard): the result is optional
  /// `scheduleResource.list`: one page.
  [[nodiscard]] Page<Room> list(const RoomFilter& filter = {}, const Pager& pager = {}) const;
  /// Every matching room, oldest first, fetched lazily `page_size` at a time. Goes past the
  /// server's 10,000-result window without missing or repeating a room (the filter's
  /// `order_by` is replaced by `+createdAt`).
  [[nodiscard]] Listing<Room> list_all(const RoomFilter& filter = {}, int page_size = 500) const;

 private:
  friend class Client;
  explicit Rooms(std::shared_ptr<const detail::ServiceContext> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
};

}  // namespace kmeet
