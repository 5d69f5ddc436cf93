// Every `kmeet` command, run as a process (KMEET_CLI_PATH) against kmeet-emulator with known
// secrets and KS values, in every output format and through its error paths: no secret and no
// known KS appears in stdout or stderr. (A KS that *is* the command's product — `join`, `ks mint`,
// `session start` — is a fresh one, not a known one.)

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "api/json.hpp"
#include "support/run_kmeet.hpp"
#include "kmeet/ks.hpp"
#include "support/emulator.hpp"

namespace kmeet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAdminSecret = "c1isecret0admin0a1b2c3d4e5f6a7b8";
constexpr const char* kUserSecret = "c1isecret0user000f1e2d3c4b5a6978";
constexpr const char* kWrongSecret = "c1iwrong0secret00011112222333344";

class CliSecrets : public test::EmulatorTest {
 protected:
  test::EmulatorProcess::Options emulator_options() override {
    return {.admin_secret = kAdminSecret, .user_secret = kUserSecret};
  }
  void SetUp() override {
    test::EmulatorTest::SetUp();
    ASSERT_FALSE(test::kmeet_cli_path().empty()) << "KMEET_CLI_PATH";
    known_ = {kAdminSecret, kUserSecret, kWrongSecret, valid_ks_ = mint(std::chrono::hours(2)),
              expired_ks_ = mint(std::chrono::seconds(-600)), foreign_ks_ = mint(std::chrono::hours(1), kWrongSecret)};
  }
  std::string mint(std::chrono::seconds ttl, const char* secret = kAdminSecret) const {
    KsSigner signer(secret);
    KsParams p;
    p.partner_id = PartnerId(1234567);
    p.type = SessionType::admin;
    p.user_id = "cli-admin";
    p.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + ttl;
    return signer.mint(p);
  }
  std::map<std::string, std::string> env(const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> e = {{"KALTURA_SERVICE_URL", emulator().base_url()},
                                            {"KALTURA_KAF_URL", emulator().base_url()},
                                            {"KALTURA_PARTNER_ID", "1234567"},
                                            {"KALTURA_ADMIN_SECRET", kAdminSecret},
                                            {"KALTURA_USER_SECRET", kUserSecret},
                                            {"HOME", ::testing::TempDir()},
                                            {"PATH", "/usr/bin:/bin"}};
    for (const auto& [k, v] : extra) e[k] = v;
    return e;
  }
  /// Runs one command; checks its output for every known secret and KS; returns it.
  test::CliResult run(const std::vector<std::string>& args, const std::map<std::string, std::string>& e,
                      const std::string& input = {}) {
    test::CliResult r = test::run_kmeet(args, e, input);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    ++commands_;
    for (const auto& s : known_) {
      EXPECT_THAT(r.out, Not(HasSubstr(s))) << cmd << "(stdout)";
      EXPECT_THAT(r.err, Not(HasSubstr(s))) << cmd << "(stderr)";
      if (s.size() > 40) {
        EXPECT_THAT(r.out + r.err, Not(HasSubstr(s.substr(12, 24)))) << cmd << "(a piece of a KS)";
      }
    }
    return r;
  }
  static std::int64_t id_of(const test::CliResult& r) {
    const auto j = detail::Json::parse(r.out, nullptr, false);
    if (!j.is_object() || !j.contains("id")) {
      ADD_FAILURE() << "no id in: " << r.out << r.err;
      return 0;
    }
    return j["id"].is_string() ? std::stoll(j["id"].get<std::string>()) : j["id"].get<std::int64_t>();
  }

  std::vector<std::string> known_;
  std::string valid_ks_, expired_ks_, foreign_ks_;
  int commands_ = 0;
};

TEST_F(CliSecrets, EveryCommandAndErrorPathKeepsSecretsAndKnownKsOut) {
  const auto e = env();
  auto json = [](std::vector<std::string> a) {
    a.insert(a.begin(), {"--output", "json"});
    return a;
  };
  // Rooms, events, links, in every output format.
  const auto room = run(json({"room", "create", "--name", "Secret room", "--system-name", "sec-1", "--set",
                              "rs_room_cap=25"}), e);
  ASSERT_EQ(room.code, 0) << room.err;
  const std::string room_id = std::to_string(id_of(room));
  for (const char* fmt : {"json", "table", "csv"}) {
    EXPECT_EQ(run({"--output", fmt, "room", "list"}, e).code, 0);
    EXPECT_EQ(run({"--output", fmt, "room", "get", room_id}, e).code, 0);
  }
  EXPECT_EQ(run(json({"room", "list", "--all"}), e).code, 0);
  EXPECT_EQ(run(json({"room", "update", room_id, "--description", "d"}), e).code, 0);
  const auto event = run(json({"event", "create", "--room", room_id, "--summary", "Secret session", "--start", "+1h",
                               "--end", "+2h", "--set", "rec_auto_start=1"}), e);
  ASSERT_EQ(event.code, 0) << event.err;
  const std::string event_id = std::to_string(id_of(event));
  for (const char* fmt : {"json", "table", "csv"}) {
    EXPECT_EQ(run({"--output", fmt, "event", "list", "--room", room_id}, e).code, 0);
    EXPECT_EQ(run({"--output", fmt, "event", "get", event_id}, e).code, 0);
    EXPECT_EQ(run({"--output", fmt, "link", "list", "--event", event_id}, e).code, 0);
  }
  EXPECT_EQ(run(json({"event", "update", event_id, "--summary", "Renamed"}), e).code, 0);
  // Join links: local mint and session.start with the user secret.
  EXPECT_EQ(run(json({"join", "--event", event_id, "--user", "u1", "--role", "moderator"}), e).code, 0);
  EXPECT_EQ(run(json({"join", "--room", room_id, "--user", "u2", "--via-api"}), e).code, 0);
  EXPECT_EQ(run({"join", "--event", event_id, "--user", "u3", "--iframe"}, e).code, 0);
  // KS tools: mint (its product is a new KS), inspect known KSs with and without the secret.
  EXPECT_EQ(run(json({"ks", "mint", "--type", "user", "--user", "u4", "--event", event_id}), e).code, 0);
  for (const std::string* ks : {&valid_ks_, &expired_ks_, &foreign_ks_}) {
    run(json({"ks", "inspect", *ks}), e);
    run({"--output", "table", "ks", "inspect", *ks, "--secret-env", "KALTURA_ADMIN_SECRET"}, e);
    run(json({"ks", "inspect", "-"}), e, *ks + "\n");
  }
  // Sessions: start (product: a new KS), get/end of known KSs, time.
  EXPECT_EQ(run(json({"session", "start", "--type", "admin"}), e).code, 0);
  run(json({"session", "get", valid_ks_}), e);
  run(json({"session", "get", foreign_ks_}), e);
  run(json({"session", "get", expired_ks_}), e);
  EXPECT_EQ(run(json({"session", "time"}), e).code, 0);
  // Analytics (a room with no sessions yet, an unknown session).
  EXPECT_EQ(run(json({"analytics", "sessions", "--room", room_id}), e).code, 0);
  run(json({"analytics", "attendees", "--session", "999", "--room", room_id}), e);
  // Import and doctor.
  const std::string csv = ::testing::TempDir() + "kmeet-secrets-import.csv";
  {
    std::ofstream out(csv);
    out << "room_name,summary,start,end\nImport room,Imported,+3h,+4h\nImport room,bad,+5h,+4h\n";
  }
  run(json({"import", csv}), e);
  run(json({"doctor"}), e);
  // Issue 21 error paths: --strict, a bad --results path, a user id with a KS and a newline in it,
  // a config file holding the secret readable by others, a URL without a host, an endless input.
  EXPECT_EQ(run(json({"import", csv, "--strict"}), e).code, 2);
  EXPECT_EQ(run(json({"import", csv, "--results", ::testing::TempDir()}), e).code, 2);
  EXPECT_EQ(run(json({"join", "--event", "1", "--user", valid_ks_ + "\n"}), e).code, 2);
  const std::string config = ::testing::TempDir() + "kmeet-secrets-config.toml";
  {
    std::ofstream out(config);
    out << "admin_secret = \"" << kAdminSecret << "\"\nks = \"" << valid_ks_ << "\"\n";
  }
  ::chmod(config.c_str(), 0644);
  const auto warned = run(json({"room", "list"}), env({{"KMEET_CONFIG", config}, {"KALTURA_ADMIN_SECRET", ""}}));
  EXPECT_THAT(warned.err, HasSubstr("readable by others"));
  EXPECT_EQ(run(json({"--service-url", "http://", "room", "list"}), e).code, 2);
  EXPECT_EQ(run(json({"room", "list"}), env({{"KMEET_CONFIG", "/dev/urandom"}})).code, 2);
  std::remove(config.c_str());
  // Error paths: wrong secrets, expired / foreign / ended KS, unreachable server, bad input.
  EXPECT_NE(run(json({"room", "list"}), env({{"KALTURA_ADMIN_SECRET", kWrongSecret}})).code, 0);
  EXPECT_NE(run(json({"session", "start", "--type", "admin"}), env({{"KALTURA_ADMIN_SECRET", kWrongSecret}})).code, 0);
  EXPECT_NE(run(json({"join", "--room", room_id, "--user", "u5", "--via-api"}),
                env({{"KALTURA_USER_SECRET", kWrongSecret}, {"KALTURA_ADMIN_SECRET", ""}, {"KALTURA_KS", valid_ks_}}))
                .code,
            0);
  for (const std::string* ks : {&expired_ks_, &foreign_ks_}) {
    EXPECT_NE(run(json({"room", "list"}), env({{"KALTURA_ADMIN_SECRET", ""}, {"KALTURA_KS", *ks}})).code, 0);
    EXPECT_NE(run({"--output", "table", "event", "get", event_id}, env({{"KALTURA_ADMIN_SECRET", ""}, {"KALTURA_KS", *ks}})).code, 0);
  }
  EXPECT_NE(run(json({"room", "get", room_id}), env({{"KALTURA_ADMIN_SECRET", ""}, {"KALTURA_KS", valid_ks_}, {"KALTURA_SERVICE_URL", "http://127.0.0.1:1"}})).code, 0);
  EXPECT_NE(run(json({"room", "get", "999999"}), e).code, 0);
  EXPECT_NE(run({"--admin-secret", kWrongSecret, "--output", "json", "doctor"}, e).code, 0);
  EXPECT_NE(run({"--partner-id", "x", "room", "list"}, e).code, 0);
  // Clean up through the CLI too.
  EXPECT_EQ(run(json({"event", "cancel", event_id}), e).code, 0);
  EXPECT_EQ(run(json({"link", "delete", "--event", event_id, "--room", room_id}), e).code, 0);
  EXPECT_EQ(run(json({"event", "delete", event_id}), e).code, 0);
  EXPECT_EQ(run(json({"room", "delete", room_id}), e).code, 0);
  run(json({"session", "end", valid_ks_}), e);
  EXPECT_GE(commands_, 50);
  std::remove(csv.c_str());
}

}  // namespace
}  // namespace kmeet
