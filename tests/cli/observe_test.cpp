// `kmeet --verbose` (one line per HTTP request on stderr, no secret) and `kmeet --rate N/s`
// (tools/cli/cli/observe.*; docs/cli.md).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/observe.hpp"
#include "kmeet/errors.hpp"
#include "support/run_kmeet.hpp"
#include "support/emulator.hpp"

namespace kmeet::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

TEST(CliRate, ParsesCallsPerSecondOrPerMinute) {
  EXPECT_DOUBLE_EQ(parse_rate("50", "--rate"), 50.0);
  EXPECT_DOUBLE_EQ(parse_rate("50/s", "--rate"), 50.0);
  EXPECT_DOUBLE_EQ(parse_rate("600/m", "--rate"), 10.0);
  EXPECT_DOUBLE_EQ(parse_rate("30/min", "--rate"), 0.5);
  EXPECT_DOUBLE_EQ(parse_rate("2.5/s", "--rate"), 2.5);
  for (const char* bad : {"", "0", "-1", "abc", "5/h", "5/", "/s", "1e9", "nan", "inf", "5 /s"}) {
    try {
      (void)parse_rate(bad, "--rate");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "--rate");
    }
  }
}

TEST(CliVerbose, OneLinePerRequestWithTheCallAndIds) {
  std::ostringstream err;
  const LogHook log = verbose_log(err);
  LogRecord r;
  r.level = LogLevel::warning;
  r.call = "create_meetings";
  r.request = "multirequest(3)";
  r.request_id = "0f8f2c1e-7f60-4d3a-9a43-0c2a4b5e6f70";
  r.attempt = 2;
  r.status = 200;
  r.duration = std::chrono::microseconds(12'345);
  r.outcome = "items failed: 2";
  r.calls = 3;
  r.throttled = 2;
  r.server = "pa-front-api\x1b[31m";  // printed printable
  r.session = "123, 456";
  log(r);
  EXPECT_EQ(err.str(),
            "kmeet: warning multirequest(3) call create_meetings #2 200 12.3ms items failed: 2 2/3 blocked "
            "id=0f8f2c1e-7f60-4d3a-9a43-0c2a4b5e6f70 server=pa-front-api\\x1b[31m session=123, 456\n");
}

TEST(CliVerbose, AgainstTheEmulatorNoSecretAndNoKs) {
  test::EmulatorProcess e;
  const std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"},
                                                  {"HOME", "/nonexistent"},
                                                  {"KALTURA_SERVICE_URL", e.base_url()},
                                                  {"KALTURA_PARTNER_ID", std::to_string(e.partner_id())},
                                                  {"KALTURA_ADMIN_SECRET", e.admin_secret()}};
  const auto created =
      test::run_kmeet({"--verbose", "--rate", "20/s", "room", "create", "--name", "R", "-o", "json"}, env);
  ASSERT_EQ(created.code, 0) << created.err;
  EXPECT_THAT(created.err, MatchesRegex("kmeet: info schedule_scheduleresource\\.add #1 200 [0-9.]+ms ok "
                                        "id=[0-9a-f-]{36} server=kmeet-emulator session=[0-9]+, [0-9]+\n"));
  EXPECT_THAT(created.err, Not(HasSubstr(e.admin_secret())));
  EXPECT_THAT(created.err, Not(HasSubstr("djJ8")));  // a KS (v2) never appears
  const auto quiet = test::run_kmeet({"room", "list", "-o", "json"}, env);
  ASSERT_EQ(quiet.code, 0);
  EXPECT_EQ(quiet.err, "");
  const auto bad = test::run_kmeet({"--rate", "fast", "room", "list"}, env);
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--rate"));
}

}  // namespace
}  // namespace kmeet::cli
