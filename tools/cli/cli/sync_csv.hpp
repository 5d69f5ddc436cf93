#pragma once
// `kmeet sync FILE.csv`: the columns of `kmeet import` plus `key`, read with import's own reader
// and planner (csv_reader.hpp, import_plan.hpp) into a kmeet::Timetable.

#include <string_view>

#include "kmeet/sync.hpp"
#include "kmeet/types.hpp"

namespace kmeet::cli {

/// Reads the CSV. Every problem (a row import would refuse, a missing or repeated key, a relative
/// time) is collected: TimetableError with `line N: ...` each. The window is [from, to).
Timetable read_sync_csv(std::string_view text, Timestamp from, Timestamp to, Timestamp now);

}  // namespace kmeet::cli
