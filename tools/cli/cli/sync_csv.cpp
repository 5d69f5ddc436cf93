// CSV timetables: import's columns (room_name, summary, start, end, room.KEY, event.KEY...) plus a
// stable `key` per session. The `key` column is taken out and the rest goes through import's own
// planner, so a row sync accepts is a row import accepts.
#include "cli/sync_csv.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "cli/csv_reader.hpp"
#include "cli/import_plan.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return std::string(s);
}

std::optional<std::size_t> column(const CsvRecord& header, std::string_view name) {
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string h = trim(header.fields[i]);
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
    if (h == name) return i;
  }
  return std::nullopt;
}

bool relative(const std::string& cell) {
  return !cell.empty() && (cell.front() == '+' || cell.front() == '-' || cell == "now");
}

// Takes the key column out of every record; collects the keys by line, and the rows it refuses.
std::map<int, std::string> take_keys(std::vector<CsvRecord>& records, std::vector<std::string>& problems) {
  const auto key = column(records.front(), "key");
  if (!key) {
    throw TimetableError({fmt::format("line {}: required column 'key' is missing (sync finds each session again by "
                                      "its key)",
                                      records.front().line)});
  }
  const auto start = column(records.front(), "start");
  const auto end = column(records.front(), "end");
  std::map<int, std::string> keys;
  std::map<std::string, int> first;
  for (std::size_t r = 0; r < records.size(); ++r) {
    CsvRecord& rec = records[r];
    if (*key >= rec.fields.size()) continue;  // import's planner reports the short row
    const std::string k = trim(rec.fields[*key]);
    rec.fields.erase(rec.fields.begin() + static_cast<std::ptrdiff_t>(*key));
    if (r == 0) continue;
    for (const auto& at : {start, end}) {
      const std::size_t i = at && *at > *key ? *at - 1 : at.value_or(0);
      if (at && i < rec.fields.size() && relative(trim(rec.fields[i]))) {
        problems.push_back(fmt::format("line {}: {}: a relative time would move the session on every run; give an "
                                       "absolute time",
                                       rec.line, at == start ? "start" : "end"));
      }
    }
    // The rule of plan_sync (src/sync/check.cpp), here too: a file with several bad keys gets
    // every one of them listed, not only the first kind found.
    constexpr std::size_t kMaxKey = 1024;
    const bool control = std::any_of(k.begin(), k.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (k.empty()) {
      problems.push_back(fmt::format("line {}: key: is required", rec.line));
    } else if (control || k.size() > kMaxKey) {
      problems.push_back(fmt::format("line {}: key: must be 1..{} bytes without control characters", rec.line, kMaxKey));
    } else if (auto [it, fresh] = first.emplace(k, rec.line); !fresh) {
      problems.push_back(fmt::format("line {}: key: '{}' is used by line {} too", rec.line, k, it->second));
    }
    keys[rec.line] = k;
  }
  return keys;
}

SyncSession session_of(const PlannedMeeting& m, const PlannedRoom& pr, const std::string& key) {
  SyncSession s;
  s.key = key;
  s.summary = m.summary;
  if (!m.description.empty()) s.description = m.description;
  s.start = m.start;
  s.end = m.end;
  for (const auto& [k, v] : m.settings) s.settings.set(k, v);
  s.room.name = pr.name;
  s.room.system_name = pr.system_name;
  if (!pr.description.empty()) s.room.description = pr.description;
  for (const auto& [k, v] : pr.settings) s.room.settings.set(k, v);
  s.origin = fmt::format("line {}", m.line);
  return s;
}

int line_of(const std::string& problem) { return std::atoi(problem.c_str() + 5); }

}  // namespace

Timetable read_sync_csv(std::string_view text, Timestamp from, Timestamp to, Timestamp now) {
  std::vector<CsvRecord> records;
  try {
    records = read_csv(text);
  } catch (const ValidationError& e) {
    throw TimetableError({e.reason()});
  }
  if (records.empty()) throw TimetableError({"line 1: the file is empty (a header row is required)"});
  std::vector<std::string> problems;
  const std::map<int, std::string> keys = take_keys(records, problems);
  ImportPlan plan;
  try {
    plan = plan_import(records, now);
  } catch (const ValidationError& e) {
    throw TimetableError({e.reason()});
  }
  problems.insert(problems.end(), plan.errors.begin(), plan.errors.end());
  for (const auto& d : plan.duplicates) problems.push_back(d + " (room, summary, start and end)");
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const std::string& a, const std::string& b) { return line_of(a) < line_of(b); });
    throw TimetableError(std::move(problems));
  }
  Timetable t{from, to, {}};
  for (const PlannedMeeting& m : plan.meetings) t.sessions.push_back(session_of(m, plan.rooms[m.room], keys.at(m.line)));
  return t;
}

}  // namespace kmeet::cli
