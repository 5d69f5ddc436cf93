#pragma once
// plan_sync's stages: check the timetable (no request), read what the server holds, compare.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kmeet/client.hpp"
#include "kmeet/sync.hpp"

namespace kmeet::detail::sync {

/// The largest `...In` list and page the server serves (docs/protocol.md D.6).
inline constexpr std::size_t kMaxIn = 500;

/// A session of the timetable, checked, with its identity and its room's key.
struct Wanted {
  const SyncSession* session = nullptr;
  std::string digest;    ///< key_digest(scope, key)
  std::string room_key;  ///< `id:42` or `name:<system name>`
  bool in_window = false;
};

/// The timetable after check_timetable.
struct Checked {
  std::vector<Wanted> sessions;
  /// room key -> the room (system_name filled in for rooms by name).
  std::map<std::string, SyncRoom> rooms;
};

/// Validates the options and every session (TimetableError lists every problem). Sends nothing.
Checked check_timetable(const Timetable& timetable, const SyncOptions& options);

/// Checks the options plan_sync and apply_sync share.
void check_options(const SyncOptions& options);

/// What the server holds.
struct Actual {
  std::map<std::string, Room> rooms;  ///< room key -> the existing room
  /// This scope's events by key digest (every generation found; cancelled ones too).
  std::map<std::string, std::vector<Event>> by_digest;
  /// This scope's events that start in the window.
  std::set<EventId> in_window;
  /// The rooms each of this scope's events is linked to.
  std::map<EventId, std::vector<RoomId>> links;
  /// Active events (any writer) overlapping the window, per room in use.
  std::map<RoomId, std::vector<Event>> room_events;
};

/// Reads it (list calls only).
Actual read_actual(const Client& client, const Timetable& timetable, const Checked& checked,
                   const std::string& scope);

/// The generation of one of this scope's events (0 when its referenceId is not one).
int generation_of(const Event& event, const std::string& scope);

/// The event that stands for a key: the highest generation, its active event with the lowest id
/// (else its lowest id). nullptr when there is none.
const Event* current_event(const std::vector<Event>& events, const std::string& scope);

/// True when the session takes part in the plan: it is in the window, or its event is.
bool considered(const Wanted& wanted, const Actual& actual);

/// Compares and fills the plan's creates, updates, removals and counts.
void diff(const Checked& checked, const Actual& actual, const SyncOptions& options, SyncPlan& plan);

/// Overlapping sessions in one room: the timetable's (with their new times) among themselves and
/// with the other events of the room (this scope's own events are represented by their sessions).
std::vector<SyncConflict> find_conflicts(const Checked& checked, const Actual& actual, const std::string& scope);

/// `2026-03-16T08:15:00Z`.
std::string iso_utc(Timestamp t);

/// The message of an error: `CODE: message` for API errors, what() otherwise.
std::string message_of(const std::exception_ptr& error);

}  // namespace kmeet::detail::sync
