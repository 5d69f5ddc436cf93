// Issue "Production credentials", end to end: the real `kmeet` against a real kmeet-emulator.
// A token is created with the admin secret; then, with the token alone (no admin secret), rooms,
// meetings and join links work; deleting the token makes the next call fail with the revocation
// message; rotate keeps the old token working through the grace period and not after it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "cli/run_kmeet.hpp"
#include "support/emulator.hpp"

namespace kmeet::test {
namespace {

using nlohmann::json;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

class AppTokenCli : public EmulatorTest {
 protected:
  std::map<std::string, std::string> base_env() {
    return {{"PATH", "/usr/bin:/bin"},
            {"HOME", "/nonexistent-kmeet-home"},
            {"TZ", "UTC"},
            {"KALTURA_SERVICE_URL", emulator().base_url()},
            {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
            {"KALTURA_KAF_URL", emulator().base_url()}};
  }
  std::map<std::string, std::string> admin_env() {
    auto e = base_env();
    e["KALTURA_ADMIN_SECRET"] = emulator().admin_secret();
    return e;
  }
  std::map<std::string, std::string> token_env(const json& token) {
    auto e = base_env();
    e["KALTURA_APP_TOKEN_ID"] = token.at("id").get<std::string>();
    e["KALTURA_APP_TOKEN"] = token.at("token").get<std::string>();
    e["KALTURA_APP_TOKEN_HASH"] = token.at("hashType").get<std::string>();
    return e;
  }
  json ok_json(const CliResult& r) {
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(json::accept(r.out)) << r.out;
    return json::accept(r.out) ? json::parse(r.out) : json();
  }
  static void expect_no_token_value(const CliResult& r, const json& token) {
    const std::string value = token.at("token");
    EXPECT_EQ(r.out.find(value), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(value), std::string::npos) << r.err;
  }
};

TEST_F(AppTokenCli, ProvisionAndJoinWithTheTokenAloneThenDeleteRevokes) {
  // No fixed type: API calls ask ADMIN, join links USER, from the one token (docs/security.md).
  const json token = ok_json(run_kmeet({"apptoken", "create", "--duration", "2h", "--description", "kmeet e2e",
                                        "--output", "json"},
                                       admin_env()));
  ASSERT_TRUE(token.contains("token"));
  EXPECT_EQ(token.at("hashType"), "SHA256");  // kmeet creates SHA256 tokens by default
  EXPECT_FALSE(token.contains("sessionType"));
  EXPECT_EQ(token.at("sessionDuration"), 7200);

  // get/list never print the value.
  const CliResult got = run_kmeet({"apptoken", "get", token.at("id").get<std::string>(), "--output", "json"}, admin_env());
  EXPECT_FALSE(ok_json(got).contains("token"));
  const CliResult listed = run_kmeet({"apptoken", "list", "--all", "--output", "json"}, admin_env());
  ok_json(listed);
  expect_no_token_value(listed, token);

  // No admin secret from here on.
  const auto env = token_env(token);
  const json room = ok_json(run_kmeet({"room", "create", "--name", "Token room", "--output", "json"}, env));
  const json event = ok_json(run_kmeet({"event", "create", "--room", std::to_string(room.at("id").get<std::int64_t>()),
                                        "--summary", "Token lecture", "--start", "+1h", "--end", "+2h", "--output",
                                        "json"},
                                       env));
  const CliResult join = run_kmeet({"join", "--event", std::to_string(event.at("id").get<std::int64_t>()), "--user",
                                    "max@example.com", "--output", "json"},
                                   env);
  const json link = ok_json(join);
  EXPECT_THAT(link.dump(), HasSubstr("virtualEvent/launch?ks="));
  expect_no_token_value(join, token);

  ok_json(run_kmeet({"apptoken", "delete", token.at("id").get<std::string>(), "--output", "json"}, admin_env()));
  const CliResult after = run_kmeet({"room", "list", "--output", "json"}, env);
  EXPECT_EQ(after.code, 1);
  EXPECT_THAT(after.err, AnyOf(HasSubstr("was deleted or revoked"), HasSubstr("was not found: it was deleted")));
  expect_no_token_value(after, token);
}

TEST_F(AppTokenCli, RotateKeepsTheOldTokenThroughTheGraceOnly) {
  const json old_token = ok_json(run_kmeet(
      {"apptoken", "create", "--type", "admin", "--duration", "1h", "--description", "rotate me", "--output", "json"},
      admin_env()));
  KmeetProcess rotate({"apptoken", "rotate", old_token.at("id").get<std::string>(), "--grace", "3s", "--output", "json"}, admin_env());
  // During the grace period the old token still works...
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  EXPECT_EQ(run_kmeet({"room", "list", "--output", "json"}, token_env(old_token)).code, 0);
  const CliResult rotated = rotate.wait();
  const json new_token = ok_json(rotated);
  EXPECT_EQ(new_token.at("replaces"), old_token.at("id"));
  EXPECT_NE(new_token.at("token"), old_token.at("token"));
  EXPECT_EQ(new_token.at("sessionDuration"), 3600);
  // ...and after it only the new one does.
  const CliResult old_after = run_kmeet({"room", "list", "--output", "json"}, token_env(old_token));
  EXPECT_EQ(old_after.code, 1);
  EXPECT_EQ(run_kmeet({"room", "list", "--output", "json"}, token_env(new_token)).code, 0);
}

TEST_F(AppTokenCli, WrongHashTypeIsExplainedByDoctor) {
  const json token = ok_json(run_kmeet({"apptoken", "create", "--type", "admin", "--output", "json"}, admin_env()));
  auto env = token_env(token);
  env["KALTURA_APP_TOKEN_HASH"] = "SHA1";
  const CliResult r = run_kmeet({"doctor", "--output", "json"}, env);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("KALTURA_APP_TOKEN_HASH"));
  expect_no_token_value(r, token);
}

}  // namespace
}  // namespace kmeet::test
