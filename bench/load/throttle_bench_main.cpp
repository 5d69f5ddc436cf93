// kmeet-throttle-bench: kmeet under a server rate limit (protocol.md K). Starts a kmeet-emulator
// with --rate-limit QUOTA --rate-window WINDOW for each scenario, lets THREADS threads share one
// Client and create meetings for SECONDS, then reports from the log hook and the emulator's store:
// calls sent and blocked (overall, in the first 3 windows, and after), the calls that got through
// per second against the quota, meetings made, failures, duplicates and orphans. docs/performance.md,
// "Under a rate limit".
//
// Scenarios: adaptive (no client ceiling: kmeet learns the quota from ACTION_BLOCKED), over
// (Config::rate_limit at 1.5 × the quota), ceiling (Config::rate_limit at the quota), batch
// (create_meetings batches of 1.5 × the quota's calls, so every batch is partly blocked).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/hooks.hpp"
#include "kmeet/http.hpp"
#include "kmeet/meetings.hpp"
#include "load/emulator_child.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: kmeet-throttle-bench --emulator PATH [--quota N] [--window S] [--seconds D] [--threads T]\n"
    "                            [--scenario adaptive|over|ceiling|batch|all]\n"
    "Defaults: quota 60 calls per 1 s window, 20 s per scenario, 4 threads, all scenarios.\n";

struct Options {
  std::string emulator;
  int quota = 60;
  int window = 1;
  int seconds = 20;
  int threads = 4;
  std::string scenario = "all";
};

struct Result {
  std::string scenario;
  int made = 0;
  int failures = 0;
  int duplicates = 0;
  int orphans = 0;
  long calls = 0;
  long blocked = 0;
  long first_calls = 0;
  long first_blocked = 0;
  double seconds = 0;
};

/// Counts calls and blocked calls per window of the run, from the log hook.
class Windows {
 public:
  explicit Windows(int window) : window_(window) {}
  void add(const kmeet::LogRecord& r) {
    const long w = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0_).count() / window_;
    std::lock_guard lock(mutex_);
    auto& [calls, blocked] = by_window_[w];
    calls += r.calls;
    blocked += r.throttled;
  }
  void into(Result& r) const {
    std::lock_guard lock(mutex_);
    for (const auto& [w, cb] : by_window_) {
      r.calls += cb.first;
      r.blocked += cb.second;
      if (w * window_ < 3) {
        r.first_calls += cb.first;
        r.first_blocked += cb.second;
      }
    }
  }

 private:
  int window_;
  Clock::time_point t0_ = Clock::now();
  mutable std::mutex mutex_;
  std::map<long, std::pair<long, long>> by_window_;
};

kmeet::MeetingSpec spec_for(long i) {
  static const auto base =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
      std::chrono::hours(24);
  kmeet::MeetingSpec s;
  kmeet::Room room;
  room.name = "tb room " + std::to_string(i);
  s.room = room;
  s.event.summary = "tb session " + std::to_string(i);
  const auto start = base + std::chrono::minutes(i);
  s.event.start = start;
  s.event.end = start + std::chrono::minutes(30);
  return s;
}

/// Duplicates (a name or summary twice) and orphans (a room or event not in exactly one link).
void check_store(const std::string& base_url, Result& r) {
  kmeet::CurlTransport t(
      kmeet::HttpOptions{.timeout = std::chrono::seconds(60), .max_response_bytes = 256U << 20U});
  kmeet::HttpRequest req;
  req.method = kmeet::HttpMethod::get;
  req.url = base_url + "/__emulator/objects";
  req.idempotent = true;
  const auto objects = nlohmann::json::parse(t.send(req).body);
  std::map<std::string, int> names;
  std::map<long long, int> linked;
  for (const auto& l : objects["links"]) {
    ++linked[l["resourceId"].get<long long>()];
    ++linked[-l["eventId"].get<long long>()];
  }
  for (const auto& x : objects["resources"]) {
    if (x.value("status", 0) == 3) continue;
    if (++names[x.value("name", "")] == 2) ++r.duplicates;
    if (linked[x["id"].get<long long>()] != 1) ++r.orphans;
  }
  for (const auto& x : objects["events"]) {
    if (x.value("status", 0) == 3) continue;
    if (++names[x.value("summary", "")] == 2) ++r.duplicates;
    if (linked[-x["id"].get<long long>()] != 1) ++r.orphans;
  }
}

Result run(const Options& o, const std::string& scenario) {
  kmeet_bench::Emulator emulator(
      o.emulator, {"--rate-limit", std::to_string(o.quota), "--rate-window", std::to_string(o.window)});
  const std::string url = "http://127.0.0.1:" + std::to_string(emulator.port());
  const double quota_rate = static_cast<double>(o.quota) / o.window;
  Windows windows(o.window);
  kmeet::Config c;
  c.service_url = url;
  c.partner_id = kmeet::PartnerId(1234567);
  c.admin_secret = "emulator-admin-secret";
  c.retry.throttle_wait = std::chrono::seconds(o.window);
  c.retry.deadline = std::chrono::minutes(5);
  if (scenario == "over") c.rate_limit = 1.5 * quota_rate;
  if (scenario == "ceiling") c.rate_limit = quota_rate;
  c.log = [&windows](const kmeet::LogRecord& r) { windows.add(r); };
  const kmeet::Client client(c);
  const int batch = scenario == "batch" ? std::max(1, o.quota / 2) : 1;  // 3 calls a meeting: 1.5 × quota
  Result r;
  r.scenario = scenario;
  std::atomic<long> next{0};
  std::atomic<int> failures{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < (batch > 1 ? 1 : o.threads); ++t) {
    threads.emplace_back([&] {
      while (Clock::now() - t0 < std::chrono::seconds(o.seconds)) {
        std::vector<kmeet::MeetingSpec> specs;
        for (long i = next.fetch_add(batch), e = i + batch; i < e; ++i) specs.push_back(spec_for(i));
        for (const auto& m : client.create_meetings(specs)) failures += m.ok() ? 0 : 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.made = static_cast<int>(next.load()) - failures.load();
  r.failures = failures.load();
  windows.into(r);
  check_store(url, r);
  return r;
}

void print(const Options& o, const std::vector<Result>& results) {
  std::printf("quota %d calls / %d s window (%.0f calls/s), %d s per scenario\n", o.quota, o.window,
              static_cast<double>(o.quota) / o.window, o.seconds);
  std::printf("%-9s %8s %8s %8s %9s %9s %10s %8s %9s %5s %7s\n", "scenario", "calls", "blocked", "share",
              "first 3s", "after", "passed/s", "quota %", "meetings", "fail", "dup/orph");
  for (const auto& r : results) {
    const double passed = static_cast<double>(r.calls - r.blocked) / r.seconds;
    const long after_calls = r.calls - r.first_calls;
    const long after_blocked = r.blocked - r.first_blocked;
    std::printf(
        "%-9s %8ld %8ld %7.1f%% %8.1f%% %8.2f%% %10.1f %7.0f%% %9d %5d %3d/%-3d\n", r.scenario.c_str(),
        r.calls, r.blocked,
        100.0 * static_cast<double>(r.blocked) / static_cast<double>(std::max(1L, r.calls)),
        100.0 * static_cast<double>(r.first_blocked) / static_cast<double>(std::max(1L, r.first_calls)),
        100.0 * static_cast<double>(after_blocked) / static_cast<double>(std::max(1L, after_calls)), passed,
        100.0 * passed * o.window / o.quota, r.made, r.failures, r.duplicates, r.orphans);
  }
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value for " + a);
    const std::string v = argv[++i];
    if (a == "--emulator")
      o.emulator = v;
    else if (a == "--quota")
      o.quota = std::stoi(v);
    else if (a == "--window")
      o.window = std::stoi(v);
    else if (a == "--seconds")
      o.seconds = std::stoi(v);
    else if (a == "--threads")
      o.threads = std::stoi(v);
    else if (a == "--scenario")
      o.scenario = v;
    else
      throw std::invalid_argument("unknown option " + a);
  }
  if (o.emulator.empty()) throw std::invalid_argument("--emulator is required");
  if (o.quota < 1 || o.window < 1 || o.seconds < 1 || o.threads < 1)
    throw std::invalid_argument("bad number");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kmeet-throttle-bench: " << e.what() << '\n' << kUsage;
    return 2;
  }
  try {
    std::vector<Result> results;
    for (const char* s : {"adaptive", "over", "ceiling", "batch"}) {
      if (o.scenario == "all" || o.scenario == s) results.push_back(run(o, s));
    }
    print(o, results);
    for (const auto& r : results) {
      if (r.failures > 0 || r.duplicates > 0 || r.orphans > 0) return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kmeet-throttle-bench: " << e.what() << '\n';
    return 1;
  }
}
