// read_icalendar: VEVENTs grouped by UID, expanded, mapped to rooms, into a Timetable.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "kmeet/sync.hpp"
#include "sync/ical_doc.hpp"
#include "sync/ical_event.hpp"
#include "sync/ical_expand.hpp"
#include "sync/zone.hpp"

namespace kmeet {
namespace {

using detail::sync::Expansion;
using detail::sync::IcalDocument;
using detail::sync::LineIndex;
using detail::sync::Occurrence;
using detail::sync::RawEvent;

/// The VEVENTs of one UID: the master (no RECURRENCE-ID) and its overrides.
struct Series {
  const RawEvent* master = nullptr;
  std::vector<const RawEvent*> overrides;
};

std::vector<RawEvent> read_events(const IcalDocument& doc, const LineIndex& index) {
  const std::vector<icalcomponent*> comps = doc.events();
  std::vector<RawEvent> out;
  out.reserve(comps.size());
  // libical keeps the VEVENTs in file order; should it ever disagree with the lines, each event is
  // placed by its UID line instead.
  const bool aligned = comps.size() == index.events().size();
  for (std::size_t i = 0; i < comps.size(); ++i) {
    LineIndex::Span span;
    if (aligned) {
      span = index.events()[i];
    } else if (const char* uid = icalcomponent_get_uid(comps[i])) {
      span.begin = span.end = index.uid_line(uid);
    }
    out.push_back(detail::sync::read_event(comps[i], index, span));
  }
  return out;
}

std::vector<std::pair<std::string, Series>> group(const std::vector<RawEvent>& events,
                                                  std::vector<std::string>& problems) {
  std::vector<std::pair<std::string, Series>> out;
  std::map<std::string, std::size_t> at;
  for (const RawEvent& e : events) {
    if (e.uid.empty() || !e.problems.empty()) continue;  // already refused
    auto [it, fresh] = at.emplace(e.uid, out.size());
    if (fresh) out.emplace_back(e.uid, Series{});
    Series& s = out[it->second].second;
    if (e.recurrence_id) {
      s.overrides.push_back(&e);
    } else if (s.master != nullptr) {
      problems.push_back(fmt::format("{}: the UID is used by another event too ({})", e.where(), s.master->where()));
    } else {
      s.master = &e;
    }
  }
  return out;
}

std::optional<SyncRoom> room_for(const RawEvent& e, const IcalOptions& o) {
  std::string location = e.location.value_or("");
  const auto first = location.find_first_not_of(" \t");
  location = first == std::string::npos ? "" : location.substr(first, location.find_last_not_of(" \t") - first + 1);
  if (auto it = o.locations.find(location); it != o.locations.end()) return it->second;
  if (location.empty()) return o.default_room;
  SyncRoom room;
  room.name = location;
  return room;
}

// A field of the occurrence's own VEVENT, else of the series' master.
std::optional<std::string> field(const Occurrence& oc, std::optional<std::string> RawEvent::*member) {
  if (oc.source->*member) return oc.source->*member;
  return oc.master != nullptr ? oc.master->*member : std::nullopt;
}

SyncSession session_of(const Occurrence& oc, const IcalOptions& o, std::vector<std::string>& problems) {
  SyncSession s;
  s.key = oc.key;
  s.start = oc.start;
  s.end = oc.end;
  if (oc.original != oc.start) s.original_start = oc.original;
  s.summary = field(oc, &RawEvent::summary).value_or("");
  s.description = field(oc, &RawEvent::description);
  if (s.description && s.description->empty()) s.description.reset();
  s.cancelled = oc.source->cancelled;  // an override's own STATUS stands for its occurrence
  s.origin = oc.source->where();
  RawEvent located = *oc.source;
  located.location = field(oc, &RawEvent::location);
  if (auto room = room_for(located, o)) {
    s.room = *room;
  } else if (!s.cancelled) {
    problems.push_back(s.origin + ": has no LOCATION and no default room is given (--room)");
  }
  if (s.summary.empty() && !s.cancelled) problems.push_back(s.origin + ": has no SUMMARY (a meeting needs a title)");
  return s;
}

int line_of(const std::string& problem) {
  return problem.rfind("line ", 0) == 0 ? std::atoi(problem.c_str() + 5) : 0;
}

void check_options(const IcalOptions& o) {
  if (o.to <= o.from) throw ValidationError("to", "the window must end after it starts");
  if (o.time_zone && !detail::sync::tzdb_zone(*o.time_zone)) {
    throw ValidationError("time_zone", fmt::format("'{}' is not a time zone of the system tz database "
                                                   "(e.g. Europe/Berlin)",
                                                   *o.time_zone));
  }
}

}  // namespace

Timetable read_icalendar(std::string_view text, const IcalOptions& options) {
  check_options(options);
  const IcalDocument doc(text);
  const LineIndex index(text);
  std::vector<std::string> problems = doc.calendar_problems(index);
  problems.insert(problems.end(), index.structure_problems().begin(), index.structure_problems().end());
  if (index.structure_problems().empty() && doc.misplaced_components() != 0) {
    problems.emplace_back("line 1: a component is where it would be ignored (a VEVENT or VCALENDAR inside another "
                          "component, or outside a VCALENDAR)");
  }
  const std::vector<RawEvent> events = read_events(doc, index);
  for (const RawEvent& e : events) problems.insert(problems.end(), e.problems.begin(), e.problems.end());
  const detail::sync::ZoneSource zones(doc, options.time_zone ? detail::sync::tzdb_zone(*options.time_zone) : nullptr);
  const Expansion ex{options.from, options.to, &zones};
  Timetable out{options.from, options.to, {}};
  for (const auto& [uid, series] : group(events, problems)) {
    for (const Occurrence& oc : detail::sync::expand_series(series.master, series.overrides, ex, problems)) {
      out.sessions.push_back(session_of(oc, options, problems));
    }
  }
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const std::string& a, const std::string& b) { return line_of(a) < line_of(b); });
    problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
    throw TimetableError(std::move(problems));
  }
  return out;
}

}  // namespace kmeet
