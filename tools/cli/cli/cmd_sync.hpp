#pragma once
// `kmeet sync FILE.csv|FILE.ics (--plan | --apply)`: keep Kaltura Meetings in step with a
// timetable (docs/sync.md). Registered by register_sync (cli/commands.hpp); the handler is sync_timetable.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/context.hpp"

namespace CLI {
class App;
}

namespace kmeet::cli {

/// The options of `kmeet sync`.
struct SyncOpts {
  std::string file;  ///< .csv or .ics (- for stdin: the content decides)
  bool plan = false;
  bool apply = false;
  std::string missing = "cancel";  ///< cancel | delete | keep
  std::optional<std::string> tz;    ///< zone of floating iCalendar times
  std::optional<std::string> room;  ///< room of iCalendar events without LOCATION: an id or a name
  std::vector<std::string> locations;  ///< `LOCATION=ROOM` (ROOM an id or a name), repeatable
  std::optional<std::string> from, to;
  std::string scope = "default";
  std::optional<std::string> expect_plan;  ///< --apply only if the plan is this JSON (a reviewed --plan)
  int concurrency = 4;
  int batch = 20;
};

/// Runs `kmeet sync` with `opts`: 0 when planned or all applied, 1 when a change failed or met a
/// concurrent edit, 2 for a bad file or bad options (nothing sent). Other errors are thrown, as
/// every handler does (run() prints them).
int sync_timetable(Ctx& ctx, const SyncOpts& opts);

}  // namespace kmeet::cli
