// One VEVENT into a RawEvent: the properties sync uses, checked one by one.
#include "sync/ical_event.hpp"

#include <fmt/format.h>

namespace kmeet::detail::sync {
namespace {

std::optional<std::string> text_of(const char* value) {
  if (value == nullptr) return std::nullopt;
  std::string s(value);
  return s;
}

IcalTime time_of(icalproperty* p, const icaltimetype& t, const LineIndex& index, const LineIndex::Span& span) {
  IcalTime out;
  out.local = LocalTime{t.year, t.month, t.day, t.hour, t.minute, t.second};
  out.line = index.property_line(span, icalproperty_get_property_name(p));
  if (t.is_date != 0) {
    out.kind = IcalTime::Kind::date;
  } else if (icaltime_is_utc(t) != 0) {
    out.kind = IcalTime::Kind::utc;
  } else if (icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)) {
    out.kind = IcalTime::Kind::zoned;
    out.tzid = icalparameter_get_tzid(tz) != nullptr ? icalparameter_get_tzid(tz) : "";
  }
  return out;
}

IcalDuration duration_of(const icaldurationtype& d) {
  IcalDuration out;
  out.days = static_cast<int>(d.days + 7 * d.weeks);
  out.seconds = static_cast<std::int64_t>(d.hours) * 3600 + static_cast<std::int64_t>(d.minutes) * 60 + d.seconds;
  if (d.is_neg != 0) {
    out.days = -out.days;
    out.seconds = -out.seconds;
  }
  return out;
}

void read_libical_errors(icalcomponent* c, const LineIndex& index, RawEvent& e) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
    const LibicalProblem problem = libical_problem(p);
    e.problem(problem.reason, problem.property.empty() ? 0 : index.property_line(e.span, problem.property));
  }
}

void read_times(icalcomponent* c, const LineIndex& index, RawEvent& e) {
  if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY)) {
    e.start = time_of(p, icalproperty_get_dtstart(p), index, e.span);
  }
  if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY)) {
    e.end = time_of(p, icalproperty_get_dtend(p), index, e.span);
  }
  if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
    e.duration = duration_of(icalproperty_get_duration(p));
    if (e.end) {
      e.problem("has both DTEND and DURATION (RFC 5545 3.6.1 allows one or the other)",
                index.property_line(e.span, "DURATION"));
    }
  }
  if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
    e.recurrence_id = time_of(p, icalproperty_get_recurrenceid(p), index, e.span);
    if (icalparameter* range = icalproperty_get_first_parameter(p, ICAL_RANGE_PARAMETER);
        range != nullptr && icalparameter_get_range(range) == ICAL_RANGE_THISANDFUTURE) {
      e.problem("RECURRENCE-ID;RANGE=THISANDFUTURE is not supported (give each changed occurrence its own "
                "override, or split the series)",
                e.recurrence_id->line);
    }
  }
}

// libical drops values it does not take (3.0 reads at most 500 of one line; split_multi_values
// writes them one per line first): every value of the file must have been read.
void check_all_read(const LineIndex& index, RawEvent& e, std::string_view name, std::size_t read) {
  const std::size_t written = index.value_count(e.span, name);
  if (read < written) {
    e.problem(fmt::format("{} holds {} values but only {} could be read (the rest would be lost)", name, written, read),
              index.property_line(e.span, name));
  }
}

void read_recurrence(icalcomponent* c, const LineIndex& index, RawEvent& e) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_RRULE_PROPERTY)) {
    e.rrules.push_back(icalproperty_get_rrule(p));
  }
  if (icalcomponent_get_first_property(c, ICAL_EXRULE_PROPERTY) != nullptr) {
    e.problem("EXRULE is not supported (RFC 5545 deprecated it): list the excluded occurrences as EXDATE",
              index.property_line(e.span, "EXRULE"));
  }
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
    e.exdates.push_back(time_of(p, icalproperty_get_exdate(p), index, e.span));
  }
  std::size_t rdates = 0;
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
    ++rdates;
    const icaldatetimeperiodtype v = icalproperty_get_rdate(p);
    if (icaltime_is_null_time(v.time) != 0) {
      e.problem("RDATE with a PERIOD value is not supported (use DATE-TIME values)",
                index.property_line(e.span, "RDATE"));
      continue;
    }
    e.rdates.push_back(time_of(p, v.time, index, e.span));
  }
  check_all_read(index, e, "RDATE", rdates);
  check_all_read(index, e, "EXDATE", e.exdates.size());
  e.rrule_line = index.property_line(e.span, "RRULE");
  if (e.rrules.size() > 1) e.problem("more than one RRULE (RFC 5545 allows one)", e.rrule_line);
}

}  // namespace

std::string RawEvent::where(int at_line) const {
  const int l = at_line != 0 ? at_line : line;
  return uid.empty() ? fmt::format("line {}", l) : fmt::format("line {} (UID {})", l, uid);
}

void RawEvent::problem(const std::string& reason, int at_line) {
  problems.push_back(fmt::format("{}: {}", where(at_line), reason));
}

RawEvent read_event(icalcomponent* c, const LineIndex& index, const LineIndex::Span& span) {
  RawEvent e;
  e.span = span;
  e.line = span.begin;
  if (const char* uid = icalcomponent_get_uid(c)) e.uid = uid;
  read_libical_errors(c, index, e);
  if (e.uid.empty()) e.problem("has no UID (a stable key is needed to find the session again)");
  read_times(c, index, e);
  read_recurrence(c, index, e);
  e.summary = text_of(icalcomponent_get_summary(c));
  e.description = text_of(icalcomponent_get_description(c));
  e.location = text_of(icalcomponent_get_location(c));
  e.cancelled = icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED;
  return e;
}

}  // namespace kmeet::detail::sync
