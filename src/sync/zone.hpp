#pragma once
// Local wall-clock time <-> instants, by the zone rules of a library (docs/sync.md): Howard
// Hinnant's date/tz over the system tzdata for IANA names, libical for a VTIMEZONE of the file.

#include <memory>
#include <string>

#include "kmeet/types.hpp"

namespace kmeet::detail::sync {

/// A wall-clock time (no zone).
struct LocalTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  friend bool operator==(const LocalTime&, const LocalTime&) = default;
};

/// Seconds since 1970-01-01T00:00:00 of the wall-clock time, as if it were UTC (for ordering and
/// adding days).
std::int64_t local_seconds(const LocalTime& t);
/// The inverse of local_seconds.
LocalTime local_from_seconds(std::int64_t seconds);

/// A time zone's rules.
class Zone {
 public:
  virtual ~Zone() = default;
  /// The instant of a wall-clock time (RFC 5545 3.3.5: a time in a gap is read with the offset
  /// before the gap; a repeated time is the first of the two).
  [[nodiscard]] virtual Timestamp to_sys(const LocalTime& local) const = 0;
  /// The wall-clock time of an instant.
  [[nodiscard]] virtual LocalTime to_local(Timestamp instant) const = 0;
  /// The zone's name (`UTC`, `Europe/Berlin`...).
  [[nodiscard]] virtual const std::string& name() const = 0;
};

/// UTC.
std::shared_ptr<const Zone> utc_zone();

/// An IANA zone of the system tz database; nullptr when the database has no such name.
std::shared_ptr<const Zone> tzdb_zone(const std::string& name);

}  // namespace kmeet::detail::sync
