// Fault injection: every kind, the admin counters, seeded replay, and that a reset really drops
// the connection (before or after executing).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

EmulatorProcess::Options with_faults(const std::string& spec, const std::string& seed = "1") {
  EmulatorProcess::Options o;
  o.extra_args = {"--faults", spec, "--seed", seed};
  return o;
}

Response add_room_raw(const EmulatorProcess& e, const std::string& name) {
  return post(e, "schedule_scheduleresource", "add", {{"ks", admin_ks(e)}, {"scheduleResource", room(name)}});
}

TEST(FaultsTest, ServerErrorsCarryAnHtmlBodyAndExecuteNothing) {
  EmulatorProcess e(with_faults("5xx=1"));
  for (int i = 0; i < 8; ++i) {
    const auto r = add_room_raw(e, "x");
    EXPECT_TRUE(r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504) << r.status;
    EXPECT_EQ(r.headers.at("content-type"), "text/html");
    EXPECT_NE(r.body.find("<!DOCTYPE HTML"), std::string::npos);
  }
  const auto s = stats(e);  // admin endpoints are never faulted
  EXPECT_EQ(s["faults"]["5xx"], 8);
  EXPECT_EQ(s["objects"]["resources"], 0);
  EXPECT_EQ(s["requests"], 8);
}

TEST(FaultsTest, TooManyRequestsHasRetryAfter) {
  EmulatorProcess e(with_faults("429=1"));
  const auto r = request(e.base_url() + "/api_v3/service/system/action/getTime?format=1");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.at("retry-after"), "1");
  EXPECT_EQ(stats(e)["faults"]["429"], 1);
}

TEST(FaultsTest, ResetBeforeDropsTheConnectionWithoutExecuting) {
  EmulatorProcess e(with_faults("reset_before=1"));
  const auto r = add_room_raw(e, "never");
  EXPECT_NE(r.code, CURLE_OK);
  EXPECT_TRUE(r.code == CURLE_GOT_NOTHING || r.code == CURLE_RECV_ERROR || r.code == CURLE_SEND_ERROR) << r.code;
  EXPECT_TRUE(r.body.empty());
  const auto s = stats(e);
  EXPECT_EQ(s["faults"]["reset_before"], 1);
  EXPECT_EQ(s["objects"]["resources"], 0);
}

TEST(FaultsTest, ResetAfterExecutesThenDropsTheConnection) {
  EmulatorProcess e(with_faults("reset_after=1"));
  const auto r = add_room_raw(e, "created but unanswered");
  EXPECT_NE(r.code, CURLE_OK);
  EXPECT_TRUE(r.body.empty());
  const auto s = stats(e);
  EXPECT_EQ(s["faults"]["reset_after"], 1);
  EXPECT_EQ(s["objects"]["resources"], 1);  // a blind resend would create a second room
  const auto objects = request(e.base_url() + "/__emulator/objects").json();
  EXPECT_EQ(objects["resources"][0]["name"], "created but unanswered");
}

TEST(FaultsTest, ResetIsATcpResetOnARawSocket) {
  EmulatorProcess e(with_faults("reset_after=1"));
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(e.port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string req =
      "GET /api_v3/service/system/action/getTime?format=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
  ASSERT_EQ(send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  errno = 0;
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  const int err = errno;
  close(fd);
  EXPECT_EQ(n, -1);            // no byte of a response...
  EXPECT_EQ(err, ECONNRESET);  // ...and a RST, not a timeout or an orderly close
}

TEST(FaultsTest, MalformedJsonWithStatus200AfterExecuting) {
  EmulatorProcess e(with_faults("malformed=1"));
  const auto r = add_room_raw(e, "half");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.empty());
  EXPECT_TRUE(Json::parse(r.body, nullptr, false).is_discarded());
  EXPECT_EQ(stats(e)["objects"]["resources"], 1);
}

TEST(FaultsTest, HtmlPageWithStatus200) {
  EmulatorProcess e(with_faults("html=1"));
  const auto r = add_room_raw(e, "x");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.at("content-type"), "text/html");
  EXPECT_EQ(stats(e)["objects"]["resources"], 0);
}

TEST(FaultsTest, DelayThenNormalAnswer) {
  EmulatorProcess e(with_faults("delay=1,delay_ms=300"));
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = request(e.base_url() + "/api_v3/service/system/action/getTime?format=1");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(ms, 290);
  EXPECT_EQ(stats(e)["faults"]["delay"], 1);
}

TEST(FaultsTest, KafIsFaultedToo) {
  EmulatorProcess e(with_faults("5xx=1"));
  EXPECT_GE(request(e.base_url() + "/virtualEvent/launch?ks=x").status, 500);
  EXPECT_GE(request(e.base_url() + "/newrowkaf/index/api?ks=x").status, 500);
}

std::vector<std::string> run_sequence(const std::string& seed) {
  EmulatorProcess e(with_faults("5xx=0.2,429=0.2,html=0.1,malformed=0.1", seed));
  std::vector<std::string> seq;
  for (int i = 0; i < 40; ++i) {
    auto r = request(e.base_url() + "/api_v3/service/system/action/getTime?format=1");
    const bool json_ok = r.status == 200 && !Json::parse(r.body, nullptr, false).is_discarded() &&
                         r.headers["content-type"] == "application/json";
    seq.push_back(std::to_string(r.status) + (json_ok ? "" : "!"));
  }
  return seq;
}

TEST(FaultsTest, SameSeedSameFaults) {
  const auto a = run_sequence("42");
  const auto b = run_sequence("42");
  const auto c = run_sequence("7");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(std::count(a.begin(), a.end(), "200"), 40);
  EXPECT_GT(std::count(a.begin(), a.end(), "200"), 0);
}

TEST(FaultsTest, ResetEndpointClearsEverything) {
  EmulatorProcess e;
  add_room_raw(e, "gone soon");
  EXPECT_EQ(stats(e)["objects"]["resources"], 1);
  EXPECT_EQ(request(e.base_url() + "/__emulator/reset", "{}", "application/json").status, 200);
  const auto s = stats(e);
  EXPECT_EQ(s["objects"]["resources"], 0);
  EXPECT_EQ(s["requests"], 0);
}

}  // namespace
}  // namespace kmeet::test
