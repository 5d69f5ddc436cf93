// libical parsing, the line index, and VTIMEZONE rules through libical.
#include "sync/ical_doc.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <new>
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

// The position of the ':' that ends a content line's name and parameters (a quoted parameter
// value may hold ':'); npos when there is none.
std::size_t value_colon(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) return i;
  }
  return std::string_view::npos;
}

// Feeds libical one line at a time, as icalparser_parse_string does, but remembers where the
// current line ends: libical's own string reader searches for the end of the line again for every
// 80-byte piece, quadratic in the length of a long line.
struct LineFeed {
  const char* pos = nullptr;
  const char* end = nullptr;
  const char* line_end = nullptr;  // one past the '\n' of the current line (or `end`)
};

char* next_piece(char* out, std::size_t size, void* data) {
  auto* feed = static_cast<LineFeed*>(data);
  if (feed->pos >= feed->end || size < 2) return nullptr;
  if (feed->line_end <= feed->pos) {
    const void* nl = std::memchr(feed->pos, '\n', static_cast<std::size_t>(feed->end - feed->pos));
    feed->line_end = nl != nullptr ? static_cast<const char*>(nl) + 1 : feed->end;
  }
  const auto n = std::min(size - 1, static_cast<std::size_t>(feed->line_end - feed->pos));
  std::memcpy(out, feed->pos, n);
  out[n] = '\0';
  feed->pos += n;
  return out;
}

icalcomponent* parse(const std::string& text) {
  LineFeed feed{text.data(), text.data() + text.size(), text.data()};
  icalparser* parser = icalparser_new();
  if (parser == nullptr) throw std::bad_alloc();
  icalparser_set_gen_data(parser, &feed);
  const icalerrorstate was = icalerror_get_error_state(ICAL_MALFORMEDDATA_ERROR);
  icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, ICAL_ERROR_NONFATAL);
  icalcomponent* root = icalparser_parse(parser, next_piece);
  icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, was);
  icalparser_free(parser);
  return root;
}

bool misplaced(icalcomponent* c, icalcomponent_kind parent) {
  const icalcomponent_kind kind = icalcomponent_isa(c);
  if (kind == ICAL_VCALENDAR_COMPONENT) return parent != ICAL_XROOT_COMPONENT && parent != ICAL_NO_COMPONENT;
  if (parent == ICAL_XROOT_COMPONENT || parent == ICAL_NO_COMPONENT) return true;
  return parent == ICAL_VEVENT_COMPONENT && kind != ICAL_VALARM_COMPONENT && kind != ICAL_X_COMPONENT;
}

std::size_t count_misplaced(icalcomponent* c) {
  std::size_t n = 0;
  const icalcomponent_kind kind = icalcomponent_isa(c);
  for (icalcomponent* k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k != nullptr;
       k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
    n += (misplaced(k, kind) ? 1 : 0) + count_misplaced(k);
  }
  return n;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    lines_.push_back(trim_line(text.substr(at, end - at)));
    at = end + 1;
  }
  std::vector<std::string> stack;  // the open components
  std::vector<int> begins;         // their BEGIN lines
  in_event_.assign(lines_.size(), false);
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (is_property(lines_[i], "UID")) uid_lines_.emplace(lines_[i].substr(lines_[i].find(':') + 1), line);
    const bool event_end = boundary(lines_[i], "END") == "VEVENT" && !stack.empty() && stack.back() == "VEVENT";
    if (event_end && stack.size() == 2 && stack.front() == "VCALENDAR") {
      events_.push_back(Span{begins.back(), line});
      std::fill(in_event_.begin() + begins.back() - 1, in_event_.begin() + line, true);
    }
    const std::size_t depth = stack.size();
    track_structure(stack, lines_[i], line);
    if (stack.size() > depth) begins.push_back(line);
    if (stack.size() < depth) begins.pop_back();
  }
}

void LineIndex::track_structure(std::vector<std::string>& stack, std::string_view l, int number) {
  if (std::string name = boundary(l, "BEGIN"); !name.empty()) {
    const std::string parent = stack.empty() ? "" : stack.back();
    std::string why;
    if (parent.empty() && name != "VCALENDAR") {
      why = fmt::format("BEGIN:{} outside a VCALENDAR (after its END:VCALENDAR?) would be ignored", name);
    } else if (!parent.empty() && name == "VCALENDAR") {
      why = fmt::format("a VCALENDAR inside a {} would be ignored (write calendars one after the other)", parent);
    } else if (parent == "VEVENT" && name != "VALARM" && !name.starts_with("X-")) {
      why = fmt::format("a {} inside a VEVENT would be ignored (a VEVENT holds only VALARMs)", name);
    }
    if (!why.empty()) structure_problems_.push_back(fmt::format("line {}: {}", number, why));
    stack.push_back(std::move(name));
    stray_ = false;
    return;
  }
  if (std::string name = boundary(l, "END"); !name.empty()) {
    if (!stack.empty() && stack.back() == name) stack.pop_back();
    return;
  }
  if (stack.empty() && !l.empty() && !stray_) {
    structure_problems_.push_back(fmt::format("line {}: a line outside a VCALENDAR would be ignored", number));
  }
  stray_ = stack.empty() && !l.empty();
}

std::size_t LineIndex::value_count(const Span& span, std::string_view name) const {
  std::size_t count = 0;
  int depth = 0;
  for (int line = span.begin + 1; line < span.end && line <= static_cast<int>(lines_.size()); ++line) {
    const std::string_view l = lines_[static_cast<std::size_t>(line) - 1];
    if (!boundary(l, "BEGIN").empty()) ++depth;
    if (!boundary(l, "END").empty()) --depth;
    if (depth != 0 || !is_property(l, name)) continue;
    std::string joined(l);  // with its folded continuation lines (RFC 5545 3.1)
    for (auto next = static_cast<std::size_t>(line); next < lines_.size(); ++next) {
      const std::string_view c = lines_[next];
      if (c.empty() || (c.front() != ' ' && c.front() != '\t')) break;
      joined.append(c.substr(1));
    }
    count += count_values(joined);
  }
  return count;
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
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark (Windows exports)
  root_ = parse(split_multi_values(text));
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

std::size_t IcalDocument::misplaced_components() const {
  return count_misplaced(root_);
}

std::size_t count_values(std::string_view line) {
  const auto colon = value_colon(line);
  if (colon == std::string_view::npos) return 0;
  return 1 + static_cast<std::size_t>(std::count(line.begin() + static_cast<std::ptrdiff_t>(colon) + 1, line.end(), ','));
}

std::string split_multi_values(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t at = 0;
  while (at < text.size()) {
    // One content line: a physical line and the folded lines after it (RFC 5545 3.1).
    std::size_t end = text.find('\n', at);
    end = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view first = text.substr(at, end - at);
    std::size_t stop = end;
    while (stop < text.size() && (text[stop] == ' ' || text[stop] == '\t')) {
      const auto nl = text.find('\n', stop);
      stop = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    if (!is_property(first, "RDATE") && !is_property(first, "EXDATE")) {
      out.append(text.substr(at, stop - at));
      at = stop;
      continue;
    }
    std::string joined;
    for (std::size_t p = at; p < stop;) {
      auto nl = text.find('\n', p);
      nl = nl == std::string_view::npos || nl > stop ? stop : nl;
      std::string_view piece = trim_line(text.substr(p, nl - p));
      if (p != at) piece.remove_prefix(1);
      joined.append(piece);
      p = nl + 1;
    }
    const auto colon = value_colon(joined);
    const std::string_view head = std::string_view(joined).substr(0, colon == std::string::npos ? 0 : colon + 1);
    std::string_view values = std::string_view(joined).substr(head.size());
    if (colon == std::string::npos || values.find(',') == std::string_view::npos) {
      out.append(text.substr(at, stop - at));
    } else {
      for (std::size_t v = 0; v <= values.size();) {
        const auto comma = std::min(values.find(',', v), values.size());
        out.append(head).append(values.substr(v, comma - v)).append("\r\n");
        v = comma + 1;
      }
    }
    at = stop;
  }
  return out;
}

LibicalProblem libical_problem(icalproperty* error) {
  const char* raw = icalproperty_get_xlicerror(error);
  std::string reason = raw != nullptr ? raw : "malformed line";
  // libical drops what it cannot read ("Removing entire property: VALUE"); kmeet refuses instead.
  const std::string dropped = ". Removing entire property:";
  if (auto at = reason.find(dropped); at != std::string::npos) {
    const bool value_follows = reason.find_first_not_of(' ', at + dropped.size()) != std::string::npos;
    reason.replace(at, reason.find_first_not_of(' ', at + dropped.size()) - at, value_follows ? ": " : "");
  }
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back())) != 0) reason.pop_back();
  LibicalProblem out{reason, {}};
  const std::string marker = reason.starts_with("No value for ") ? "No value for " : " in ";
  if (auto at = reason.find(marker); at != std::string::npos) {
    const auto end = reason.find(" property", at + marker.size());
    if (end != std::string::npos) out.property = reason.substr(at + marker.size(), end - at - marker.size());
  }
  return out;
}

}  // namespace kmeet::detail::sync
