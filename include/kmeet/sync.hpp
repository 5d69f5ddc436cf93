#pragma once
/// @file sync.hpp
/// Timetable sync: keep Kaltura Meetings sessions in step with a timetable (CSV rows, an
/// iCalendar file, or sessions built in code). Describe the desired state as a `Timetable`, let
/// `plan_sync` compare it with what this sync made earlier (a `SyncPlan` you can inspect: creates,
/// updates field by field, cancels or deletes, the unchanged count, overlapping sessions), then
/// let `apply_sync` execute exactly that plan. Applying twice changes nothing the second time.
///
///     kmeet::IcalOptions o{.from = now, .to = now + std::chrono::days(365)};
///     kmeet::Timetable t = kmeet::read_icalendar(text, o);
///     kmeet::SyncPlan plan = kmeet::plan_sync(client, t);
///     if (plan.conflicts.empty()) kmeet::SyncResult r = kmeet::apply_sync(client, plan);
///
/// Sync only ever changes events it made itself: it finds them by their `referenceId`
/// (`sync_reference_id`), which no other writer produces. docs/sync.md.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/export.hpp"
#include "kmeet/model.hpp"
#include "kmeet/settings.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

class Client;

// ---------------------------------------------------------------------------------------------
// Desired state.

/// The room of a session: an existing room by id, or a room by name, found by its system name
/// (`system_name`, or derived from `name` as `kmeet import` does) and created when missing.
struct KMEET_EXPORT SyncRoom {
  /// An existing Meetings room (then the other fields are ignored).
  std::optional<RoomId> id;
  /// The room's name (required without `id`).
  std::string name;
  /// The room's key; empty: `default_room_system_name(name)`.
  std::string system_name;
  /// Used when sync creates the room.
  std::optional<std::string> description;
  /// Used when sync creates the room (an existing room's settings are never changed).
  RoomSettings settings;
};

/// One session the timetable wants (or, with `cancelled`, explicitly does not want).
struct KMEET_EXPORT SyncSession {
  /// Stable identity across runs: the CSV `key`, or `UID` / `UID/YYYYMMDD` for iCalendar.
  std::string key;
  /// The title (1..256 bytes).
  std::string summary;
  /// The session's description; unset or empty: none.
  std::optional<std::string> description;
  /// Start and end, as instants.
  Timestamp start{};
  /// End (after start, at most 24 hours later).
  Timestamp end{};
  /// Where it takes place.
  SyncRoom room;
  /// The session settings the event carries (tags kmeet does not know are left as they are).
  EventSettings settings;
  /// When the session was first scheduled (an iCalendar occurrence's RECURRENCE-ID); unset: `start`.
  /// A session is in the window when its start or its original start is.
  std::optional<Timestamp> original_start;
  /// The source cancels this session (iCalendar `STATUS:CANCELLED`): its event is cancelled
  /// whatever `SyncOptions::missing` says, and nothing is created for it.
  bool cancelled = false;
  /// Where it came from, for messages: `line 12` or `line 12 (UID lec1@example.edu)`.
  std::string origin;
};

/// The desired state of a window of time. Sessions are synced when they start, or were first
/// scheduled, in [from, to); events this sync made that start in the window and are no longer
/// wanted are cancelled, deleted or kept (`SyncOptions::missing`). Nothing outside is touched.
struct KMEET_EXPORT Timetable {
  /// The window.
  Timestamp from{};
  /// End of the window (exclusive).
  Timestamp to{};
  /// The sessions (keys unique).
  std::vector<SyncSession> sessions;
};

/// A timetable that cannot be synced, with every problem found (nothing was sent). Each problem
/// names where it is: `line 14 (UID lec1@example.edu): all-day event: a meeting needs a start time`.
class KMEET_EXPORT TimetableError : public ValidationError {
 public:
  /// `problems` must not be empty; what() reads `invalid timetable: FIRST (and N more)`.
  explicit TimetableError(std::vector<std::string> problems);
  /// Every problem, in file order.
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// How an iCalendar file becomes a Timetable.
struct KMEET_EXPORT IcalOptions {
  /// The expansion window: occurrences starting (or first scheduled) in [from, to).
  Timestamp from{};
  /// End of the window (exclusive).
  Timestamp to{};
  /// IANA zone of floating times (DTSTART without TZID or `Z`); unset: such events are refused.
  std::optional<std::string> time_zone;
  /// The room of events without a LOCATION; unset: such events are refused.
  std::optional<SyncRoom> default_room;
  /// LOCATION text -> room. A LOCATION not listed names the room itself (its name).
  std::map<std::string, SyncRoom> locations;
};

/// Reads an iCalendar file (RFC 5545) with libical: every VEVENT with UID, SUMMARY, DTSTART and
/// DTEND or DURATION, as UTC or in a TZID zone (the system tz database; a VTIMEZONE of the file
/// for names it does not know); RRULE (FREQ DAILY, WEEKLY, MONTHLY or YEARLY, with INTERVAL, COUNT,
/// UNTIL and the BY parts), RDATE and EXDATE expanded in the event's zone, so a weekly 09:00
/// lecture stays at 09:00 local time across daylight-saving changes; RECURRENCE-ID overrides;
/// STATUS:CANCELLED. Throws TimetableError listing every event that cannot be a meeting (all-day,
/// floating without `time_zone`, no end, no SUMMARY, unknown zone, malformed lines...), and
/// ValidationError for bad options.
[[nodiscard]] KMEET_EXPORT Timetable read_icalendar(std::string_view text, const IcalOptions& options);

/// The system name `kmeet import` gives a room named `room_name`:
/// `kmeet-<slug of the name>-<first 8 hex of SHA-1(name)>`.
[[nodiscard]] KMEET_EXPORT std::string default_room_system_name(std::string_view room_name);

// ---------------------------------------------------------------------------------------------
// Identity of the events sync makes.

/// The referenceId of the event for session `key` in sync scope `scope`:
/// `kmeet-sync:<8 hex: scope>:<32 hex: key>:<generation>:<8 hex: check>` (SHA-256 based). No
/// other writer makes such ids (`kmeet import` uses `kmeet:<sha1>`, the SDK `kmeet-<32 hex>`), and
/// the check part makes a hand-typed look-alike fail `is_sync_reference_id`. A session that comes
/// back after sync cancelled its event gets the next generation (a cancelled event cannot be
/// re-activated).
[[nodiscard]] KMEET_EXPORT std::string sync_reference_id(std::string_view scope, std::string_view key, int generation = 1);

/// True when `reference_id` is one `sync_reference_id` made for `scope` (any key, any generation).
[[nodiscard]] KMEET_EXPORT bool is_sync_reference_id(std::string_view reference_id, std::string_view scope);

// ---------------------------------------------------------------------------------------------
// Plan.

/// What happens to an event this sync made that the timetable no longer wants.
enum class MissingAction {
  cancel,  ///< `scheduleEvent.cancel` (stays listed as cancelled; the default)
  remove,  ///< `scheduleEvent.delete` (the CLI's `--missing delete`)
  keep,    ///< left alone (counted in `SyncPlan::kept`)
};

/// Options of plan_sync (`scope`, `missing`) and apply_sync (`concurrency`, `batch`).
struct KMEET_EXPORT SyncOptions {
  /// The namespace of the keys: events of one scope are invisible to another. Use one scope per
  /// timetable (two files synced in one scope would cancel each other's sessions). 1..64 bytes.
  std::string scope = "default";
  /// What happens to events no longer wanted.
  MissingAction missing = MissingAction::cancel;
  /// apply: requests in flight at once (1..1024), all on the client's async engine (one thread,
  /// docs/async.md); with 1 every request is made on the calling thread.
  int concurrency = 4;
  /// apply: meetings per create request, and changes per re-check request (1..100).
  int batch = 20;
};

/// A field an update changes.
enum class SyncField { summary, description, start, end, settings, room };
/// The API name of the field: `summary`, `description`, `startDate`, `endDate`, `tags`, `room`
/// (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(SyncField field) noexcept;

/// A session to create (event + link, and its room when the room does not exist yet).
struct KMEET_EXPORT SyncCreate {
  /// The session; `session.room.id` is set when the room exists.
  SyncSession session;
  /// The referenceId the event gets.
  std::string reference_id;
};

/// An event to change.
struct KMEET_EXPORT SyncUpdate {
  /// The session as wanted; `session.room.id` is set when the room exists.
  SyncSession session;
  /// The event as it was when planning (apply refuses to change it if it changed since).
  Event current;
  /// The rooms it was linked to when planning.
  std::vector<RoomId> current_rooms;
  /// What changes.
  std::vector<SyncField> changes;
};

/// An event to cancel or delete.
struct KMEET_EXPORT SyncRemoval {
  /// The event as it was when planning.
  Event current;
  /// The session's key when the timetable names it (a cancelled session); else unset.
  std::optional<std::string> key;
  /// True when the timetable cancels the session; false when it no longer lists it.
  bool cancelled_by_source = false;
};

/// Sessions of one room at overlapping times: a cluster of sessions each overlapping another of
/// the cluster (sorted by start, chained: A overlaps B, B overlaps C makes one cluster of three).
/// At least one of them is a session of the timetable.
struct KMEET_EXPORT SyncConflict {
  /// One session: a session of the timetable (`key`) or another event in the room (`event`).
  struct Side {
    /// The session's key (unset for an event this sync does not manage).
    std::optional<std::string> key;
    /// The event (unset for a session not created yet).
    std::optional<EventId> event;
    /// Its title.
    std::string summary;
    /// Its start.
    Timestamp start{};
    /// Its end.
    Timestamp end{};
  };
  /// How many sessions of a cluster `sessions` lists at most (`count` has them all).
  static constexpr std::size_t kMaxListed = 50;
  /// The room (unset when sync has yet to create it).
  std::optional<RoomId> room_id;
  /// The room's name, or its system name.
  std::string room;
  /// The cluster's sessions by start (then end): the first `kMaxListed`.
  std::vector<Side> sessions;
  /// How many sessions the cluster has (at least 2; more than `sessions.size()` when capped).
  std::size_t count = 0;
};

/// What apply_sync will do. Build it with plan_sync; inspect it, then apply it (or not).
struct KMEET_EXPORT SyncPlan {
  /// The scope it was planned in.
  std::string scope;
  /// The window.
  Timestamp from{};
  /// End of the window (exclusive).
  Timestamp to{};
  /// Sessions to create.
  std::vector<SyncCreate> create;
  /// Events to change.
  std::vector<SyncUpdate> update;
  /// Events to cancel.
  std::vector<SyncRemoval> cancel;
  /// Events to delete.
  std::vector<SyncRemoval> remove;
  /// Sessions whose event already matches.
  std::size_t unchanged = 0;
  /// Events no longer wanted and left alone (MissingAction::keep).
  std::size_t kept = 0;
  /// Overlapping sessions in one room (the timetable's, or another event in a room it uses), one
  /// entry per cluster of overlapping sessions (found in O(N log N) per room: sort, then one sweep).
  /// Reported only: apply_sync does not refuse them (the server does not either).
  std::vector<SyncConflict> conflicts;
  /// True when applying it would change nothing.
  [[nodiscard]] bool empty() const { return create.empty() && update.empty() && cancel.empty() && remove.empty(); }
};

/// Validates the timetable and the options first (TimetableError / ValidationError, nothing
/// sent: keys non-empty and unique, every session what `kmeet::validate` accepts, rooms named
/// consistently), then reads: the rooms (by system name or id; an id that is not a Meetings room is
/// a ValidationError), every event of the partner starting in the window (filtered to this scope's
/// by referenceId), the events of the timetable's keys outside the window, their room links, and
/// the other events of the rooms in use (for conflicts). Sends no change. Throws what the API
/// layer throws (ApiError, TransportError...).
[[nodiscard]] KMEET_EXPORT SyncPlan plan_sync(const Client& client, const Timetable& timetable, const SyncOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Apply.

/// How one planned change went.
enum class SyncStatus {
  done,      ///< made
  failed,    ///< the server refused it, or the request failed (see `message`)
  conflict,  ///< not made: the event changed on the server since planning (plan again)
};

/// The result of one plan item.
struct KMEET_EXPORT SyncItemResult {
  /// How it went.
  SyncStatus status = SyncStatus::failed;
  /// The event made or changed.
  std::optional<EventId> event;
  /// Why it failed or conflicted (empty when done).
  std::string message;
};

/// One result per plan item, in the plan's order.
struct KMEET_EXPORT SyncResult {
  /// Results of `SyncPlan::create`.
  std::vector<SyncItemResult> create;
  /// Results of `SyncPlan::update`.
  std::vector<SyncItemResult> update;
  /// Results of `SyncPlan::cancel`.
  std::vector<SyncItemResult> cancel;
  /// Results of `SyncPlan::remove`.
  std::vector<SyncItemResult> remove;
  /// How many items were not done (failed or conflict).
  [[nodiscard]] std::size_t not_done() const;
  /// True when every item was done.
  [[nodiscard]] bool ok() const { return not_done() == 0; }
};

/// Executes exactly `plan`: rooms it needs first (`Rooms::add`, found again by system name),
/// creates through `Client::create_meetings` (`batch` meetings per request, `concurrency` requests
/// in flight; the keys are re-listed first, so a session that appeared since planning is a
/// conflict, never a duplicate), then updates (`Events::update`; a room change adds the new link before it
/// removes the old one), cancels and deletes. Before changing an event it is read again (one list
/// per batch) and compared with the plan's copy: an event changed, cancelled or deleted since
/// planning is reported as `SyncStatus::conflict` and left as it is. An error that would fail
/// every request (INVALID_KS, SERVICE_FORBIDDEN...) stops the rest, which fail with that reason.
/// Throws ValidationError for bad options; never throws for one item.
///
/// With `concurrency` above 1 the requests run as fibers on the client's async engine (one thread
/// however many are in flight; docs/async.md): Config::log and Config::metrics are then called on
/// that thread. apply_sync may itself run inside AsyncClient::run (its wait suspends that fiber).
[[nodiscard]] KMEET_EXPORT SyncResult apply_sync(const Client& client, const SyncPlan& plan, const SyncOptions& options = {});

}  // namespace kmeet
