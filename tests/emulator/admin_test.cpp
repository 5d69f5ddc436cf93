// The admin endpoints added with app tokens: the clock, runtime faults, app-token status, and app
// tokens (with their revocations) in `--state`, `/__emulator/stats` and `/__emulator/objects`.

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "emulator/apptoken.hpp"

namespace kmeet::test {
namespace {

using namespace wire;
using apptoken::admin_post;

class AdminTest : public EmulatorTest {
 protected:
  std::int64_t server_time() { return call(emulator(), "system", "getTime", Json::object()).get<std::int64_t>(); }
};

TEST_F(AdminTest, TheClockMovesForwardAndExpiresSessions) {
  const auto ks = admin_ks(emulator());  // valid for an hour of real time
  const auto before = server_time();
  const auto moved = admin_post(emulator(), "clock", {{"advance", 7200}});
  ASSERT_EQ(moved.status, 200);
  EXPECT_NEAR(moved.json()["now"].get<double>(), static_cast<double>(before + 7200), 2);
  EXPECT_EQ(moved.json()["offset"], 7200);
  EXPECT_NEAR(static_cast<double>(server_time()), static_cast<double>(before + 7200), 2);
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", ks}})["args"]["KSID"], "EXPIRED");
  const auto get = request(emulator().base_url() + "/__emulator/clock");
  EXPECT_EQ(get.json()["offset"], 7200);
  const auto set = admin_post(emulator(), "clock", {{"now", 2000000000}});
  EXPECT_NEAR(set.json()["now"].get<double>(), 2000000000.0, 1);
  EXPECT_EQ(admin_post(emulator(), "clock", {{"advance", "soon"}}).status, 400);
  EXPECT_EQ(admin_post(emulator(), "clock", {{"advance", 1}, {"now", 1}}).status, 400);
  ASSERT_EQ(post_without_body(emulator().base_url() + "/__emulator/reset").status, 200);
  EXPECT_NEAR(static_cast<double>(server_time()), static_cast<double>(now()), 2);  // reset: the real clock again
}

TEST_F(AdminTest, FaultsCanBeSwitchedOnAndOffWhileRunning) {
  ASSERT_EQ(admin_post(emulator(), "faults", {{"faults", "5xx=1"}, {"seed", 3}}).status, 200);
  const auto failed = post(emulator(), "system", "ping", Json::object());
  EXPECT_GE(failed.status, 500);
  ASSERT_EQ(admin_post(emulator(), "faults", {{"faults", ""}}).status, 200);
  EXPECT_EQ(post(emulator(), "system", "ping", Json::object()).status, 200);
  const auto bad = admin_post(emulator(), "faults", {{"faults", "5xx=2"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"].get<std::string>().find("5xx"), std::string::npos) << bad.body;
  EXPECT_EQ(admin_post(emulator(), "faults", {{"seed", 1}}).status, 400);
  EXPECT_EQ(stats(emulator())["faults"]["5xx"], 1);
}

TEST_F(AdminTest, AppTokenStatusNeedsAKnownTokenAndStatusOneOrTwo) {
  const auto t = apptoken::add(emulator());
  EXPECT_EQ(admin_post(emulator(), "apptoken-status", {{"id", t["id"]}, {"status", 3}}).status, 400);
  EXPECT_EQ(admin_post(emulator(), "apptoken-status", {{"id", "0_nosuchid"}, {"status", 1}}).status, 400);
  EXPECT_EQ(admin_post(emulator(), "apptoken-status", {{"status", 1}}).status, 400);
  EXPECT_EQ(admin_post(emulator(), "apptoken-status", {{"id", t["id"]}, {"status", 1}}).body, R"({"status":"ok"})");
}

TEST_F(AdminTest, ObjectsListTokensWithoutTheirValue) {
  const auto t = apptoken::add(emulator(), {{"description", "listed"}});
  const auto objects = request(emulator().base_url() + "/__emulator/objects");
  EXPECT_EQ(objects.body.find(t["token"].get<std::string>()), std::string::npos);
  const auto tokens = objects.json()["app_tokens"];
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0]["id"], t["id"]);
  EXPECT_EQ(tokens[0]["description"], "listed");
  EXPECT_FALSE(tokens[0].contains("token"));
  EXPECT_EQ(stats(emulator())["objects"]["app_tokens"], 1);
}

TEST(AppTokenStateTest, TokensAndRevocationsSurviveARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-tokens-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "state.json").string();
  std::filesystem::remove(file);
  EmulatorProcess::Options o;
  o.extra_args = {"--state", file};
  Json kept;
  Json revoked_ks;
  {
    EmulatorProcess e(o);
    kept = apptoken::add(e, {{"hashType", "SHA512"}, {"sessionUserId", "svc"}});
    const auto gone = apptoken::add(e);
    revoked_ks = apptoken::session(e, gone)["ks"];
    ASSERT_TRUE(apptoken::admin_call(e, "delete", {{"id", gone["id"]}}).is_null());
    EXPECT_EQ(e.stop(), 0);
  }
  {
    EmulatorProcess e(o);
    EXPECT_EQ(apptoken::admin_call(e, "get", {{"id", kept["id"]}}), kept);
    EXPECT_EQ(apptoken::session(e, kept)["userId"], "svc");
    EXPECT_EQ(call(e, "session", "get", {{"ks", revoked_ks}})["args"]["KSID"], "LOGOUT");
    EXPECT_EQ(apptoken::admin_call(e, "list", Json::object())["totalCount"], 1);
    EXPECT_NE(apptoken::add(e)["id"], kept["id"]);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kmeet::test
