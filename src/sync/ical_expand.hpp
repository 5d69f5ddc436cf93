#pragma once
// A recurring VEVENT (and its RECURRENCE-ID overrides) into single occurrences: libical expands
// the RRULE in local wall-clock time, the zone rules (zone.hpp) turn each into an instant.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/ical_doc.hpp"
#include "sync/ical_event.hpp"
#include "sync/zone.hpp"

namespace kmeet::detail::sync {

/// Finds the zone of a time as written: UTC, a TZID (the system tz database first, else a
/// VTIMEZONE of the file), or for a floating time `floating` (the event's own zone, or `--tz`).
class ZoneSource {
 public:
  ZoneSource(const IcalDocument& doc, std::shared_ptr<const Zone> option_zone)
      : doc_(doc), option_zone_(std::move(option_zone)) {}
  /// nullptr with `why` set when the time has no usable zone.
  std::shared_ptr<const Zone> zone_of(const IcalTime& t, const std::shared_ptr<const Zone>& floating,
                                      std::string& why) const;
  /// The zone of floating times given by the caller (`--tz`); may be null.
  [[nodiscard]] const std::shared_ptr<const Zone>& option_zone() const { return option_zone_; }

 private:
  const IcalDocument& doc_;
  std::shared_ptr<const Zone> option_zone_;
};

/// One session of a series.
struct Occurrence {
  std::string key;
  Timestamp start{};
  Timestamp end{};
  Timestamp original{};     ///< the instant the rule (or RECURRENCE-ID) gives
  const RawEvent* source;   ///< the VEVENT that describes it (an override, or the master)
  const RawEvent* master;   ///< the series' master (null for an override without one)
};

/// The window and the zones of an expansion.
struct Expansion {
  Timestamp from{};
  Timestamp to{};
  const ZoneSource* zones = nullptr;
};

/// Every occurrence of the series `uid` (its `master`, may be null, and `overrides`) whose start or
/// original start falls in the window; problems (`line N (UID x): reason`) go to `problems`.
std::vector<Occurrence> expand_series(const RawEvent* master, const std::vector<const RawEvent*>& overrides,
                                      const Expansion& ex, std::vector<std::string>& problems);

}  // namespace kmeet::detail::sync
