#pragma once
/// @file types.hpp
/// Strong identifier types and time aliases used across kmeet.

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace kmeet {

/// Absolute time with one-second resolution; Kaltura sends every date as Unix seconds.
using Timestamp = std::chrono::sys_seconds;

// Conventions every public kmeet type follows:
//
// - `to_string(E)` of a kmeet enumeration returns the value's wire name (the spelling the API,
//   KAF or the KS uses; documented at each enumeration). For a value that is not one of the
//   enumerators (e.g. `static_cast<E>(42)`) it returns an empty string_view. It never throws
//   (`noexcept`); calls that send an enum value refuse such a value with ValidationError naming
//   the field, before anything is sent.
// - A duration is a `std::chrono::seconds` named `ttl` (or after the API field it fills, e.g.
//   `SessionStart::expiry` fills `session.start`'s `expiry`); a point in time is a `Timestamp`
//   named `<something>_at` (`expires_at`, `created_at`) or after its API field (`start`, `end`).
// - A field holding an id is named `<object>_id` (`room_id`, `event_id`), in objects and filters
//   alike; filter fields are named after the field they match, with `_in`, `_not_in`, `_gte`,
//   `_lte`, `_like`, `_multi_like_or`, `_multi_like_and` for the API's `In`, `NotIn`,
//   `GreaterThanOrEqual`, `LessThanOrEqual`, `Like`, `MultiLikeOr`, `MultiLikeAnd`.

/// A typed integer identifier. Distinct tags make `RoomId` and `EventId` impossible to mix up.
template <class Tag>
class Id {
 public:
  constexpr Id() = default;
  /// Wraps a raw id; 0 means "no id".
  constexpr explicit Id(std::int64_t value) : value_(value) {}
  /// The raw number as the API sends it.
  [[nodiscard]] constexpr std::int64_t value() const { return value_; }
  /// True for an id the server could have issued (ids start at 1).
  [[nodiscard]] constexpr bool valid() const { return value_ > 0; }
  /// The id as decimal text.
  [[nodiscard]] std::string str() const { return std::to_string(value_); }
  /// Ids of one kind compare by value.
  constexpr auto operator<=>(const Id&) const = default;

 private:
  std::int64_t value_ = 0;
};

/// Id of a room (a `KalturaLocationScheduleResource`).
using RoomId = Id<struct RoomIdTag>;
/// Id of a scheduled event (a `KalturaRecordScheduleEvent`).
using EventId = Id<struct EventIdTag>;
/// Kaltura partner (account) id.
using PartnerId = Id<struct PartnerIdTag>;
/// Id of a session: one occurrence of a meeting held in a room, as KAF analytics reports it
/// (`RoomSession`). Not a KS, not a scheduled event.
using SessionId = Id<struct SessionIdTag>;

}  // namespace kmeet

/// Ids hash like their value, for unordered containers.
template <class Tag>
struct std::hash<kmeet::Id<Tag>> {
  /// The hash of `id.value()`.
  std::size_t operator()(const kmeet::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
