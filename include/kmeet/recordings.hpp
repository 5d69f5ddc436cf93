#pragma once
/// @file recordings.hpp
/// Meeting recordings (protocol.md J): the typed media entry, the recordings of an event found
/// through its recording template, waiting until one is playable, and the playback, download and
/// thumbnail URLs of J.6.
///
/// How it fits together: a meeting created with `MeetingSpec::record` gets a template entry
/// (`media.add`, J.3) that its event names as `templateEntryId`; after the session the Meetings
/// backend clones the template into the recording, whose `rootEntryId` is the template (J.1), so
/// `media.list` with `rootEntryIdEqual` finds it (J.4).

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/model.hpp"
#include "kmeet/types.hpp"

namespace kmeet {
namespace detail {
struct ServiceContext;
}

/// `KalturaEntryStatus` (protocol.md J.5): the core values -2..7 and the virus-scan plugin's two.
enum class EntryStatus {
  error_importing,   ///< -2
  error_converting,  ///< -1
  import,            ///< 0
  preconvert,        ///< 1 (converting)
  ready,             ///< 2: playable
  deleted,           ///< 3
  pending,           ///< 4
  moderate,          ///< 5 (deprecated)
  blocked,           ///< 6 (deprecated)
  no_content,        ///< 7: an entry without media, e.g. a recording template
  infected,          ///< `virusScan.Infected`
  scan_failure,      ///< `virusScan.ScanFailure`
  unknown,           ///< any other value; `Recording::status_text` keeps what the server sent
};

/// The enum name of J.5, e.g. `READY`, `ERROR_CONVERTING`, `INFECTED` (`UNKNOWN` for unknown).
[[nodiscard]] std::string_view to_string(EntryStatus status);
/// The value on the wire: `2`, `-1`, `virusScan.Infected` (empty for unknown).
[[nodiscard]] std::string_view wire_value(EntryStatus status);
/// Reads a wire value, as a number's text (`2`, `-1`) or a plugin value (`virusScan.Infected`);
/// anything else is `unknown`. Never throws.
[[nodiscard]] EntryStatus parse_entry_status(std::string_view wire);
/// Reads a status as the CLI and scripts name it: the wire value or the J.5 name, any case
/// (`2`, `READY`, `ready`, `error_converting`). nullopt for anything else. Never throws.
[[nodiscard]] std::optional<EntryStatus> parse_entry_status_name(std::string_view text);
/// True for states a recording does not leave by itself: errors, deleted, blocked, infected,
/// scan failure.
[[nodiscard]] bool is_failure(EntryStatus status);

/// A media entry: a recording (or a recording template) as `media.get`/`media.list` return it
/// (protocol.md J.5). Fields the server did not send are empty / unset.
struct Recording {
  std::string id;                          ///< entry id, e.g. `1_9vga7lbm`
  std::string name;                        ///< the template's name, copied into the recording
  std::optional<std::string> description;  ///< description
  /// Typed status; `status_text` is the value as the server sent it (`2`, `virusScan.Infected`).
  EntryStatus status = EntryStatus::unknown;
  /// The status exactly as read (a JSON number or string, as text).
  std::string status_text;
  std::optional<std::chrono::seconds> duration;          ///< `duration` (seconds, rounded)
  std::optional<std::chrono::milliseconds> ms_duration;  ///< `msDuration`
  std::optional<Timestamp> created_at;                   ///< `createdAt`
  std::optional<Timestamp> updated_at;                   ///< `updatedAt`
  std::optional<std::string> owner_id;                   ///< `userId`: who owns the entry
  std::optional<std::string> creator_id;                 ///< `creatorId`
  std::optional<PartnerId> partner_id;                   ///< `partnerId`
  /// `rootEntryId`: the template a recording was cloned from; equal to `id` for a root entry.
  std::string root_entry_id;
  /// The event the recording belongs to (the event whose template is `root_entry_id`), when kmeet
  /// looked it up (`Recordings::of_event`, `of_events`, `get`).
  std::optional<EventId> event;
  std::optional<std::string> reference_id;       ///< `referenceId`
  std::optional<std::string> tags;               ///< `tags` (comma-separated)
  std::optional<std::string> categories;         ///< `categories` (full names)
  std::optional<std::string> categories_ids;     ///< `categoriesIds`
  std::optional<int> media_type;                 ///< `mediaType` (1 = video)
  std::optional<std::string> flavor_params_ids;  ///< `flavorParamsIds`
  std::string data_url;                          ///< `dataUrl` as the server made it (J.6), or empty
  std::string download_url;                      ///< `downloadUrl` (J.6), or empty
  std::string thumbnail_url;                     ///< `thumbnailUrl` (J.6), or empty
  std::string object_type;                       ///< e.g. `KalturaMediaEntry`

  /// True when the recording can be played (`status == ready`, J.5).
  [[nodiscard]] bool ready() const { return status == EntryStatus::ready; }
};

/// The recording template kmeet makes for a recorded meeting (`media.add` of a
/// `KalturaMediaEntry` with `mediaType` VIDEO, protocol.md J.3). Almost everything set here is
/// copied into the recording (J.1). Every field is optional.
struct RecordingTemplate {
  /// The recording's name; default: the event's summary.
  std::optional<std::string> name;
  /// Default: the event's description.
  std::optional<std::string> description;
  /// Comma-separated tags.
  std::optional<std::string> tags;
  /// `userId`, the owner; default: the KS user. Another user needs an admin KS (J.3).
  std::optional<std::string> owner_id;
  /// `categoriesIds`, comma-separated category ids (each must exist, J.3); default: the new
  /// room's `settings.cat_id`, when the meeting creates the room.
  std::optional<std::string> category_ids;
  /// `referenceId`, the template's idempotency key (at least 2 characters, J.3); default:
  /// `kmeet-template:` + the event's referenceId.
  std::optional<std::string> reference_id;
};

/// `KalturaMediaEntryOrderBy` values kmeet uses (protocol.md J.4).
enum class RecordingOrder {
  created_at_asc,
  created_at_desc,
  updated_at_asc,
  updated_at_desc,
  name_asc,
  name_desc
};

/// A `KalturaMediaEntryFilter` (protocol.md J.4), sent as given.
struct RecordingFilter {
  std::optional<std::string> root_entry_id;   ///< `rootEntryIdEqual`: the recordings of one template
  std::vector<std::string> root_entry_id_in;  ///< `rootEntryIdIn`: of several templates
  std::optional<std::string> reference_id;    ///< `referenceIdEqual`
  std::optional<EntryStatus> status;          ///< `statusEqual`
  /// `statusIn`. Unless `status` or `status_in` is sent the server lists READY entries only
  /// (J.4), hiding recordings still converting; the default lists every state but deleted.
  std::vector<EntryStatus> status_in = {EntryStatus::error_importing, EntryStatus::error_converting,
                                        EntryStatus::import,          EntryStatus::preconvert,
                                        EntryStatus::ready,           EntryStatus::pending,
                                        EntryStatus::moderate,        EntryStatus::blocked,
                                        EntryStatus::no_content};
  std::optional<Timestamp> created_at_gte;  ///< `createdAtGreaterThanOrEqual`
  std::optional<Timestamp> created_at_lte;  ///< `createdAtLessThanOrEqual`
  std::optional<RecordingOrder> order_by;   ///< `orderBy`
};

/// What `Recordings::of_event` / `of_events` list.
struct RecordingListOptions {
  /// Only playable recordings (`statusEqual` READY); default every state but deleted.
  bool ready_only = false;
  /// Entries per request (1..500).
  int page_size = 500;
};

/// How `Recordings::wait_until_ready` polls: the first look at once, then waits growing from
/// `first_interval` by `multiplier` up to `max_interval`, never past the timeout.
struct WaitOptions {
  /// Wait before the second look.
  std::chrono::milliseconds first_interval{std::chrono::seconds(5)};
  /// Longest wait between two looks.
  std::chrono::milliseconds max_interval{std::chrono::seconds(60)};
  /// Growth of the wait (>= 1).
  double multiplier = 1.5;
};

/// `wait_until_ready` gave up: every recording of the event failed, or the timeout passed.
class RecordingWaitError : public Error {
 public:
  /// Why the wait ended.
  enum class Reason { failed, timed_out };
  /// Made by `Recordings::wait_until_ready`.
  RecordingWaitError(Reason reason, std::string message, std::vector<Recording> last_seen);
  /// Why the wait ended.
  [[nodiscard]] Reason reason() const { return reason_; }
  /// The recordings seen by the last look (empty when none existed yet).
  [[nodiscard]] const std::vector<Recording>& last_seen() const { return last_seen_; }

 private:
  Reason reason_;
  std::vector<Recording> last_seen_;
};

/// playManifest formats (protocol.md J.6, `PlaybackProtocol`).
enum class PlayFormat {
  url,        ///< progressive download by redirect (the entry's `dataUrl`)
  download,   ///< download of the source flavor (`flavorParamIds/0`, the entry's `downloadUrl`)
  applehttp,  ///< HLS
  mpegdash,   ///< MPEG-DASH
};
/// The wire name: `url`, `download`, `applehttp`, `mpegdash`.
[[nodiscard]] std::string_view to_string(PlayFormat format);
/// Reads `url`, `download`, `applehttp` or `hls`, `mpegdash` or `dash`; nullopt otherwise.
[[nodiscard]] std::optional<PlayFormat> parse_play_format(std::string_view text);

/// The parts of a playManifest or thumbnail URL besides the entry.
struct PlayUrlOptions {
  /// `protocol` path parameter, `https` or `http`; default: the scheme of the CDN base (J.6: the
  /// protocol the URL is requested with).
  std::optional<std::string> protocol;
  /// A KS appended as `/ks/<ks>` (J.6) for entries whose access control demands one; never the
  /// admin KS for a link you hand out (see `Recordings::playback_ks`).
  std::optional<std::string> ks;
};

/// `<cdn_base>/p/<pid>/sp/<pid>00/playManifest/entryId/<id>/format/<fmt>/protocol/<proto>`,
/// plus `/flavorParamIds/0` for `download` and `/ks/<ks>` when given (protocol.md J.6).
/// `cdn_base` is `https://host[:port]` (e.g. `https://cdnapisec.kaltura.com`). Throws
/// ValidationError (`cdn_base`, `entry_id`, `partner_id`, `protocol`, `ks`) for bad input.
[[nodiscard]] std::string play_manifest_url(std::string_view cdn_base, PartnerId partner,
                                            std::string_view entry_id, PlayFormat format,
                                            const PlayUrlOptions& options = {});

/// A thumbnail size (`/width/<w>/height/<h>/type/3`, J.6).
struct ThumbnailSize {
  int width = 0;   ///< pixels, > 0
  int height = 0;  ///< pixels, > 0
};

/// `<cdn_base>/p/<pid>/sp/<pid>00/thumbnail/entry_id/<id>[/version/<v>][/width/<w>/height/<h>/type/3]`
/// (protocol.md J.6). Throws ValidationError for bad input.
[[nodiscard]] std::string thumbnail_url(std::string_view cdn_base, PartnerId partner,
                                        std::string_view entry_id,
                                        std::optional<std::string> version = std::nullopt,
                                        std::optional<ThumbnailSize> size = std::nullopt);

/// The `https://host[:port]` part of an entry's own URL (`dataUrl`, `downloadUrl`): the partner's
/// CDN host as the server chose it. nullopt when `url` is not an absolute http(s) URL.
[[nodiscard]] std::optional<std::string> url_base(std::string_view url);

/// Options of `Recordings::playback_ks`.
struct PlaybackKsOptions {
  /// The user id inside the KS.
  std::string user_id = "kmeet-playback";
  /// Lifetime of the KS.
  std::chrono::seconds ttl{std::chrono::hours(24)};
};

/// Typed access to recordings (`media` service). Get one from `Client::recordings()`; cheap to
/// copy, safe to share.
class Recordings {
 public:
  /// `media.list`: one page, with `filter` exactly as given.
  [[nodiscard]] Page<Recording> list(const RecordingFilter& filter, const Pager& pager = {}) const;
  /// Every recording of `event`: the event is read (`scheduleEvent.get`) for its
  /// `templateEntryId`, then `media.list` with `rootEntryIdEqual` and an explicit status filter
  /// (every state but deleted, or READY only), oldest first, page after page, lazily. An event
  /// without a template throws Error when iteration starts (it was not scheduled with recording).
  [[nodiscard]] Listing<Recording> of_event(EventId event, const RecordingListOptions& options = {}) const;
  /// Every recording of several events (at most 500): one `scheduleEvent.list` (`idIn`) for their
  /// templates, then `media.list` with `rootEntryIdIn`. Events without a template have no
  /// recordings; an id that names no event throws Error when iteration starts.
  [[nodiscard]] Listing<Recording> of_events(std::span<const EventId> events,
                                             const RecordingListOptions& options = {}) const;
  /// `media.get` of one entry, and in the same round trip the event whose template is its
  /// `rootEntryId` (`Recording::event`, unset when no event names it).
  [[nodiscard]] Recording get(const std::string& entry_id) const;
  /// Polls the event's recordings (see WaitOptions) until one is READY and returns it (the newest
  /// READY one). Throws RecordingWaitError when every recording failed (is_failure) or `timeout`
  /// passes first; errors of a look (ApiError, TransportError...) are thrown as they come.
  [[nodiscard]] Recording wait_until_ready(EventId event, std::chrono::milliseconds timeout,
                                           const WaitOptions& options = {}) const;
  /// A playManifest URL of `recording` in `format`: on the CDN host of the entry's own URLs
  /// (`url_base` of `data_url` / `download_url`), else on the configured service URL.
  [[nodiscard]] std::string play_url(const Recording& recording, PlayFormat format,
                                     const PlayUrlOptions& options = {}) const;
  /// The recording's thumbnail: its own `thumbnail_url` (J.6) with `/width/<w>/height/<h>/type/3`
  /// appended when a size is given; built with `thumbnail_url` when the entry has none.
  [[nodiscard]] std::string thumbnail(const Recording& recording,
                                      std::optional<ThumbnailSize> size = std::nullopt) const;
  /// A USER KS limited to viewing one entry (privilege `sview:<entry_id>`), for `/ks/` in a
  /// playback link (protocol.md J.6: whether a recording needs one at all is unconfirmed, J.8):
  /// minted locally with the admin secret, else through `session.start` with the user secret.
  [[nodiscard]] std::string playback_ks(const std::string& entry_id,
                                        const PlaybackKsOptions& options = {}) const;

 private:
  friend class Client;
  explicit Recordings(std::shared_ptr<const detail::ServiceContext> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
};

}  // namespace kmeet
