#pragma once
// An iCalendar file parsed by libical, with the physical lines of its VEVENTs (libical keeps no
// line numbers; problems are reported as `line N`).

#include <libical/ical.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sync/zone.hpp"

namespace kmeet::detail::sync {

/// Where the VEVENTs and their properties are, by physical line (1-based).
class LineIndex {
 public:
  /// The lines of a VEVENT: BEGIN:VEVENT .. END:VEVENT.
  struct Span {
    int begin = 0;
    int end = 0;
  };
  explicit LineIndex(std::string_view text);
  /// Every VEVENT, in file order.
  [[nodiscard]] const std::vector<Span>& events() const { return events_; }
  /// The first line of property `name` directly in `span` (not in a nested VALARM); 0 when none.
  [[nodiscard]] int property_line(const Span& span, std::string_view name) const;
  /// The first line of property `name` anywhere outside the VEVENTs; 0 when none.
  [[nodiscard]] int property_line_outside_events(std::string_view name) const;
  /// The first line `UID:<uid>` (unfolded lines are not joined); 0 when none.
  [[nodiscard]] int uid_line(std::string_view uid) const;
  /// How many values the lines of property `name` directly in `span` hold together (a
  /// comma-separated RDATE or EXDATE line holds several; folded lines are joined).
  [[nodiscard]] std::size_t value_count(const Span& span, std::string_view name) const;
  /// Components where libical would ignore them (content after END:VCALENDAR, a VCALENDAR in a
  /// VCALENDAR, a VEVENT in a VEVENT...), as `line N: reason`.
  [[nodiscard]] const std::vector<std::string>& structure_problems() const { return structure_problems_; }

 private:
  void track_structure(std::vector<std::string>& stack, std::string_view line, int number);

  std::vector<std::string_view> lines_;
  std::vector<Span> events_;
  std::vector<std::string> structure_problems_;
  bool stray_ = false;  ///< the previous line was outside every VCALENDAR (reported once per run)
  std::vector<bool> in_event_;  ///< per line: inside a VEVENT
  std::map<std::string_view, int> uid_lines_;  ///< UID value -> its first line
};

/// Owns the parsed calendar (VCALENDAR, or XROOT holding several).
class IcalDocument {
 public:
  /// Parses `text`; throws TimetableError when libical finds no complete VCALENDAR.
  explicit IcalDocument(std::string_view text);
  ~IcalDocument();
  IcalDocument(const IcalDocument&) = delete;
  IcalDocument& operator=(const IcalDocument&) = delete;

  /// Every VEVENT of every VCALENDAR, in file order.
  [[nodiscard]] std::vector<icalcomponent*> events() const;
  /// Components libical kept where sync does not read them (a VCALENDAR or VEVENT inside another
  /// component, anything outside a VCALENDAR): how many.
  [[nodiscard]] std::size_t misplaced_components() const;
  /// Problems libical recorded (X-LIC-ERROR) directly in a VCALENDAR, as `line N: reason`.
  [[nodiscard]] std::vector<std::string> calendar_problems(const LineIndex& index) const;
  /// The zone a VTIMEZONE of the file defines for `tzid` (libical's rules); nullptr when none.
  [[nodiscard]] std::shared_ptr<const Zone> vtimezone(const std::string& tzid) const;

 private:
  [[nodiscard]] std::vector<icalcomponent*> calendars() const;
  icalcomponent* root_ = nullptr;
};

/// libical's X-LIC-ERROR text as one reason, and the property it names (empty when none).
struct LibicalProblem {
  std::string reason;
  std::string property;
};
LibicalProblem libical_problem(icalproperty* error);

/// `text` with every multi-valued RDATE / EXDATE content line written as one line per value
/// (`EXDATE;TZID=X:a,b` -> `EXDATE;TZID=X:a` and `EXDATE;TZID=X:b`): libical 3.0 reads at most
/// 500 values of one line and drops the rest silently. Every other line is kept byte for byte.
std::string split_multi_values(std::string_view text);

/// The number of comma-separated values of the content line `line` (unfolded): 0 when it has no
/// value part.
std::size_t count_values(std::string_view line);

}  // namespace kmeet::detail::sync
