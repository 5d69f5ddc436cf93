#pragma once
// One VEVENT read into plain values (what sync needs of it), with its problems.

#include <libical/ical.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/ical_doc.hpp"
#include "sync/zone.hpp"

namespace kmeet::detail::sync {

/// A DATE or DATE-TIME value as written.
struct IcalTime {
  enum class Kind { utc, zoned, floating, date };
  Kind kind = Kind::floating;
  LocalTime local;
  std::string tzid;  ///< for `zoned`
  int line = 0;      ///< where it is written
};

/// A DURATION: nominal days (weeks included) and exact seconds (RFC 5545 3.3.6).
struct IcalDuration {
  int days = 0;
  std::int64_t seconds = 0;
};

/// A VEVENT's values.
struct RawEvent {
  int line = 0;  ///< BEGIN:VEVENT
  LineIndex::Span span;
  std::string uid;
  std::optional<IcalTime> recurrence_id;
  std::optional<IcalTime> start;
  std::optional<IcalTime> end;
  std::optional<IcalDuration> duration;
  std::optional<std::string> summary, description, location;
  bool cancelled = false;
  std::vector<icalrecurrencetype> rrules;  ///< valid while the IcalDocument lives
  int rrule_line = 0;
  std::vector<IcalTime> exdates;
  std::vector<IcalTime> rdates;
  /// `line N (UID x): reason` for everything that keeps this VEVENT from being a meeting.
  std::vector<std::string> problems;

  /// `line N (UID x)` for the event, or for one of its lines.
  [[nodiscard]] std::string where(int at_line = 0) const;
  /// Records a problem at `at_line` (the event's line when 0).
  void problem(const std::string& reason, int at_line = 0);
};

/// Reads VEVENT `c` (at `span` of `index`).
RawEvent read_event(icalcomponent* c, const LineIndex& index, const LineIndex::Span& span);

}  // namespace kmeet::detail::sync
