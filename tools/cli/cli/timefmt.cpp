#include "cli/timefmt.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <optional>

#include <fmt/format.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

using std::chrono::seconds;

// 2001-09-09T01:46:40Z: anything smaller is either a typo or a relative time in disguise.
constexpr std::int64_t kMinUnixSeconds = 1'000'000'000;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  if (!all_digits(s) || s.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// "1h30m", "90", "2d" -> seconds; nullopt when malformed. A bare number means seconds
// only when `bare_is_seconds`.
std::optional<std::int64_t> parse_units(std::string_view s, bool bare_is_seconds) {
  if (s.empty()) return std::nullopt;
  if (all_digits(s)) {
    if (!bare_is_seconds) return std::nullopt;
    return to_int(s);
  }
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0) ++j;
    if (j == i || j >= s.size()) return std::nullopt;
    auto n = to_int(s.substr(i, j - i));
    if (!n) return std::nullopt;
    std::int64_t unit = 0;
    switch (s[j]) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: return std::nullopt;
    }
    if (*n > 100LL * 365 * 86400 / unit) return std::nullopt;
    total += *n * unit;
    i = j + 1;
  }
  return total;
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  std::optional<int> digits(std::size_t n) {
    if (i + n > s.size()) return std::nullopt;
    auto v = to_int(s.substr(i, n));
    if (!v) return std::nullopt;
    i += n;
    return static_cast<int>(*v);
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
};

std::optional<Timestamp> parse_iso(std::string_view text) {
  Cursor c{text};
  auto y = c.digits(4);
  if (!y || !c.eat('-')) return std::nullopt;
  auto mo = c.digits(2);
  if (!mo || !c.eat('-')) return std::nullopt;
  auto d = c.digits(2);
  if (!d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*mo)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  bool has_offset = false;
  int offset = 0;
  if (!c.done()) {
    if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return std::nullopt;
    auto h = c.digits(2);
    if (!h || !c.eat(':')) return std::nullopt;
    auto m = c.digits(2);
    if (!m) return std::nullopt;
    hh = *h;
    mm = *m;
    if (c.eat(':')) {
      auto sec = c.digits(2);
      if (!sec) return std::nullopt;
      ss = *sec;
      if (c.eat('.') || c.eat(',')) {  // fractions are dropped: the API has one-second resolution
        std::size_t start = c.i;
        while (std::isdigit(static_cast<unsigned char>(c.peek())) != 0) ++c.i;
        if (c.i == start) return std::nullopt;
      }
    }
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    if (ss == 60) ss = 59;  // a leap second: the API cannot express it
    if (c.eat('Z') || c.eat('z')) {
      has_offset = true;
    } else if (c.peek() == '+' || c.peek() == '-') {
      int sign = c.peek() == '-' ? -1 : 1;
      ++c.i;
      auto oh = c.digits(2);
      if (!oh) return std::nullopt;
      int om = 0;
      if (!c.done()) {
        c.eat(':');
        auto m2 = c.digits(2);
        if (!m2) return std::nullopt;
        om = *m2;
      }
      if (*oh > 23 || om > 59) return std::nullopt;
      has_offset = true;
      offset = sign * (*oh * 3600 + om * 60);
    }
  } else {
    has_offset = false;
  }
  if (!c.done()) return std::nullopt;
  if (has_offset) {
    auto days = std::chrono::sys_days{ymd};
    return Timestamp{days} + seconds{hh * 3600 + mm * 60 + ss} - seconds{offset};
  }
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  tm.tm_isdst = -1;
  std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return Timestamp{seconds{t}};
}

}  // namespace

Timestamp now_seconds() {
  return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
}

Timestamp parse_time(std::string_view text, Timestamp now, std::string_view field) {
  const std::string f{field};
  if (text.empty()) throw ValidationError(f, "must not be empty");
  if (text == "now") return now;
  if (text.front() == '+' || text.front() == '-') {
    auto n = parse_units(text.substr(1), false);
    if (!n) {
      throw ValidationError(f, fmt::format("'{}' is not a relative time (use e.g. +90m, +2h, +1d)", text));
    }
    return text.front() == '+' ? now + seconds{*n} : now - seconds{*n};
  }
  if (all_digits(text)) {
    auto v = to_int(text);
    if (!v || *v < kMinUnixSeconds) {
      throw ValidationError(f, fmt::format("'{}' is not a Unix time in seconds after 2001 (use +90m for a "
                                           "relative time)", text));
    }
    if (*v > 32503680000) {  // year 3000: milliseconds given by mistake
      throw ValidationError(f, fmt::format("'{}' is too large for Unix seconds (milliseconds?)", text));
    }
    return Timestamp{seconds{*v}};
  }
  if (auto t = parse_iso(text)) return *t;
  throw ValidationError(
      f, fmt::format("'{}' is not a time (use Unix seconds, ISO 8601 like 2026-03-01T09:00:00Z, or +2h)", text));
}

std::chrono::seconds parse_duration(std::string_view text, std::string_view field) {
  auto n = parse_units(text, true);
  if (!n) {
    throw ValidationError(std::string(field),
                          fmt::format("'{}' is not a duration (use e.g. 90s, 15m, 2h, 1d)", text));
  }
  if (*n <= 0) throw ValidationError(std::string(field), "must be longer than zero");
  return seconds{*n};
}

std::string format_iso(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{t - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string format_duration(std::chrono::seconds d) {
  std::int64_t s = d.count() < 0 ? -d.count() : d.count();
  struct Unit {
    std::int64_t size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  std::string out;
  int shown = 0;
  for (const auto& u : kUnits) {
    if (shown == 2) break;
    std::int64_t n = s / u.size;
    if (n == 0 && shown == 0 && u.size != 1) continue;
    if (n == 0 && shown > 0) break;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}{}", n, u.name);
    s -= n * u.size;
    ++shown;
  }
  return out;
}

std::string format_relative(Timestamp t, Timestamp now) {
  if (t > now) return "in " + format_duration(t - now);
  if (t == now) return "now";
  return format_duration(now - t) + " ago";
}

}  // namespace kmeet::cli
