// Issue 21 (a hostile tester's findings) and issue 15 item 5 (doctor on an independent server): the
// real `kmeet` binary against kmeet-emulator or a loopback server of the test's own.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "kmeet/http.hpp"
#include "support/cli_test.hpp"
#include "support/emulator.hpp"
#include "support/loopback_server.hpp"
#include "support/tls_server.hpp"

namespace kmeet::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int line_count(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

class Hardening : public CliTest {
 protected:
  json stats() { return emulator_stats(); }
};

// 40 rows, one in four with a room setting the SDK refuses (issue 21 item 1).
std::string bad_settings_csv() {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"p_rtmp_url", "http://x"},  {"cat_id", "abc"},           {"rs_room_cap", "0"},       {"rs_room_cap", "5000000"},
      {"company_logo", "ftp://x"}, {"redirect_url", "javascript://x"}, {"rtmp_key", "a,b"}, {"xl_room_pres", "0"},
      {"live_entry", "a,b"},       {"rs_room_version", "x,y"}};
  std::vector<std::string> keys = {"p_rtmp_url", "cat_id", "rs_room_cap", "company_logo", "redirect_url",
                                   "rtmp_key",   "xl_room_pres", "live_entry", "rs_room_version"};
  std::string csv = "room_name,summary,start,end";
  for (const auto& k : keys) csv += ",room." + k;
  csv += "\n";
  for (int i = 0; i < 40; ++i) {
    std::vector<std::string> cells(keys.size());
    if (i % 4 == 3) {
      const auto& [k, v] = bad[static_cast<std::size_t>(i / 4)];
      auto at = std::find(keys.begin(), keys.end(), k) - keys.begin();
      cells[static_cast<std::size_t>(at)] = "\"" + v + "\"";
    }
    csv += fmt::format("Room {},S{},{},{}", i, i, 1893456000 + i * 3600, 1893456000 + i * 3600 + 1800);
    for (const auto& c : cells) csv += "," + c;
    csv += "\n";
  }
  return csv;
}

TEST_F(Hardening, SettingsTheSdkRefusesAreRefusedPerRowByThePlanner) {
  auto file = write("bad.csv", bad_settings_csv());
  // --dry-run is exact: the SDK's own validation ran on every row.
  auto dry = kmeet({"import", file, "--dry-run"});
  EXPECT_EQ(dry.code, 1);
  EXPECT_EQ(json::parse(dry.out)["invalid"], 10) << dry.out;
  // --strict: exit 2, nothing sent.
  auto strict = kmeet({"import", file, "--strict"});
  EXPECT_EQ(strict.code, 2) << strict.err;
  EXPECT_EQ(stats()["objects"]["resources"], 0);
  for (const char* concurrency : {"4", "1"}) {
    auto r = kmeet({"import", file, "--concurrency", concurrency});
    EXPECT_EQ(r.code, 1) << r.err;
    ASSERT_TRUE(json::accept(r.out)) << r.out << r.err;
    EXPECT_EQ(json::parse(r.out)["failed"], 10) << r.out;
    EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 5: room.p_rtmp_url: must be an rtmp:// or rtmps:// URL"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 9: room.cat_id: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 17: room.rs_room_cap: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 41: room.rs_room_version: "), std::string::npos) << r.err;
  }
  EXPECT_EQ(stats()["objects"]["resources"], 30) << "every good row once, no bad row";
}

TEST_F(Hardening, ACommaInTheSystemNameNamesTheLineAndTheRestIsImported) {
  auto file = write("comma.csv",
                    "room_name,room_system_name,summary,start,end\n"
                    "A,\"a,b\",S,2031-01-01T09:00:00Z,2031-01-01T10:00:00Z\n"
                    "B,b,S,2031-01-01T09:00:00Z,2031-01-01T10:00:00Z\n");
  auto r = kmeet({"import", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"created":1,"skipped":0,"failed":1})"));
  EXPECT_EQ(r.err.rfind("line 2: room_system_name: must not contain ','", 0), 0U) << r.err;
  EXPECT_EQ(r.err.find("not sent"), std::string::npos) << r.err;
}

TEST_F(Hardening, ABadResultsPathIsAUsageErrorBeforeAnythingIsSent) {
  auto file = write("one.csv", "room_name,summary,start,end\nZ,S,2031-01-01T09:00:00Z,2031-01-01T10:00:00Z\n");
  fs::create_directories(home_ / "adir");
  for (const std::string& bad : {std::string(), (home_ / "adir").string(), (home_ / "adir").string() + "/"}) {
    auto r = kmeet({"import", file, "--results", bad});
    EXPECT_EQ(r.code, 2) << bad << ": " << r.err;
    EXPECT_EQ(r.err.rfind("kmeet: error: --results: ", 0), 0U) << r.err;
    EXPECT_EQ(line_count(r.err), 1) << r.err;
  }
  EXPECT_EQ(stats()["objects"]["resources"], 0);
}

TEST_F(Hardening, TheResultsFileNeverFollowsAPlantedLink) {
  auto file = write("one.csv", "room_name,summary,start,end\nZ,S,2031-01-01T09:00:00Z,2031-01-01T10:00:00Z\n");
  write("victim", "precious\n");
  fs::create_symlink(home_ / "victim", home_ / "results.csv.tmp");
  auto r = kmeet({"import", file, "--results", (home_ / "results.csv").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(home_ / "victim"), "precious\n") << "the link's target was written";
  EXPECT_TRUE(fs::is_symlink(home_ / "results.csv.tmp")) << "what kmeet did not create is left alone";
  EXPECT_NE(slurp(home_ / "results.csv").find(",created,http"), std::string::npos);
  EXPECT_EQ(fs::status(home_ / "results.csv").permissions(), fs::perms::owner_read | fs::perms::owner_write);
  // No temporary file is left behind.
  for (const auto& e : fs::directory_iterator(home_)) {
    EXPECT_EQ(e.path().filename().string().rfind(".results.csv.", 0), std::string::npos) << e.path();
  }
}

// A slow server (every answer delayed) keeps the first import running.
class SlowHardening : public Hardening {
 protected:
  EmulatorProcess::Options emulator_options() override {
    EmulatorProcess::Options o;
    o.extra_args = {"--faults", "delay=1,delay_ms=400"};
    return o;
  }
};

std::string many_rows(int n) {
  std::string csv = "room_name,summary,start,end\n";
  for (int i = 0; i < n; ++i) {
    csv += fmt::format("Slow {},S,{},{}\n", i, 1893456000 + i * 3600, 1893456000 + i * 3600 + 1800);
  }
  return csv;
}

TEST_F(SlowHardening, ASecondImportOfTheSameFileOnThisMachineIsRefused) {
  auto file = write("slow.csv", many_rows(8));
  const auto results = (home_ / "out.csv").string();
  KmeetProcess first({"import", file, "--concurrency", "1", "--batch", "1", "--results", results}, env());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // it holds the lock while it sends
  // Core dumps are off in kmeet itself (it holds the admin secret).
  const std::string limits = slurp(fmt::format("/proc/{}/limits", first.pid()));
  EXPECT_NE(limits.find("Max core file size        0                    0"), std::string::npos) << limits;
  auto second = kmeet({"import", file});
  EXPECT_EQ(second.code, 1) << second.err;
  EXPECT_NE(second.err.find(fmt::format("another kmeet import of {} is running (pid {})", file, first.pid())),
            std::string::npos)
      << second.err;
  // Another CSV writing the same results file: refused too.
  auto other = write("other.csv", many_rows(1));
  auto third = kmeet({"import", other, "--results", results});
  EXPECT_EQ(third.code, 1) << third.err;
  EXPECT_NE(third.err.find("another kmeet import of"), std::string::npos) << third.err;
  auto done = first.wait();
  EXPECT_EQ(done.code, 0) << done.err;
  // Once it is done the file can be imported again (all skipped).
  auto again = kmeet({"import", file});
  EXPECT_EQ(again.code, 0) << again.err;
}

TEST_F(SlowHardening, AResultsFileThatFailsAtTheEndStillPrintsTheSummary) {
  auto file = write("slow.csv", many_rows(4));
  fs::create_directories(home_ / "sub");
  KmeetProcess run({"import", file, "--concurrency", "1", "--batch", "1", "--results", (home_ / "sub" / "r.csv").string()},
                   env());
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  fs::rename(home_ / "sub", home_ / "moved");  // the temporary file goes with it: the final rename fails
  auto r = run.wait();
  EXPECT_EQ(r.code, 1);
  ASSERT_TRUE(json::accept(r.out)) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"created":4,"skipped":0,"failed":0})"));
  EXPECT_NE(r.err.find("kmeet: error: --results: "), std::string::npos) << r.err;
}

TEST_F(Hardening, ConfigWithASecretReadableByOthersIsWarnedAbout) {
  auto config = write("config.toml", fmt::format("partner_id = {}\nadmin_secret = \"{}\"\nservice_url = \"{}\"\n",
                                                 emulator().partner_id(), emulator().admin_secret(),
                                                 emulator().base_url()));
  auto e = env();
  e.erase("KALTURA_ADMIN_SECRET");
  e["KMEET_CONFIG"] = config;
  ::chmod(config.c_str(), 0644);
  auto r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("holds a secret but is readable by others (mode 0644); run: chmod 600"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find(emulator().admin_secret()), std::string::npos);
  ::chmod(config.c_str(), 0600);
  r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST_F(Hardening, AServiceUrlWithoutAHostIsRefused) {
  for (const char* url : {"http://", "http:///x", "https://:443/x", "http://user@/"}) {
    auto e = env();
    e["KALTURA_SERVICE_URL"] = url;
    auto r = run_kmeet({"room", "list"}, e);
    EXPECT_EQ(r.code, 2) << url << ": " << r.err;
    EXPECT_EQ(r.err.rfind("kmeet: error: KALTURA_SERVICE_URL: must name a host", 0), 0U) << r.err;
    auto f = kmeet({"--service-url", url, "room", "list"});
    EXPECT_EQ(f.err.rfind("kmeet: error: --service-url: must name a host", 0), 0U) << f.err;
  }
}

TEST_F(Hardening, InputsAreReadWithACap) {
  ::signal(SIGPIPE, SIG_IGN);  // kmeet stops reading early
  auto e = env();
  e["KMEET_CONFIG"] = "/dev/urandom";
  auto r = run_kmeet({"room", "list"}, e);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("config: /dev/urandom is larger than 1 MiB"), std::string::npos) << r.err;
  r = kmeet({"import", "/dev/zero"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("FILE: /dev/zero is larger than 64 MiB"), std::string::npos) << r.err;
  r = run_kmeet({"ks", "inspect", "-"}, env(), std::string(100 * 1024, 'A'));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("longer than 64 KiB"), std::string::npos) << r.err;
  r = run_kmeet({"session", "end", "-"}, env(), std::string(100 * 1024, 'A'));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
}

TEST_F(Hardening, GlobalFlagsDoNotSwallowTheCommand) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--insecure", "room", "list"},
                                                                {"--insecure", "-o", "json", "room", "list"},
                                                                {"-o", "json", "--insecure", "room", "list"}}) {
    auto r = kmeet(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(json::accept(r.out)) << r.out;
  }
}

TEST_F(Hardening, ErrorsNameTheFlagTheUserTyped) {
  auto r = kmeet({"--timeout", "abc", "room", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("kmeet: error: --timeout: ", 0), 0U) << r.err;
  r = kmeet({"room", "create", "--name", "R", "--set", "rs_room_cap=0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("kmeet: error: --set rs_room_cap: must be greater than 0", 0), 0U) << r.err;
  r = kmeet({"room", "create", "--name", "R", "--set", "p_rtmp_url=http://x"});
  EXPECT_EQ(r.err.rfind("kmeet: error: --set p_rtmp_url: must be an rtmp:// or rtmps:// URL", 0), 0U) << r.err;
  r = kmeet({"room", "create", "--name", "   "});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("kmeet: error: --name: must not be blank", 0), 0U) << r.err;
  r = kmeet({"event", "create", "--room", "1", "--summary", " \t ", "--start", "+1h", "--end", "+2h"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("kmeet: error: --summary: must not be blank", 0), 0U) << r.err;
  EXPECT_EQ(stats()["objects"]["resources"], 0);
}

TEST_F(Hardening, UserIdsWithControlCharactersAreRefused) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"join", "--event", "1", "--user", "max\nkmeet: error: forged"},
           {"ks", "mint", "--user", "max\x1b[2J"},
           {"join", "--event", "1", "--user", "max", "--first-name", "M\rX"},
           {"import", "x.csv", "--moderator-user", "m\n"}}) {
    auto r = kmeet(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("control characters"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  }
}

TEST_F(Hardening, CsvFileTextCannotForgeTerminalLines) {
  auto file = write("forge.csv",
                    "room_name,summary,start,end\n"
                    "R,S,\"soon\nkmeet: error: forged\x1b]0;title\x07\",2031-01-01T10:00:00Z\n");
  auto r = kmeet({"import", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.find("\nkmeet: error: forged"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\nkmeet: error: forged\\x1b]0;title\\x07"), std::string::npos) << r.err;
}

// ---- a server of the test's own -------------------------------------------------------------

std::map<std::string, std::string> loopback_env(const LoopbackServer& s) {
  return {{"PATH", "/usr/bin:/bin"},
          {"KALTURA_SERVICE_URL", s.url("")},
          {"KALTURA_KAF_URL", s.url("")},
          {"KALTURA_PARTNER_ID", "1234567"},
          {"KALTURA_ADMIN_SECRET", "0123456789abcdef0123456789abcdef"}};
}

TEST(CliServerText, EscapesAndNewlinesFromTheServerArePrintedEscaped) {
  LoopbackServer server([](Connection& c, const ReceivedRequest& r) {
    const bool list = r.target.find("/action/list") != std::string::npos;
    const std::string body =
        list ? R"({"objects":[{"id":7,"name":"red\u001b[31m\nkmeet: forged","tags":"vcprovider:newrow",)"
               R"("status":2,"objectType":"KalturaLocationScheduleResource"}],"totalCount":1,)"
               R"("objectType":"KalturaScheduleResourceListResponse"})"
             : R"({"code":"X","message":"bad\u001b]8;;http://evil\u0007\nkmeet: error: forged","objectType":"KalturaAPIException","args":[]})";
    (void)c.send(http_response(200, body, {{"Content-Type", "application/json"}}));
  });
  auto env = loopback_env(server);
  auto r = run_kmeet({"room", "list", "-o", "table"}, env);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("red\\x1b[31m\\nkmeet: forged"), std::string::npos) << r.out;
  r = run_kmeet({"room", "get", "7"}, env);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
}

TEST(CliServerText, AServerThatPutsTheKsInTheErrorCodeNeverGetsItPrinted) {
  // A hostile server echoes the KS it received into the exception's code, an argument's name and
  // value and the X-Me header. No output of kmeet may carry it: plain errors, import, doctor JSON.
  std::mutex mu;
  std::set<std::string> seen;
  LoopbackServer server([&](Connection& c, const ReceivedRequest& r) {
    std::string ks = "none";
    if (const auto body = nlohmann::json::parse(r.body, nullptr, false); body.is_object() && body.contains("ks")) {
      ks = body["ks"].get<std::string>();
      std::lock_guard lock(mu);
      seen.insert(ks);
    }
    const nlohmann::json err = {{"objectType", "KalturaAPIException"}, {"code", ks}, {"message", "m"},
                                {"args", {{ks, ks}}}};
    (void)c.send(http_response(200, err.dump(), {{"Content-Type", "application/json"}, {"X-Me", ks}}));
  });
  auto env = loopback_env(server);
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-ks-in-code-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  env["HOME"] = dir.string();
  const auto csv = (dir / "t.csv").string();
  std::ofstream(csv) << "room_name,summary,start,end\nR,S,2030-01-01T09:00:00Z,2030-01-01T10:00:00Z\n";
  std::vector<CliResult> runs = {run_kmeet({"room", "list"}, env), run_kmeet({"room", "get", "7"}, env),
                                 run_kmeet({"import", csv}, env), run_kmeet({"doctor", "--output", "json"}, env)};
  std::filesystem::remove_all(dir);
  std::lock_guard lock(mu);
  ASSERT_FALSE(seen.empty());
  for (const auto& r : runs) {
    EXPECT_NE(r.code, 0);
    for (const auto& ks : seen) {
      EXPECT_EQ(r.out.find(ks), std::string::npos) << r.out;
      EXPECT_EQ(r.err.find(ks), std::string::npos) << r.err;
    }
  }
}

TEST(CliServerText, ARedirectSaysItIsNotFollowed) {
  LoopbackServer server([](Connection& c, const ReceivedRequest&) {
    (void)c.send(http_response(302, "<a href=\"https://login.example.com/x\">moved</a>",
                               {{"Location", "https://login.example.com/x"}}));
  });
  auto r = run_kmeet({"room", "list"}, loopback_env(server));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 302"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("does not follow redirects"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("login.example.com"), std::string::npos) << r.err;
}

TEST(CliCsvOutput, FormulaCellsAreNeutralised) {
  LoopbackServer server([](Connection& c, const ReceivedRequest&) {
    const std::string body =
        R"x({"objects":[{"id":7,"name":"=HYPERLINK(\"http://evil\")","systemName":"-5","tags":"@x",)x"
        R"("status":2,"objectType":"KalturaLocationScheduleResource"}],"totalCount":1,)"
        R"("objectType":"KalturaScheduleResourceListResponse"})";
    (void)c.send(http_response(200, body, {{"Content-Type", "application/json"}}));
  });
  auto r = run_kmeet({"room", "list", "-o", "csv"}, loopback_env(server));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("7,\"'=HYPERLINK(\"\"http://evil\"\")\",-5,2,'@x"), std::string::npos) << r.out;
}

// ---- issue 15 item 5: doctor on a server that is not the emulator ---------------------------

class DoctorKaf : public EmulatorTest {};

TEST_F(DoctorKaf, AnyAnswerForAnUnknownRoomIsAHealthySetup) {
  for (int status : {403, 404, 200}) {
    LoopbackServer kaf([status](Connection& c, const ReceivedRequest&) {
      (void)c.send(http_response(status, "<html>no such room</html>", {{"Content-Type", "text/html"}}));
    });
    std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"},
                                              {"KALTURA_SERVICE_URL", emulator().base_url()},
                                              {"KALTURA_KAF_URL", kaf.url("")},
                                              {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
                                              {"KALTURA_ADMIN_SECRET", emulator().admin_secret()}};
    auto r = run_kmeet({"doctor", "-o", "table"}, env);
    EXPECT_EQ(r.code, 0) << status << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(fmt::format("\u2714 KAF launch: {} is reachable (HTTP {})", kaf.url(""), status)),
              std::string::npos)
        << r.out;
    for (const auto& rq : kaf.requests()) {
      EXPECT_EQ(rq.target.find("ks="), std::string::npos) << "no KS is sent to probe KAF: " << rq.target;
    }
    env["KALTURA_ADMIN_SECRET"] = "wrong-admin-secret";
    r = run_kmeet({"doctor", "-o", "table"}, env);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("\u2718 credentials"), std::string::npos) << r.out;
  }
}

TEST_F(DoctorKaf, AKafHostThatDoesNotAnswerIsNamed) {
  std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"},
                                            {"KALTURA_SERVICE_URL", emulator().base_url()},
                                            {"KALTURA_KAF_URL", "http://127.0.0.1:1"},
                                            {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
                                            {"KALTURA_ADMIN_SECRET", emulator().admin_secret()}};
  auto r = run_kmeet({"doctor", "-o", "table"}, env);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\u2718 KAF launch"), std::string::npos) << r.out;
}

TEST_F(DoctorKaf, LaunchWithoutARoomUsesARoomItCreatesAndDeletes) {
  std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"},
                                            {"KALTURA_SERVICE_URL", emulator().base_url()},
                                            {"KALTURA_KAF_URL", emulator().base_url()},
                                            {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
                                            {"KALTURA_ADMIN_SECRET", emulator().admin_secret()}};
  auto r = run_kmeet({"doctor", "--launch", "-o", "table"}, env);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("created for the test and deleted again"), std::string::npos) << r.out;
  auto rooms = run_kmeet({"room", "list"}, env);
  EXPECT_EQ(json::parse(rooms.out), json::array()) << rooms.out;
}

TEST(DoctorTls, InsecureIsReportedAsUnverified) {
  SelfSignedCert cert;
  EmulatorProcess emu(EmulatorProcess::Options{.extra_args = {"--tls-cert", cert.cert_file(), "--tls-key",
                                                              cert.key_file()}});
  std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"},
                                            {"KALTURA_SERVICE_URL", emu.base_url()},
                                            {"KALTURA_KAF_URL", emu.base_url()},
                                            {"KALTURA_PARTNER_ID", std::to_string(emu.partner_id())},
                                            {"KALTURA_ADMIN_SECRET", emu.admin_secret()}};
  auto r = run_kmeet({"--insecure", "doctor", "-o", "table"}, env);
  EXPECT_EQ(r.out.find("verified TLS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("WITHOUT certificate verification"), std::string::npos) << r.out;
  // Without --insecure the self-signed certificate is refused, and the message names --ca-file.
  auto plain = run_kmeet({"room", "list"}, env);
  EXPECT_EQ(plain.code, 1);
  EXPECT_EQ(plain.err.find("HttpOptions::"), std::string::npos) << plain.err;
  auto with_ca = run_kmeet({"--ca-file", cert.cert_file(), "room", "list"}, env);
  EXPECT_EQ(with_ca.code, 0) << with_ca.err;
}

}  // namespace
}  // namespace kmeet::test
