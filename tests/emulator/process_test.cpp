// The program: command line, first line, clean stop, and --state surviving a restart.

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <filesystem>
#include <set>
#include <thread>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

int run_status(const std::string& args) {
  const int rc = std::system((emulator_path() + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs the emulator to its end (killed after 10 s: a run that should have failed would listen forever).
RunResult run(const std::string& args) {
  static int n = 0;
  const auto base = std::filesystem::temp_directory_path() /
                    ("kmeet-emu-run-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  const std::string out = base.string() + ".out";
  const std::string err = base.string() + ".err";
  const std::string cmd = "timeout -s KILL 10 " + emulator_path() + " " + args + " >" + out + " 2>" + err;
  const int rc = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(ProcessTest, BadArgumentsExitWithUsage) {
  EXPECT_EQ(run_status("--bogus"), 2);
  EXPECT_EQ(run_status("--port"), 2);
  EXPECT_EQ(run_status("--port abc"), 2);
  EXPECT_EQ(run_status("--faults 5xx=2"), 2);
  EXPECT_EQ(run_status("--faults nonsense=0.1"), 2);
  EXPECT_EQ(run_status("--help"), 0);
}

TEST(ProcessTest, UnknownOptionIsNamedAsUnknown) {
  for (const std::string a : {"--bogus", "--bogus 1", "--port 0 --bogus"}) {
    const RunResult r = run(a);
    EXPECT_EQ(r.status, 2) << a;
    EXPECT_EQ(r.out, "") << a;
    EXPECT_EQ(lines(r.err), 1U) << a << ": " << r.err;
    EXPECT_EQ(r.err.rfind("kmeet-emulator: unknown option --bogus", 0), 0U) << r.err;
    EXPECT_EQ(r.err.find("needs a value"), std::string::npos) << r.err;
  }
  const RunResult extra = run("extra");
  EXPECT_EQ(extra.status, 2);
  EXPECT_EQ(extra.err.rfind("kmeet-emulator: unexpected argument 'extra'", 0), 0U) << extra.err;
  const RunResult missing = run("--port");
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err.rfind("kmeet-emulator: --port needs a value", 0), 0U) << missing.err;
}

TEST(ProcessTest, OutOfRangeValuesExitTwoNamingTheFlag) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--ks-version", "3"},
      {"--ks-version", "0"},
      {"--threads", "0"},
      {"--threads", "-3"},
      {"--threads", "100000"},
      {"--partner-id", "-5"},
      {"--partner-id", "0"},
      {"--partner-id", "99999999999999999999"},
      {"--attendance-seconds", "-100"},
      {"--attendance-seconds", "0"},
      {"--max-event-duration", "0"},
      {"--max-event-duration", "-1"},
      {"--max-event-duration", "1.5"},
      {"--port", "65536"},
      {"--port", "-1"},
      {"--port", "+80"},
      {"--seed", "-1"},
      {"--host", "''"},
      {"--user-secret", "''"},
      {"--admin-secret", "','"},
      {"--state", "''"},
      {"--faults", "5xx=nan"},
      {"--faults", "delay_ms=1e300"},
      {"--max-body", "10"},
      {"--max-body", "x"},
      {"--max-multirequest", "0"},
      {"--max-connections", "1"},
      {"--keep-alive-timeout", "0"},
      {"--header-timeout", "0"},
      {"--latency", "-1"},
      {"--rate-limit", "-1"},
      {"--rate-window", "0"},
  };
  for (const auto& [flag, value] : bad) {
    const RunResult r = run(flag + " " + value);
    EXPECT_EQ(r.status, 2) << flag << " " << value;
    EXPECT_EQ(r.out, "") << flag << " " << value;
    EXPECT_EQ(lines(r.err), 1U) << flag << " " << value << ": " << r.err;
    EXPECT_EQ(r.err.rfind("kmeet-emulator: " + flag, 0), 0U) << flag << " " << value << ": " << r.err;
  }
}

TEST(ProcessTest, EdgeValuesAreAccepted) {
  EmulatorProcess::Options o;
  o.partner_id = 1;
  o.extra_args = {"--ks-version", "1", "--threads", "1", "--attendance-seconds", "1", "--max-event-duration", "1",
                  "--seed", "0"};
  EmulatorProcess e(o);
  const auto ks = call(e, "session", "start", {{"secret", e.admin_secret()}, {"type", 2}, {"partnerId", 1}});
  ASSERT_TRUE(ks.is_string());
  EXPECT_EQ(ks.get<std::string>().rfind("v2_", 0), std::string::npos);  // --ks-version 1 emits v1
  const auto t = now() + 3600;
  EXPECT_EQ(add_event(e, admin_ks(e), "two seconds", t, t + 2)["code"], "MAX_SCHEDULE_DURATION_REACHED");
  EXPECT_EQ(e.stop(), 0);
}

TEST(ProcessTest, ABusyPortFailsWithOneLine) {
  EmulatorProcess first;
  const std::string port = std::to_string(first.port());
  const RunResult second = run("--port " + port);
  EXPECT_EQ(second.status, 1) << second.err;
  EXPECT_EQ(second.out, "");  // never `listening PORT`
  EXPECT_EQ(lines(second.err), 1U) << second.err;
  EXPECT_EQ(second.err.rfind("kmeet-emulator: cannot listen on 127.0.0.1:" + port + " (", 0), 0U) << second.err;
  EXPECT_NE(second.err.find("in use"), std::string::npos) << second.err;
  // The first one still answers, and alone.
  EXPECT_TRUE(call(first, "system", "getTime", Json::object()).is_number_integer());
  EXPECT_EQ(first.stop(), 0);
}

TEST(ProcessTest, APortFreedByAStopCanBeReusedAtOnce) {
  int port = 0;
  {
    EmulatorProcess first;
    port = first.port();
    EXPECT_TRUE(call(first, "system", "getTime", Json::object()).is_number_integer());  // leaves TIME_WAIT behind
    EXPECT_EQ(first.stop(), 0);
  }
  // SO_REUSEADDR: a restart on the same port works while old connections sit in TIME_WAIT.
  const std::string cmd =
      "timeout --preserve-status -s TERM 1 " + emulator_path() + " --port " + std::to_string(port) + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[128] = {};
  const std::string first_line = std::fgets(buf, sizeof buf, p) != nullptr ? std::string(buf) : std::string();
  const int rc = ::pclose(p);
  EXPECT_EQ(first_line, "listening " + std::to_string(port) + "\n");
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << rc;  // SIGTERM from timeout: a clean stop
}

TEST(ProcessTest, AdminPostsNeedNoBody) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-nobody-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "state.json").string();
  std::filesystem::remove(file);
  EmulatorProcess::Options o;
  o.extra_args = {"--state", file};
  EmulatorProcess e(o);
  add_room(e, admin_ks(e), "before reset");
  ASSERT_EQ(stats(e)["objects"]["resources"], 1);

  // What `curl -X POST URL` sends: no body, no Content-Length.
  const auto reset = post_without_body(e.base_url() + "/__emulator/reset");
  EXPECT_EQ(reset.status, 200);
  EXPECT_EQ(reset.body, R"({"status":"ok"})");
  EXPECT_EQ(stats(e)["objects"]["resources"], 0);

  add_room(e, admin_ks(e), "saved");
  const auto save = post_without_body(e.base_url() + "/__emulator/save");
  EXPECT_EQ(save.status, 200);
  EXPECT_EQ(save.body, R"({"status":"ok"})");
  EXPECT_NE(slurp(file).find("saved"), std::string::npos);

  // No body where one is needed: the endpoint's own error, not cpp-httplib's empty 400.
  const auto msg = post_without_body(e.base_url() + "/__emulator/messages");
  EXPECT_EQ(msg.status, 400);
  EXPECT_EQ(msg.json()["error"], "body must be a JSON object");
  EXPECT_EQ(post_without_body(e.base_url() + "/__emulator/nothing").status, 404);

  // api_v3 takes its parameters from the query or the path just as well.
  const auto time = post_without_body(e.base_url() + "/api_v3/service/system/action/getTime?format=1");
  EXPECT_EQ(time.status, 200);
  EXPECT_TRUE(time.json().is_number_integer()) << time.body;
  EXPECT_EQ(e.stop(), 0);
  std::filesystem::remove_all(dir);
}

TEST(ProcessTest, VerboseLogsOneLinePerRequestWithoutTheKs) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-verbose-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EmulatorProcess::Options o;
  o.extra_args = {"--verbose"};
  o.stderr_file = (dir / "err.txt").string();
  EmulatorProcess e(o);
  const std::string base = e.base_url();
  const std::string ks = "notakssecretpart";
  EXPECT_EQ(request(base + "/api_v3/service/system/action/getTime/ks/" + ks + "?format=1").status, 200);
  EXPECT_EQ(request(base + "/api_v3/service/multirequest/ks/" + ks + "?format=1", "{}", "application/json").status, 200);
  EXPECT_EQ(request(base + "/api_v3/index.php?service=system&action=getTime&format=1&ks=" + ks).status, 200);
  EXPECT_EQ(request(base + "/virtualEvent/launch?ks=" + ks).status, 403);
  EXPECT_EQ(request(base + "/__emulator/stats").status, 200);
  EXPECT_EQ(e.stop(), 0);
  const std::string log = slurp(o.stderr_file);
  EXPECT_EQ(lines(log), 5U) << log;
  EXPECT_NE(log.find("kmeet-emulator: GET /api_v3/service/system/action/getTime 200\n"), std::string::npos) << log;
  EXPECT_NE(log.find("kmeet-emulator: POST /api_v3/service/multirequest 200\n"), std::string::npos) << log;
  EXPECT_NE(log.find("kmeet-emulator: GET /api_v3/index.php service=system action=getTime 200\n"), std::string::npos)
      << log;
  EXPECT_NE(log.find("kmeet-emulator: GET /virtualEvent/launch 403\n"), std::string::npos) << log;
  EXPECT_NE(log.find("kmeet-emulator: GET /__emulator/stats 200\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("secret"), std::string::npos) << log;
  std::filesystem::remove_all(dir);
}

TEST(ProcessTest, QuietWithoutVerbose) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-quiet-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EmulatorProcess::Options o;
  o.stderr_file = (dir / "err.txt").string();
  EmulatorProcess e(o);
  EXPECT_EQ(request(e.base_url() + "/api_v3/service/system/action/getTime?format=1").status, 200);
  EXPECT_EQ(e.stop(), 0);
  EXPECT_EQ(slurp(o.stderr_file), "");
  std::filesystem::remove_all(dir);
}

TEST(ProcessTest, PortZeroPicksAFreePortAndSigtermStopsCleanly) {
  EmulatorProcess a;
  EmulatorProcess b;
  EXPECT_GT(a.port(), 0);
  EXPECT_NE(a.port(), b.port());
  EXPECT_TRUE(call(a, "system", "getTime", Json::object()).is_number_integer());
  EXPECT_EQ(a.stop(), 0);
}

TEST(ProcessTest, CustomCredentials) {
  EmulatorProcess::Options o;
  o.partner_id = 777;
  o.admin_secret = "custom-admin";
  o.user_secret = "custom-user";
  EmulatorProcess e(o);
  const auto ks = call(e, "session", "start", {{"secret", "custom-user"}, {"type", 0}, {"partnerId", 777}});
  ASSERT_TRUE(ks.is_string());
  EXPECT_EQ(Ks::inspect(ks.get<std::string>(), std::string_view("custom-admin")).partner_id.value(), 777);
  EXPECT_EQ(call(e, "session", "start", {{"secret", "emulator-admin-secret"}, {"type", 2}, {"partnerId", 777}})["code"],
            "START_SESSION_ERROR");
}

TEST(ProcessTest, ConcurrentClientsSeeOneConsistentState) {
  EmulatorProcess e;
  const auto ks = admin_ks(e);
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> ids(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        ids[static_cast<std::size_t>(t)].push_back(
            add_room(e, ks, "t" + std::to_string(t) + "-" + std::to_string(i))["id"].get<std::int64_t>());
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::int64_t> unique;
  for (const auto& v : ids) unique.insert(v.begin(), v.end());
  EXPECT_EQ(unique.size(), 200U);
  EXPECT_EQ(call(e, "schedule_scheduleresource", "list", {{"ks", ks}, {"pager", {{"pageSize", 500}}}})["totalCount"], 200);
  EXPECT_EQ(stats(e)["objects"]["resources"], 200);
}

TEST(ProcessTest, StateFileSurvivesARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-state-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "state.json").string();
  std::filesystem::remove(file);
  EmulatorProcess::Options o;
  o.extra_args = {"--state", file};
  std::int64_t room_id = 0;
  std::int64_t event_id = 0;
  std::string ended;
  {
    EmulatorProcess e(o);
    const auto ks = admin_ks(e);
    room_id = add_room(e, ks, "persistent")["id"].get<std::int64_t>();
    const auto t = now() + 3600;
    event_id = add_event(e, ks, "kept", t, t + 60)["id"].get<std::int64_t>();
    link(e, ks, event_id, room_id);
    ended = admin_ks(e, "leaver");
    post(e, "session", "end", {{"ks", ended}});
    EXPECT_EQ(e.stop(), 0);
  }
  ASSERT_TRUE(std::filesystem::exists(file));
  {
    EmulatorProcess e(o);
    const auto ks = admin_ks(e);
    EXPECT_EQ(call(e, "schedule_scheduleresource", "get", {{"ks", ks}, {"scheduleResourceId", room_id}})["name"], "persistent");
    EXPECT_EQ(call(e, "schedule_scheduleevent", "get", {{"ks", ks}, {"scheduleEventId", event_id}})["summary"], "kept");
    EXPECT_EQ(call(e, "schedule_scheduleeventresource", "list", {{"ks", ks}})["totalCount"], 1);
    EXPECT_GT(add_room(e, ks, "next")["id"].get<std::int64_t>(), room_id);
    EXPECT_EQ(call(e, "schedule_scheduleresource", "list", {{"ks", ended}})["args"]["KSID"], "LOGOUT");
  }
  std::filesystem::remove_all(dir);
}

TEST(ProcessTest, AStateFileThatCannotBeWrittenFailsAtStart) {
  const std::string file = "/nonexistent-kmeet-dir-" + std::to_string(::getpid()) + "/state.json";
  const RunResult r = run("--state " + file);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, "");  // never `listening PORT`
  EXPECT_EQ(lines(r.err), 1U) << r.err;
  EXPECT_EQ(r.err, "kmeet-emulator: cannot write state file " + file + " (No such file or directory)\n");
  // A directory where the file should be: it cannot be read.
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-statedir-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const RunResult d = run("--state " + dir.string());
  EXPECT_EQ(d.status, 1) << d.err;
  EXPECT_EQ(d.err.rfind("kmeet-emulator: cannot read state file " + dir.string() + " (", 0), 0U) << d.err;
  std::filesystem::remove_all(dir);
}

TEST(ProcessTest, UnreadableTlsFilesFailAtStart) {
  const RunResult r = run("--tls-cert /nonexistent/cert.pem --tls-key /nonexistent/key.pem");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "kmeet-emulator: cannot load the TLS certificate /nonexistent/cert.pem / key /nonexistent/key.pem\n");
}

TEST(ProcessTest, AFailedSaveIsAnErrorAndASaveIsAtomic) {
  const auto dir = std::filesystem::temp_directory_path() / ("kmeet-emu-save-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "state.json").string();
  EmulatorProcess::Options o;
  o.extra_args = {"--state", file};
  o.stderr_file = (std::filesystem::temp_directory_path() / ("kmeet-emu-save-" + std::to_string(::getpid()) + ".err")).string();
  EmulatorProcess e(o);
  add_room(e, admin_ks(e), "first");
  std::filesystem::remove_all(dir);  // the directory goes away under the running emulator
  const auto failed = post_without_body(e.base_url() + "/__emulator/save");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.json()["error"], "cannot write state file " + file + " (No such file or directory)");

  std::filesystem::create_directories(dir);
  const auto saved = post_without_body(e.base_url() + "/__emulator/save");
  EXPECT_EQ(saved.status, 200);
  EXPECT_EQ(saved.body, R"({"status":"ok"})");
  EXPECT_NE(slurp(file).find("first"), std::string::npos);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1U) << "no temporary file is left behind";
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  EXPECT_EQ(e.stop(), 0);
  // The failure was logged once, on one line.
  EXPECT_EQ(lines(slurp(o.stderr_file)), 1U) << slurp(o.stderr_file);
  std::filesystem::remove_all(dir);
  std::filesystem::remove(o.stderr_file);
}

}  // namespace
}  // namespace kmeet::test
