// `kmeet import FILE.csv`: the run (cli/import_run.hpp).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "cli/import_run.hpp"
#include "cli/csv_reader.hpp"
#include "cli/import_files.hpp"
#include "cli/import_plan.hpp"
#include "cli/parallel.hpp"
#include "cli/progress.hpp"
#include "cli/safe_text.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/rooms.hpp"

namespace kmeet::cli {
namespace {

constexpr std::size_t kMaxInValues = 500;  // server cap on `...In` filters and page size (D.6)

enum class RowStatus { pending, created, skipped, failed };

struct RowResult {
  int line = 0;
  RowStatus status = RowStatus::pending;
  std::int64_t room_id = 0;
  std::int64_t event_id = 0;
  std::string error;
  bool not_sent = false;  ///< failed because an earlier error stopped the import
};

const char* status_name(RowStatus s) {
  switch (s) {
    case RowStatus::created: return "created";
    case RowStatus::skipped: return "skipped";
    case RowStatus::failed: return "failed";
    case RowStatus::pending: break;
  }
  return "pending";
}

std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const ApiError& a) {
    if (!a.ks_reason().empty()) return fmt::format("{}: {} (KS {})", a.code(), a.api_message(), a.ks_reason());
    return fmt::format("{}: {}", a.code(), a.api_message());
  } catch (const ValidationError& v) {
    return fmt::format("{}: {}", column_for_field(v.field()), v.reason());
  } catch (const TransportError& t) {
    if (t.outcome_unknown()) {
      return std::string(t.what()) + " (the request may have been executed; run the import again to reconcile)";
    }
    return t.what();
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown error";
  }
}

std::string read_input(Ctx& ctx, const std::string& file) {
  if (file == "-") {
    if (ctx.io.in == nullptr) throw ValidationError("FILE", "no stdin");
    return read_capped(*ctx.io.in, kMaxCsvBytes, "FILE (stdin)");
  }
  return read_capped_file(file, kMaxCsvBytes, "FILE");
}

// `line N` of a plan message (`line N: ...`).
int line_of(const std::string& message) { return std::stoi(message.substr(5, message.find(':') - 5)); }
std::string after_line(const std::string& message) { return message.substr(message.find(':') + 2); }

// One import once the plan is made: rooms, then meetings, then the report. Every phase records
// failures per row; none throws past run().
class Importer {
 public:
  Importer(Ctx& ctx, const ImportOpts& o, const ImportPlan& plan)
      : ctx_(ctx), o_(o), plan_(plan), client_(ctx.client()), rooms_(client_.rooms()), events_(client_.events()),
        room_ids_(plan.rooms.size(), 0), room_errors_(plan.rooms.size()), inline_room_(plan.rooms.size(), false),
        rows_(plan.meetings.size()) {}

  void run() {
    prepare_rooms();
    classify_rows(find_existing_events());
    send_meetings();
  }
  int report(ResultsFile* results);

 private:
  void stop_on(const std::exception_ptr& e);
  void lookup_rooms(const std::vector<std::size_t>& which);
  void prepare_rooms();
  std::map<std::string, std::int64_t> find_existing_events();
  void classify_rows(const std::map<std::string, std::int64_t>& existing);
  void send_meetings();
  void send_batch(const std::vector<std::size_t>& idx);
  // Out of line (not inlined into send_batch): their locals then never sit on a fiber's stack
  // below create_meetings(), whose depth each request in flight pays for in touched stack pages.
  [[gnu::noinline]] std::vector<MeetingSpec> specs_for(const std::vector<std::size_t>& idx) const;
  [[gnu::noinline]] void record(const std::vector<std::size_t>& idx, const std::vector<MeetingResult>& res);
  void fail_rows(const std::vector<std::size_t>& idx, const std::string& why, bool not_sent);
  std::string write_results(ResultsFile& file);
  std::string moderator_url(std::size_t i, const RowResult& r) const;

  Ctx& ctx_;
  const ImportOpts& o_;
  const ImportPlan& plan_;
  Client& client_;
  Rooms rooms_;
  Events events_;
  // An error that fails every request (INVALID_KS, ...) or a failed lookup stops the import: the
  // rows not done yet count as failed with its reason, and the summary is printed all the same.
  std::atomic<bool> abort_{false};
  std::string abort_reason_;
  std::mutex mutex_;
  std::vector<std::int64_t> room_ids_;
  std::vector<std::string> room_errors_;
  std::vector<bool> inline_room_;
  std::vector<RowResult> rows_;
  std::vector<std::size_t> todo_;
  std::atomic<std::size_t> created_{0};
};

void Importer::stop_on(const std::exception_ptr& e) {
  std::lock_guard lock(mutex_);
  if (!abort_.exchange(true)) abort_reason_ = message_of(e);
}

void Importer::lookup_rooms(const std::vector<std::size_t>& which) {
  std::map<std::string_view, std::size_t> by_system;  // views into plan_.rooms
  for (auto i : which) by_system[plan_.rooms[i].system_name] = i;
  // One list per kMaxInValues rooms, --concurrency of them in flight; a failure stops the import.
  in_flight_for(
      client_, (which.size() + kMaxInValues - 1) / kMaxInValues, o_.concurrency,
      [&](std::size_t chunk) {
        RoomFilter f;
        f.tags_like.reset();
        const std::size_t at = chunk * kMaxInValues;
        for (std::size_t k = at; k < std::min(which.size(), at + kMaxInValues); ++k) {
          f.system_name_in.push_back(plan_.rooms[which[k]].system_name);
        }
        for (const Room& r : rooms_.list(f, Pager{static_cast<int>(kMaxInValues), 1}).items) {
          if (!r.system_name) continue;
          auto it = by_system.find(*r.system_name);
          if (it != by_system.end()) room_ids_[it->second] = r.id.value();
        }
      },
      [&](std::size_t, const std::exception_ptr& e) { stop_on(e); });
}

// Rooms: find the existing ones by system name, create the others. A new room that only one row
// uses is created inside that row's meeting request (room, event and link in one round trip,
// rolled back together); rooms shared by several rows are created first.
void Importer::prepare_rooms() {
  std::vector<std::size_t> all(plan_.rooms.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  lookup_rooms(all);
  std::vector<std::size_t> uses(plan_.rooms.size(), 0);
  for (const auto& m : plan_.meetings) ++uses[m.room];
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < plan_.rooms.size() && !abort_; ++i) {
    if (room_ids_[i] != 0) continue;
    if (uses[i] == 1) {
      inline_room_[i] = true;
    } else {
      missing.push_back(i);
    }
  }
  in_flight_for(
      client_, missing.size(), o_.concurrency,
      [&](std::size_t k) {
        if (!abort_) room_ids_[missing[k]] = rooms_.add(to_room(plan_.rooms[missing[k]])).id.value();
      },
      [&](std::size_t k, const std::exception_ptr& e) {
        std::lock_guard lock(mutex_);
        room_errors_[missing[k]] = message_of(e);
        if (fails_every_call(e) && !abort_.exchange(true)) abort_reason_ = message_of(e);
      });
  // A create whose answer was lost, or a parallel run, may have made the room after all.
  std::vector<std::size_t> retry;
  for (std::size_t i = 0; i < plan_.rooms.size(); ++i) {
    if (room_ids_[i] == 0 && !inline_room_[i] && !abort_) retry.push_back(i);
  }
  if (!retry.empty() && !abort_) lookup_rooms(retry);
}

// Meetings whose reference id already exists are skipped (one list per kMaxInValues meetings,
// --concurrency of them in flight; a failure stops the import).
std::map<std::string, std::int64_t> Importer::find_existing_events() {
  std::map<std::string, std::int64_t> existing;  // reference id -> event id
  if (abort_) return existing;
  in_flight_for(
      client_, (plan_.meetings.size() + kMaxInValues - 1) / kMaxInValues, o_.concurrency,
      [&](std::size_t chunk) {
        if (abort_) return;
        EventFilter f;
        const std::size_t at = chunk * kMaxInValues;
        for (std::size_t k = at; k < std::min(plan_.meetings.size(), at + kMaxInValues); ++k) {
          f.reference_id_in.push_back(plan_.meetings[k].reference_id);
        }
        for (const Event& e : events_.list(f, Pager{static_cast<int>(kMaxInValues), 1}).items) {
          if (e.reference_id) existing[*e.reference_id] = e.id.value();
        }
      },
      [&](std::size_t, const std::exception_ptr& e) { stop_on(e); });
  return existing;
}

void Importer::classify_rows(const std::map<std::string, std::int64_t>& existing) {
  for (std::size_t i = 0; i < plan_.meetings.size(); ++i) {
    const auto& m = plan_.meetings[i];
    auto& row = rows_[i];
    row.line = m.line;
    row.room_id = room_ids_[m.room];
    if (auto it = existing.find(m.reference_id); it != existing.end()) {
      row.status = RowStatus::skipped;
      row.event_id = it->second;
    } else if (abort_) {
      row.status = RowStatus::failed;
      row.error = abort_reason_;
      row.not_sent = true;
    } else if (room_ids_[m.room] == 0 && !inline_room_[m.room]) {
      row.status = RowStatus::failed;
      row.error = fmt::format("room {}: {}", plan_.rooms[m.room].system_name, room_errors_[m.room]);
    } else {
      todo_.push_back(i);
    }
  }
}

void Importer::fail_rows(const std::vector<std::size_t>& idx, const std::string& why, bool not_sent) {
  for (auto i : idx) {
    if (rows_[i].status != RowStatus::pending) continue;
    rows_[i].status = RowStatus::failed;
    rows_[i].error = why;
    rows_[i].not_sent = not_sent;
  }
}

void Importer::send_batch(const std::vector<std::size_t>& idx) {
  if (abort_) {
    std::lock_guard lock(mutex_);
    fail_rows(idx, abort_reason_, true);
    return;
  }
  record(idx, client_.create_meetings(specs_for(idx)));
}

std::vector<MeetingSpec> Importer::specs_for(const std::vector<std::size_t>& idx) const {
  std::vector<MeetingSpec> specs;
  specs.reserve(idx.size());
  for (auto i : idx) {
    const auto& m = plan_.meetings[i];
    MeetingSpec& s = specs.emplace_back();
    if (inline_room_[m.room]) {
      s.room = to_room(plan_.rooms[m.room]);
    } else {
      s.room = RoomId{room_ids_[m.room]};
    }
    s.event = to_event(m);
    if (m.record) s.record = RecordingTemplate{};
    s.keys_checked = true;  // listed above: skip the SDK's own look-up before the add
  }
  return specs;
}

void Importer::record(const std::vector<std::size_t>& idx, const std::vector<MeetingResult>& res) {
  std::lock_guard lock(mutex_);
  for (std::size_t k = 0; k < idx.size() && k < res.size(); ++k) {
    auto& row = rows_[idx[k]];
    if (res[k].ok()) {
      row.status = RowStatus::created;
      row.event_id = res[k].value().event.id.value();
      row.room_id = res[k].value().room.id.value();
      ++created_;
    } else {
      row.status = RowStatus::failed;
      row.error = res[k].error_message();
      if (fails_every_call(res[k].error()) && !abort_.exchange(true)) abort_reason_ = res[k].error_message();
    }
  }
}

void Importer::send_meetings() {
  ProgressBar progress(ctx_.io.err, ctx_.io.err_tty, todo_.size());
  const auto batch = static_cast<std::size_t>(o_.batch);
  const std::size_t batches = (todo_.size() + batch - 1) / batch;
  auto slice = [&](std::size_t b) {
    return std::vector<std::size_t>(
        todo_.begin() + static_cast<std::ptrdiff_t>(b * batch),
        todo_.begin() + static_cast<std::ptrdiff_t>(std::min(todo_.size(), (b + 1) * batch)));
  };
  in_flight_for(
      client_, batches, o_.concurrency,
      [&](std::size_t b) {
        send_batch(slice(b));
        progress.add(std::min(batch, todo_.size() - b * batch));
      },
      [&](std::size_t b, const std::exception_ptr& e) {
        // Anything a batch throws (a transport error, a bug) fails that batch's rows, never the process.
        {
          std::lock_guard lock(mutex_);
          fail_rows(slice(b), message_of(e), false);
          if (fails_every_call(e) && !abort_.exchange(true)) abort_reason_ = message_of(e);
        }
        progress.add(std::min(batch, todo_.size() - b * batch));
      });
  progress.finish();
}

std::string Importer::moderator_url(std::size_t i, const RowResult& r) const {
  if (r.event_id <= 0) return {};
  JoinRequest jr;
  jr.event = EventId{r.event_id};
  jr.user_id = o_.moderator_user;
  jr.role = Role::moderator;
  // Valid until an hour after the meeting ends, and at least two hours.
  auto until = plan_.meetings[i].end + std::chrono::hours(1) - ctx_.now;
  jr.ttl = std::max<std::chrono::seconds>(until, std::chrono::hours(2));
  return client_.join(jr).url;
}

// Every row of the file, in file order, with a moderator join link for each meeting.
std::string Importer::write_results(ResultsFile& file) {
  try {
    std::map<int, std::string> out;
    for (const auto& e : plan_.errors) {
      out[line_of(e)] = csv_record({std::to_string(line_of(e)), "", "", "failed", "", after_line(e)});
    }
    for (const auto& d : plan_.duplicates) {
      out[line_of(d)] = csv_record({std::to_string(line_of(d)), "", "", "skipped", "", after_line(d)});
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const auto& r = rows_[i];
      out[r.line] = csv_record({std::to_string(r.line), r.room_id ? std::to_string(r.room_id) : "",
                                r.event_id ? std::to_string(r.event_id) : "", status_name(r.status),
                                moderator_url(i, r), r.error});
    }
    bool ok = file.write(csv_record({"line", "room_id", "event_id", "status", "moderator_join_url", "error"}));
    for (auto it = out.begin(); ok && it != out.end(); ++it) ok = file.write(it->second);
    if (!ok || !file.commit()) return file.error();
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

int Importer::report(ResultsFile* results) {
  auto& err = ctx_.io.err;
  std::size_t failed = plan_.errors.size();
  std::size_t skipped = plan_.duplicates.size();
  std::size_t not_sent = 0;
  for (const auto& r : rows_) {
    if (r.status == RowStatus::failed) {
      // Rows never sent are summed up in the one error line below, not listed one by one.
      if (r.not_sent) {
        ++not_sent;
      } else {
        err << fmt::format("line {}: {}\n", r.line, printable(r.error));
      }
      ++failed;
    } else if (r.status == RowStatus::skipped) {
      ++skipped;
    }
  }
  const std::string results_error = results != nullptr ? write_results(*results) : std::string();
  // Whatever happened, the summary is printed: scripts read it (design.md section 4).
  Json summary;
  summary["created"] = created_.load();
  summary["skipped"] = skipped;
  summary["failed"] = failed;
  ctx_.print(summary);
  if (abort_) {
    err << fmt::format("kmeet: error: import stopped: {}{}\n", printable(abort_reason_),
                       not_sent > 0 ? fmt::format(" ({} row{} not sent)", not_sent, not_sent == 1 ? "" : "s") : "");
  }
  if (!results_error.empty()) err << fmt::format("kmeet: error: --results: {}\n", printable(results_error));
  return failed > 0 || !results_error.empty() ? kFailed : kOk;
}

int dry_run(Ctx& ctx, const ImportPlan& plan) {
  Json j;
  j["rows"] = plan.total_rows;
  j["rooms"] = plan.rooms.size();
  j["meetings"] = plan.meetings.size();
  j["duplicates"] = plan.duplicates.size();
  j["invalid"] = plan.errors.size();
  ctx.print(j);
  return plan.errors.empty() ? kOk : kFailed;
}

}  // namespace

int import_csv(Ctx& ctx, const ImportOpts& o) {
  validate_user_id(o.moderator_user, "--moderator-user");
  // The --results path is checked before the file is even read: a bad path costs nothing.
  std::optional<ResultsFile> results_file;
  if (o.results && !o.dry_run) results_file.emplace(*o.results);
  // The file's text and its records are gone before the first request: only the plan stays.
  const ImportPlan plan = plan_import(read_csv(read_input(ctx, o.file)), ctx.now);
  for (const auto& e : plan.errors) ctx.io.err << printable(e) << '\n';
  for (const auto& d : plan.duplicates) ctx.io.err << printable(d) << " (skipped)\n";
  if (o.dry_run) return dry_run(ctx, plan);
  if (o.strict && !plan.errors.empty()) {
    ctx.io.err << fmt::format("kmeet: error: {} invalid row{} (--strict: nothing sent)\n", plan.errors.size(),
                              plan.errors.size() == 1 ? "" : "s");
    return kUsage;
  }
  // Same machine, same CSV or results file: one import at a time (the lock goes with the process).
  ImportLock lock(ctx.io.getenv, o.file, o.results ? real_path_of(*o.results) : std::string());
  Importer importer(ctx, o, plan);
  importer.run();
  return importer.report(results_file ? &*results_file : nullptr);
}

}  // namespace kmeet::cli
