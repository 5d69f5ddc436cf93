// Recordings from the command line, end to end against kmeet-emulator: `event create --record`
// (one request), a join, the session's end, `recording list` showing it converting then READY,
// `recording wait`, `recording url` of the documented shapes (docs/protocol.md J.6), and `import`
// with the `record` column.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "kmeet/http.hpp"
#include "kmeet/ks.hpp"
#include "run_kmeet.hpp"
#include "support/emulator.hpp"

namespace kmeet::test {
namespace {

using nlohmann::json;

class RecordingCli : public EmulatorTest {
 protected:
  EmulatorProcess::Options emulator_options() override {
    return EmulatorProcess::Options{.extra_args = {"--recording-delay", "3"}};
  }
  void SetUp() override {
    EmulatorTest::SetUp();
    home_ = std::filesystem::temp_directory_path() / ("kmeet-rec-cli-" + std::to_string(::getpid()));
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
            {"KALTURA_KAF_URL", emulator().base_url()}};
  }
  CliResult kmeet(const std::vector<std::string>& args) { return run_kmeet(args, env()); }
  json kmeet_json(std::vector<std::string> args) {
    args.insert(args.end(), {"-o", "json"});
    auto r = kmeet(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(json::accept(r.out)) << r.out;
    return json::accept(r.out) ? json::parse(r.out) : json();
  }
  HttpResponse get(const std::string& url) {
    CurlTransport http;
    HttpRequest rq;
    rq.method = HttpMethod::get;
    rq.url = url;
    rq.idempotent = true;
    return http.send(rq);
  }
  std::int64_t requests() { return json::parse(get(emulator().base_url() + "/__emulator/stats").body)["requests"]; }
  std::string recorded_event(std::int64_t start, std::int64_t end) {
    const auto room = kmeet_json({"room", "create", "--name", "Lecture hall"})["id"].get<std::int64_t>();
    const auto before = requests();
    json ev = kmeet_json({"event", "create", "--room", std::to_string(room), "--summary", "Algebra", "--start",
                          std::to_string(start), "--end", std::to_string(end), "--record"});
    EXPECT_EQ(requests() - before, 1) << "event create --record must be one HTTP request";
    EXPECT_TRUE(ev.contains("templateEntryId")) << ev.dump();
    return std::to_string(ev["id"].get<std::int64_t>());
  }
  std::filesystem::path home_;
};

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

TEST_F(RecordingCli, ScheduleJoinEndListWaitUrl) {
  const std::int64_t end = unix_now() + 4;
  const std::string event = recorded_event(unix_now() - 60, end);
  const json got = kmeet_json({"event", "get", event});
  const std::string tmpl = got["templateEntryId"];
  EXPECT_EQ(tmpl.substr(0, 2), "0_");

  const json join = kmeet_json({"join", "--event", event, "--user", "prof@example.com", "--role", "moderator"});
  ASSERT_EQ(get(join["url"]).status, 200);
  EXPECT_EQ(kmeet_json({"recording", "list", "--event", event}), json::array());  // still running

  std::this_thread::sleep_for(std::chrono::seconds(end - unix_now() + 1));
  const json converting = kmeet_json({"recording", "list", "--event", event});
  ASSERT_EQ(converting.size(), 1U) << converting.dump();
  const json& r = converting[0];
  for (const char* key : {"id", "name", "status", "duration", "rootEntryId", "dataUrl", "downloadUrl", "thumbnailUrl", "createdAt"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  EXPECT_EQ(r["status"], 1);
  EXPECT_EQ(r["statusName"], "PRECONVERT");
  EXPECT_EQ(r["rootEntryId"], tmpl);
  EXPECT_EQ(r["name"], "Algebra");
  EXPECT_EQ(r["eventId"].get<std::int64_t>(), std::stoll(event));
  EXPECT_EQ(kmeet_json({"recording", "list", "--event", event, "--ready"}), json::array());

  const auto wait = kmeet({"recording", "wait", "--event", event, "--timeout", "60s", "--poll", "1s", "-o", "json"});
  ASSERT_EQ(wait.code, 0) << wait.err;
  const json ready = json::parse(wait.out);
  EXPECT_EQ(ready["status"], 2);
  const std::string id = ready["id"];
  EXPECT_EQ(kmeet_json({"recording", "list", "--event", event, "--ready", "--all"}).size(), 1U);
  EXPECT_EQ(kmeet_json({"recording", "get", id})["rootEntryId"], tmpl);

  // protocol.md J.6 shapes, on the emulator's own host.
  const std::string manifest = emulator().base_url() + "/p/1234567/sp/123456700/playManifest/entryId/" + id;
  const auto url = kmeet({"recording", "url", id, "-o", "table"});
  EXPECT_EQ(url.out, manifest + "/format/url/protocol/http\n");
  EXPECT_EQ(kmeet_json({"recording", "url", id, "--format", "download"})["url"],
            manifest + "/format/download/protocol/http/flavorParamIds/0");
  const auto hls = kmeet_json({"recording", "url", id, "--format", "hls"});
  EXPECT_EQ(hls["url"], manifest + "/format/applehttp/protocol/http");
  EXPECT_EQ(hls["format"], "hls") << "the CLI's name, as docs/cli.md lists it";
  EXPECT_EQ(kmeet_json({"recording", "url", id, "--format", "applehttp"})["format"], "hls");
  EXPECT_EQ(kmeet_json({"recording", "url", id, "--format", "dash"})["url"], manifest + "/format/mpegdash/protocol/http");
  EXPECT_EQ(get(manifest + "/format/download/protocol/http/flavorParamIds/0").status, 200);
  const json with_ks = kmeet_json({"recording", "url", id, "--with-ks", "--ks-ttl", "1h"});
  const std::string u = with_ks["url"];
  ASSERT_EQ(u.rfind(manifest + "/format/url/protocol/http/ks/", 0), 0U) << u;
  std::string encoded = u.substr(u.rfind('/') + 1), ks_text;  // percent-encoded as a path segment
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      ks_text += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      ks_text += encoded[i];
    }
  }
  const KsInfo ks = Ks::inspect(ks_text, emulator().admin_secret());
  EXPECT_EQ(ks.raw_type, 0);  // a USER KS, never the admin KS
  EXPECT_EQ(ks.privileges, "sview:" + id);

  const auto table = kmeet({"recording", "list", "--event", event, "-o", "table"});
  EXPECT_NE(table.out.find("READY"), std::string::npos) << table.out;
}

TEST_F(RecordingCli, WaitExitsOneOnFailureAndOnTimeout) {
  const std::string failing = recorded_event(unix_now() + 3600, unix_now() + 7200);
  const auto posted = get(emulator().base_url() + "/__emulator/stats");  // keep the connection warm
  (void)posted;
  CurlTransport http;
  HttpRequest rq;
  rq.url = emulator().base_url() + "/__emulator/recordings";
  rq.headers = {{"Content-Type", "application/json"}};
  rq.body = json{{"eventId", std::stoll(failing)}, {"readyAfterSeconds", 0}, {"fail", true}}.dump();
  ASSERT_EQ(http.send(rq).status, 200);
  auto r = kmeet({"recording", "wait", "--event", failing, "--timeout", "30s", "--poll", "1s"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("ERROR_CONVERTING"), std::string::npos) << r.err;

  const std::string quiet = recorded_event(unix_now() + 8000, unix_now() + 9000);
  const auto start = std::chrono::steady_clock::now();
  r = kmeet({"recording", "wait", "--event", quiet, "--timeout", "2s", "--poll", "1s"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("within 2 s"), std::string::npos) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(RecordingCli, ErrorsAreOneLineWithTheRightExitStatus) {
  const auto room = kmeet_json({"room", "create", "--name", "Plain"})["id"].get<std::int64_t>();
  const json plain = kmeet_json({"event", "create", "--room", std::to_string(room), "--summary", "No recording", "--start",
                                 std::to_string(unix_now() + 3600), "--end", std::to_string(unix_now() + 7200)});
  EXPECT_FALSE(plain.contains("templateEntryId"));
  auto r = kmeet({"recording", "list", "--event", std::to_string(plain["id"].get<std::int64_t>())});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("has no recording template"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1);
  r = kmeet({"recording", "get", "0_nothere"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("ENTRY_ID_NOT_FOUND"), std::string::npos) << r.err;
  EXPECT_EQ(kmeet({"recording", "get", "0_x/../y"}).code, 2);
  EXPECT_EQ(kmeet({"recording", "url", "0_abc", "--format", "rtmp"}).code, 2);
  EXPECT_EQ(kmeet({"recording", "list"}).code, 2);  // --event is required
  EXPECT_EQ(kmeet({"recording", "wait", "--event", "abc"}).code, 2);
  EXPECT_EQ(kmeet({"recording", "wait", "--event", "1", "--timeout", "soon"}).code, 2);
}

TEST_F(RecordingCli, ImportColumnRecord) {
  const std::string file = (home_ / "term.csv").string();
  const std::int64_t t = unix_now() + 86400;
  std::ofstream(file) << "room_name,summary,start,end,record\n"
                      << "Hall A,Recorded," << t << "," << t + 3600 << ",on\n"
                      << "Hall A,Not recorded," << t + 7200 << "," << t + 10800 << ",off\n"
                      << "Hall B,Default," << t << "," << t + 3600 << ",\n";
  auto r = kmeet({"import", file, "-o", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["created"], 3);
  std::map<std::string, bool> recorded;
  for (const json& e : kmeet_json({"event", "list", "--all"})) recorded[e["summary"]] = e.contains("templateEntryId");
  EXPECT_EQ(recorded, (std::map<std::string, bool>{{"Recorded", true}, {"Not recorded", false}, {"Default", false}}));
  // Importing again makes nothing twice, templates included.
  r = kmeet({"import", file, "-o", "json"});
  EXPECT_EQ(json::parse(r.out)["skipped"], 3);
  const json objects = json::parse(get(emulator().base_url() + "/__emulator/objects").body);
  EXPECT_EQ(objects["entries"].size(), 1U);

  std::ofstream(file) << "room_name,summary,start,end,record\nHall C,Bad," << t << "," << t + 3600 << ",maybe\n";
  r = kmeet({"import", file});
  EXPECT_NE(r.err.find("line 2: record: 'maybe' is not on/off"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kmeet::test
