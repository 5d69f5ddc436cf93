#pragma once
// api_v3 `media` and `baseentry` (docs/protocol.md J.3-J.5), the recordings the Meetings backend
// would make from an event's template entry (J.1), and the playManifest / thumbnail URLs of J.6,
// served on the emulator's own host. docs/emulator.md "Recordings".

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "service.hpp"

namespace kmeet::emulator {

// ---- shared by entries.cpp and recording_sessions.cpp ----------------------------------------

/// An entry as the API returns it: each class's own properties, subclass first (as live JSON
/// orders them, protocol.md L.3), `objectType` last; `__` bookkeeping is left out.
Json entry_json(const StoredObject& entry);
/// A fresh entry id, `0_` + 8 characters of [0-9a-z] (the shape of `1_9vga7lbm`), never repeated.
std::string new_entry_id(State& st);
/// The active (not deleted) entry `id`, or null.
StoredObject* active_entry(State& st, const std::string& id);
/// `<public base>/p/<pid>/sp/<pid>00`: the start of an entry's URLs (J.6).
std::string partner_url(const World& w);
/// Sets `downloadUrl` (and, with content, `dataUrl` and `thumbnailUrl`) of entry `id` (J.6).
void set_entry_urls(const World& w, Json& props, const std::string& id, bool has_content);

/// `media.add/get/list/delete`, `baseentry.get/list` (c.service / c.action). Called with `w.mu` held.
Json entry_action(Call& c);

/// The recordings of sessions that ended: every event with a `templateEntryId` whose end has
/// passed after someone joined it gets one clone of its template (once); converting recordings
/// whose time has come step to their final status. Called with `w.mu` held.
void advance_recordings(World& w, std::int64_t now);

/// `POST /__emulator/recordings` with `{"eventId":N}` and optionally `"durationSeconds"`,
/// `"readyAfterSeconds"`, `"fail":true`: records event N now (another recording each time).
/// Called with `w.mu` held. Returns the new entry; throws std::invalid_argument with the reason.
Json record_now(World& w, const Json& request, std::int64_t now);

/// An answer of the media URLs.
struct MediaAnswer {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// True for the paths serve_media answers: `/p/<pid>/sp/<sp>/playManifest/...`, `.../thumbnail/...`.
bool is_media_path(const std::string& path);

/// `GET /p/<pid>/sp/<pid>00/playManifest/entryId/<id>/format/<fmt>/protocol/<p>[/...]` and
/// `GET /p/<pid>/sp/<pid>00/thumbnail/entry_id/<id>[/...]` (J.6). Takes `w.mu` itself.
MediaAnswer serve_media(World& w, const std::string& path, std::int64_t now);

}  // namespace kmeet::emulator
