// Two and four `kmeet import` runs of the same file at once, as if on different machines (each
// with its own lock directory, so the same-machine lock does not serialise them), against an
// emulator that slows every request down and injects faults. The look-up before create races
// between processes and the server does not enforce referenceId uniqueness; kmeet's check of a
// caller's key after each create converges the twins on the lowest id. After the runs (and one
// more run to finish rows a fault stopped): every row is on the server exactly once, nothing dangles.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kmeet/http.hpp"
#include "support/run_kmeet.hpp"
#include "support/emulator.hpp"

namespace kmeet::test {
namespace {

using nlohmann::json;

json get_json(const std::string& url) {
  CurlTransport http(HttpOptions{.max_response_bytes = 64U << 20U});
  HttpRequest rq;
  rq.method = HttpMethod::get;
  rq.url = url;
  rq.idempotent = true;
  return json::parse(http.send(rq).body);
}

class ConcurrentImport : public ::testing::TestWithParam<int> {};

TEST_P(ConcurrentImport, EveryRowOnceAcrossMachines) {
  const int processes = GetParam();
  // 30 ms per request (the report's slowed server) plus faults of every kind.
  EmulatorProcess emulator(EmulatorProcess::Options{
      .extra_args = {"--faults", "delay=1,delay_ms=30,5xx=0.03,reset_after=0.03,429=0.02", "--seed",
                     std::to_string(40 + processes)}});
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kmeet-concurrent-import-" + std::to_string(::getpid()) + "-" + std::to_string(processes));
  std::filesystem::create_directories(dir);
  constexpr int kRows = 60;
  std::string csv = "room_name,summary,start,end\n";
  const std::int64_t base = 1893456000;  // 2030-01-01
  for (int i = 0; i < kRows; ++i) {
    // Rooms of one row (made inside the meeting's request) and rooms shared by three rows.
    const std::string room = i % 2 == 0 ? "Own " + std::to_string(i) : "Shared " + std::to_string(i % 6);
    csv += room + ",Lecture " + std::to_string(i) + "," + std::to_string(base + i * 3600) + "," +
           std::to_string(base + i * 3600 + 1800) + "\n";
  }
  const auto file = (dir / "term.csv").string();
  std::ofstream(file) << csv;

  auto env_for = [&](int machine) {
    const auto home = dir / ("machine-" + std::to_string(machine));
    std::filesystem::create_directories(home);
    return std::map<std::string, std::string>{{"PATH", "/usr/bin:/bin"},
                                              {"HOME", home.string()},
                                              {"XDG_RUNTIME_DIR", home.string()},
                                              {"TZ", "UTC"},
                                              {"KALTURA_SERVICE_URL", emulator.base_url()},
                                              {"KALTURA_PARTNER_ID", std::to_string(emulator.partner_id())},
                                              {"KALTURA_ADMIN_SECRET", emulator.admin_secret()}};
  };
  std::vector<CliResult> results(static_cast<std::size_t>(processes));
  std::vector<std::thread> threads;
  for (int p = 0; p < processes; ++p) {
    threads.emplace_back([&, p] {
      results[static_cast<std::size_t>(p)] =
          run_kmeet({"import", file, "--concurrency", "4", "--batch", "5"}, env_for(p));
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;  // a row stopped by a fault is exit 1, never a crash
  }
  // One more run finishes whatever a fault stopped; it must find every row already there or make it.
  const CliResult last = run_kmeet({"import", file}, env_for(0));
  ASSERT_EQ(last.code, 0) << last.err;

  const json objects = get_json(emulator.base_url() + "/__emulator/objects");
  std::map<std::string, int> events, rooms;
  std::set<std::int64_t> active_events, active_rooms;
  for (const auto& e : objects["events"]) {
    if (e.value("status", 0) == 3) continue;
    ++events[e.value("summary", "")];
    active_events.insert(e["id"].get<std::int64_t>());
  }
  for (const auto& r : objects["resources"]) {
    if (r.value("status", 0) == 3) continue;
    ++rooms[r.value("name", "")];
    active_rooms.insert(r["id"].get<std::int64_t>());
  }
  int dangling = 0;
  std::map<std::int64_t, int> links_of_event;
  for (const auto& l : objects["links"]) {
    const auto ev = l["eventId"].get<std::int64_t>();
    if (!active_events.contains(ev) || !active_rooms.contains(l["resourceId"].get<std::int64_t>())) {
      ++dangling;
      continue;
    }
    ++links_of_event[ev];
  }
  if (::testing::Test::HasFailure() || dangling > 0 || static_cast<int>(events.size()) != kRows) {
    for (const auto& r : results) std::cout << "import: exit " << r.code << "\n" << r.err << '\n';
    std::cout << "objects: " << objects.dump() << '\n';
  }
  EXPECT_EQ(static_cast<int>(events.size()), kRows);
  for (const auto& [summary, n] : events) EXPECT_EQ(n, 1) << summary << " is held by " << n << " events";
  for (const auto& [name, n] : rooms) EXPECT_EQ(n, 1) << name << " is held by " << n << " rooms";
  for (const std::int64_t ev : active_events) EXPECT_EQ(links_of_event[ev], 1) << "event " << ev;
  EXPECT_EQ(dangling, 0);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Processes, ConcurrentImport, ::testing::Values(2, 4));

}  // namespace
}  // namespace kmeet::test
