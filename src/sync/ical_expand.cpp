// Series expansion: RRULE by libical in wall-clock time, RDATE, EXDATE, RECURRENCE-ID overrides,
// then instants by the zone rules. No date arithmetic of our own beyond adding whole days.
#include "sync/ical_expand.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace kmeet::detail::sync {
namespace {

constexpr std::size_t kMaxOccurrences = 100000;
constexpr std::int64_t kDay = 86400;

struct Timing {
  std::shared_ptr<const Zone> zone;
  LocalTime local;  ///< DTSTART as written (wall-clock time in `zone`)
  Timestamp start{};
  IcalDuration length;
};

/// One instance of the series before it becomes an Occurrence.
struct Instance {
  LocalTime local;  ///< original start, wall-clock time in the series' zone
  Timestamp original{};
  const RawEvent* source;
};

void add_problem(std::vector<std::string>& problems, const RawEvent& e, int line, const std::string& reason) {
  problems.push_back(fmt::format("{}: {}", e.where(line), reason));
}

Timestamp end_of(const Timing& t, const LocalTime& local, Timestamp start) {
  // Nominal days in wall-clock time, the rest exact (RFC 5545 3.3.6).
  const Timestamp base =
      t.length.days == 0 ? start : t.zone->to_sys(local_from_seconds(local_seconds(local) + t.length.days * kDay));
  return base + std::chrono::seconds{t.length.seconds};
}

std::optional<IcalDuration> length_of(const RawEvent& e, const Timing& t, const ZoneSource& zones,
                                      const std::optional<IcalDuration>& inherited, std::vector<std::string>& problems) {
  if (e.end) {
    if (e.end->kind == IcalTime::Kind::date) {
      add_problem(problems, e, e.end->line, "DTEND is a date without a time (an all-day event cannot be a meeting)");
      return std::nullopt;
    }
    std::string why;
    const auto zone = zones.zone_of(*e.end, t.zone, why);
    if (!zone) {
      add_problem(problems, e, e.end->line, "DTEND: " + why);
      return std::nullopt;
    }
    const Timestamp end = zone->to_sys(e.end->local);
    if (end <= t.start) {
      add_problem(problems, e, e.end->line, "DTEND is not after DTSTART");
      return std::nullopt;
    }
    return IcalDuration{0, (end - t.start).count()};
  }
  if (e.duration) {
    Timing probe = t;
    probe.length = *e.duration;
    if (end_of(probe, t.local, t.start) <= t.start) {
      add_problem(problems, e, 0, "DURATION must be positive");
      return std::nullopt;
    }
    return *e.duration;
  }
  if (inherited) return inherited;
  add_problem(problems, e, 0, "has no DTEND or DURATION (a meeting needs an end time)");
  return std::nullopt;
}

std::optional<Timing> timing_of(const RawEvent& e, const ZoneSource& zones, const std::shared_ptr<const Zone>& floating,
                                const std::optional<IcalDuration>& inherited, std::vector<std::string>& problems) {
  if (!e.start) {
    add_problem(problems, e, 0, "has no DTSTART");
    return std::nullopt;
  }
  if (e.start->kind == IcalTime::Kind::date) {
    add_problem(problems, e, e.start->line,
                "all-day event (DTSTART is a date without a time): a meeting needs a start and an end time");
    return std::nullopt;
  }
  std::string why;
  auto zone = zones.zone_of(*e.start, floating, why);
  if (!zone) {
    add_problem(problems, e, e.start->line, "DTSTART: " + why);
    return std::nullopt;
  }
  Timing t{zone, e.start->local, zone->to_sys(e.start->local), {}};
  const auto length = length_of(e, t, zones, inherited, problems);
  if (!length) return std::nullopt;
  t.length = *length;
  return t;
}

icaltimetype floating_time(const LocalTime& l) {
  icaltimetype t = icaltime_null_time();
  t.year = l.year, t.month = l.month, t.day = l.day, t.hour = l.hour, t.minute = l.minute, t.second = l.second;
  t.is_date = 0;
  t.zone = nullptr;
  return t;
}

LocalTime local_of(const icaltimetype& t) { return LocalTime{t.year, t.month, t.day, t.hour, t.minute, t.second}; }

// The rule is expanded in floating (wall-clock) time, so UNTIL must be wall-clock time too: a UTC
// UNTIL is converted into the series' zone (libical would compare it as if the times were UTC).
void localize_until(icalrecurrencetype& rule, const Zone& zone) {
  if (icaltime_is_null_time(rule.until) != 0) return;
  LocalTime until = local_of(rule.until);
  if (rule.until.is_date != 0) {
    until.hour = 23, until.minute = 59, until.second = 59;  // the whole day (RFC 5545: UNTIL is inclusive)
  } else if (icaltime_is_utc(rule.until) != 0) {
    until = zone.to_local(Timestamp{std::chrono::seconds{local_seconds(until)}});
  }
  rule.until = floating_time(until);
}

bool rule_supported(const RawEvent& e, const icalrecurrencetype& rule, std::vector<std::string>& problems) {
  if (rule.freq < ICAL_DAILY_RECURRENCE || rule.freq > ICAL_YEARLY_RECURRENCE) {
    add_problem(problems, e, e.rrule_line,
                fmt::format("RRULE FREQ={} is not supported: sessions repeat DAILY, WEEKLY, MONTHLY or YEARLY",
                            icalrecur_freq_to_string(rule.freq)));
    return false;
  }
  if (rule.rscale != nullptr) {
    add_problem(problems, e, e.rrule_line, "RRULE RSCALE (RFC 7529) is not supported");
    return false;
  }
  return true;
}

std::vector<LocalTime> rule_instances(const RawEvent& e, const Timing& t, const Expansion& ex,
                                      std::vector<std::string>& problems) {
  icalrecurrencetype rule = e.rrules.front();
  if (!rule_supported(e, rule, problems)) return {};
  localize_until(rule, *t.zone);
  std::unique_ptr<icalrecur_iterator, void (*)(icalrecur_iterator*)> it(
      icalrecur_iterator_new(rule, floating_time(t.local)), &icalrecur_iterator_free);
  if (!it) {
    add_problem(problems, e, e.rrule_line, "RRULE cannot be expanded");
    return {};
  }
  std::vector<LocalTime> out;
  for (icaltimetype o = icalrecur_iterator_next(it.get()); icaltime_is_null_time(o) == 0;
       o = icalrecur_iterator_next(it.get())) {
    const LocalTime local = local_of(o);
    if (t.zone->to_sys(local) >= ex.to) break;
    if (out.size() >= kMaxOccurrences) {
      add_problem(problems, e, e.rrule_line,
                  fmt::format("RRULE gives more than {} occurrences before the window ends", kMaxOccurrences));
      return {};
    }
    out.push_back(local);
  }
  return out;
}

bool same_date(const LocalTime& a, const LocalTime& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}

void add_rdates(const RawEvent& m, const Timing& t, const Expansion& ex, std::vector<Instance>& out,
                std::vector<std::string>& problems) {
  for (const IcalTime& rd : m.rdates) {
    std::string why;
    const auto zone = rd.kind == IcalTime::Kind::date ? nullptr : ex.zones->zone_of(rd, t.zone, why);
    if (!zone) {
      add_problem(problems, m, rd.line, rd.kind == IcalTime::Kind::date ? "RDATE is a date without a time" : "RDATE: " + why);
      continue;
    }
    const Timestamp at = zone->to_sys(rd.local);
    if (std::none_of(out.begin(), out.end(), [&](const Instance& i) { return i.original == at; })) {
      out.push_back(Instance{t.zone->to_local(at), at, &m});
    }
  }
}

void remove_exdates(const RawEvent& m, const Timing& t, const Expansion& ex, std::vector<Instance>& out,
                    std::vector<std::string>& problems) {
  for (const IcalTime& x : m.exdates) {
    if (x.kind == IcalTime::Kind::date) {  // every instance on that day (in the series' zone)
      std::erase_if(out, [&](const Instance& i) { return same_date(i.local, x.local); });
      continue;
    }
    std::string why;
    const auto zone = ex.zones->zone_of(x, t.zone, why);
    if (!zone) {
      add_problem(problems, m, x.line, "EXDATE: " + why);
      continue;
    }
    const Timestamp at = zone->to_sys(x.local);
    std::erase_if(out, [&](const Instance& i) { return i.original == at; });
  }
}

std::vector<Instance> master_instances(const RawEvent& m, const Timing& t, const Expansion& ex,
                                       std::vector<std::string>& problems) {
  std::vector<Instance> out;
  if (m.rrules.empty()) {
    out.push_back(Instance{t.local, t.start, &m});
  } else {
    for (const LocalTime& l : rule_instances(m, t, ex, problems)) out.push_back(Instance{l, t.zone->to_sys(l), &m});
  }
  add_rdates(m, t, ex, out, problems);
  remove_exdates(m, t, ex, out, problems);
  return out;
}

// Overrides replace the instance whose original start their RECURRENCE-ID names; one that names
// no instance (its original was excluded, or it has no master) is an occurrence of its own.
void apply_overrides(const std::vector<const RawEvent*>& overrides, const std::shared_ptr<const Zone>& series_zone,
                     const Expansion& ex, std::vector<Instance>& instances, std::vector<std::string>& problems) {
  std::map<Timestamp, const RawEvent*> seen;
  for (const RawEvent* o : overrides) {
    const IcalTime& rid = *o->recurrence_id;
    std::string why = "is a date without a time";
    const auto floating = series_zone ? series_zone : ex.zones->option_zone();
    const auto zone = rid.kind == IcalTime::Kind::date ? nullptr : ex.zones->zone_of(rid, floating, why);
    if (!zone) {
      add_problem(problems, *o, rid.line, "RECURRENCE-ID " + why);
      continue;
    }
    const Timestamp at = zone->to_sys(rid.local);
    if (auto [it, fresh] = seen.emplace(at, o); !fresh) {
      add_problem(problems, *o, rid.line, fmt::format("the same RECURRENCE-ID as {}", it->second->where()));
      continue;
    }
    auto inst = std::find_if(instances.begin(), instances.end(), [&](const Instance& i) { return i.original == at; });
    if (inst != instances.end()) {
      inst->source = o;
    } else {
      instances.push_back(Instance{(series_zone ? series_zone : zone)->to_local(at), at, o});
    }
  }
}

std::string date_key(const LocalTime& l) { return fmt::format("{:04}{:02}{:02}", l.year, l.month, l.day); }
std::string datetime_key(const LocalTime& l) {
  return fmt::format("{}T{:02}{:02}{:02}", date_key(l), l.hour, l.minute, l.second);
}

// `UID` for a single event; `UID/YYYYMMDD` (the original start's date in the series' zone) for an
// occurrence, `UID/YYYYMMDDTHHMMSS` when the series has several occurrences on that date.
void assign_keys(const std::string& uid, const RawEvent* master, std::optional<Timestamp> master_start,
                 const std::vector<Instance>& instances, std::vector<Occurrence>& out) {
  const bool single = master != nullptr && master->rrules.empty() && master->rdates.empty();
  std::map<std::string, int> per_date;
  for (const Instance& i : instances) ++per_date[date_key(i.local)];
  for (std::size_t k = 0; k < instances.size(); ++k) {
    const Instance& i = instances[k];
    if (single && master_start && i.original == *master_start) {
      out[k].key = uid;
    } else {
      out[k].key = uid + "/" + (per_date[date_key(i.local)] == 1 ? date_key(i.local) : datetime_key(i.local));
    }
  }
}

bool in_window(const Expansion& ex, Timestamp t) { return t >= ex.from && t < ex.to; }

}  // namespace

std::shared_ptr<const Zone> ZoneSource::zone_of(const IcalTime& t, const std::shared_ptr<const Zone>& floating,
                                                std::string& why) const {
  switch (t.kind) {
    case IcalTime::Kind::utc: return utc_zone();
    case IcalTime::Kind::date: why = "is a date without a time"; return nullptr;
    case IcalTime::Kind::floating:
      if (!floating) why = "floating time (no TZID and not UTC) needs a time zone (--tz ZONE)";
      return floating;
    case IcalTime::Kind::zoned: break;
  }
  if (auto zone = tzdb_zone(t.tzid)) return zone;
  if (auto zone = doc_.vtimezone(t.tzid)) return zone;
  why = fmt::format("unknown time zone '{}' (neither in the system tz database nor a VTIMEZONE of the file)", t.tzid);
  return nullptr;
}

std::vector<Occurrence> expand_series(const RawEvent* master, const std::vector<const RawEvent*>& overrides,
                                      const Expansion& ex, std::vector<std::string>& problems) {
  std::optional<Timing> mt;
  std::vector<Instance> instances;
  if (master != nullptr) {
    mt = timing_of(*master, *ex.zones, ex.zones->option_zone(), std::nullopt, problems);
    if (!mt) return {};
    instances = master_instances(*master, *mt, ex, problems);
  }
  apply_overrides(overrides, mt ? mt->zone : nullptr, ex, instances, problems);
  std::sort(instances.begin(), instances.end(),
            [](const Instance& a, const Instance& b) { return a.original < b.original; });
  std::vector<Occurrence> all(instances.size());
  assign_keys(master != nullptr ? master->uid : overrides.front()->uid, master,
              mt ? std::optional(mt->start) : std::nullopt, instances, all);
  std::vector<Occurrence> out;
  for (std::size_t k = 0; k < instances.size(); ++k) {
    const Instance& i = instances[k];
    Occurrence& oc = all[k];
    oc.original = i.original, oc.source = i.source, oc.master = master;
    if (i.source == master) {
      oc.start = i.original;
      oc.end = end_of(*mt, i.local, i.original);
    } else {
      const auto floating = mt ? mt->zone : ex.zones->option_zone();
      const auto t = timing_of(*i.source, *ex.zones, floating, mt ? std::optional(mt->length) : std::nullopt, problems);
      if (!t) continue;
      oc.start = t->start;
      oc.end = end_of(*t, t->local, t->start);
    }
    if (in_window(ex, oc.start) || in_window(ex, oc.original)) out.push_back(std::move(oc));
  }
  return out;
}

}  // namespace kmeet::detail::sync
