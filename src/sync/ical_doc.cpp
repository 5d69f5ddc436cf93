// libical parsing, the line index, and VTIMEZONE rules through libical.
#include "sync/ical_doc.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <fmt/format.h>

#include "kmeet/sync.hpp"

namespace kmeet::detail::sync {
namespace {

bool iequals_prefix(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(line[i])) != std::toupper(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// True when `line` is a content line of property `name` (`NAME:` or `NAME;`).
bool is_property(std::string_view line, std::string_view name) {
  return iequals_prefix(line, name) && line.size() > name.size() &&
         (line[name.size()] == ':' || line[name.size()] == ';');
}

std::string_view trim_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

// A line-level component boundary: `BEGIN:X` / `END:X` (returns X, upper-cased), else "".
std::string boundary(std::string_view line, std::string_view word) {
  if (!is_property(line, word) || line[word.size()] != ':') return {};
  std::string name(line.substr(word.size() + 1));
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// Times in libical's zone code are thread-safe only once its tables exist; errors never abort.
void init_libical() {
  static std::once_flag once;
  std::call_once(once, [] {
    icalerror_set_errors_are_fatal(0);
    (void)icaltimezone_get_utc_timezone();
  });
}

class VtimezoneZone final : public Zone {
 public:
  VtimezoneZone(icaltimezone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  Timestamp to_sys(const LocalTime& l) const override {
    icaltimetype t = icaltime_null_time();
    t.year = l.year, t.month = l.month, t.day = l.day, t.hour = l.hour, t.minute = l.minute, t.second = l.second;
    return Timestamp{std::chrono::seconds{icaltime_as_timet_with_zone(t, zone_)}};
  }
  LocalTime to_local(Timestamp instant) const override {
    const icaltimetype t =
        icaltime_from_timet_with_zone(static_cast<time_t>(instant.time_since_epoch().count()), 0, zone_);
    return LocalTime{t.year, t.month, t.day, t.hour, t.minute, t.second};
  }
  const std::string& name() const override { return name_; }

 private:
  icaltimezone* zone_;  // owned by the document's VCALENDAR
  std::string name_;
};

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    lines_.push_back(trim_line(text.substr(at, end - at)));
    at = end + 1;
  }
  int open = 0;
  in_event_.assign(lines_.size(), false);
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (boundary(lines_[i], "BEGIN") == "VEVENT") open = line;
    if (is_property(lines_[i], "UID")) uid_lines_.emplace(lines_[i].substr(lines_[i].find(':') + 1), line);
    if (boundary(lines_[i], "END") == "VEVENT" && open != 0) {
      events_.push_back(Span{open, line});
      std::fill(in_event_.begin() + open - 1, in_event_.begin() + line, true);
      open = 0;
    }
  }
}

int LineIndex::property_line(const Span& span, std::string_view name) const {
  int depth = 0;
  for (int line = span.begin + 1; line < span.end && line <= static_cast<int>(lines_.size()); ++line) {
    const std::string_view l = lines_[static_cast<std::size_t>(line) - 1];
    if (!boundary(l, "BEGIN").empty()) ++depth;
    if (!boundary(l, "END").empty()) --depth;
    if (depth == 0 && is_property(l, name)) return line;
  }
  return 0;
}

int LineIndex::property_line_outside_events(std::string_view name) const {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (!in_event_[i] && is_property(lines_[i], name)) return static_cast<int>(i) + 1;
  }
  return 0;
}

int LineIndex::uid_line(std::string_view uid) const {
  const auto it = uid_lines_.find(uid);
  return it == uid_lines_.end() ? 0 : it->second;
}

IcalDocument::IcalDocument(std::string_view text) {
  init_libical();
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    throw TimetableError({fmt::format("line {}: a NUL byte (not an iCalendar text file)", line)});
  }
  const std::string copy(text);  // libical wants a NUL-terminated string
  root_ = icalparser_parse_string(copy.c_str());
  const icalcomponent_kind kind = root_ != nullptr ? icalcomponent_isa(root_) : ICAL_NO_COMPONENT;
  if (kind != ICAL_VCALENDAR_COMPONENT && kind != ICAL_XROOT_COMPONENT) {
    if (root_ != nullptr) icalcomponent_free(root_);
    root_ = nullptr;
    throw TimetableError({"line 1: not an iCalendar file (no complete BEGIN:VCALENDAR ... END:VCALENDAR)"});
  }
  if (calendars().empty()) {
    icalcomponent_free(root_);
    root_ = nullptr;
    throw TimetableError({"line 1: not an iCalendar file (no VCALENDAR)"});
  }
}

IcalDocument::~IcalDocument() {
  if (root_ != nullptr) icalcomponent_free(root_);
}

std::vector<icalcomponent*> IcalDocument::calendars() const {
  if (icalcomponent_isa(root_) == ICAL_VCALENDAR_COMPONENT) return {root_};
  std::vector<icalcomponent*> out;
  for (icalcomponent* c = icalcomponent_get_first_component(root_, ICAL_VCALENDAR_COMPONENT); c != nullptr;
       c = icalcomponent_get_next_component(root_, ICAL_VCALENDAR_COMPONENT)) {
    out.push_back(c);
  }
  return out;
}

std::vector<icalcomponent*> IcalDocument::events() const {
  std::vector<icalcomponent*> out;
  for (icalcomponent* cal : calendars()) {
    for (icalcomponent* c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c != nullptr;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> IcalDocument::calendar_problems(const LineIndex& index) const {
  std::vector<std::string> out;
  for (icalcomponent* cal : calendars()) {
    for (icalproperty* p = icalcomponent_get_first_property(cal, ICAL_XLICERROR_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(cal, ICAL_XLICERROR_PROPERTY)) {
      const LibicalProblem problem = libical_problem(p);
      const int line = problem.property.empty() ? 0 : index.property_line_outside_events(problem.property);
      out.push_back(fmt::format("line {}: {}", line == 0 ? 1 : line, problem.reason));
    }
  }
  return out;
}

std::shared_ptr<const Zone> IcalDocument::vtimezone(const std::string& tzid) const {
  for (icalcomponent* cal : calendars()) {
    if (icaltimezone* zone = icalcomponent_get_timezone(cal, tzid.c_str())) {
      return std::make_shared<const VtimezoneZone>(zone, tzid);
    }
  }
  return nullptr;
}

LibicalProblem libical_problem(icalproperty* error) {
  const char* raw = icalproperty_get_xlicerror(error);
  std::string reason = raw != nullptr ? raw : "malformed line";
  // libical drops what it cannot read ("Removing entire property: VALUE"); kmeet refuses instead.
  const std::string dropped = ". Removing entire property: ";
  if (auto at = reason.find(dropped); at != std::string::npos) reason.replace(at, dropped.size(), ": ");
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back())) != 0) reason.pop_back();
  LibicalProblem out{reason, {}};
  const std::string marker = " in ";
  if (auto at = reason.find(marker); at != std::string::npos) {
    const auto end = reason.find(" property", at + marker.size());
    if (end != std::string::npos) out.property = reason.substr(at + marker.size(), end - at - marker.size());
  }
  return out;
}

}  // namespace kmeet::detail::sync
