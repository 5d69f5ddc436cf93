#include "cli/observe.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <mutex>
#include <string>

#include "cli/safe_text.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {

double parse_rate(std::string_view text, std::string_view field) {
  std::string_view number = text;
  double per = 1.0;  // seconds per unit
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    number = text.substr(0, slash);
    const std::string_view unit = text.substr(slash + 1);
    if (unit == "m" || unit == "min") {
      per = 60.0;
    } else if (unit != "s") {
      throw ValidationError(std::string(field),
                            fmt::format("'{}': the unit must be /s or /m", printable(text)));
    }
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(value) || value <= 0) {
    throw ValidationError(
        std::string(field),
        fmt::format("'{}' is not a rate: give calls per second like 50/s, or 600/m", printable(text)));
  }
  const double per_second = value / per;
  if (per_second > 1e6) throw ValidationError(std::string(field), "must be at most 1000000/s");
  return per_second;
}

LogHook verbose_log(std::ostream& err) {
  auto mutex = std::make_shared<std::mutex>();
  return [&err, mutex](const LogRecord& r) {
    std::string line = fmt::format("kmeet: {} {}", to_string(r.level), printable(r.request));
    if (r.call != r.request) line += fmt::format(" call {}", printable(r.call));
    line += fmt::format(" #{} {} {:.1f}ms {}", r.attempt, r.status,
                        static_cast<double>(r.duration.count()) / 1000.0, printable(r.outcome));
    if (r.throttled > 0) line += fmt::format(" {}/{} blocked", r.throttled, r.calls);
    line += fmt::format(" id={}", printable(r.request_id));
    if (!r.server.empty()) line += " server=" + printable(r.server);
    if (!r.session.empty()) line += " session=" + printable(r.session);
    const std::lock_guard lock(*mutex);
    err << line << '\n' << std::flush;
  };
}

}  // namespace kmeet::cli
