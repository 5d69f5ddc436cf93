#pragma once
/// @file links.hpp
/// Event-to-room links: the `scheduleEventResource` service (id `schedule_scheduleeventresource`).

#include <memory>
#include <utility>

#include "kmeet/export.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/model.hpp"

namespace kmeet {
namespace detail {
struct ServiceContext;
}

/// Typed access to links. Get one from `Client::links()`; cheap to copy, safe to share.
class KMEET_EXPORT Links {
 public:

  /// `scheduleEventResource.add`: event `event` takes place in room `room`. Safe to retry: after
  /// an unknown outcome the pair is looked up before the add is sent again, and "already exists"
  /// for a resend is our own earlier add.
  EventRoomLink add(EventId event, RoomId room) const;  // NOLINT(modernize-use-nodiscard)
  /// `scheduleEventResource.list`: one page.
  [[nodiscard]] Page<EventRoomLink> list(const LinkFilter& filter = {}, const Pager& pager = {}) const;
  /// Every matching link, oldest first, lazily; past the 10,000-result window.
  [[nodiscard]] Listing<EventRoomLink> list_all(const LinkFilter& filter = {}, int page_size = 500) const;
  /// `scheduleEventResource.delete` (a hard delete) of the link between `event` and `room`.
  /// Resent after an unknown outcome (connection lost after sending, 5xx); "not found" on the
  /// resend (`INVALID_OBJECT_ID`) means the first attempt deleted it, and remove() succeeds.
  void remove(EventId event, RoomId room) const;

 private:
  friend class Client;
  explicit Links(std::shared_ptr<const detail::ServiceContext> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
};

}  // namespace kmeet
