#pragma once
// Times and durations as the CLI reads and prints them.

#include <chrono>
#include <string>
#include <string_view>

#include "kmeet/types.hpp"

namespace kmeet::cli {

/// Reads a point in time given on the command line or in a CSV cell:
/// - Unix seconds (`1767261600`); values before 2001-09-09 are refused because the server reads
///   small numbers as relative to now (protocol.md A.6);
/// - ISO 8601 `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z`, `±HH:MM`, `±HHMM` or `±HH`
///   (a space may replace `T`; without an offset the time is the machine's local time);
/// - relative to `now`: `+90m`, `+2h`, `+1d`, `-1w`, `+1h30m`, or `now`.
/// Throws ValidationError(field, reason) for anything else.
Timestamp parse_time(std::string_view text, Timestamp now, std::string_view field);

/// Reads a duration: `90` (seconds), `90s`, `15m`, `2h`, `1d`, `1w`, `1h30m`.
/// Throws ValidationError(field, reason); zero and negative durations are refused.
std::chrono::seconds parse_duration(std::string_view text, std::string_view field);

/// `2026-11-27T10:00:00Z`.
std::string format_iso(Timestamp t);

/// `1h 59m`, `3d 2h`, `45s` (the two largest units).
std::string format_duration(std::chrono::seconds d);

/// `in 1h 59m` or `3m ago` (relative to now).
std::string format_relative(Timestamp t, Timestamp now);

/// The system clock, rounded down to seconds.
Timestamp now_seconds();

}  // namespace kmeet::cli
