// Feed kmeet's metrics hook into Prometheus: every logical call (a room add with its retries, a
// whole create_meeting) reports its latency, retries, throttled calls and bytes once
// (kmeet::CallMetrics); this program keeps Prometheus counters and a latency histogram per call
// and prints them in the text exposition format on stdout, as a /metrics endpoint would serve
// them. With --verbose the log hook writes one line per HTTP request on stderr (no KS, no secret).
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_export_metrics [--verbose]
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>
#include <kmeet/hooks.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace {

// Upper bounds of the latency histogram, in seconds.
constexpr std::array<double, 8> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10};

struct CallStats {
  std::map<std::string, long> calls;  // by outcome: "ok" or the error
  long retries = 0;
  long throttles = 0;
  long bytes_sent = 0;
  long bytes_received = 0;
  std::array<long, kBuckets.size()> buckets{};
  long count = 0;
  double seconds = 0;
};

/// A tiny registry, filled by the metrics hook (called on the threads that make the calls).
class Registry {
 public:
  void record(const kmeet::CallMetrics& m) {
    const double s = std::chrono::duration<double>(m.latency).count();
    std::lock_guard lock(mutex_);
    CallStats& c = calls_[std::string(m.call)];
    ++c.calls[m.ok ? "ok" : std::string(m.error)];
    c.retries += m.retries;
    c.throttles += m.throttles;
    c.bytes_sent += static_cast<long>(m.bytes_sent);
    c.bytes_received += static_cast<long>(m.bytes_received);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) c.buckets[i] += s <= kBuckets[i] ? 1 : 0;
    ++c.count;
    c.seconds += s;
  }

  /// The Prometheus text format (version 0.0.4).
  void print(std::ostream& out) const {
    std::lock_guard lock(mutex_);
    out << "# HELP kmeet_calls_total Logical kmeet calls, by call and outcome.\n"
           "# TYPE kmeet_calls_total counter\n";
    for (const auto& [call, c] : calls_) {
      for (const auto& [outcome, n] : c.calls) {
        out << "kmeet_calls_total{call=\"" << escape(call) << "\",outcome=\"" << escape(outcome) << "\"} "
            << n << '\n';
      }
    }
    counter(out, "kmeet_call_retries_total", "Requests beyond the first of each call.", &CallStats::retries);
    counter(out, "kmeet_call_throttles_total", "Calls the server throttled (ACTION_BLOCKED).",
            &CallStats::throttles);
    counter(out, "kmeet_bytes_sent_total", "Request body bytes.", &CallStats::bytes_sent);
    counter(out, "kmeet_bytes_received_total", "Response body bytes.", &CallStats::bytes_received);
    out << "# HELP kmeet_call_duration_seconds Wall time of a call, retries and waits included.\n"
           "# TYPE kmeet_call_duration_seconds histogram\n";
    for (const auto& [call, c] : calls_) {
      const std::string label = "call=\"" + escape(call) + "\"";
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        out << "kmeet_call_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i] << "\"} "
            << c.buckets[i] << '\n';
      }
      out << "kmeet_call_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << c.count << '\n'
          << "kmeet_call_duration_seconds_sum{" << label << "} " << c.seconds << '\n'
          << "kmeet_call_duration_seconds_count{" << label << "} " << c.count << '\n';
    }
  }

 private:
  void counter(std::ostream& out, const char* name, const char* help, long CallStats::*field) const {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n";
    for (const auto& [call, c] : calls_)
      out << name << "{call=\"" << escape(call) << "\"} " << c.*field << '\n';
  }
  static std::string escape(std::string_view v) {  // label values: \, " and newline escaped
    std::string out;
    for (const char ch : v)
      out += ch == '\\' ? "\\\\" : ch == '"' ? "\\\"" : ch == '\n' ? "\\n" : std::string(1, ch);
    return out;
  }

  mutable std::mutex mutex_;
  std::map<std::string, CallStats> calls_;
};

void work(const kmeet::Client& client) {
  kmeet::Room room;
  room.name = "Metrics example room";
  const kmeet::Room made = client.rooms().add(room);
  (void)client.rooms().get(made.id);
  (void)client.rooms().list();
  try {
    (void)client.rooms().get(kmeet::RoomId(999'999'999));  // a failing call is counted too
  } catch (const kmeet::ApiError&) {}
  kmeet::MeetingSpec spec;
  spec.room = made.id;
  spec.event.summary = "Metrics example session";
  const auto start = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                     std::chrono::hours(1);
  spec.event.start = start;
  spec.event.end = start + std::chrono::minutes(45);
  (void)client.create_meeting(spec);
}

}  // namespace

int main(int argc, char** argv) {
  const bool verbose = argc > 1 && std::string_view(argv[1]) == "--verbose";
  try {
    Registry registry;
    kmeet::Config config = kmeet::Config::from_env();
    config.metrics = [&registry](const kmeet::CallMetrics& m) { registry.record(m); };
    if (verbose) {
      config.log = [](const kmeet::LogRecord& r) {
        std::fprintf(stderr, "%s %.*s #%d %d %.*s %lldus id=%.*s\n", kmeet::to_string(r.level).data(),
                     static_cast<int>(r.request.size()), r.request.data(), r.attempt, r.status,
                     static_cast<int>(r.outcome.size()), r.outcome.data(),
                     static_cast<long long>(r.duration.count()), static_cast<int>(r.request_id.size()),
                     r.request_id.data());
      };
    }
    const kmeet::Client client(config);
    work(client);
    registry.print(std::cout);
    return 0;
  } catch (const kmeet::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
  }
  return 1;
}
