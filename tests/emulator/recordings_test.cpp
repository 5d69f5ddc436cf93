// Recordings in kmeet-emulator (docs/emulator.md "Recordings"): media.add/get/list/delete and
// baseentry.get/list with the filters and defaults of protocol.md J.4, the overlap rule of J.2, the
// backend making a recording when a session with a template ends, and the J.6 URLs it serves.

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

const char* const kAllButDeleted = "-2,-1,0,1,2,4,5,6,7";

class RecordingsTest : public EmulatorTest {
 protected:
  EmulatorProcess::Options emulator_options() override {
    EmulatorProcess::Options o;
    o.extra_args = {"--recording-delay", "2"};
    return o;
  }
  void SetUp() override {
    EmulatorTest::SetUp();
    ks = admin_ks(emulator());
  }
  Json add_template(const Json& extra = Json::object()) {
    Json entry{{"objectType", "KalturaMediaEntry"}, {"name", "Weekly sync"}, {"mediaType", 1}, {"referenceId", "kmeet-evt-42"}};
    for (auto it = extra.begin(); it != extra.end(); ++it) entry[it.key()] = *it;
    return call(emulator(), "media", "add", {{"ks", ks}, {"entry", entry}});
  }
  Json add_event_with(const std::string& tmpl, std::int64_t start, std::int64_t end, int recurrence = 0) {
    Json e = event("Class", start, end);
    e["templateEntryId"] = tmpl;
    e["recurrenceType"] = recurrence;
    if (recurrence == 1) e["recurrence"] = {{"objectType", "KalturaScheduleEventRecurrence"}, {"frequency", "days"}, {"count", 2}};
    return call(emulator(), "schedule_scheduleevent", "add", {{"ks", ks}, {"scheduleEvent", e}});
  }
  Json list(const std::string& service, Json filter, Json pager = Json()) {
    Json params{{"ks", ks}, {"filter", std::move(filter)}};
    if (!pager.is_null()) params["pager"] = std::move(pager);
    return call(emulator(), service, "list", params);
  }
  Json recordings_of(const std::string& tmpl, const std::string& statuses = kAllButDeleted) {
    Json f{{"objectType", "KalturaMediaEntryFilter"}, {"rootEntryIdEqual", tmpl}};
    if (!statuses.empty()) f["statusIn"] = statuses;
    return list("media", f);
  }
  /// A room and an event with `tmpl` from `start` to `end`, linked, and a moderator who joined it.
  std::int64_t joined_session(const std::string& tmpl, std::int64_t start, std::int64_t end) {
    const std::int64_t room = add_room(emulator(), ks, "Room")["id"].get<std::int64_t>();
    const std::int64_t ev = add_event_with(tmpl, start, end)["id"].get<std::int64_t>();
    link(emulator(), ks, ev, room);
    const std::string user_ks = mint(emulator(), SessionType::user, "prof@example.com",
                                     "eventId:" + std::to_string(ev) + ",role:adminRole,userContextualRole:0");
    EXPECT_EQ(request(emulator().base_url() + "/virtualEvent/launch?ks=" + escape(user_ks)).status, 200);
    return ev;
  }
  Response admin_record(const Json& body) {
    return request(emulator().base_url() + "/__emulator/recordings", body.dump(), "application/json");
  }
  std::string ks;
};

TEST_F(RecordingsTest, MediaAddAnswersAsInJ7) {
  const Json t = add_template({{"description", "Recording of the weekly sync"},
                               {"userId", "max@organization.com"},
                               {"tags", "kmeet,weekly"},
                               {"categoriesIds", "123456"}});
  const std::string id = t["id"].get<std::string>();
  EXPECT_EQ(id.size(), 10U);
  EXPECT_EQ(id.substr(0, 2), "0_");
  EXPECT_EQ(t["status"], 7);  // NO_CONTENT (J.3)
  EXPECT_EQ(t["rootEntryId"], id);
  EXPECT_EQ(t["referenceId"], "kmeet-evt-42");
  EXPECT_EQ(t["userId"], "max@organization.com");
  EXPECT_EQ(t["creatorId"], "max@organization.com");
  EXPECT_EQ(t["categoriesIds"], "123456");
  EXPECT_EQ(t["partnerId"], 1234567);
  EXPECT_EQ(t["moderationStatus"], 6);
  EXPECT_EQ(t["downloadUrl"], emulator().base_url() + "/p/1234567/sp/123456700/playManifest/entryId/" + id +
                                  "/format/download/protocol/http/flavorParamIds/0");
  EXPECT_FALSE(t.contains("dataUrl"));
  // Live JSON's order (L.3): the subclass's fields first, objectType last.
  EXPECT_EQ(t.begin().key(), "mediaType");
  EXPECT_EQ((--t.end()).key(), "objectType");
  EXPECT_EQ(t["objectType"], "KalturaMediaEntry");
  // The answer is escaped as PHP does (B.1).
  const Response raw = post(emulator(), "media", "get", {{"ks", ks}, {"entryId", id}});
  EXPECT_NE(raw.body.find(R"(http:\/\/127.0.0.1)"), std::string::npos);
}

TEST_F(RecordingsTest, MediaAddRefusesWhatTheServerRefuses) {
  EXPECT_EQ(add_template({{"name", ""}})["name"].get<std::string>().rfind("1234567_", 0), 0U);  // J.3 default name
  Json r = call(emulator(), "media", "add",
                {{"ks", ks}, {"entry", {{"objectType", "KalturaMediaEntry"}, {"referenceId", "k"}}}});
  EXPECT_EQ(r["code"], "PROPERTY_VALIDATION_MIN_LENGTH");
  EXPECT_EQ(r["args"]["PROP_NAME"], "KalturaMediaEntry::referenceId");
  r = call(emulator(), "media", "add", {{"ks", ks}, {"entry", {{"objectType", "KalturaMediaEntry"}, {"categoriesIds", "12,x"}}}});
  EXPECT_EQ(r["code"], "CATEGORY_NOT_FOUND");
  EXPECT_EQ(r["args"]["ID"], "x");
  r = call(emulator(), "media", "add", {{"ks", ks}, {"entry", {{"objectType", "KalturaMediaEntry"}, {"mediaType", 3}}}});
  EXPECT_EQ(r["code"], "INVALID_ENUM_VALUE");
  r = call(emulator(), "media", "add", {{"ks", ks}, {"entry", {{"objectType", "KalturaMediaEntry"}, {"status", 2}}}});
  EXPECT_EQ(r["code"], "PROPERTY_VALIDATION_NOT_UPDATABLE");
  // J.3: a USER KS may not name another owner.
  const std::string user_ks = mint(emulator(), SessionType::user, "student@example.com");
  r = call(emulator(), "media", "add",
           {{"ks", user_ks}, {"entry", {{"objectType", "KalturaMediaEntry"}, {"userId", "max@organization.com"}}}});
  EXPECT_EQ(r["code"], "INVALID_KS");
  EXPECT_EQ(r["message"], "Invalid KS \"\", Error \"-4,INVALID_TYPE\"");
  r = call(emulator(), "media", "add", {{"ks", user_ks}, {"entry", {{"objectType", "KalturaMediaEntry"}}}});
  EXPECT_EQ(r["userId"], "student@example.com");  // the KS user by default
}

TEST_F(RecordingsTest, GetAndDelete) {
  const std::string id = add_template()["id"].get<std::string>();
  EXPECT_EQ(call(emulator(), "media", "get", {{"ks", ks}, {"entryId", id}})["id"], id);
  EXPECT_EQ(call(emulator(), "baseentry", "get", {{"ks", ks}, {"entryId", id}})["objectType"], "KalturaMediaEntry");
  EXPECT_EQ(post(emulator(), "media", "delete", {{"ks", ks}, {"entryId", id}}).body, "null");
  const Json gone = call(emulator(), "media", "get", {{"ks", ks}, {"entryId", id}});
  EXPECT_EQ(gone["code"], "ENTRY_ID_NOT_FOUND");
  EXPECT_EQ(gone["message"], "Entry id \"" + id + "\" not found");
  EXPECT_EQ(gone["args"]["ENTRY_ID"], id);
  EXPECT_EQ(call(emulator(), "media", "delete", {{"ks", ks}, {"entryId", id}})["code"], "ENTRY_ID_NOT_FOUND");
  EXPECT_EQ(call(emulator(), "media", "get", {{"ks", ks}})["code"], "MISSING_MANDATORY_PARAMETER");
  EXPECT_EQ(call(emulator(), "media", "get", {{"entryId", id}})["code"], "MISSING_KS");
}

TEST_F(RecordingsTest, ListsHideWhatIsNotReadyUnlessAStatusFilterIsSent) {
  const std::string id = add_template()["id"].get<std::string>();
  // J.4: without a status filter only READY entries are listed, and a template is NO_CONTENT.
  EXPECT_EQ(list("media", {{"objectType", "KalturaMediaEntryFilter"}, {"referenceIdEqual", "kmeet-evt-42"}})["totalCount"], 0);
  Json found = list("media", {{"objectType", "KalturaMediaEntryFilter"}, {"referenceIdEqual", "kmeet-evt-42"}, {"statusIn", kAllButDeleted}});
  ASSERT_EQ(found["totalCount"], 1);
  EXPECT_EQ(found["objects"][0]["id"], id);
  EXPECT_EQ(found["objectType"], "KalturaMediaListResponse");
  // idEqual lifts the default conditions.
  EXPECT_EQ(list("baseentry", {{"objectType", "KalturaBaseEntryFilter"}, {"idEqual", id}})["totalCount"], 1);
  EXPECT_EQ(list("baseentry", {{"idEqual", id}})["objectType"], "KalturaBaseEntryListResponse");
  // An empty status value is not a filter (D.6): READY only again.
  EXPECT_EQ(list("media", {{"referenceIdEqual", "kmeet-evt-42"}, {"statusIn", ""}})["totalCount"], 0);
  // The template itself is never one of its own recordings (J.4).
  EXPECT_EQ(recordings_of(id)["totalCount"], 0);
}

TEST_F(RecordingsTest, OneTemplateCannotBeSharedByOverlappingSingleEvents) {
  const std::string t = add_template()["id"].get<std::string>();
  const std::int64_t s = now() + 86400;
  const Json first = add_event_with(t, s, s + 3600);
  ASSERT_TRUE(first.contains("id")) << first.dump();
  for (const auto& [a, b] : std::vector<std::pair<std::int64_t, std::int64_t>>{
           {s, s + 3600}, {s - 600, s + 600}, {s + 3000, s + 4000}, {s + 600, s + 1200}, {s - 600, s + 4000}}) {
    const Json r = add_event_with(t, a, b);
    EXPECT_EQ(r["code"], "SCHEDULE_TIME_IN_USE") << a - s << ".." << b - s;
    EXPECT_EQ(r["message"], "Another event is already scheduled during this time");
    EXPECT_EQ(r["args"], Json::array());
  }
  EXPECT_TRUE(add_event_with(t, s + 3600, s + 7200).contains("id"));  // touching is allowed
  EXPECT_TRUE(add_event_with(t, s - 3600, s).contains("id"));
  const Json recurring = add_event_with(t, s, s + 3600, 1);  // a RECURRING event is not checked itself...
  ASSERT_TRUE(recurring.contains("id")) << recurring.dump();
  // A cancelled event still counts; a deleted one does not.
  const std::int64_t id = first["id"].get<std::int64_t>();
  call(emulator(), "schedule_scheduleevent", "cancel", {{"ks", ks}, {"scheduleEventId", id}});
  EXPECT_EQ(add_event_with(t, s, s + 3600)["code"], "SCHEDULE_TIME_IN_USE");
  call(emulator(), "schedule_scheduleevent", "delete", {{"ks", ks}, {"scheduleEventId", id}});
  // ... but it counts against a single one (any other event of the template does).
  EXPECT_EQ(add_event_with(t, s, s + 3600)["code"], "SCHEDULE_TIME_IN_USE");
  call(emulator(), "schedule_scheduleevent", "delete", {{"ks", ks}, {"scheduleEventId", recurring["id"]}});
  const Json again = add_event_with(t, s, s + 3600);
  ASSERT_TRUE(again.contains("id")) << again.dump();
  // update: moving an event of the template onto another is refused.
  const Json moved = call(emulator(), "schedule_scheduleevent", "update",
                          {{"ks", ks},
                           {"scheduleEventId", again["id"]},
                           {"scheduleEvent", {{"objectType", "KalturaRecordScheduleEvent"}, {"startDate", s + 3000}, {"endDate", s + 5000}}}});
  EXPECT_EQ(moved["code"], "SCHEDULE_TIME_IN_USE");
}

TEST_F(RecordingsTest, AnEndedSessionWithATemplateIsRecordedConvertingThenReady) {
  const Json tmpl = add_template({{"tags", "kmeet,weekly"}, {"categoriesIds", "123456"}});
  const std::string t = tmpl["id"].get<std::string>();
  const std::int64_t start = now() - 60;
  const std::int64_t end = now() + 2;
  const std::int64_t ev = joined_session(t, start, end);
  EXPECT_EQ(recordings_of(t)["totalCount"], 0);  // still running
  std::this_thread::sleep_for(std::chrono::milliseconds((end - now() + 1) * 1000));
  Json recs = recordings_of(t);
  ASSERT_EQ(recs["totalCount"], 1) << recs.dump();
  const Json r = recs["objects"][0];
  const std::string id = r["id"].get<std::string>();
  EXPECT_NE(id, t);
  EXPECT_EQ(r["status"], 1);  // converting
  EXPECT_EQ(r["rootEntryId"], t);
  EXPECT_EQ(r["name"], "Weekly sync");  // the template's metadata (J.1)
  EXPECT_EQ(r["tags"], "kmeet,weekly");
  EXPECT_EQ(r["categoriesIds"], "123456");
  EXPECT_EQ(r["duration"], end - start);
  EXPECT_EQ(r["msDuration"], (end - start) * 1000);
  EXPECT_EQ(r["sourceType"], "1");
  const std::string base = emulator().base_url() + "/p/1234567/sp/123456700";
  EXPECT_EQ(r["dataUrl"], base + "/playManifest/entryId/" + id + "/format/url/protocol/http");
  EXPECT_EQ(r["thumbnailUrl"], base + "/thumbnail/entry_id/" + id + "/version/100001");
  EXPECT_EQ(recordings_of(t, "")["totalCount"], 0);  // the default list hides it while it converts (J.4)
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  recs = recordings_of(t, "");
  ASSERT_EQ(recs["totalCount"], 1) << recs.dump();
  EXPECT_EQ(recs["objects"][0]["status"], 2);
  EXPECT_EQ(recs["objects"][0]["width"], 1280);
  // By several templates, by category, and with the samples' redundant isRoot=0.
  EXPECT_EQ(list("media", {{"rootEntryIdIn", t + ",0_zzzzzzzz"}})["totalCount"], 1);
  EXPECT_EQ(list("media", {{"categoriesIdsMatchOr", "9,123456"}})["totalCount"], 1);
  EXPECT_EQ(list("media", {{"rootEntryIdEqual", t}, {"isRoot", 0}})["totalCount"], 1);
  // One recording per event: later looks make no second one.
  EXPECT_EQ(recordings_of(t)["totalCount"], 1);
  (void)ev;
}

TEST_F(RecordingsTest, ASessionNobodyJoinedIsNotRecorded) {
  const std::string t = add_template()["id"].get<std::string>();
  const std::int64_t room = add_room(emulator(), ks, "Empty room")["id"].get<std::int64_t>();
  const std::int64_t ev = add_event_with(t, now() - 120, now() - 60)["id"].get<std::int64_t>();
  link(emulator(), ks, ev, room);
  EXPECT_EQ(recordings_of(t)["totalCount"], 0);
}

TEST_F(RecordingsTest, TheAdminEndpointRecordsAnEventNow) {
  const std::string t = add_template()["id"].get<std::string>();
  const std::int64_t ev = add_event_with(t, now() + 3600, now() + 7200)["id"].get<std::int64_t>();
  Response r = admin_record({{"eventId", ev}, {"readyAfterSeconds", 0}, {"durationSeconds", 90}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["entry"]["status"], 2);
  EXPECT_EQ(r.json()["entry"]["duration"], 90);
  r = admin_record({{"eventId", ev}, {"readyAfterSeconds", 0}, {"fail", true}});
  EXPECT_EQ(r.json()["entry"]["status"], -1);  // ERROR_CONVERTING
  r = admin_record({{"eventId", ev}});
  EXPECT_EQ(r.json()["entry"]["status"], 1);  // converting for --recording-delay
  EXPECT_EQ(recordings_of(t)["totalCount"], 3);
  const std::int64_t plain = add_event(emulator(), ks, "No template", now() + 3600, now() + 7200)["id"].get<std::int64_t>();
  r = admin_record({{"eventId", plain}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.json()["error"].get<std::string>().find("no recording template"), std::string::npos);
  EXPECT_EQ(admin_record({{"eventId", 999}}).status, 400);
  EXPECT_EQ(request(emulator().base_url() + "/__emulator/recordings", "[1]", "application/json").status, 400);
  EXPECT_EQ(stats(emulator())["objects"]["entries"], 4);
}

TEST_F(RecordingsTest, TheEntryUrlsAreServed) {
  const std::string t = add_template()["id"].get<std::string>();
  const std::int64_t ev = add_event_with(t, now() + 3600, now() + 7200)["id"].get<std::int64_t>();
  const Json rec = admin_record({{"eventId", ev}, {"readyAfterSeconds", 0}}).json()["entry"];
  const std::string id = rec["id"].get<std::string>();
  Response r = request(rec["dataUrl"].get<std::string>());
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers["location"], rec["downloadUrl"]);
  r = request(rec["downloadUrl"].get<std::string>());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "video/mp4");
  EXPECT_EQ(r.body.substr(4, 4), "ftyp");
  const std::string base = emulator().base_url() + "/p/1234567/sp/123456700/playManifest/entryId/" + id;
  r = request(base + "/format/applehttp/protocol/http");
  EXPECT_EQ(r.headers["content-type"], "application/vnd.apple.mpegurl");
  EXPECT_EQ(r.body.rfind("#EXTM3U", 0), 0U);
  r = request(base + "/format/mpegdash/protocol/http/ks/abc");
  EXPECT_EQ(r.headers["content-type"], "application/dash+xml");
  r = request(emulator().base_url() + "/p/1234567/sp/123456700/playManifest/e/" + id + "/f/download/pt/http");  // short names
  EXPECT_EQ(r.status, 200);
  r = request(rec["thumbnailUrl"].get<std::string>() + "/width/320/height/180/type/3");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "image/jpeg");
  // Errors are HTTP 404 with X-Kaltura: error-<n>, not api_v3 JSON (J.6).
  r = request(emulator().base_url() + "/p/1234567/sp/123456700/playManifest/entryId/0_nothere/format/url/protocol/http");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers["x-kaltura"], "error-1");
  r = request(emulator().base_url() + "/p/1234567/sp/123456700/playManifest/entryId/" + t + "/format/url/protocol/http");
  EXPECT_EQ(r.status, 404);  // a template has no content
  EXPECT_EQ(r.headers["x-kaltura"], "error-2");
  r = request(emulator().base_url() + "/p/7654321/sp/765432100/playManifest/entryId/" + id + "/format/url/protocol/http");
  EXPECT_EQ(r.status, 404);
}

TEST(RecordingsState, RecordingsSurviveARestart) {
  const std::string file = ::testing::TempDir() + "kmeet-recordings-state.json";
  std::filesystem::remove(file);
  std::string tmpl;
  std::string rec;
  {
    EmulatorProcess emu(EmulatorProcess::Options{.extra_args = {"--state", file}});
    const std::string ks = admin_ks(emu);
    tmpl = call(emu, "media", "add", {{"ks", ks}, {"entry", {{"objectType", "KalturaMediaEntry"}, {"name", "T"}}}})["id"];
    Json e = event("Class", now() + 3600, now() + 7200);
    e["templateEntryId"] = tmpl;
    const std::int64_t ev = call(emu, "schedule_scheduleevent", "add", {{"ks", ks}, {"scheduleEvent", e}})["id"];
    rec = request(emu.base_url() + "/__emulator/recordings", Json{{"eventId", ev}, {"readyAfterSeconds", 0}}.dump(),
                  "application/json")
              .json()["entry"]["id"];
  }
  EmulatorProcess emu(EmulatorProcess::Options{.extra_args = {"--state", file}});
  const std::string ks = admin_ks(emu);
  const Json r = call(emu, "media", "get", {{"ks", ks}, {"entryId", rec}});
  EXPECT_EQ(r["rootEntryId"], tmpl);
  EXPECT_EQ(r["status"], 2);
  // New ids never repeat an old one.
  EXPECT_NE(call(emu, "media", "add", {{"ks", ks}, {"entry", {{"objectType", "KalturaMediaEntry"}}}})["id"], rec);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace kmeet::test
