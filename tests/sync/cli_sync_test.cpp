// `kmeet sync` end to end against kmeet-emulator, in-process through cli::run (what the kmeet
// binary runs): CSV and iCalendar, --plan / --apply, JSON contract, exit statuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/app.hpp"
#include "cli/import_plan.hpp"
#include "cli/timefmt.hpp"
#include "sync/sync_fixture.hpp"

namespace kmeet::test {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

struct SyncRun {
  int code = -1;
  std::string out, err;
};

class SyncCli : public SyncOnEmulator {
 protected:
  void SetUp() override {
    SyncOnEmulator::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("kmeet-sync-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    SyncOnEmulator::TearDown();
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  // `kmeet [-o json] sync ARGS...` through cli::run, as the kmeet binary runs it (json unless ARGS
  // has its own -o).
  SyncRun sync(std::vector<std::string> args, const std::string& admin_secret = {}) {
    const bool has_output = std::find(args.begin(), args.end(), "-o") != args.end();
    args.insert(args.begin(), "sync");
    if (!has_output) args.insert(args.begin(), {"-o", "json"});
    std::map<std::string, std::string> env = {
        {"KALTURA_SERVICE_URL", emulator().base_url()},
        {"KALTURA_KAF_URL", emulator().base_url()},
        {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
        {"KALTURA_ADMIN_SECRET", admin_secret.empty() ? emulator().admin_secret() : admin_secret},
    };
    std::ostringstream out, err;
    std::istringstream in;
    cli::Io io{out, err};
    io.in = &in;
    io.read_file = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    io.getenv = [env](const char* name) {
      auto it = env.find(name);
      return it == env.end() ? std::optional<std::string>() : std::optional<std::string>(it->second);
    };
    SyncRun r;
    r.code = cli::run(args, io);
    r.out = out.str();
    r.err = err.str();
    return r;
  }
  json objects() {
    CurlTransport http;
    HttpRequest rq;
    rq.method = HttpMethod::get;
    rq.url = emulator().base_url() + "/__emulator/stats";
    rq.idempotent = true;
    return json::parse(http.send(rq).body)["objects"];
  }
  std::filesystem::path dir_;
};

const std::vector<std::string> kWindow = {"--from", "2035-01-01T00:00:00Z", "--to", "2036-01-01T00:00:00Z"};

std::vector<std::string> with_window(std::vector<std::string> args) {
  args.insert(args.end(), kWindow.begin(), kWindow.end());
  return args;
}

const char* kTerm =
    "key,room_name,summary,start,end,event.rs_class_mode,description\r\n"
    "alg-1,Room 101,Algebra,2035-03-12T08:00:00Z,2035-03-12T09:30:00Z,webinar,Week 1\r\n"
    "alg-2,Room 101,Algebra,2035-03-19T08:00:00Z,2035-03-19T09:30:00Z,webinar,Week 2\r\n"
    "bio-1,Room 102,Biology,2035-03-14T13:00:00Z,2035-03-14T14:30:00Z,,\r\n";

// Algebra week 2 moved by a day, Biology dropped, Chemistry added.
const char* kEdited =
    "key,room_name,summary,start,end,event.rs_class_mode,description\r\n"
    "alg-1,Room 101,Algebra,2035-03-12T08:00:00Z,2035-03-12T09:30:00Z,webinar,Week 1\r\n"
    "alg-2,Room 101,Algebra,2035-03-20T08:00:00Z,2035-03-20T09:30:00Z,webinar,Week 2\r\n"
    "chem-1,Room 102,Chemistry,2035-03-15T10:00:00Z,2035-03-15T11:00:00Z,,\r\n";

TEST_F(SyncCli, CsvTermAppliedEditedExactlyOneCreateUpdateCancelThenNothing) {
  const std::string file = write("term.csv", kTerm);
  SyncRun r = sync(with_window({file, "--plan"}));
  ASSERT_EQ(r.code, 0) << r.err;
  json plan = json::parse(r.out);
  EXPECT_EQ(plan["create"].size(), 3U);
  EXPECT_EQ(objects()["events"], 0) << "--plan sends nothing";
  r = sync(with_window({file, "--apply", "--batch", "2", "--concurrency", "2"}));
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const json first_apply = json::parse(r.out);  // named: a range-for over a temporary's member dangles
  for (const auto& item : first_apply["create"]) EXPECT_EQ(item["result"], "done") << item;
  EXPECT_EQ(objects()["events"], 3);

  // A session made by hand in Room 101.
  Client c = client();
  const Room room101 = room_named("Room 101");
  Event hand;
  hand.summary = "Consultation";
  hand.start = utc(2035, 3, 21, 8);
  hand.end = utc(2035, 3, 21, 9);
  const Meeting by_hand = c.create_meeting(MeetingSpec{.room = room101.id, .event = hand});

  const std::string edited = write("term.csv", kEdited);
  r = sync(with_window({edited, "--plan"}));
  ASSERT_EQ(r.code, 0) << r.err;
  plan = json::parse(r.out);
  ASSERT_EQ(plan["create"].size(), 1U);
  EXPECT_EQ(plan["create"][0]["key"], "chem-1");
  ASSERT_EQ(plan["update"].size(), 1U);
  EXPECT_EQ(plan["update"][0]["key"], "alg-2");
  const json changes = plan["update"][0]["changes"];
  EXPECT_EQ(changes, json::parse(R"({"startDate":[2057904000,2057990400],"endDate":[2057909400,2057995800]})"));
  ASSERT_EQ(plan["cancel"].size(), 1U);
  EXPECT_EQ(plan["cancel"][0]["summary"], "Biology");
  EXPECT_EQ(plan["delete"].size(), 0U);
  EXPECT_EQ(plan["unchanged"], 1);
  EXPECT_EQ(plan["conflicts"].size(), 0U);

  r = sync(with_window({edited, "--apply"}));
  ASSERT_EQ(r.code, 0) << r.err;
  const json applied = json::parse(r.out);
  EXPECT_EQ(applied["update"][0]["result"], "done");
  EXPECT_EQ(applied["cancel"][0]["result"], "done");
  EXPECT_TRUE(applied["create"][0]["id"].is_number());
  const json again = json::parse(sync(with_window({edited, "--plan"})).out);
  EXPECT_TRUE(again["create"].empty() && again["update"].empty() && again["cancel"].empty() && again["delete"].empty());
  EXPECT_EQ(again["unchanged"], 3);
  EXPECT_EQ(objects()["events"], 4) << "active: Algebra twice, Chemistry, the hand-made one";
  EXPECT_EQ(objects()["cancelled_events"], 1) << "Biology is cancelled, not deleted";
  const Event still = c.events().get(by_hand.event.id);
  EXPECT_EQ(still.updated_at, by_hand.event.updated_at);
  EXPECT_EQ(still.status, EventStatus::active);
}

TEST_F(SyncCli, IcsPlanIsTheDocumentedJson) {
  const std::string file = write("term.ics", sync_data("term_2035.ics"));
  const SyncRun r = sync(with_window({file, "--plan"}));
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::ordered_json plan = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto& [k, v] : plan.items()) keys.push_back(k);
  EXPECT_THAT(keys, ::testing::ElementsAre("create", "update", "cancel", "delete", "unchanged", "kept", "conflicts",
                                           "window"));
  ASSERT_EQ(plan["create"].size(), 8U);
  const json first = plan["create"][0];
  EXPECT_EQ(first["key"], "algebra-2035@uni.example/20350312");
  EXPECT_EQ(first["startDate"], 2057299200) << "2035-03-12T08:00:00Z";
  EXPECT_EQ(first["room"], json::parse(R"({"id":null,"name":"Room 101","systemName":")" +
                                       default_room_system_name("Room 101") + "\"}"));
  EXPECT_EQ(first["referenceId"], sync_reference_id("default", "algebra-2035@uni.example/20350312"));
  EXPECT_THAT(first["source"].get<std::string>(), HasSubstr("(UID algebra-2035@uni.example)"));
  EXPECT_EQ(plan["window"]["from"], 2051222400);
}

TEST_F(SyncCli, TableOutputListsEveryActionAndASummary) {
  const std::string file = write("term.ics", sync_data("term_2035.ics"));
  const SyncRun r = sync(with_window({"-o", "table", file, "--plan"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ACTION"));
  EXPECT_THAT(r.out, HasSubstr("2035-03-12T08:00:00Z"));
  EXPECT_THAT(r.out, HasSubstr("Room 101 (new)"));
  EXPECT_THAT(r.out, HasSubstr("8 to create, 0 to update, 0 to cancel, 0 to delete, 0 unchanged, 0 conflicts"));
}

TEST_F(SyncCli, BadFilesExitTwoAndSendNothing) {
  struct Case {
    std::string name, text, expected;
    std::vector<std::string> extra;
  };
  const std::vector<Case> cases = {
      {"malformed.ics", sync_data("malformed.ics"), "malformed.ics: line 15 (UID broken@example.org): ", {}},
      {"all_day.ics", sync_data("all_day.ics"), "line 15 (UID holiday@example.org): all-day event", {}},
      {"floating.ics", sync_data("floating.ics"), "floating time", {}},
      {"nokey.csv", "room_name,summary,start,end\r\nR,S,2035-03-12T08:00:00Z,2035-03-12T09:00:00Z\r\n",
       "line 1: required column 'key' is missing", {}},
      {"relative.csv", "key,room_name,summary,start,end\r\nk,R,S,+1d,+1d1h\r\n", "line 2: start: a relative time", {}},
      {"dupkey.csv",
       "key,room_name,summary,start,end\r\nk,R,S,2035-03-12T08:00:00Z,2035-03-12T09:00:00Z\r\n"
       "k,R,T,2035-03-13T08:00:00Z,2035-03-13T09:00:00Z\r\n",
       "line 3: key: 'k' is used by line 2 too", {}},
      {"badrow.csv", "key,room_name,summary,start,end\r\nk,R,S,tomorrow,2035-03-12T09:00:00Z\r\n", "line 2: start", {}},
      {"tz.csv", kTerm, "--tz: applies to iCalendar files", {"--tz", "Europe/Berlin"}},
      {"badtz.ics", sync_data("floating.ics"), "--tz: 'Mars/Olympus' is not a time zone", {"--tz", "Mars/Olympus"}},
  };
  for (const Case& k : cases) {
    std::vector<std::string> args = with_window({write(k.name, k.text), "--plan"});
    args.insert(args.end(), k.extra.begin(), k.extra.end());
    const SyncRun r = sync(args);
    EXPECT_EQ(r.code, 2) << k.name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(k.expected)) << k.name;
    EXPECT_TRUE(r.out.empty()) << k.name;
  }
  EXPECT_EQ(objects()["resources"], 0);
  EXPECT_EQ(objects()["events"], 0);
}

TEST_F(SyncCli, UsageErrors) {
  const std::string file = write("term.ics", sync_data("term_2035.ics"));
  EXPECT_EQ(sync({file}).code, 2) << "--plan or --apply is required";
  EXPECT_EQ(sync({file, "--plan", "--apply"}).code, 2);
  EXPECT_EQ(sync({file, "--plan", "--missing", "erase"}).code, 2);
  EXPECT_EQ(sync({file, "--plan", "--batch", "0"}).code, 2);
  const SyncRun scope = sync(with_window({file, "--plan", "--scope", ""}));
  EXPECT_EQ(scope.code, 2);
  EXPECT_THAT(scope.err, HasSubstr("--scope: must be 1..64 bytes"));
  const SyncRun backwards = sync({file, "--plan", "--from", "2036-01-01T00:00:00Z", "--to", "2035-01-01T00:00:00Z"});
  EXPECT_EQ(backwards.code, 2);
  EXPECT_THAT(backwards.err, HasSubstr("--to: must be after --from"));
  const std::string ny = write("ny.ics", sync_data("newyork_seminar.ics"));
  const SyncRun room = sync({ny, "--plan", "--room", "99999", "--from", "2026-01-01T00:00:00Z", "--to",
                             "2027-01-01T00:00:00Z"});
  EXPECT_EQ(room.code, 2);
  EXPECT_THAT(room.err, HasSubstr("--room: room 99999 does not exist"));
  // A missing room id of a --location mapping names --location, not --room.
  const SyncRun location = sync({ny, "--plan", "--room", "Seminar room", "--location", "Room 204=999999", "--from", "2026-01-01T00:00:00Z",
                                 "--to", "2027-01-01T00:00:00Z"});
  EXPECT_EQ(location.code, 2);
  EXPECT_THAT(location.err, HasSubstr("--location: room 999999 does not exist"));
}

TEST_F(SyncCli, EveryBadKeyOfACsvIsListed) {
  // An empty key on line 2 used to hide the control character of line 3's key.
  const std::string file = write("keys.csv",
                                 "key,room_name,summary,start,end\n"
                                 ",Room C,D,2027-03-04T09:00:00Z,2027-03-04T10:00:00Z\n"
                                 "\"k\x01\",Room C,E,2027-03-04T09:00:00Z,2027-03-04T10:00:00Z\n");
  const SyncRun r = sync(with_window({file, "--plan"}));
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("line 2: key: is required"));
  EXPECT_THAT(r.err, HasSubstr("line 3: key: must be 1..1024 bytes without control characters"));
  EXPECT_EQ(objects()["events"], 0);
}

TEST_F(SyncCli, RoomByIdForEventsWithoutLocationAndLocationMapping) {
  Client c = client();
  Room spec;
  spec.name = "Seminar room";
  const Room seminar = c.rooms().add(spec);
  const std::string file = write("ny.ics", sync_data("newyork_seminar.ics"));
  const SyncRun r = sync({file, "--plan", "--room", seminar.id.str(), "--location", "Room 204=Lab 4", "--from",
                      "2026-01-01T00:00:00Z", "--to", "2027-01-01T00:00:00Z"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json plan = json::parse(r.out);
  ASSERT_EQ(plan["create"].size(), 12U);
  EXPECT_EQ(plan["create"][0]["room"]["id"], seminar.id.value());
  EXPECT_EQ(plan["create"][6]["room"]["name"], "Lab 4");
}

TEST_F(SyncCli, ExpectPlanAppliesOnlyTheReviewedPlan) {
  const std::string file = write("term.csv", kTerm);
  const SyncRun planned = sync(with_window({file, "--plan"}));
  ASSERT_EQ(planned.code, 0);
  const std::string reviewed = write("plan.json", planned.out);
  write("term.csv", kEdited);  // the export changed after the review
  SyncRun r = sync(with_window({file, "--apply", "--expect-plan", reviewed}));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("the plan is no longer the one in"));
  EXPECT_EQ(objects()["events"], 0) << "nothing sent";
  write("term.csv", kTerm);
  r = sync(with_window({file, "--apply", "--expect-plan", reviewed}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(objects()["events"], 3);
  EXPECT_EQ(sync(with_window({file, "--plan", "--expect-plan", reviewed})).code, 2) << "goes with --apply";
  EXPECT_EQ(sync(with_window({file, "--apply", "--expect-plan", write("junk.json", "[1,2")})).code, 2);
}

TEST_F(SyncCli, AWrongSecretFailsWithoutPrintingIt) {
  const std::string file = write("term.ics", sync_data("term_2035.ics"));
  const SyncRun r = sync(with_window({file, "--apply"}), "wrong-secret-value-0123456789");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("INVALID_KS"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("wrong-secret-value")));
}

TEST(SyncCsvRooms, SyncDerivesRoomSystemNamesExactlyAsImportDoes) {
  for (const char* name : {"Room 101", "Hörsaal 1", "  ", "A very long room name that goes on and on and on", "R&D"}) {
    EXPECT_EQ(default_room_system_name(name), cli::derive_system_name(name)) << name;
  }
}

}  // namespace
}  // namespace kmeet::test
