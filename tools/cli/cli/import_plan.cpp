#include "cli/import_plan.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "cli/settings.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/digest.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/sync.hpp"
#include "kmeet/validate.hpp"

namespace kmeet::cli {
namespace {

constexpr std::size_t kMaxName = 256;
constexpr std::chrono::hours kMaxDuration{24};  // MAX_SCHEDULE_DURATION_REACHED for record events

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void check_text(const std::string& field, const std::string& value, bool required, std::size_t max) {
  if (required && value.empty()) throw ValidationError(field, "is required");
  if (value.size() > max) throw ValidationError(field, fmt::format("is longer than {} characters", max));
}

struct Columns {
  std::optional<std::size_t> room_name, room_system_name, room_description, summary, description, start, end, record;
  std::vector<std::pair<std::size_t, std::string>> room_settings, event_settings;
};

Columns map_header(const CsvRecord& header) {
  Columns c;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = lower(trim(header.fields[i]));
    if (name.empty()) throw ValidationError("csv", fmt::format("line {}: column {} has no name", header.line, i + 1));
    if (!seen.insert(name).second) {
      throw ValidationError("csv", fmt::format("line {}: column '{}' appears twice", header.line, name));
    }
    auto set = [&](std::optional<std::size_t>& slot) { slot = i; };
    if (name == "room_name") set(c.room_name);
    else if (name == "room_system_name") set(c.room_system_name);
    else if (name == "room_description") set(c.room_description);
    else if (name == "summary") set(c.summary);
    else if (name == "description") set(c.description);
    else if (name == "start") set(c.start);
    else if (name == "end") set(c.end);
    else if (name == "record") set(c.record);
    else if (name.rfind("room.", 0) == 0 || name.rfind("event.", 0) == 0) {
      bool room = name[0] == 'r';
      std::string key = name.substr(room ? 5 : 6);
      if (key.rfind("custom_", 0) == 0) key.erase(0, 7);
      auto has = [&](SettingScope scope) {
        const auto& known = known_settings(scope);
        return std::any_of(known.begin(), known.end(), [&](const SettingInfo& s) { return s.name == key; });
      };
      if (!has(SettingScope::event) && !(room && has(SettingScope::room))) {
        throw ValidationError("csv", fmt::format("line {}: column '{}' is not a known {} setting (see `kmeet "
                                                 "import --help`)",
                                                 header.line, name, room ? "room" : "event"));
      }
      (room ? c.room_settings : c.event_settings).emplace_back(i, key);
    } else {
      throw ValidationError("csv", fmt::format("line {}: unknown column '{}' (columns: room_name, room_system_name, "
                                               "room_description, summary, description, start, end, record, room.KEY, "
                                               "event.KEY)",
                                               header.line, name));
    }
  }
  for (auto [slot, name] : {std::pair{&c.room_name, "room_name"}, std::pair{&c.summary, "summary"},
                            std::pair{&c.start, "start"}, std::pair{&c.end, "end"}}) {
    if (!slot->has_value()) {
      throw ValidationError("csv", fmt::format("line {}: required column '{}' is missing", header.line, name));
    }
  }
  return c;
}

// The part of a time cell that identifies the meeting: absolute times by their value (so
// `2026-03-01T09:00Z` and its Unix seconds are the same meeting), relative ones by their text.
std::string time_key(const std::string& raw, Timestamp t) {
  if (!raw.empty() && (raw.front() == '+' || raw.front() == '-' || raw == "now")) return raw;
  return std::to_string(t.time_since_epoch().count());
}

}  // namespace

std::string derive_system_name(std::string_view room_name) {
  // One rule for import and sync: a room imported once is the room sync finds (docs/sync.md).
  return default_room_system_name(room_name);
}

std::string derive_reference_id(std::string_view room_key, std::string_view summary, std::string_view start_key,
                                std::string_view end_key) {
  std::string data;
  for (auto part : {room_key, summary, start_key, end_key}) {
    data += part;
    data += '\x1f';  // unit separator: no field boundary ambiguity
  }
  return "kmeet:" + sha1_hex(data);
}

Room to_room(const PlannedRoom& pr) {
  Room r;
  r.name = pr.name;
  r.system_name = pr.system_name;
  if (!pr.description.empty()) r.description = pr.description;
  for (const auto& [key, value] : pr.settings) r.settings.set(key, value);
  return r;
}

Event to_event(const PlannedMeeting& m) {
  Event e;
  e.summary = m.summary;
  if (!m.description.empty()) e.description = m.description;
  e.start = m.start;
  e.end = m.end;
  e.reference_id = m.reference_id;
  for (const auto& [key, value] : m.settings) e.settings.set(key, value);
  return e;
}

std::string column_for_field(std::string_view field) {
  static const std::map<std::string_view, std::string_view> kColumns = {
      {"room.name", "room_name"},         {"room.system_name", "room_system_name"},
      {"room.description", "room_description"}, {"event.summary", "summary"},
      {"event.description", "description"},     {"event.start", "start"},
      {"event.end", "end"},                      {"event.reference_id", "reference id (derived from the row)"}};
  if (auto it = kColumns.find(field); it != kColumns.end()) return std::string(it->second);
  for (std::string_view scope : {"room.settings.", "event.settings."}) {
    if (field.substr(0, scope.size()) == scope) {
      return std::string(scope.substr(0, scope.find('.') + 1)) + std::string(field.substr(scope.size()));
    }
  }
  return std::string(field);
}

namespace {

struct ParsedRow {
  PlannedRoom room;
  PlannedMeeting meeting;
};

// One row's cells, checked on their own (no other row involved). Throws ValidationError.
ParsedRow parse_row(const Columns& cols, const CsvRecord& rec, std::size_t width, Timestamp now) {
  auto cell = [&](const std::optional<std::size_t>& i) { return i ? trim(rec.fields[*i]) : std::string{}; };
  if (rec.fields.size() != width) {
    throw ValidationError("row", fmt::format("has {} fields but the header has {}", rec.fields.size(), width));
  }
  ParsedRow out;
  PlannedRoom& room = out.room;
  room.name = cell(cols.room_name);
  check_text("room_name", room.name, true, kMaxName);
  room.system_name = cell(cols.room_system_name);
  check_text("room_system_name", room.system_name, false, kMaxName);
  if (room.system_name.find(',') != std::string::npos) {
    // Rooms are found again by a systemNameIn list, which is comma-separated (docs/protocol.md D.6).
    throw ValidationError("room_system_name", "must not contain ',' (kmeet import finds rooms by a comma-separated "
                                              "list of system names)");
  }
  if (room.system_name.empty()) room.system_name = derive_system_name(room.name);
  room.description = cell(cols.room_description);
  for (const auto& [i, key] : cols.room_settings) {
    auto v = trim(rec.fields[i]);
    if (!v.empty()) room.settings.emplace_back(key, normalize_setting(SettingScope::room, key, v));
  }
  room.first_line = rec.line;

  PlannedMeeting& m = out.meeting;
  m.line = rec.line;
  m.summary = cell(cols.summary);
  check_text("summary", m.summary, true, kMaxName);
  m.description = cell(cols.description);
  auto start_raw = cell(cols.start);
  auto end_raw = cell(cols.end);
  m.start = parse_time(start_raw, now, "start");
  m.end = parse_time(end_raw, now, "end");
  if (m.end <= m.start) throw ValidationError("end", "must be after start");
  if (m.end - m.start > kMaxDuration) throw ValidationError("end", "a meeting may last at most 24 hours");
  for (const auto& [i, key] : cols.event_settings) {
    auto v = trim(rec.fields[i]);
    if (!v.empty()) m.settings.emplace_back(key, normalize_setting(SettingScope::event, key, v));
  }
  m.reference_id =
      derive_reference_id(room.system_name, m.summary, time_key(start_raw, m.start), time_key(end_raw, m.end));
  // `record`: on/off (empty = off); the session gets its own recording template (docs/recordings.md).
  if (const std::string rec = lower(cell(cols.record)); !rec.empty()) {
    if (rec == "on" || rec == "1" || rec == "true" || rec == "yes") {
      m.record = true;
    } else if (rec != "off" && rec != "0" && rec != "false" && rec != "no") {
      throw ValidationError("record", fmt::format("'{}' is not on/off (use on/off, 1/0, true/false)", cell(cols.record)));
    }
  }
  return out;
}

// Rows naming the same room must agree on what they say about it.
void check_same_room(const PlannedRoom& prev, const PlannedRoom& room) {
  if (prev.name != room.name) {
    throw ValidationError("room_name", fmt::format("'{}' differs from '{}' on line {} for room {}", room.name,
                                                   prev.name, prev.first_line, room.system_name));
  }
  if (!room.description.empty() && !prev.description.empty() && room.description != prev.description) {
    throw ValidationError("room_description", fmt::format("differs from line {} for the same room", prev.first_line));
  }
  for (const auto& [k, v] : room.settings) {
    for (const auto& [pk, pv] : prev.settings) {
      if (pk == k && pv != v) {
        throw ValidationError("room." + k,
                              fmt::format("'{}' differs from '{}' on line {} for the same room", v, pv, prev.first_line));
      }
    }
  }
}

// What the room becomes with this row's details added.
PlannedRoom merged(PlannedRoom prev, const PlannedRoom& room) {
  if (prev.description.empty()) prev.description = room.description;
  for (const auto& kv : room.settings) {
    if (std::none_of(prev.settings.begin(), prev.settings.end(), [&](const auto& p) { return p.first == kv.first; })) {
      prev.settings.push_back(kv);
    }
  }
  return prev;
}

// The SDK's own checks (kmeet/validate.hpp) on what would be sent, named by CSV column.
void validate_with_sdk(const PlannedRoom& room, const PlannedMeeting& m) {
  try {
    MeetingSpec spec;
    spec.room = to_room(room);
    spec.event = to_event(m);
    if (m.record) spec.record = RecordingTemplate{};
    kmeet::validate(spec);
  } catch (const ValidationError& e) {
    throw ValidationError(column_for_field(e.field()), e.reason());
  }
}

}  // namespace

ImportPlan plan_import(const std::vector<CsvRecord>& records, Timestamp now) {
  if (records.empty()) throw ValidationError("csv", "line 1: the file is empty (a header row is required)");
  const Columns cols = map_header(records.front());
  ImportPlan plan;
  std::map<std::string, std::size_t> room_index;  // system name -> rooms[]
  std::map<std::string, int> reference_line;      // reference id -> first line
  const std::size_t width = records.front().fields.size();
  // Exact sizes up front: a 10,000-row file would otherwise peak at 1.6x the arrays while they grow.
  plan.meetings.reserve(records.size() - 1);
  plan.rooms.reserve(records.size() - 1);

  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    ++plan.total_rows;
    try {
      ParsedRow row = parse_row(cols, rec, width, now);
      auto it = room_index.find(row.room.system_name);
      const bool known = it != room_index.end();
      if (known) check_same_room(plan.rooms[it->second], row.room);
      PlannedRoom room = known ? merged(plan.rooms[it->second], row.room) : std::move(row.room);
      validate_with_sdk(room, row.meeting);
      PlannedMeeting& m = row.meeting;
      if (auto dup = reference_line.find(m.reference_id); dup != reference_line.end()) {
        plan.duplicates.push_back(fmt::format("line {}: same meeting as line {}", rec.line, dup->second));
        continue;
      }
      // The row is good: only now does it contribute its room.
      if (known) {
        plan.rooms[it->second] = std::move(room);
      } else {
        it = room_index.emplace(room.system_name, plan.rooms.size()).first;
        plan.rooms.push_back(std::move(room));
      }
      m.room = it->second;
      reference_line.emplace(m.reference_id, m.line);
      plan.meetings.push_back(std::move(m));
    } catch (const ValidationError& e) {
      plan.errors.push_back(fmt::format("line {}: {}: {}", rec.line, e.field(), e.reason()));
    }
  }
  plan.rooms.shrink_to_fit();
  return plan;
}

}  // namespace kmeet::cli
