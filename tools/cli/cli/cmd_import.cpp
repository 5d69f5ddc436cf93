// `kmeet import FILE.csv`: validated, batched, concurrent, idempotent and resumable provisioning.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <istream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/csv_reader.hpp"
#include "cli/import_plan.hpp"
#include "cli/progress.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"
#include "kmeet/meetings.hpp"
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

// The --results file: `FILE.tmp` is created (mode 0600: it holds moderator KSs) before the first
// request, so a bad path costs nothing, and renamed over FILE at the end. Removed when not committed.
class ResultsFile {
 public:
  explicit ResultsFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    // An existing FILE.tmp keeps its old mode under O_CREAT: tighten it before writing anything.
    if (fd_ < 0 || ::fchmod(fd_, 0600) != 0) {
      const std::string why = std::strerror(errno);
      close_and_remove();
      throw ValidationError("--results", fmt::format("cannot create {}: {}", tmp_, why));
    }
  }
  ~ResultsFile() { close_and_remove(); }
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  /// Appends `text`; false (with `error()`) when writing fails.
  bool write(std::string_view text) {
    while (!text.empty() && fd_ >= 0) {
      const auto n = ::write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail("cannot write " + tmp_);
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    return fd_ >= 0;
  }

  /// Closes `FILE.tmp` and renames it over FILE.
  bool commit() {
    if (fd_ < 0) return false;
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return fail("cannot write " + tmp_);
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) return fail(fmt::format("cannot rename {} to {}", tmp_, path_));
    committed_ = true;
    return true;
  }

  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  bool fail(std::string what) {
    error_ = fmt::format("{}: {}", what, std::strerror(errno));
    return false;
  }
  void close_and_remove() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    if (!committed_) ::unlink(tmp_.c_str());
  }

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  bool committed_ = false;
  std::string error_;
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

// Errors that will fail every other request too: stop instead of failing 10,000 rows one by one.
bool fatal(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const ApiError& a) {
    return a.code() == "INVALID_KS" || a.code() == "SERVICE_FORBIDDEN" || a.code() == "START_SESSION_ERROR" ||
           a.code() == "INVALID_PARTNER_ID";
  } catch (...) {
    return false;
  }
}

std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const ApiError& a) {
    if (!a.ks_reason().empty()) return fmt::format("{}: {} (KS {})", a.code(), a.api_message(), a.ks_reason());
    return fmt::format("{}: {}", a.code(), a.api_message());
  } catch (const ValidationError& v) {
    return fmt::format("{}: {}", v.field(), v.reason());
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown error";
  }
}

// Runs `fn(i)` for i in [0, n) on `threads` workers.
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn fn) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  auto count = static_cast<std::size_t>(std::max(1, threads));
  count = std::min(count, n);
  for (std::size_t t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

std::string read_input(Ctx& ctx, const std::string& file) {
  if (file == "-") {
    if (ctx.io.in == nullptr) throw ValidationError("FILE", "no stdin");
    return std::string(std::istreambuf_iterator<char>(*ctx.io.in), {});
  }
  auto text = ctx.io.read_file(file);
  if (!text) throw ValidationError("FILE", fmt::format("cannot read {}", file));
  return *text;
}

}  // namespace

int import_csv(Ctx& ctx, const ImportOpts& o) {
  auto& err = ctx.io.err;
  // The file's text and its records are gone before the first request: only the plan stays.
  const ImportPlan plan = plan_import(read_csv(read_input(ctx, o.file)), ctx.now);

  std::vector<RowResult> results;  // one per CSV data row
  for (const auto& e : plan.errors) err << e << '\n';
  for (const auto& d : plan.duplicates) err << d << " (skipped)\n";
  std::size_t failed = plan.errors.size();
  std::size_t skipped = plan.duplicates.size();
  std::atomic<std::size_t> created{0};

  if (o.dry_run) {
    Json j;
    j["rows"] = plan.total_rows;
    j["rooms"] = plan.rooms.size();
    j["meetings"] = plan.meetings.size();
    j["duplicates"] = plan.duplicates.size();
    j["invalid"] = plan.errors.size();
    ctx.print(j);
    return failed > 0 ? kFailed : kOk;
  }

  std::optional<ResultsFile> results_file;
  if (o.results) results_file.emplace(*o.results);  // before the first request

  Client& client = ctx.client();
  auto rooms = client.rooms();
  auto events = client.events();

  // An error that fails every request (INVALID_KS, ...) or a failed lookup stops the import: the
  // rows not done yet count as failed with its reason, and the summary is printed all the same.
  std::atomic<bool> abort{false};
  std::string abort_reason;
  std::mutex mutex;
  auto stop_on = [&](const std::exception_ptr& e) {
    std::lock_guard lock(mutex);
    if (!abort.exchange(true)) abort_reason = message_of(e);
  };

  // 1. Rooms: find the existing ones by system name, create the others.
  std::vector<std::int64_t> room_ids(plan.rooms.size(), 0);
  std::vector<std::string> room_errors(plan.rooms.size());
  std::map<std::string_view, std::size_t> room_by_system;  // views into plan.rooms
  for (std::size_t i = 0; i < plan.rooms.size(); ++i) room_by_system[plan.rooms[i].system_name] = i;
  auto lookup_rooms = [&](const std::vector<std::size_t>& which) {
    for (std::size_t at = 0; at < which.size(); at += kMaxInValues) {
      RoomFilter f;
      f.tags_like.reset();
      for (std::size_t k = at; k < std::min(which.size(), at + kMaxInValues); ++k) {
        f.system_name_in.push_back(plan.rooms[which[k]].system_name);
      }
      for (const Room& r : rooms.list(f, Pager{static_cast<int>(kMaxInValues), 1}).items) {
        if (!r.system_name) continue;
        auto it = room_by_system.find(*r.system_name);
        if (it != room_by_system.end()) room_ids[it->second] = r.id.value();
      }
    }
  };
  {
    std::vector<std::size_t> all(plan.rooms.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    try {
      lookup_rooms(all);
    } catch (...) {
      stop_on(std::current_exception());
    }
  }
  // A new room that only one row uses is created inside that row's meeting request (room, event and
  // link in one round trip, rolled back together); rooms shared by several rows are created first.
  std::vector<std::size_t> room_uses(plan.rooms.size(), 0);
  for (const auto& m : plan.meetings) ++room_uses[m.room];
  std::vector<bool> inline_room(plan.rooms.size(), false);
  std::vector<std::size_t> missing_rooms;
  for (std::size_t i = 0; i < plan.rooms.size() && !abort; ++i) {
    if (room_ids[i] != 0) continue;
    if (room_uses[i] == 1) {
      inline_room[i] = true;
    } else {
      missing_rooms.push_back(i);
    }
  }
  auto room_value = [&](std::size_t i) {
    const auto& pr = plan.rooms[i];
    Room r;
    r.name = pr.name;
    r.system_name = pr.system_name;
    if (!pr.description.empty()) r.description = pr.description;
    for (const auto& [key, value] : pr.settings) r.settings.set(key, value);
    return r;
  };
  parallel_for(missing_rooms.size(), o.concurrency, [&](std::size_t k) {
    if (abort) return;
    try {
      room_ids[missing_rooms[k]] = rooms.add(room_value(missing_rooms[k])).id.value();
    } catch (...) {
      auto e = std::current_exception();
      std::lock_guard lock(mutex);
      room_errors[missing_rooms[k]] = message_of(e);
      if (fatal(e) && !abort.exchange(true)) abort_reason = message_of(e);
    }
  });
  {
    // A create whose answer was lost, or a parallel run, may have made the room after all.
    std::vector<std::size_t> retry;
    for (std::size_t i = 0; i < plan.rooms.size(); ++i) {
      if (room_ids[i] == 0 && !inline_room[i] && !abort) retry.push_back(i);
    }
    try {
      if (!retry.empty()) lookup_rooms(retry);
    } catch (...) {
      stop_on(std::current_exception());
    }
  }

  // 2. Meetings: skip those whose reference id already exists.
  std::map<std::string, std::int64_t> existing;  // reference id -> event id
  try {
    for (std::size_t at = 0; at < plan.meetings.size() && !abort; at += kMaxInValues) {
      EventFilter f;
      for (std::size_t k = at; k < std::min(plan.meetings.size(), at + kMaxInValues); ++k) {
        f.reference_id_in.push_back(plan.meetings[k].reference_id);
      }
      for (const Event& e : events.list(f, Pager{static_cast<int>(kMaxInValues), 1}).items) {
        if (e.reference_id) existing[*e.reference_id] = e.id.value();
      }
    }
  } catch (...) {
    stop_on(std::current_exception());
  }

  std::vector<RowResult> rows(plan.meetings.size());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < plan.meetings.size(); ++i) {
    const auto& m = plan.meetings[i];
    rows[i].line = m.line;
    rows[i].room_id = room_ids[m.room];
    if (auto it = existing.find(m.reference_id); it != existing.end()) {
      rows[i].status = RowStatus::skipped;
      rows[i].event_id = it->second;
    } else if (abort) {
      rows[i].status = RowStatus::failed;
      rows[i].error = abort_reason;
      rows[i].not_sent = true;
    } else if (room_ids[m.room] == 0 && !inline_room[m.room]) {
      rows[i].status = RowStatus::failed;
      rows[i].error = fmt::format("room {}: {}", plan.rooms[m.room].system_name, room_errors[m.room]);
    } else {
      todo.push_back(i);
    }
  }

  ProgressBar progress(err, ctx.io.err_tty, todo.size());
  const auto batch = static_cast<std::size_t>(o.batch);
  const std::size_t batches = (todo.size() + batch - 1) / batch;
  parallel_for(batches, o.concurrency, [&](std::size_t b) {
    std::vector<std::size_t> idx(todo.begin() + static_cast<std::ptrdiff_t>(b * batch),
                                 todo.begin() + static_cast<std::ptrdiff_t>(std::min(todo.size(), (b + 1) * batch)));
    auto fail_all = [&](const std::string& why) {
      for (auto i : idx) {
        rows[i].status = RowStatus::failed;
        rows[i].error = why;
      }
    };
    if (abort) {
      std::lock_guard lock(mutex);
      fail_all(abort_reason);
      for (auto i : idx) rows[i].not_sent = true;
      progress.add(idx.size());
      return;
    }
    std::vector<MeetingSpec> specs;
    for (auto i : idx) {
      const auto& m = plan.meetings[i];
      MeetingSpec s;
      if (inline_room[m.room]) {
        s.room = room_value(m.room);
      } else {
        s.room = RoomId{room_ids[m.room]};
      }
      s.event.summary = m.summary;
      if (!m.description.empty()) s.event.description = m.description;
      s.event.start = m.start;
      s.event.end = m.end;
      s.event.reference_id = m.reference_id;
      s.keys_checked = true;  // listed above: skip the SDK's own look-up before the add
      for (const auto& [key, value] : m.settings) s.event.settings.set(key, value);
      specs.push_back(std::move(s));
    }
    try {
      auto res = client.create_meetings(specs);
      std::lock_guard lock(mutex);
      for (std::size_t k = 0; k < idx.size() && k < res.size(); ++k) {
        auto& row = rows[idx[k]];
        if (res[k].ok()) {
          row.status = RowStatus::created;
          row.event_id = res[k].value().event.id.value();
          row.room_id = res[k].value().room.id.value();
          ++created;
        } else {
          row.status = RowStatus::failed;
          row.error = res[k].error_message();
          if (fatal(res[k].error()) && !abort.exchange(true)) abort_reason = res[k].error_message();
        }
      }
    } catch (...) {
      auto e = std::current_exception();
      std::string why = message_of(e);
      bool unknown = false;
      try {
        std::rethrow_exception(e);
      } catch (const TransportError& t) {
        unknown = t.outcome_unknown();
      } catch (...) {
      }
      std::lock_guard lock(mutex);
      fail_all(unknown ? why + " (the request may have been executed; run the import again to reconcile)" : why);
      if (fatal(e) && !abort.exchange(true)) abort_reason = why;
    }
    progress.add(idx.size());
  });
  progress.finish();

  std::size_t not_sent = 0;
  for (const auto& r : rows) {
    if (r.status == RowStatus::failed) {
      // Rows never sent are summed up in the one error line below, not listed one by one.
      if (r.not_sent) {
        ++not_sent;
      } else {
        err << fmt::format("line {}: {}\n", r.line, r.error);
      }
      ++failed;
    } else if (r.status == RowStatus::skipped) {
      ++skipped;
    }
  }

  std::string results_error;
  if (results_file) {
    try {
      // Every row of the file, in file order, with a moderator join link for each meeting.
      std::map<int, std::string> bad;
      for (const auto& e : plan.errors) {
        auto colon = e.find(':');
        bad[std::stoi(e.substr(5, colon - 5))] = e.substr(colon + 2);
      }
      std::map<int, std::string> out;
      for (const auto& [line, why] : bad) out[line] = csv_record({std::to_string(line), "", "", "failed", "", why});
      for (const auto& d : plan.duplicates) {
        int line = std::stoi(d.substr(5, d.find(':') - 5));
        out[line] = csv_record({std::to_string(line), "", "", "skipped", "", d.substr(d.find(':') + 2)});
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        std::string url;
        if (r.event_id > 0) {
          JoinRequest jr;
          jr.event = EventId{r.event_id};
          jr.user_id = o.moderator_user;
          jr.role = Role::moderator;
          // Valid until an hour after the meeting ends, and at least two hours.
          auto until = plan.meetings[i].end + std::chrono::hours(1) - ctx.now;
          jr.ttl = std::max<std::chrono::seconds>(until, std::chrono::hours(2));
          url = client.join(jr).url;
        }
        out[r.line] = csv_record({std::to_string(r.line), r.room_id ? std::to_string(r.room_id) : "",
                                  r.event_id ? std::to_string(r.event_id) : "", status_name(r.status), url, r.error});
      }
      bool ok = results_file->write(csv_record({"line", "room_id", "event_id", "status", "moderator_join_url", "error"}));
      for (auto it = out.begin(); ok && it != out.end(); ++it) ok = results_file->write(it->second);
      if (!ok || !results_file->commit()) results_error = results_file->error();
    } catch (const std::exception& e) {
      results_error = e.what();
    }
  }

  // Whatever happened, the summary is printed: scripts read it (design.md section 4).
  Json summary;
  summary["created"] = created.load();
  summary["skipped"] = skipped;
  summary["failed"] = failed;
  ctx.print(summary);
  if (abort) {
    err << fmt::format("kmeet: error: import stopped: {}{}\n", abort_reason,
                       not_sent > 0 ? fmt::format(" ({} row{} not sent)", not_sent, not_sent == 1 ? "" : "s") : "");
  }
  if (!results_error.empty()) {
    err << fmt::format("kmeet: error: --results: {}\n", results_error);
  }
  return failed > 0 || !results_error.empty() ? kFailed : kOk;
}

}  // namespace kmeet::cli
