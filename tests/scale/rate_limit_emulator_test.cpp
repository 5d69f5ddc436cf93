// Throttling end to end (issue 19): kmeet-emulator answers ACTION_BLOCKED past 60 calls per
// 1-second window (protocol.md K, docs/emulator.md); four threads share one Client whose own
// ceiling (Config::rate_limit 90/s) is 1.5 × that quota, so without the adaptive limiter about a
// third of the calls would be blocked in every window. Asserts behaviour, not timing:
//  - every meeting is made (0 failures) and the server holds each exactly once (0 duplicates, no
//    stray or dangling object);
//  - the server did block (the first windows are well over 5 % blocked) and the limiter converges:
//    after the first windows fewer than 5 % of the calls are blocked.

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "scale/support.hpp"
#include "support/emulator.hpp"

namespace kmeet::scale_test {
namespace {

using Clock = std::chrono::steady_clock;

detail::Json objects_of(const std::string& base_url) {
  CurlTransport t(HttpOptions{.timeout = std::chrono::seconds(60), .max_response_bytes = 256U << 20U});
  HttpRequest r;
  r.method = HttpMethod::get;
  r.url = base_url + "/__emulator/objects";
  r.idempotent = true;
  const HttpResponse res = t.send(r);
  EXPECT_EQ(res.status, 200);
  return detail::Json::parse(res.body);
}

MeetingSpec spec_for(int i) {
  static const auto base =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
      std::chrono::hours(24);
  MeetingSpec s;
  Room room;
  room.name = "rl room " + std::to_string(i);
  s.room = room;
  s.event.summary = "rl session " + std::to_string(i);
  const auto start = base + std::chrono::minutes(i);
  s.event.start = start;
  s.event.end = start + std::chrono::minutes(30);
  return s;
}

struct Window {
  int calls = 0;
  int blocked = 0;
  [[nodiscard]] double share() const { return calls == 0 ? 0.0 : static_cast<double>(blocked) / calls; }
};

TEST(RateLimitEmulator, NothingFailsNothingDoublesAndTheBlockedShareFalls) {
  test::EmulatorProcess::Options o;
  o.extra_args = {"--rate-limit", "60", "--rate-window", "1"};
  test::EmulatorProcess e(o);
  Config c;
  c.service_url = e.base_url();
  c.partner_id = PartnerId(e.partner_id());
  c.admin_secret = e.admin_secret();
  c.rate_limit = 90;
  c.retry.throttle_wait = std::chrono::seconds(1);  // the emulator's window
  c.retry.deadline = std::chrono::minutes(2);
  HookLog hooks;
  hooks.attach(c);
  const Client client(c);

  constexpr auto kRun = std::chrono::seconds(12);
  const auto t0 = Clock::now();
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (Clock::now() - t0 < kRun) {
        const int i = next++;
        try {
          (void)client.create_meeting(spec_for(i));
        } catch (const Error& err) {
          ++failures;
          ADD_FAILURE() << "meeting " << i << ": " << err.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const int made = next.load();
  EXPECT_EQ(failures.load(), 0);

  // The server's store: each meeting once, linked; nothing else.
  const detail::Json objects = objects_of(e.base_url());
  std::map<std::string, int> rooms;
  std::map<std::string, int> events;
  for (const auto& r : objects["resources"]) rooms[r.value("name", "")] += r.value("status", 0) == 3 ? 0 : 1;
  for (const auto& ev : objects["events"])
    events[ev.value("summary", "")] += ev.value("status", 0) == 3 ? 0 : 1;
  EXPECT_EQ(rooms.size(), static_cast<std::size_t>(made));
  EXPECT_EQ(events.size(), static_cast<std::size_t>(made));
  for (const auto& [name, n] : rooms) EXPECT_EQ(n, 1) << name;
  for (const auto& [name, n] : events) EXPECT_EQ(n, 1) << name;
  EXPECT_EQ(objects["links"].size(), static_cast<std::size_t>(made));

  // Blocked share per 1-second window of the run, from the log hook.
  std::map<long, Window> windows;
  for (const auto& l : hooks.logs) {
    Window& w = windows[std::chrono::duration_cast<std::chrono::seconds>(l.at - t0).count()];
    w.calls += l.calls;
    w.blocked += l.throttled;
  }
  Window first;
  Window later;
  for (const auto& [second, w] : windows) {
    Window& into = second < 3 ? first : later;
    into.calls += w.calls;
    into.blocked += w.blocked;
    std::cout << "window " << second << ": " << w.calls << " calls, " << w.blocked << " blocked\n";
  }
  std::cout << made << " meetings; first 3 s " << first.share() * 100 << " % blocked, then "
            << later.share() * 100 << " %\n";
  EXPECT_GT(first.share(), 0.05) << "the quota was never exceeded: the scenario did not throttle";
  EXPECT_LT(later.share(), 0.05);
  EXPECT_GT(made, 100);
}

TEST(RateLimitEmulator, BatchesOverTheQuotaAreCompletedWithoutFailureOrDuplicate) {
  // 20 calls per window and batches of 10 meetings (30 calls in one multirequest): the server runs
  // the first 20 calls of a batch and blocks the rest (protocol.md K.1: each call counts), so about
  // a third of the calls are blocked, whole meetings and single steps alike; the blocked steps are
  // sent again in later rounds, never rolled back, never twice.
  test::EmulatorProcess::Options o;
  o.extra_args = {"--rate-limit", "20", "--rate-window", "1"};
  test::EmulatorProcess e(o);
  Config c;
  c.service_url = e.base_url();
  c.partner_id = PartnerId(e.partner_id());
  c.admin_secret = e.admin_secret();
  c.retry.throttle_wait = std::chrono::seconds(1);
  c.retry.deadline = std::chrono::minutes(2);
  HookLog hooks;
  hooks.attach(c);
  const Client client(c);
  constexpr int kBatches = 5;
  constexpr int kBatch = 10;
  int failures = 0;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<MeetingSpec> specs;
    for (int i = 0; i < kBatch; ++i) specs.push_back(spec_for(1000 + b * kBatch + i));
    for (const MeetingResult& r : client.create_meetings(specs)) {
      if (!r.ok()) {
        ++failures;
        ADD_FAILURE() << r.error_message();
      }
    }
  }
  EXPECT_EQ(failures, 0);
  const detail::Json objects = objects_of(e.base_url());
  std::set<std::string> rooms;
  std::set<std::string> events;
  for (const auto& r : objects["resources"])
    EXPECT_TRUE(rooms.insert(r.value("name", "")).second) << r.dump();
  for (const auto& ev : objects["events"])
    EXPECT_TRUE(events.insert(ev.value("summary", "")).second) << ev.dump();
  EXPECT_EQ(rooms.size(), static_cast<std::size_t>(kBatches * kBatch));
  EXPECT_EQ(events.size(), static_cast<std::size_t>(kBatches * kBatch));
  EXPECT_EQ(objects["links"].size(), static_cast<std::size_t>(kBatches * kBatch));
  int calls = 0;
  int blocked = 0;
  for (const auto& l : hooks.logs) {
    calls += l.calls;
    blocked += l.throttled;
  }
  std::cout << calls << " calls, " << blocked << " blocked (" << 100.0 * blocked / calls << " %)\n";
  EXPECT_GE(blocked * 5, calls) << "fewer than 20 % of the calls were blocked: the scenario did not throttle";
}

}  // namespace
}  // namespace kmeet::scale_test
