// `kmeet import --concurrency N` keeps N requests in flight from the SDK's async engine, not from
// N threads (issue 19): against an emulator that answers each request after 300 ms, 400 rows, one
// meeting per request and 200 in flight take a few latencies, with the process at 2 threads (main
// and the engine) while they are in flight; every row is on the server once.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "kmeet/http.hpp"
#include "support/run_kmeet.hpp"
#include "support/emulator.hpp"

namespace kmeet::test {
namespace {

int threads_of(int pid) {
  int n = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/task", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++n;
  }
  return n;
}

TEST(ImportInFlight, TwoHundredRequestsInFlightFromTheEngineThread) {
  EmulatorProcess emulator(EmulatorProcess::Options{.extra_args = {"--latency", "300", "--threads", "4"}});
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-in-flight-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  constexpr int kRows = 400;
  std::string csv = "room_name,summary,start,end\n";
  const std::int64_t base = 1893456000;  // 2030-01-01
  for (int i = 0; i < kRows; ++i) {
    csv += "Room " + std::to_string(i) + ",Lecture " + std::to_string(i) + "," + std::to_string(base + i * 3600) +
           "," + std::to_string(base + i * 3600 + 1800) + "\n";
  }
  const auto file = (dir / "term.csv").string();
  std::ofstream(file) << csv;
  const std::map<std::string, std::string> env{{"PATH", "/usr/bin:/bin"},
                                               {"HOME", dir.string()},
                                               {"XDG_RUNTIME_DIR", dir.string()},
                                               {"TZ", "UTC"},
                                               {"KALTURA_SERVICE_URL", emulator.base_url()},
                                               {"KALTURA_PARTNER_ID", std::to_string(emulator.partner_id())},
                                               {"KALTURA_ADMIN_SECRET", emulator.admin_secret()}};
  const auto t0 = std::chrono::steady_clock::now();
  KmeetProcess run({"import", file, "--concurrency", "200", "--batch", "1"}, env);
  int most_threads = 0;
  std::thread sampler([&] {
    for (int i = 0; i < 40; ++i) {
      most_threads = std::max(most_threads, threads_of(run.pid()));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  const CliResult r = run.wait();
  const auto took = std::chrono::steady_clock::now() - t0;
  sampler.join();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["created"], kRows);
  EXPECT_LE(most_threads, 2) << "main and the engine";
  // Look-ups (one round trip each phase) + 2 rounds of 200: about 4 latencies; 400 one at a time
  // would be 120 s, 4 threads 30 s.
  EXPECT_LT(took, std::chrono::seconds(8));

  CurlTransport http(HttpOptions{.max_response_bytes = 64U << 20U});
  HttpRequest rq;
  rq.method = HttpMethod::get;
  rq.url = emulator.base_url() + "/__emulator/objects";
  rq.idempotent = true;
  const auto objects = nlohmann::json::parse(http.send(rq).body);
  std::map<std::string, int> events;
  for (const auto& e : objects["events"]) ++events[e.value("summary", "")];
  EXPECT_EQ(static_cast<int>(events.size()), kRows);
  for (const auto& [summary, n] : events) EXPECT_EQ(n, 1) << summary;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kmeet::test
