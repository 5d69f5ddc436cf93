#pragma once
// `kmeet import`: from CSV text to a validated plan of rooms and meetings, before anything is sent.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/csv_reader.hpp"
#include "kmeet/model.hpp"
#include "kmeet/types.hpp"

namespace kmeet::cli {

using SettingList = std::vector<std::pair<std::string, std::string>>;  // key (no custom_), value

/// A room the plan needs, keyed by its system name (the idempotency key).
struct PlannedRoom {
  std::string system_name;
  std::string name;
  std::string description;
  SettingList settings;
  int first_line = 0;
};

/// One valid CSV row = one meeting (event + link to its room).
struct PlannedMeeting {
  int line = 0;
  std::size_t room = 0;  ///< index into ImportPlan::rooms
  std::string summary;
  std::string description;
  Timestamp start{};
  Timestamp end{};
  SettingList settings;
  /// Column `record` on: the meeting gets its recording template (MeetingSpec::record).
  bool record = false;
  /// `kmeet:` + SHA-1 of room key, summary, start and end: the same row always maps to the same
  /// event, so a re-run finds it by `referenceIdIn` instead of creating it again.
  std::string reference_id;
};

struct ImportPlan {
  std::vector<PlannedRoom> rooms;
  std::vector<PlannedMeeting> meetings;
  /// `line N: reason` for every refused row, in file order.
  std::vector<std::string> errors;
  /// Rows that repeat an earlier row (same reference id): `line N: same meeting as line M`.
  std::vector<std::string> duplicates;
  std::size_t total_rows = 0;
};

/// The room system name derived from a room name when `room_system_name` is empty:
/// `kmeet-<slug>-<first 8 hex of SHA-1(name)>`.
std::string derive_system_name(std::string_view room_name);

/// The event reference id of a row (see PlannedMeeting::reference_id).
std::string derive_reference_id(std::string_view room_key, std::string_view summary, std::string_view start_key,
                                std::string_view end_key);

/// The room `room` makes, exactly as the import sends it (to `Rooms::add` or inline in a meeting).
Room to_room(const PlannedRoom& room);

/// The event of a meeting, exactly as the import sends it.
Event to_event(const PlannedMeeting& meeting);

/// The CSV column an SDK ValidationError field names: `room.name` -> `room_name`,
/// `room.settings.rs_room_cap` -> `room.rs_room_cap`, `event.summary` -> `summary`...
std::string column_for_field(std::string_view field);

/// Checks the header and every row. Header problems (missing required or unknown columns)
/// throw ValidationError("csv", "line 1: ..."); row problems go into `errors` as
/// `line N: <column>: <reason>` and the row is left out. Every row is checked with the SDK's own
/// `kmeet::validate` (kmeet/validate.hpp) on the very Room and Event the import would send, so
/// what the plan accepts the SDK accepts. Relative times are taken against `now`.
ImportPlan plan_import(const std::vector<CsvRecord>& records, Timestamp now);

}  // namespace kmeet::cli
