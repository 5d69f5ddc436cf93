// The command line in-process: parsing, exit statuses, help, output choice, secrets.
#include "cli/app.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kmeet/ks.hpp"

#include <sstream>

namespace kmeet::cli {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";

struct Run {
  int code;
  std::string out, err;
};

Run kmeet(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}, bool tty = false,
          const std::string& input = {}) {
  std::ostringstream out, err;
  std::istringstream in(input);
  Io io{out, err};
  io.out_tty = tty;
  io.getenv = [env](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  io.read_file = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  io.in = &in;
  int code = run(args, io);
  return {code, out.str(), err.str()};
}

std::map<std::string, std::string> creds() {
  return {{"KALTURA_PARTNER_ID", "1234567"}, {"KALTURA_ADMIN_SECRET", kSecret}};
}

TEST(App, UsageErrorsAreExitTwoWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"nope"}, {"room"}, {"room", "get"}, {"room", "get", "x"}, {"room", "list", "--page-size", "0"},
           {"join", "--user", "u", "--role", "boss", "--event", "1"}, {"ks", "mint", "--type", "widget"},
           {"import", "a.csv", "--concurrency", "0"}, {"--output"}}) {
    auto r = kmeet(args, creds());
    EXPECT_EQ(r.code, 2) << (args.empty() ? "" : args[0]);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err.rfind("kmeet: error: ", 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(App, MissingConfigurationIsAUsageError) {
  auto r = kmeet({"ks", "mint"}, {});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("partner_id"), std::string::npos) << r.err;
  r = kmeet({"ks", "mint"}, {{"KALTURA_PARTNER_ID", "12x"}, {"KALTURA_ADMIN_SECRET", kSecret}});
  EXPECT_EQ(r.code, 2);
  r = kmeet({"-o", "xml", "ks", "mint"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--output"), std::string::npos);
}

TEST(App, HelpAndVersion) {
  auto r = kmeet({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("import"), std::string::npos);
  r = kmeet({"event", "create", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--summary"), std::string::npos);
  EXPECT_NE(r.out.find("rs_class_mode"), std::string::npos);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  r = kmeet({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("kmeet ", 0), 0U);
}

TEST(App, OutputDefaultsToJsonWhenPipedAndTableOnATerminal) {
  auto piped = kmeet({"ks", "mint", "--user", "u"}, creds(), false);
  ASSERT_EQ(piped.code, 0) << piped.err;
  auto j = json::parse(piped.out);
  EXPECT_EQ(j["userId"], "u");
  EXPECT_EQ(j["type"], "user");
  auto tty = kmeet({"ks", "mint", "--user", "u"}, creds(), true);
  EXPECT_FALSE(json::accept(tty.out));
  EXPECT_EQ(tty.out.find('\n'), tty.out.size() - 1) << "just the token";
  auto csv = kmeet({"-o", "csv", "ks", "mint", "--user", "u"}, creds(), true);
  EXPECT_EQ(csv.out.rfind("ks,partnerId,type,userId,privileges,expiresAt,version\r\n", 0), 0U) << csv.out;
}

TEST(App, KsMintThenInspectRoundTrip) {
  auto m = kmeet({"ks", "mint", "--user", "max@example.com", "--room", "42", "--role", "moderator",
                  "--contextual-role", "moderator", "--first-name", "Max", "--privilege", "course:algebra", "--ttl", "2h"},
                 creds());
  ASSERT_EQ(m.code, 0) << m.err;
  const std::string ks = json::parse(m.out)["ks"];
  auto i = kmeet({"ks", "inspect", "-"}, creds(), false, ks + "\n");
  ASSERT_EQ(i.code, 0) << i.err;
  auto j = json::parse(i.out);
  EXPECT_EQ(j["userId"], "max@example.com");
  EXPECT_EQ(j["signature"], "valid");
  EXPECT_EQ(j["privilegeList"]["role"], "adminRole");
  EXPECT_EQ(j["privilegeList"]["resourceId"], "42");
  EXPECT_EQ(j["privilegeList"]["course"], "algebra");
  EXPECT_EQ(j["expires"].get<std::string>().rfind("expires in 1h 59m", 0) == 0 ||
                j["expires"].get<std::string>().rfind("expires in 2h", 0) == 0,
            true)
      << j["expires"];
  EXPECT_EQ(i.out.find(ks), std::string::npos);
  EXPECT_EQ(i.out.find(kSecret), std::string::npos);
  // Another secret: the signature does not match (or the token cannot be read): never exit 0.
  auto env = creds();
  env["OTHER"] = "ffffffffffffffffffffffffffffffff";
  auto other = kmeet({"ks", "inspect", ks, "--secret-env", "OTHER"}, env);
  EXPECT_NE(other.code, 0) << other.out;
  EXPECT_EQ(other.out.find("ffffffff"), std::string::npos);
  EXPECT_EQ(other.err.find("ffffffff"), std::string::npos);
  auto unset = kmeet({"ks", "inspect", ks, "--secret-env", "NOPE"}, creds());
  EXPECT_EQ(unset.code, 2);
  auto garbage = kmeet({"ks", "inspect", "not-a-ks"}, creds());
  EXPECT_EQ(garbage.code, 2);
}

TEST(App, KsInspectTakesAPastedLaunchUrlOrPercentEncodedKs) {
  auto m = kmeet({"ks", "mint", "--user", "ada@example.com", "--room", "7"}, creds());
  ASSERT_EQ(m.code, 0) << m.err;
  const std::string ks = json::parse(m.out)["ks"];
  std::string encoded;
  for (char c : ks) {
    if (c == '=' || c == '+' || c == '/') {
      encoded += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      encoded += c;
    }
  }
  for (const std::string& pasted : {encoded, "https://kaf.example.com/virtualEvent/launch?ks=" + encoded + "&x=1",
                                    "https://kaf.example.com/virtualEvent/launch?ks=" + encoded + "#top"}) {
    auto i = kmeet({"ks", "inspect", pasted}, creds());
    ASSERT_EQ(i.code, 0) << i.err;
    auto j = json::parse(i.out);
    EXPECT_EQ(j["userId"], "ada@example.com");
    EXPECT_EQ(j["signature"], "valid");
    EXPECT_EQ(j["privilegeList"]["resourceId"], "7");
  }
}

TEST(App, KsInspectExitsOneWhenTheSignatureDoesNotMatchTheGivenSecret) {
  // A v1 KS is readable without the secret, so only the signature tells them apart.
  auto m = kmeet({"ks", "mint", "--user", "u1", "--v1"}, creds());
  ASSERT_EQ(m.code, 0) << m.err;
  const std::string ks = json::parse(m.out)["ks"];
  auto good = kmeet({"ks", "inspect", ks}, creds());
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_EQ(json::parse(good.out)["signature"], "valid");
  auto env = creds();
  env["OTHER"] = "ffffffffffffffffffffffffffffffff";
  auto bad = kmeet({"ks", "inspect", ks, "--secret-env", "OTHER"}, env);
  EXPECT_EQ(bad.code, 1);
  auto j = json::parse(bad.out);  // what the KS says is still printed
  EXPECT_EQ(j["userId"], "u1");
  EXPECT_NE(j["signature"], "valid");
  EXPECT_EQ(bad.err, "kmeet: error: the KS signature does not match the admin secret in $OTHER\n");
  // No secret at all: nothing to check against, exit 0.
  auto unchecked = kmeet({"ks", "inspect", ks}, {{"KALTURA_PARTNER_ID", "1234567"}});
  EXPECT_EQ(unchecked.code, 0) << unchecked.err;
}

TEST(App, KsInspectShowsEveryValueOfARepeatedPrivilegeAndWarns) {
  // What a naive generator makes of firstName "Max,role:adminRole" (protocol.md F.6): in a v1 KS both roles
  // stay in the string; the JSON must not show only the last one.
  KsParams p;
  p.partner_id = PartnerId(1234567);
  p.user_id = "max";
  p.privileges = "eventId:3371011,role:viewerRole,firstName:Max,role:adminRole";
  p.expires_at = Timestamp(std::chrono::seconds(4102444800));
  const std::string ks = KsSigner(kSecret).mint_v1(p, 7);
  auto r = kmeet({"ks", "inspect", ks}, creds());
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["privilegeList"]["role"], json::array({"viewerRole", "adminRole"}));
  EXPECT_EQ(j["privilegeList"]["eventId"], "3371011");
  EXPECT_EQ(j["duplicatePrivileges"], json::array({"role"}));
  EXPECT_EQ(r.err,
            "kmeet: warning: the KS names role more than once: the privileges were most likely injected through a "
            "user-supplied value\n");
  // A clean KS: an empty list and no warning.
  p.privileges = "eventId:3371011,role:viewerRole";
  auto clean = kmeet({"ks", "inspect", KsSigner(kSecret).mint_v1(p, 7)}, creds());
  ASSERT_EQ(clean.code, 0) << clean.err;
  EXPECT_EQ(json::parse(clean.out)["duplicatePrivileges"], json::array());
  EXPECT_EQ(clean.err, "");
}

TEST(App, EveryIdOptionRefusesWhatIsNotAPositiveWholeNumberBeforeSendingAnything) {
  // A closed port: a request that went out would fail with exit 1, not 2.
  auto env = creds();
  env["KALTURA_SERVICE_URL"] = "http://127.0.0.1:1";
  env["KALTURA_KAF_URL"] = "http://127.0.0.1:1";
  const std::vector<std::pair<std::string, std::vector<std::string>>> commands = {
      {"ID", {"room", "get", "@"}},
      {"ID", {"room", "delete", "@"}},
      {"ID", {"event", "cancel", "@"}},
      {"--room", {"event", "create", "--room", "@", "--summary", "S", "--start", "+1h", "--end", "+2h"}},
      {"--room", {"event", "list", "--room", "@"}},
      {"--event", {"join", "--event", "@", "--user", "u"}},
      {"--room", {"join", "--room", "@", "--user", "u"}},
      {"--event", {"link", "add", "--event", "@", "--room", "1"}},
      {"--room", {"ks", "mint", "--room", "@"}},
      {"--room", {"analytics", "sessions", "--room", "@"}},
      {"--session", {"analytics", "attendees", "--session", "@", "--room", "1"}},
  };
  for (const std::string bad : {"abc", "0", "-5", "1.5", "+5", "99999999999999999999", "9223372036854775808"}) {
    for (auto [flag, args] : commands) {
      std::replace(args.begin(), args.end(), std::string("@"), bad);
      auto r = kmeet(args, env);
      EXPECT_EQ(r.code, 2) << args[0] << " " << args[1] << " " << bad << ": " << r.err;
      EXPECT_TRUE(r.out.empty());
      EXPECT_EQ(r.err, fmt::format("kmeet: error: {}: '{}' is not a positive whole number\n", flag, bad));
    }
  }
  auto page = kmeet({"room", "list", "--page", "99999999999"}, env);
  EXPECT_EQ(page.code, 2);
  EXPECT_EQ(page.err, "kmeet: error: --page: 99999999999 is too large (at most 2147483647)\n");
  page = kmeet({"event", "list", "--page", "0"}, env);
  EXPECT_EQ(page.err, "kmeet: error: --page: '0' is not a positive whole number\n");
  // The largest id still goes through (to the closed port: exit 1).
  auto r = kmeet({"room", "get", "9223372036854775807"}, env);
  EXPECT_EQ(r.code, 1) << r.err;
}

TEST(App, AMistypedCommandIsNamedWithTheValidOnes) {
  auto r = kmeet({"rooms", "list"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err, "kmeet: error: unknown command 'rooms' (commands: room, event, link, join, ks, session, analytics, "
                   "recording, import, sync, apptoken, doctor)\n");
  r = kmeet({"room", "lst"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "kmeet: error: unknown command 'room lst' (room commands: create, list, get, update, delete)\n");
  // Global options and their values before the command are skipped.
  r = kmeet({"--partner-id", "5", "-o", "json", "evnt", "list"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown command 'evnt'"), std::string::npos) << r.err;
  r = kmeet({"--admin-secret", kSecret, "ks", "mnt"});
  EXPECT_NE(r.err.find("unknown command 'ks mnt' (ks commands: mint, inspect)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kSecret), std::string::npos);
  // Arguments of a command are not commands.
  r = kmeet({"ks", "inspect", "lst"}, creds());
  EXPECT_EQ(r.err.find("unknown command"), std::string::npos) << r.err;
}

TEST(App, ValidationErrorsNameTheFlagsTheUserTyped) {
  auto env = creds();
  env["KALTURA_SERVICE_URL"] = "http://127.0.0.1:1";
  struct Case {
    std::vector<std::string> args;
    std::string starts;
  };
  for (const auto& c : std::vector<Case>{
           {{"room", "create", "--name", ""}, "kmeet: error: --name: "},
           {{"room", "update", "5", "--system-name", ""}, "kmeet: error: --system-name: "},
           {{"join", "--event", "1", "--user", ""}, "kmeet: error: --user: "},
           {{"join", "--event", "1", "--user", "u", "--first-name", "a,b"}, "kmeet: error: --first-name: "},
           {{"join", "--event", "1", "--user", "u", "--last-name", "a:b;c"}, "kmeet: error: --last-name: "},
           {{"ks", "mint", "--user", "u", "--first-name", "a,b"}, "kmeet: error: --first-name: "},
           {{"event", "create", "--room", "1", "--summary", "", "--start", "+1h", "--end", "+2h"},
            "kmeet: error: --summary: "},
           {{"event", "create", "--room", "1", "--summary", "S", "--start", "+1h", "--end", "+30h"},
            "kmeet: error: --end: "},
       }) {
    auto r = kmeet(c.args, env);
    EXPECT_EQ(r.code, 2) << c.args[0] << " " << c.args[1] << ": " << r.err;
    EXPECT_EQ(r.err.rfind(c.starts, 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.find("allow_long_event"), std::string::npos) << r.err;
  }
  auto r = kmeet({"event", "create", "--room", "1", "--summary", "S", "--start", "+1h", "--end", "+30h"}, env);
  EXPECT_NE(r.err.find("--allow-long"), std::string::npos) << r.err;
}

TEST(App, AGivenKsWarnsAndTheAdminSecretWins) {
  const std::string ks = "djJ8MTIzNDU2N3xnivenksgivenksgivenksgivenks";
  auto r = kmeet({"--ks", ks, "ks", "mint", "--user", "u"}, creds());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("kmeet: warning: --ks on the command line is visible to other users"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("kmeet: warning: both a KS (--ks) and an admin secret (env KALTURA_ADMIN_SECRET) are set; "
                       "using the admin secret"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find(ks), std::string::npos);
  auto env = creds();
  env["KALTURA_KS"] = ks;
  r = kmeet({"ks", "mint", "--user", "u"}, env);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("both a KS (env KALTURA_KS)"), std::string::npos) << r.err;
  // Only a KS: no warning about the pair.
  r = kmeet({"ks", "inspect", ks}, {{"KALTURA_PARTNER_ID", "1234567"}, {"KALTURA_KS", ks}});
  EXPECT_EQ(r.err.find("both a KS"), std::string::npos) << r.err;
}

TEST(App, HelpShowsTheDefaultsScriptsRelyOn) {
  auto line_of = [](const std::string& help, const std::string& flag) {
    auto at = help.find("  " + flag + " ");
    if (at == std::string::npos) return std::string();
    return help.substr(at, help.find('\n', at) - at);
  };
  struct Case {
    std::vector<std::string> args;
    std::string flag, value;
  };
  for (const auto& c : std::vector<Case>{{{"join", "--help"}, "--ttl", "2h"},
                                         {{"join", "--help"}, "--role", "attendee"},
                                         {{"import", "--help"}, "--concurrency", "4"},
                                         {{"import", "--help"}, "--batch", "20"},
                                         {{"import", "--help"}, "--moderator-user", "kmeet-moderator"},
                                         {{"room", "list", "--help"}, "--page-size", "100"},
                                         {{"event", "list", "--help"}, "--page-size", "100"},
                                         {{"link", "list", "--help"}, "--page-size", "100"},
                                         {{"ks", "mint", "--help"}, "--ttl", "24h"},
                                         {{"ks", "mint", "--help"}, "--type", "user"}}) {
    auto r = kmeet(c.args);
    ASSERT_EQ(r.code, 0);
    const std::string line = line_of(r.out, c.flag);
    EXPECT_NE(line.find("=" + c.value), std::string::npos) << c.args[0] << " " << c.flag << ": " << line;
  }
}

TEST(App, InjectedPrivilegesAreRefused) {
  auto r = kmeet({"ks", "mint", "--user", "u", "--first-name", "Max,role:adminRole"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  r = kmeet({"ks", "mint", "--user", "a;b"}, creds());
  EXPECT_EQ(r.code, 2);
}

TEST(App, AdminSecretFlagWarnsAndIsNeverEchoed) {
  auto r = kmeet({"--admin-secret", kSecret, "--partner-id", "1234567", "ks", "mint", "--type", "admin"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning"), std::string::npos);
  EXPECT_NE(r.err.find("KALTURA_ADMIN_SECRET"), std::string::npos);
  EXPECT_EQ(r.err.find(kSecret), std::string::npos);
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  // A secret in the wrong place is scrubbed from the error message.
  r = kmeet({"room", "get", kSecret}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find(kSecret), std::string::npos) << r.err;
  r = kmeet({"--admin-secret=" + std::string(kSecret), "bogus", kSecret});
  EXPECT_EQ(r.err.find(kSecret), std::string::npos) << r.err;
}

TEST(App, AnalyticsNeedsExactlyOneScopeAndReportsNetworkErrors) {
  // Neither --room nor --event: refused before anything is sent.
  auto usage = kmeet({"analytics", "attendees", "--session", "5"}, creds());
  EXPECT_EQ(usage.code, 2);
  EXPECT_NE(usage.err.find("--room/--event"), std::string::npos) << usage.err;
  EXPECT_EQ(std::count(usage.err.begin(), usage.err.end(), '\n'), 1) << usage.err;
  // KAF unreachable (a closed loopback port): one line, exit 1, no secret.
  auto env = creds();
  env["KALTURA_SERVICE_URL"] = "http://127.0.0.1:1";
  env["KALTURA_KAF_URL"] = "http://127.0.0.1:1";
  auto r = kmeet({"analytics", "sessions", "--room", "1"}, env);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.find(kSecret), std::string::npos);
}

TEST(App, AppTokenCreateRefusesAPastExpiryAndNamesThePrivilegeFlag) {
  // No server is running: both are refused before anything is sent.
  auto r = kmeet({"apptoken", "create", "--expiry", "-1d"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, ::testing::HasSubstr("--expiry: is not in the future"));
  r = kmeet({"apptoken", "create", "--expiry", "2020-01-01T00:00:00Z"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, ::testing::HasSubstr("--expiry"));
  r = kmeet({"apptoken", "create", "--privilege", "role:x"}, creds());
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, ::testing::HasSubstr("--privilege: 'role:x'"));
  EXPECT_THAT(r.err, ::testing::Not(::testing::HasSubstr("--role")));
  EXPECT_TRUE(r.out.empty());
}

TEST(App, ImportDryRunNeedsNoServer) {
  std::ostringstream out, err;
  std::istringstream in("room_name,summary,start,end\nA,S1,2030-01-01T09:00Z,2030-01-01T10:00Z\n"
                        "A,S2,2030-01-01T09:00Z,bad\nB,S3,2030-01-01T09:00Z,2030-01-01T10:00Z\n");
  Io io{out, err};
  io.getenv = [](const char*) -> std::optional<std::string> { return std::nullopt; };
  io.read_file = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  io.in = &in;
  int code = run({"import", "-", "--dry-run"}, io);
  EXPECT_EQ(code, 1);
  auto j = json::parse(out.str());
  EXPECT_EQ(j["rooms"], 2);
  EXPECT_EQ(j["meetings"], 2);
  EXPECT_EQ(j["invalid"], 1);
  EXPECT_NE(err.str().find("line 3: end"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace kmeet::cli
