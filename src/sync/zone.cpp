// Zone rules through Howard Hinnant's date/tz (USE_OS_TZDB: the system's /usr/share/zoneinfo).
#include "sync/zone.hpp"

#include "sync/plan_internal.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <stdexcept>

namespace kmeet::detail::sync {
namespace {

using std::chrono::seconds;

date::local_seconds to_date_local(const LocalTime& t) {
  const date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                 date::day{static_cast<unsigned>(t.day)}};
  return date::local_days{ymd} + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} + seconds{t.second};
}

LocalTime from_date_local(date::local_seconds lt) {
  const auto day = date::floor<date::days>(lt);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{lt - day};
  return LocalTime{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(hms.hours().count()),
                   static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count())};
}

class UtcZone final : public Zone {
 public:
  Timestamp to_sys(const LocalTime& local) const override {
    return Timestamp{seconds{local_seconds(local)}};
  }
  LocalTime to_local(Timestamp instant) const override {
    return local_from_seconds(instant.time_since_epoch().count());
  }
  const std::string& name() const override { return name_; }

 private:
  std::string name_ = "UTC";
};

class TzdbZone final : public Zone {
 public:
  TzdbZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  Timestamp to_sys(const LocalTime& local) const override {
    const date::local_seconds lt = to_date_local(local);
    // `first` is the rule in force just before: the offset before a gap, the earlier of two
    // repeated times, or the only one (RFC 5545 3.3.5).
    const date::local_info info = zone_->get_info(lt);
    return Timestamp{lt.time_since_epoch() - info.first.offset};
  }
  LocalTime to_local(Timestamp instant) const override { return from_date_local(zone_->to_local(instant)); }
  const std::string& name() const override { return name_; }

 private:
  const date::time_zone* zone_;
  std::string name_;
};

}  // namespace

std::int64_t local_seconds(const LocalTime& t) { return to_date_local(t).time_since_epoch().count(); }

LocalTime local_from_seconds(std::int64_t s) { return from_date_local(date::local_seconds{seconds{s}}); }

std::string iso_utc(Timestamp t) { return date::format("%FT%TZ", t); }

std::shared_ptr<const Zone> utc_zone() {
  static const auto zone = std::make_shared<const UtcZone>();
  return zone;
}

std::shared_ptr<const Zone> tzdb_zone(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return std::make_shared<const TzdbZone>(date::locate_zone(name), name);
  } catch (const std::runtime_error&) {
    return nullptr;  // date throws std::runtime_error for a name the database does not have
  }
}

}  // namespace kmeet::detail::sync
