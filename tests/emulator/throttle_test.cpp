// --latency and --rate-limit (docs/emulator.md "Latency and rate limit"; docs/protocol.md K).

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;
using Clock = std::chrono::steady_clock;

EmulatorProcess::Options with(std::vector<std::string> args) {
  EmulatorProcess::Options o;
  o.extra_args = std::move(args);
  return o;
}

std::chrono::milliseconds since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
}

TEST(ThrottleTest, LatencyDelaysEachAnswerAndRequestsOverlap) {
  EmulatorProcess e(with({"--latency", "400"}));
  const std::string url = e.base_url() + "/api_v3/service/system/action/getTime?format=1";
  auto t0 = Clock::now();
  EXPECT_EQ(request(url).status, 200);
  EXPECT_GE(since(t0), std::chrono::milliseconds(400));

  // Eight at once take about one delay, not eight.
  t0 = Clock::now();
  std::vector<std::future<Response>> all;
  for (int i = 0; i < 8; ++i) all.push_back(std::async(std::launch::async, [&url] { return request(url); }));
  for (auto& f : all) EXPECT_EQ(f.get().status, 200);
  const auto took = since(t0);
  EXPECT_GE(took, std::chrono::milliseconds(400));
  EXPECT_LT(took, std::chrono::milliseconds(1600)) << "the delays did not overlap";

  // KAF is delayed too; the admin endpoints are not.
  t0 = Clock::now();
  EXPECT_EQ(request(e.base_url() + "/virtualEvent/launch?ks=x").status, 403);
  EXPECT_GE(since(t0), std::chrono::milliseconds(400));
  t0 = Clock::now();
  EXPECT_EQ(request(e.base_url() + "/__emulator/stats").status, 200);
  EXPECT_LT(since(t0), std::chrono::milliseconds(400));
}

void expect_blocked(const Json& j, const std::string& service, const std::string& action) {
  EXPECT_EQ(j["objectType"], "KalturaAPIException") << j.dump();
  EXPECT_EQ(j["code"], "ACTION_BLOCKED") << j.dump();
  EXPECT_EQ(j["message"], "Action \"" + action + "\" in service \"" + service + "\" is blocked");
  EXPECT_EQ(j["args"], (Json{{"ACTION_NAME", action}, {"SERVICE_NAME", service}}));
}

TEST(ThrottleTest, TheCallAfterTheLimitIsBlockedAndNotExecutedUntilTheWindowEnds) {
  EmulatorProcess e(with({"--rate-limit", "3", "--rate-window", "1"}));
  const auto ks = admin_ks(e);
  const auto t0 = Clock::now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(add_room(e, ks, "r" + std::to_string(i)).contains("id"));
  }
  // The server's lower-cased ids, HTTP 200, no Retry-After (K.2); the room is not added.
  const auto r =
      post(e, "schedule_scheduleResource", "ADD", {{"ks", ks}, {"scheduleResource", room("over")}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.count("retry-after"), 0U);
  expect_blocked(r.json(), "schedule_scheduleresource", "add");
  // Every call counts, whatever it is, with or without a KS.
  expect_blocked(call(e, "system", "getTime", Json::object()), "system", "gettime");
  EXPECT_EQ(stats(e)["objects"]["resources"], 3);
  ASSERT_LT(since(t0), std::chrono::milliseconds(1000)) << "too slow to test a 1 s window";

  std::this_thread::sleep_until(t0 + std::chrono::milliseconds(1100));
  EXPECT_TRUE(add_room(e, ks, "next window").contains("id"));
  EXPECT_EQ(stats(e)["objects"]["resources"], 4);
}

TEST(ThrottleTest, EachCallOfAMultirequestCountsAndIsBlockedOnItsOwn) {
  EmulatorProcess e(with({"--rate-limit", "3", "--rate-window", "1"}));
  const auto ks = admin_ks(e);
  Json mr = Json::object();
  for (int i = 1; i <= 5; ++i) {
    mr[std::to_string(i)] = {{"service", "schedule_scheduleresource"},
                             {"action", "add"},
                             {"ks", ks},
                             {"scheduleResource", room("m" + std::to_string(i))}};
  }
  const Json out = multirequest(e, mr).json();
  ASSERT_TRUE(out.is_array()) << out.dump();
  ASSERT_EQ(out.size(), 5U);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(out[i].contains("id")) << out[i].dump();
  for (std::size_t i = 3; i < 5; ++i) expect_blocked(out[i], "schedule_scheduleresource", "add");
  EXPECT_EQ(stats(e)["objects"]["resources"], 3);
}

TEST(ThrottleTest, ABadKsFailsBeforeTheLimitAndDoesNotCount) {
  EmulatorProcess e(with({"--rate-limit", "1", "--rate-window", "5"}));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(call(e, "schedule_scheduleresource", "list", {{"ks", "not-a-ks"}})["code"], "INVALID_KS");
  }
  EXPECT_EQ(call(e, "schedule_scheduleresource", "list", {{"ks", admin_ks(e)}})["objectType"],
            "KalturaScheduleResourceListResponse");
  expect_blocked(call(e, "schedule_scheduleresource", "list", {{"ks", admin_ks(e)}}),
                 "schedule_scheduleresource", "list");
  // An admin reset starts a new window.
  EXPECT_EQ(post_without_body(e.base_url() + "/__emulator/reset").status, 200);
  EXPECT_TRUE(call(e, "system", "getTime", Json::object()).is_number_integer());
}

}  // namespace
}  // namespace kmeet::test
