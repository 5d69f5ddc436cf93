// The real `kmeet` binary against a real kmeet-emulator over loopback.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "kmeet/http.hpp"
#include "run_kmeet.hpp"
#include "support/emulator.hpp"
#include "support/loopback_server.hpp"

namespace kmeet::test {
namespace {

using nlohmann::json;

class Cli : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    home_ = std::filesystem::temp_directory_path() / ("kmeet-cli-test-" + std::to_string(::getpid()) + "-" +
                                                       std::to_string(counter_++));
    std::filesystem::create_directories(home_);
  }
  void TearDown() override {
    std::filesystem::remove_all(home_);
    EmulatorTest::TearDown();
  }

  std::map<std::string, std::string> env() {
    return {{"PATH", "/usr/bin:/bin"},
            {"HOME", home_.string()},
            {"TZ", "UTC"},
            {"KALTURA_SERVICE_URL", emulator().base_url()},
            {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
            {"KALTURA_ADMIN_SECRET", emulator().admin_secret()},
            {"KALTURA_USER_SECRET", emulator().user_secret()},
            {"KALTURA_KAF_URL", emulator().base_url()}};
  }

  CliResult kmeet(const std::vector<std::string>& args) { return run_kmeet(args, env()); }

  json kmeet_json(const std::vector<std::string>& args) {
    auto r = kmeet(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(json::accept(r.out)) << r.out;
    return json::accept(r.out) ? json::parse(r.out) : json();
  }

  json stats() {
    CurlTransport http;
    HttpRequest rq;
    rq.method = HttpMethod::get;
    rq.url = emulator().base_url() + "/__emulator/stats";
    rq.idempotent = true;
    return json::parse(http.send(rq).body);
  }

  std::int64_t make_room(const std::string& name) {
    auto j = kmeet_json({"room", "create", "--name", name});
    return j.value("id", std::int64_t{0});
  }

  void expect_no_secrets(const CliResult& r) {
    for (const auto& s : {emulator().admin_secret(), emulator().user_secret()}) {
      EXPECT_EQ(r.out.find(s), std::string::npos) << "secret on stdout";
      EXPECT_EQ(r.err.find(s), std::string::npos) << "secret on stderr: " << r.err;
    }
  }

  std::filesystem::path home_;
  static inline int counter_ = 0;
};

void expect_one_line(const std::string& err) {
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
}

TEST_F(Cli, RoomCreateGetListUpdateDelete) {
  auto created = kmeet_json({"room", "create", "--name", "Room 101", "--description", "Main hall", "--system-name",
                             "room-101", "--set", "rs_room_cap=30", "--set", "rs_show_logo=off"});
  ASSERT_TRUE(created.contains("id"));
  const auto id = std::to_string(created["id"].get<std::int64_t>());
  EXPECT_EQ(created["name"], "Room 101");
  EXPECT_EQ(created["systemName"], "room-101");
  EXPECT_EQ(created["description"], "Main hall");
  const std::string tags = created["tags"];
  EXPECT_NE(tags.find("vcprovider:newrow"), std::string::npos);
  EXPECT_NE(tags.find("custom_rs_room_cap:30"), std::string::npos);
  EXPECT_NE(tags.find("custom_rs_show_logo:0"), std::string::npos);

  auto got = kmeet_json({"room", "get", id});
  EXPECT_EQ(got["id"], created["id"]);
  EXPECT_EQ(got["name"], "Room 101");

  auto list = kmeet_json({"room", "list"});
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0]["systemName"], "room-101");
  auto all = kmeet_json({"room", "list", "--all", "--page-size", "1"});
  EXPECT_EQ(all.size(), 1U);

  auto updated = kmeet_json({"room", "update", id, "--name", "Room 101b", "--set", "rs_room_cap=50"});
  EXPECT_EQ(updated["name"], "Room 101b");
  const std::string utags = updated["tags"];
  EXPECT_NE(utags.find("custom_rs_room_cap:50"), std::string::npos);
  EXPECT_NE(utags.find("custom_rs_show_logo:0"), std::string::npos) << "other settings are kept";

  auto deleted = kmeet_json({"room", "delete", id});
  EXPECT_EQ(deleted["status"], 3);
  auto gone = kmeet({"room", "get", id});
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find("INVALID_OBJECT_ID"), std::string::npos) << gone.err;
  expect_one_line(gone.err);
}

TEST_F(Cli, OutputFormats) {
  make_room("Alpha, the first");
  auto table = kmeet({"room", "list", "-o", "table"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("ID", 0), 0U) << table.out;
  EXPECT_NE(table.out.find("Alpha, the first"), std::string::npos);

  auto csv = kmeet({"room", "list", "--output", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("id,name,systemName,status,tags\r\n", 0), 0U) << csv.out;
  EXPECT_NE(csv.out.find("\"Alpha, the first\""), std::string::npos) << csv.out;

  // Piped stdout defaults to JSON: one document.
  auto piped = kmeet({"room", "list"});
  ASSERT_EQ(piped.code, 0);
  EXPECT_TRUE(json::parse(piped.out).is_array());

  // KMEET_OUTPUT and the config file choose the format too; the flag wins.
  auto e = env();
  e["KMEET_OUTPUT"] = "csv";
  auto via_env = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(via_env.out.rfind("id,name", 0), 0U);
  auto flag_wins = run_kmeet({"room", "list", "-o", "json"}, e);
  EXPECT_TRUE(json::accept(flag_wins.out));
}

TEST_F(Cli, ConfigFileLayering) {
  std::filesystem::create_directories(home_ / ".config/kmeet");
  std::ofstream(home_ / ".config/kmeet/config.toml")
      << "# kmeet\nservice_url = \"" << emulator().base_url() << "\"\npartner_id = " << emulator().partner_id()
      << "\nadmin_secret = \"" << emulator().admin_secret() << "\"\n";
  std::map<std::string, std::string> e = {{"PATH", "/usr/bin:/bin"}, {"HOME", home_.string()}};
  auto r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 0) << r.err;
  e["KALTURA_PARTNER_ID"] = "999";  // env beats the file
  r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 1) << r.out;
  r = run_kmeet({"room", "list", "--partner-id", std::to_string(emulator().partner_id())}, e);  // flag beats env
  EXPECT_EQ(r.code, 0) << r.err;
  e["KMEET_CONFIG"] = (home_ / "missing.toml").string();
  r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 2);
  expect_one_line(r.err);
}

TEST_F(Cli, EventCreateIsOneRequestAndLinksTheRoom) {
  const auto room = std::to_string(make_room("Room E"));
  auto s0 = stats()["requests"].get<std::int64_t>();
  auto s1 = stats()["requests"].get<std::int64_t>();
  auto ev = kmeet_json({"event", "create", "--room", room, "--summary", "Algebra", "--start", "2030-03-01T09:00:00+01:00",
                        "--end", "2030-03-01T10:00:00+01:00", "--set", "rs_class_mode=webinar", "--set",
                        "rec_auto_start=on"});
  auto s2 = stats()["requests"].get<std::int64_t>();
  EXPECT_EQ(s2 - s1, 1 + (s1 - s0)) << "event create must be one HTTP request";
  ASSERT_TRUE(ev.contains("id"));
  EXPECT_EQ(ev["summary"], "Algebra");
  EXPECT_EQ(ev["startDate"], 1898582400);
  EXPECT_EQ(ev["endDate"], 1898586000);
  const std::string tags = ev["tags"];
  EXPECT_NE(tags.find("custom_rs_class_mode:webinar"), std::string::npos);
  EXPECT_NE(tags.find("custom_rec_auto_start:1"), std::string::npos);
  const auto id = std::to_string(ev["id"].get<std::int64_t>());

  auto links = kmeet_json({"link", "list", "--event", id});
  ASSERT_EQ(links.size(), 1U);
  EXPECT_EQ(std::to_string(links[0]["resourceId"].get<std::int64_t>()), room);

  auto listed = kmeet_json({"event", "list", "--room", room});
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["id"], ev["id"]);
  auto window = kmeet_json({"event", "list", "--from", "2030-03-01", "--to", "2030-03-02"});
  EXPECT_EQ(window.size(), 1U);
  auto outside = kmeet_json({"event", "list", "--from", "2030-04-01"});
  EXPECT_EQ(outside.size(), 0U);

  auto upd = kmeet_json({"event", "update", id, "--summary", "Algebra II", "--set", "rs_show_chat=off"});
  EXPECT_EQ(upd["summary"], "Algebra II");
  EXPECT_NE(upd["tags"].get<std::string>().find("custom_rs_class_mode:webinar"), std::string::npos);
  EXPECT_NE(upd["tags"].get<std::string>().find("custom_rs_show_chat:0"), std::string::npos);
  EXPECT_EQ(kmeet_json({"event", "get", id})["summary"], "Algebra II");
  EXPECT_EQ(kmeet_json({"event", "cancel", id})["status"], 1);
  EXPECT_EQ(kmeet_json({"event", "delete", id})["status"], 3);
  EXPECT_EQ(kmeet({"event", "get", id}).code, 1);
}

TEST_F(Cli, RelativeTimesAreSentAbsolute) {
  const auto room = std::to_string(make_room("Room R"));
  auto before = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto ev = kmeet_json({"event", "create", "--room", room, "--summary", "Soon", "--start", "+90m", "--end", "+2h"});
  EXPECT_GE(ev["startDate"].get<std::int64_t>(), before + 5400);
  EXPECT_LE(ev["startDate"].get<std::int64_t>(), before + 5400 + 60);
  EXPECT_EQ(ev["endDate"].get<std::int64_t>() - ev["startDate"].get<std::int64_t>(), 1800);
}

TEST_F(Cli, LinkAddListDelete) {
  const auto r1 = std::to_string(make_room("L1"));
  const auto r2 = std::to_string(make_room("L2"));
  auto ev = kmeet_json({"event", "create", "--room", r1, "--summary", "S", "--start", "+1h", "--end", "+2h"});
  const auto id = std::to_string(ev["id"].get<std::int64_t>());
  auto added = kmeet_json({"link", "add", "--event", id, "--room", r2});
  EXPECT_EQ(std::to_string(added["resourceId"].get<std::int64_t>()), r2);
  EXPECT_EQ(kmeet_json({"link", "list", "--event", id}).size(), 2U);
  EXPECT_EQ(kmeet_json({"link", "list", "--room", r2, "--all"}).size(), 1U);
  kmeet_json({"link", "delete", "--event", id, "--room", r2});
  EXPECT_EQ(kmeet_json({"link", "list", "--event", id}).size(), 1U);
}

TEST_F(Cli, JoinGivesAWorkingLaunchUrl) {
  const auto room = std::to_string(make_room("Room J"));
  auto ev = kmeet_json({"event", "create", "--room", room, "--summary", "S", "--start", "+1h", "--end", "+2h"});
  const auto id = std::to_string(ev["id"].get<std::int64_t>());
  auto j = kmeet_json({"join", "--event", id, "--user", "max@example.com", "--role", "moderator", "--first-name", "Max",
                       "--ttl", "2h"});
  ASSERT_TRUE(j.contains("url") && j.contains("ks"));
  const std::string url = j["url"];
  EXPECT_EQ(url.rfind(emulator().base_url() + "/virtualEvent/launch?ks=", 0), 0U) << url;
  CurlTransport http;
  HttpRequest rq;
  rq.method = HttpMethod::get;
  rq.url = url;
  rq.idempotent = true;
  auto page = http.send(rq);
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Max"), std::string::npos);

  auto api = kmeet_json({"join", "--event", id, "--user", "ann", "--via-api"});
  EXPECT_TRUE(api.contains("ks"));
  auto iframe = kmeet({"join", "--room", room, "--user", "ann", "--iframe", "-o", "table"});
  EXPECT_EQ(iframe.code, 0);
  EXPECT_NE(iframe.out.find("<iframe"), std::string::npos);
  EXPECT_NE(iframe.out.find("allow=\"microphone *; camera *"), std::string::npos) << iframe.out;
  auto plain = kmeet({"join", "--event", id, "--user", "ann", "-o", "table"});
  EXPECT_EQ(plain.out.rfind("http", 0), 0U);
}

TEST_F(Cli, KsMintAndInspect) {
  auto m = kmeet_json({"ks", "mint", "--user", "max@example.com", "--event", "77", "--role", "attendee",
                       "--first-name", "Max", "--ttl", "1h"});
  const std::string ks = m["ks"];
  auto i = kmeet_json({"ks", "inspect", ks});
  EXPECT_EQ(i["userId"], "max@example.com");
  EXPECT_EQ(i["type"], "user");
  EXPECT_EQ(i["partnerId"], emulator().partner_id());
  EXPECT_EQ(i["signature"], "valid");
  EXPECT_NE(i["privileges"].get<std::string>().find("eventId:77"), std::string::npos);
  EXPECT_EQ(i["expires"].get<std::string>().rfind("expires in ", 0), 0U) << i["expires"];
  // Without a secret a v2 KS only shows its partner.
  auto e = env();
  e.erase("KALTURA_ADMIN_SECRET");
  auto r = run_kmeet({"ks", "inspect", "-"}, e, ks + "\n");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_FALSE(j["readable"].get<bool>());
  // --secret-env names another variable.
  e["OTHER"] = "wrong-secret-value";
  r = run_kmeet({"ks", "inspect", ks, "--secret-env", "OTHER"}, e);
  EXPECT_EQ(r.out.find("wrong-secret-value"), std::string::npos);
  EXPECT_EQ(r.code, 1) << "the signature does not match the given secret: " << r.err;
  EXPECT_NE(json::parse(r.out)["signature"], "valid");
  auto v1 = kmeet_json({"ks", "mint", "--type", "admin", "--v1"});
  EXPECT_EQ(kmeet_json({"ks", "inspect", v1["ks"]})["type"], "admin");
  auto table = kmeet({"ks", "inspect", ks, "-o", "table"});
  EXPECT_EQ(table.out.find(ks), std::string::npos) << "inspect never prints the KS";
}

TEST_F(Cli, SessionCommands) {
  auto s = kmeet_json({"session", "start", "--type", "admin", "--user", "ops"});
  const std::string ks = s["ks"];
  auto g = kmeet_json({"session", "get", ks});
  EXPECT_EQ(g["userId"], "ops");
  EXPECT_EQ(g["sessionType"], 2);
  EXPECT_FALSE(g.contains("ks"));
  EXPECT_EQ(kmeet({"session", "end", ks}).code, 0);
  auto after = kmeet({"session", "get", ks});
  EXPECT_EQ(after.code, 1);
  EXPECT_NE(after.err.find("INVALID_KS"), std::string::npos) << after.err;
  auto t = kmeet_json({"session", "time"});
  EXPECT_LE(std::llabs(t["skewSeconds"].get<std::int64_t>()), 5);
}

TEST_F(Cli, UsageErrorsExitTwoWithOneLine) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"room"},
      {"room", "create"},
      {"room", "get", "abc"},
      {"room", "get", "0"},
      {"frobnicate"},
      {"-o", "yaml", "room", "list"},
      {"event", "create", "--room", "1", "--summary", "S", "--start", "tomorrow", "--end", "+1h"},
      {"event", "create", "--room", "1", "--summary", "S", "--start", "+2h", "--end", "+1h"},
      {"event", "create", "--room", "1", "--summary", "S", "--start", "3600", "--end", "+1h"},
      {"room", "create", "--name", "X", "--set", "rs_room_cap=lots"},
      {"room", "create", "--name", "X", "--set", "no_such=1"},
      {"join", "--event", "1"},
      {"join", "--event", "1", "--room", "2", "--user", "u"},
      {"join", "--event", "1", "--user", "u", "--role", "king"},
      {"join", "--event", "1", "--user", "u", "--ttl", "forever"},
      {"ks", "mint", "--type", "root"},
      {"import"},
      {"import", "/nonexistent.csv"},
      {"room", "update", "5"},
  };
  for (const auto& args : bad) {
    auto r = kmeet(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_EQ(r.code, 2) << cmd << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << cmd;
    expect_one_line(r.err);
    EXPECT_EQ(r.err.rfind("kmeet: error: ", 0), 0U) << r.err;
  }
}

TEST_F(Cli, ApiAndNetworkErrorsExitOne) {
  auto e = env();
  e["KALTURA_ADMIN_SECRET"] = "not-the-admin-secret";
  auto r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("INVALID_KS"), std::string::npos) << r.err;
  expect_one_line(r.err);

  e = env();
  e["KALTURA_SERVICE_URL"] = "http://127.0.0.1:1";
  r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 1);
  expect_one_line(r.err);

  r = kmeet({"room", "get", "987654"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("INVALID_OBJECT_ID"), std::string::npos);
  r = kmeet({"event", "create", "--room", "987654", "--summary", "S", "--start", "+1h", "--end", "+2h"});
  EXPECT_EQ(r.code, 1) << r.err;
}

TEST_F(Cli, HelpOnEveryLevelWithExamples) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"room", "--help"}, {"room", "create", "--help"}, {"event", "--help"},
           {"event", "create", "--help"}, {"event", "list", "--help"}, {"link", "add", "--help"}, {"join", "--help"},
           {"ks", "--help"}, {"ks", "mint", "--help"}, {"ks", "inspect", "--help"}, {"session", "time", "--help"},
           {"analytics", "--help"}, {"analytics", "attendees", "--help"}, {"import", "--help"}, {"doctor", "--help"}}) {
    auto r = kmeet(args);
    EXPECT_EQ(r.code, 0) << args[0];
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << args[0] << " " << (args.size() > 1 ? args[1] : "");
    EXPECT_NE(r.out.find("kmeet"), std::string::npos);
  }
  auto r = kmeet({"import", "--help"});
  EXPECT_NE(r.out.find("room.KEY"), std::string::npos);
  EXPECT_NE(r.out.find("rs_class_mode"), std::string::npos);
}

TEST_F(Cli, SecretsNeverAppearInOutput) {
  const auto room = std::to_string(make_room("Secret room"));
  std::vector<CliResult> runs;
  runs.push_back(kmeet({"room", "list", "-o", "table"}));
  runs.push_back(kmeet({"room", "get", room, "-o", "csv"}));
  runs.push_back(kmeet({"join", "--room", room, "--user", "u", "--role", "moderator"}));
  runs.push_back(kmeet({"ks", "mint", "--type", "admin"}));
  runs.push_back(kmeet({"doctor"}));
  runs.push_back(kmeet({"doctor", "-o", "json"}));
  runs.push_back(kmeet({"room", "get", "424242"}));
  runs.push_back(kmeet({"room", "get", emulator().admin_secret()}));  // a misplaced secret is not echoed
  runs.push_back(kmeet({"frobnicate", emulator().admin_secret()}));
  auto e = env();
  e.erase("KALTURA_ADMIN_SECRET");
  runs.push_back(run_kmeet({"--admin-secret", emulator().admin_secret(), "room", "list"}, e));
  EXPECT_EQ(runs.back().code, 0);
  EXPECT_NE(runs.back().err.find("KALTURA_ADMIN_SECRET"), std::string::npos) << "warns that env is safer";
  e["KALTURA_SERVICE_URL"] = "http://127.0.0.1:1";
  runs.push_back(run_kmeet({"--admin-secret", emulator().admin_secret(), "room", "list"}, e));
  runs.push_back(run_kmeet({"--admin-secret=" + emulator().admin_secret(), "session", "start", "--type", "admin"}, env()));
  for (const auto& r : runs) expect_no_secrets(r);
}

TEST_F(Cli, AnalyticsSessionsAndAttendanceOfPeopleWhoJoined) {
  const auto room = std::to_string(make_room("Room A"));
  auto ev = kmeet_json({"event", "create", "--room", room, "--summary", "S", "--start", "+1h", "--end", "+2h"});
  const auto id = std::to_string(ev["id"].get<std::int64_t>());
  CurlTransport http;
  // A moderator first (attendees wait for one), then an attendee; each opens their launch URL.
  for (const auto& [user, role] : std::vector<std::pair<std::string, std::string>>{{"mod@example.com", "moderator"},
                                                                                    {"ann@example.com", "attendee"}}) {
    auto j = kmeet_json({"join", "--event", id, "--user", user, "--role", role, "--first-name", "P"});
    HttpRequest rq;
    rq.method = HttpMethod::get;
    rq.url = j["url"];
    rq.idempotent = true;
    ASSERT_EQ(http.send(rq).status, 200);
  }
  auto sessions = kmeet_json({"analytics", "sessions", "--room", room, "-o", "json"});
  ASSERT_TRUE(sessions.is_array());
  ASSERT_EQ(sessions.size(), 1U) << sessions.dump();
  const auto session = std::to_string(sessions[0]["id"].get<std::int64_t>());
  // Ids are JSON numbers like everywhere else (KAF sends them as strings).
  EXPECT_EQ(sessions[0]["third_party_room_id"], std::stoll(room));
  EXPECT_TRUE(sessions[0]["room_id"].is_number_integer()) << sessions.dump();
  auto people = kmeet_json({"analytics", "attendees", "--session", session, "--room", room, "-o", "json"});
  ASSERT_TRUE(people.is_array());
  std::vector<std::string> users;
  for (const auto& p : people) users.push_back(p["user_id"]);
  std::sort(users.begin(), users.end());
  EXPECT_EQ(users, (std::vector<std::string>{"ann@example.com", "mod@example.com"})) << people.dump();
  auto csv = kmeet({"analytics", "attendees", "--session", session, "--event", id, "-o", "csv"});
  EXPECT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(csv.out.find("ann@example.com"), std::string::npos) << csv.out;
  auto both = kmeet({"analytics", "attendees", "--session", session, "--room", room, "--event", id});
  EXPECT_EQ(both.code, 2);
  expect_one_line(both.err);
}

TEST_F(Cli, DoctorPassesAgainstTheEmulatorAndFailsWithAWrongSecret) {
  make_room("Doctor room");
  auto r = kmeet({"doctor", "-o", "table"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("\u2718"), std::string::npos) << r.out;
  for (const char* check : {"service reachable", "clock skew", "credentials", "schedule plugin", "KAF launch",
                            "test KS privileges"}) {
    EXPECT_NE(r.out.find(std::string("\u2714 ") + check), std::string::npos) << check << "\n" << r.out;
  }
  auto e = env();
  e["KALTURA_ADMIN_SECRET"] = "wrong-admin-secret";
  r = run_kmeet({"doctor", "-o", "table"}, e);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\u2718 credentials"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\u2192"), std::string::npos) << "says what to do";
  auto j = run_kmeet({"doctor", "-o", "json"}, e);
  EXPECT_TRUE(json::parse(j.out).is_array());
}

TEST_F(Cli, DoctorChecksKafWithoutRecordingAJoinUnlessAskedTo) {
  make_room("A real room");
  const auto joins_before = stats()["joins"];
  auto r = kmeet({"doctor", "-o", "table"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\u2714 KAF launch"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no join recorded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\u2714 test KS privileges"), std::string::npos) << r.out;
  EXPECT_EQ(stats()["joins"], joins_before) << "doctor joined a real room";
  // --launch enters the newest room and says so.
  r = kmeet({"doctor", "--launch", "-o", "table"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("accepts a moderator launch"), std::string::npos) << r.out;
  EXPECT_NE(stats()["joins"], joins_before);
  // A wrong admin secret: KAF refuses the probe's KS.
  auto e = env();
  e["KALTURA_ADMIN_SECRET"] = "wrong-admin-secret";
  r = run_kmeet({"doctor", "-o", "json"}, e);
  EXPECT_EQ(r.code, 1);
}

TEST_F(Cli, DoctorWithoutAnAdminSecretSaysToConfigureOne) {
  auto e = env();
  e.erase("KALTURA_ADMIN_SECRET");
  auto r = run_kmeet({"doctor", "-o", "table"}, e);
  EXPECT_EQ(r.code, 1);
  auto at = r.out.find("\u2718 schedule plugin");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string fix = r.out.substr(r.out.find('\n', at) + 1);
  EXPECT_NE(fix.find("KALTURA_ADMIN_SECRET (KMC > Integration Settings)"), std::string::npos) << r.out;
  EXPECT_NE(fix.find("set an app token"), std::string::npos) << r.out;
  EXPECT_EQ(fix.find("ask Kaltura"), std::string::npos) << r.out;
}

TEST_F(Cli, AGivenKsDoesNotOverrideTheAdminSecret) {
  // design.md section 4: with an admin secret, API calls use a KS minted locally.
  auto e = env();
  e["KALTURA_KS"] = "djJ8MTIzNDU2N3xzdGFsZXN0YWxlc3RhbGVzdGFsZQ";  // stale or foreign
  auto r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out).is_array());
  EXPECT_NE(r.err.find("using the admin secret"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.find(e["KALTURA_KS"]), std::string::npos);
}

TEST_F(Cli, HttpErrorsAreNamedOnce) {
  auto e = env();
  e["KALTURA_SERVICE_URL"] = emulator().base_url() + "/not-kaltura";
  auto r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 1);
  expect_one_line(r.err);
  EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("HTTP 404: HTTP"), std::string::npos) << r.err;
}

TEST(CliDoctor, AServerWithoutSystemGetTimeIsStillReachable) {
  // system.getTime is not part of the schedule API a server must have: doctor says the service
  // answers, skips only the clock check and goes on with the others.
  LoopbackServer server([](Connection& c, const ReceivedRequest& r) {
    const bool system = r.target.find("/service/system/") != std::string::npos;
    const std::string body =
        system ? R"({"code":"SERVICE_DOES_NOT_EXISTS","message":"Service \"system\" does not exists","objectType":"KalturaAPIException","args":{"SRV_NAME":"system"}})"
               : R"({"code":"INVALID_KS","message":"Invalid KS","objectType":"KalturaAPIException","args":[]})";
    (void)c.send(http_response(200, body, {{"Content-Type", "application/json"}}));
  });
  const std::map<std::string, std::string> env = {{"KALTURA_SERVICE_URL", server.url("")},
                                                  {"KALTURA_KAF_URL", server.url("")},
                                                  {"KALTURA_PARTNER_ID", "1234567"},
                                                  {"KALTURA_ADMIN_SECRET", "0123456789abcdef0123456789abcdef"}};
  auto r = run_kmeet({"doctor", "-o", "json"}, env);
  EXPECT_EQ(r.code, 1) << r.err;  // the credentials check fails
  const auto checks = nlohmann::json::parse(r.out);
  bool reachable = false, clock = false, credentials = false;
  for (const auto& c : checks) {
    const std::string name = c.value("check", "");
    if (name == "service reachable") reachable = c.value("ok", false);
    if (name == "clock skew") clock = true;
    if (name == "credentials") credentials = true;
  }
  EXPECT_TRUE(reachable) << r.out;
  EXPECT_FALSE(clock) << r.out;
  EXPECT_TRUE(credentials) << r.out;
  EXPECT_EQ(r.out.find("0123456789abcdef0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace kmeet::test
