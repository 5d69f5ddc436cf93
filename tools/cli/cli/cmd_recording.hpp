#pragma once
// `kmeet recording list|get|url|wait` (docs/cli.md "Recordings"): the recordings of recorded
// meetings, found through the event's recording template (docs/protocol.md J).

#include <functional>
#include <utility>
#include <vector>

#include "cli/context.hpp"
#include "kmeet/recordings.hpp"

namespace CLI {
class App;
}

namespace kmeet::cli {

/// A command leaf and the handler that runs when it is the one parsed (app.cpp's `leaves`).
using Leaf = std::pair<CLI::App*, std::function<int(Ctx&)>>;

/// Adds the `recording` command group to `app`; every leaf and its handler go into `leaves`. The
/// options live as long as the handlers (they share them).
void add_recording_commands(CLI::App& app, std::vector<Leaf>& leaves);

/// A recording as `--output json` prints it: the API's field names (`id`, `name`, `status`,
/// `duration`, `rootEntryId`, `dataUrl`, `downloadUrl`, `thumbnailUrl`, `createdAt`, always
/// present, null when unknown), then `statusName`, `eventId` and the other fields the entry has.
Json recording_json(const Recording& r);

}  // namespace kmeet::cli
