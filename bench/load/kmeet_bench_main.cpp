// kmeet-bench: end-to-end throughput of kmeet against a Kaltura api_v3 endpoint (normally a
// kmeet-emulator on loopback). Sequential calls/s, calls/s with threads sharing one Client,
// meetings/s for bulk creation (batched multirequests and one meeting per request), round trips per
// meeting, peak RSS. See docs/performance.md, "End-to-end".

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"
#include "kmeet/http.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/rooms.hpp"
#include "load/emulator_child.hpp"

namespace {

constexpr const char* kUsage =
    "usage: kmeet-bench [--service-url URL | --emulator PATH] [--partner-id P] [--admin-secret S]\n"
    "                   [--calls N] [--meetings N] [--batch N] [--concurrency 1,4,8]\n"
    "                   [--only time|get|concurrent|meetings-single|meetings-batch] [--json]\n"
    "Runs the workloads against the endpoint (or a kmeet-emulator it starts on a free loopback port)\n"
    "and prints a table (or one JSON document with --json). Defaults match kmeet-emulator's:\n"
    "partner 1234567, admin secret emulator-admin-secret; 2000 calls, 1000 meetings, batch 50.\n";

struct Options {
  std::string service_url;
  std::string emulator;
  long long partner_id = 1234567;
  std::string admin_secret = "emulator-admin-secret";
  int calls = 2000;
  int meetings = 1000;
  int batch = 50;
  std::vector<int> concurrency{1, 4, 8};
  std::string only;
  bool json = false;
};

// Counts HTTP round trips (one send() = one request on the wire, retries included).
class CountingTransport final : public kmeet::Transport {
 public:
  explicit CountingTransport(std::shared_ptr<kmeet::Transport> inner) : inner_(std::move(inner)) {}
  kmeet::HttpResponse send(const kmeet::HttpRequest& request) override {
    count_.fetch_add(1, std::memory_order_relaxed);
    return inner_->send(request);
  }
  [[nodiscard]] long long count() const { return count_.load(); }

 private:
  std::shared_ptr<kmeet::Transport> inner_;
  std::atomic<long long> count_{0};
};

struct Row {
  std::string workload;
  std::string unit;  // what "ops" counts: calls or meetings
  long long ops = 0;
  int threads = 1;
  int batch = 1;
  double seconds = 0;
  double cpu_seconds = 0;
  long long round_trips = 0;
  long long failures = 0;
  [[nodiscard]] double rate() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0; }
};

double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;  // KiB on Linux
}

// Runs `body(thread_index, ops_of_thread)` on `threads` threads and fills timing and round trips.
template <class Body>
Row measure(const std::string& name, const std::string& unit, long long ops, int threads, int batch,
            const CountingTransport& counter, Body body) {
  Row row{.workload = name, .unit = unit, .ops = ops, .threads = threads, .batch = batch};
  const long long rt0 = counter.count();
  const double cpu0 = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<long long> failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    const long long share = ops / threads + (t < ops % threads ? 1 : 0);
    pool.emplace_back([&, t, share] { failures += body(t, share); });
  }
  for (auto& th : pool) th.join();
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  row.cpu_seconds = process_cpu_seconds() - cpu0;
  row.round_trips = counter.count() - rt0;
  row.failures = failures.load();
  return row;
}

kmeet::MeetingSpec meeting_spec(long long i, kmeet::Timestamp base) {
  kmeet::Room room;
  room.name = "bench room " + std::to_string(i);
  kmeet::Event event;
  event.summary = "bench session " + std::to_string(i);
  event.start = base + std::chrono::hours(24) + std::chrono::minutes(i % 10000);
  event.end = *event.start + std::chrono::hours(1);
  return kmeet::MeetingSpec{.room = std::move(room), .event = std::move(event)};
}

// Creates `count` meetings in requests of `batch` meetings each; returns the failures.
long long create_meetings(const kmeet::Client& client, long long first, long long count, int batch,
                          kmeet::Timestamp base) {
  long long failures = 0;
  std::vector<kmeet::MeetingSpec> specs;
  for (long long done = 0; done < count;) {
    const long long n = std::min<long long>(batch, count - done);
    specs.clear();
    for (long long k = 0; k < n; ++k) specs.push_back(meeting_spec(first + done + k, base));
    if (batch == 1) {
      try {
        (void)client.create_meeting(specs.front());
      } catch (const kmeet::Error&) {
        ++failures;
      }
    } else {
      for (const auto& r : client.create_meetings(specs)) failures += r.ok() ? 0 : 1;
    }
    done += n;
  }
  return failures;
}

std::vector<int> parse_list(const std::string& v) {
  std::vector<int> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const int n = std::stoi(item);
    if (n < 1 || n > 256) throw std::invalid_argument("--concurrency values must be 1..256");
    out.push_back(n);
  }
  if (out.empty()) throw std::invalid_argument("--concurrency is empty");
  return out;
}

int positive(const std::string& flag, const std::string& v) {
  std::size_t pos = 0;
  const long long n = std::stoll(v, &pos);
  if (pos != v.size() || n < 1 || n > 100'000'000) throw std::invalid_argument(flag + " needs a positive number");
  return static_cast<int>(n);
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (a == "--json") {
      o.json = true;
      continue;
    }
    if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--service-url") o.service_url = v;
    else if (a == "--emulator") o.emulator = v;
    else if (a == "--partner-id") o.partner_id = positive(a, v);
    else if (a == "--admin-secret") o.admin_secret = v;
    else if (a == "--calls") o.calls = positive(a, v);
    else if (a == "--meetings") o.meetings = positive(a, v);
    else if (a == "--batch") o.batch = positive(a, v);
    else if (a == "--concurrency") o.concurrency = parse_list(v);
    else if (a == "--only") o.only = v;
    else throw std::invalid_argument("unknown option " + a);
  }
  if (o.service_url.empty() == o.emulator.empty()) {
    throw std::invalid_argument("give exactly one of --service-url and --emulator");
  }
  static const std::vector<std::string> kWorkloads{"", "time", "get", "concurrent", "meetings-single", "meetings-batch"};
  if (std::find(kWorkloads.begin(), kWorkloads.end(), o.only) == kWorkloads.end()) {
    throw std::invalid_argument("unknown workload for --only: " + o.only);
  }
  return o;
}

void print_table(const std::vector<Row>& rows, long peak_kib) {
  std::printf("%-44s %7s %5s %7s %10s %9s %12s %8s\n", "workload", "threads", "batch", "ops", "ops/s",
              "cpu us/op", "round trips", "failed");
  for (const auto& r : rows) {
    std::printf("%-44s %7d %5d %7lld %10.0f %9.1f %12lld %8lld\n", (r.workload + " (" + r.unit + ")").c_str(),
                r.threads, r.batch, r.ops, r.rate(), r.ops ? r.cpu_seconds * 1e6 / static_cast<double>(r.ops) : 0,
                r.round_trips, r.failures);
  }
  std::printf("peak RSS: %.1f MiB\n", static_cast<double>(peak_kib) / 1024.0);
}

void print_json(const std::vector<Row>& rows, long peak_kib) {
  std::printf("{\"results\":[");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::printf(
        "%s{\"workload\":\"%s\",\"unit\":\"%s\",\"threads\":%d,\"batch\":%d,\"ops\":%lld,\"seconds\":%.6f,"
        "\"ops_per_second\":%.1f,\"cpu_seconds\":%.6f,\"round_trips\":%lld,\"failed\":%lld}",
        i ? "," : "", r.workload.c_str(), r.unit.c_str(), r.threads, r.batch, r.ops, r.seconds, r.rate(),
        r.cpu_seconds, r.round_trips, r.failures);
  }
  std::printf("],\"peak_rss_kib\":%ld}\n", peak_kib);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  try {
    opt = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kmeet-bench: " << e.what() << '\n' << kUsage;
    return 2;
  }
  try {
    std::optional<kmeet_bench::Emulator> emulator;
    if (!opt.emulator.empty()) {
      emulator.emplace(opt.emulator, std::vector<std::string>{});
      opt.service_url = "http://127.0.0.1:" + std::to_string(emulator->port());
    }
    auto counter = std::make_shared<CountingTransport>(std::make_shared<kmeet::CurlTransport>());
    kmeet::Config config;
    config.service_url = opt.service_url;
    config.partner_id = kmeet::PartnerId(opt.partner_id);
    config.admin_secret = opt.admin_secret;
    config.transport = counter;
    const kmeet::Client client(config);
    const auto want = [&](const char* w) { return opt.only.empty() || opt.only == w; };
    std::vector<Row> rows;

    // Warm-up: the first call mints the admin KS and opens the connection.
    (void)client.ks_sessions().server_time();

    if (want("time")) {
      rows.push_back(measure("system.getTime sequential", "calls", opt.calls, 1, 1, *counter, [&](int, long long n) {
        long long failed = 0;
        for (long long i = 0; i < n; ++i) {
          try {
            (void)client.ks_sessions().server_time();
          } catch (const kmeet::Error&) {
            ++failed;
          }
        }
        return failed;
      }));
    }
    if (want("get")) {
      kmeet::Room room;
      room.name = "kmeet-bench get target";
      const kmeet::RoomId id = client.rooms().add(room).id;
      rows.push_back(measure("scheduleResource.get sequential", "calls", opt.calls, 1, 1, *counter, [&](int, long long n) {
        long long failed = 0;
        for (long long i = 0; i < n; ++i) {
          try {
            (void)client.rooms().get(id);
          } catch (const kmeet::Error&) {
            ++failed;
          }
        }
        return failed;
      }));
    }
    if (want("concurrent")) {
      for (const int threads : opt.concurrency) {
        rows.push_back(measure("system.getTime concurrent", "calls", opt.calls, threads, 1, *counter,
                               [&](int, long long n) {
                                 long long failed = 0;
                                 for (long long i = 0; i < n; ++i) {
                                   try {
                                     (void)client.ks_sessions().server_time();
                                   } catch (const kmeet::Error&) {
                                     ++failed;
                                   }
                                 }
                                 return failed;
                               }));
      }
    }
    const kmeet::Timestamp base = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    std::atomic<long long> next_meeting{0};
    if (want("meetings-single")) {
      rows.push_back(measure("create_meeting, 1 per request", "meetings", opt.meetings, 1, 1, *counter,
                             [&](int, long long n) {
                               return create_meetings(client, next_meeting.fetch_add(n), n, 1, base);
                             }));
    }
    if (want("meetings-batch")) {
      for (const int threads : opt.concurrency) {
        rows.push_back(measure("create_meetings, batched", "meetings", opt.meetings, threads, opt.batch, *counter,
                               [&](int, long long n) {
                                 return create_meetings(client, next_meeting.fetch_add(n), n, opt.batch, base);
                               }));
      }
    }
    if (opt.json) print_json(rows, peak_rss_kib());
    else print_table(rows, peak_rss_kib());
    for (const auto& r : rows) {
      if (r.failures) return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kmeet-bench: " << e.what() << '\n';
    return 1;
  }
}
