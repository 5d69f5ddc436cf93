// libFuzzer target: the iCalendar reader of `kmeet sync` (libical parsing, RRULE expansion, zone
// rules) on arbitrary files. Any input must give a timetable or a TimetableError / ValidationError,
// never a crash, a hang or another exception type; every session it gives must end after it starts
// and lie in (or have been first scheduled in) the window.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kmeet/errors.hpp"
#include "kmeet/sync.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  kmeet::IcalOptions options;
  options.from = kmeet::Timestamp{std::chrono::seconds(1'767'225'600)};  // 2026-01-01
  options.to = options.from + std::chrono::days(366);
  options.time_zone = "Europe/Berlin";
  kmeet::SyncRoom room;
  room.name = "Fuzz room";
  options.default_room = room;
  try {
    const kmeet::Timetable t = kmeet::read_icalendar(text, options);
    for (const auto& s : t.sessions) {
      if (s.end <= s.start) std::abort();
      const auto in = [&](kmeet::Timestamp x) { return x >= options.from && x < options.to; };
      if (!in(s.start) && !in(s.original_start.value_or(s.start))) std::abort();
      if (s.key.empty()) std::abort();
    }
  } catch (const kmeet::ValidationError&) {
  }
  return 0;
}
