#pragma once
/// @file events.hpp
/// Scheduled sessions: the `scheduleEvent` service (service id `schedule_scheduleevent`).

#include <memory>
#include <utility>

#include "kmeet/listing.hpp"
#include "kmeet/model.hpp"

namespace kmeet {
namespace detail {
struct ServiceContext;
}

/// Typed access to events. Get one from `Client::events()`; cheap to copy, safe to share.
class Events {
 public:

  /// `scheduleEvent.add` of a `KalturaRecordScheduleEvent` (or `KalturaMeetingScheduleEvent`
  /// when `event.type` is `meeting`). Validates first: summary, start < end, absolute times,
  /// the single-event duration limit unless `options.allow_long_event`, the settings.
  /// Safe to retry: `referenceId` is the idempotency key (a `kmeet-<32 hex>` one is generated
  /// when `event.reference_id` is unset; give each event its own). After an unknown outcome the
  /// event is looked up by it before the add is sent again (docs/reliability.md).
  [[nodiscard]] Event add(const Event& event, const EventAddOptions& options = {}) const;
  /// `scheduleEvent.get`.
  [[nodiscard]] Event get(EventId id) const;
  /// `scheduleEvent.update`: sends only what `changes` sets (`kmeet::clear` -> `__null`).
  [[nodiscard]] Event update(EventId id, const EventUpdate& changes) const;
  /// `scheduleEvent.cancel`: the event stays listed with status `cancelled`.
  Event cancel(EventId id) const;  // NOLINT(modernize-use-nodiscard)
  /// `scheduleEvent.delete` (soft delete; the event disappears from get and list). A delete is
  /// resent after an unknown outcome (connection lost after sending, 5xx); when the resend gets
  /// `INVALID_OBJECT_ID`, the first attempt did the delete and success is returned: an Event with
  /// only `id` and `status` (`deleted`) set, since a deleted event cannot be read back.
  Event remove(EventId id) const;  // NOLINT(modernize-use-nodiscard)
  /// `scheduleEvent.list`: one page.
  [[nodiscard]] Page<Event> list(const EventFilter& filter = {}, const Pager& pager = {}) const;
  /// Every matching event, oldest-created first, lazily; past the 10,000-result window.
  [[nodiscard]] Listing<Event> list_all(const EventFilter& filter = {}, int page_size = 500) const;

 private:
  friend class Client;
  friend class Recordings;  // reads the event of a recording
  explicit Events(std::shared_ptr<const detail::ServiceContext> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
};

}  // namespace kmeet
