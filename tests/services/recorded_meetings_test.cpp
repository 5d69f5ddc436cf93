// Recorded meetings (MeetingSpec::record, protocol.md J.1-J.3): the template entry made in the
// same round trip as room, event and link; looked up by its key after an unknown outcome; rolled
// back with the rest; never deleted when adopted.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/json.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/testing/mock_transport.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/validate.hpp"
#include "services/fixture.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;


using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using detail::Json;
using testing_support::meeting_error;

const std::string kKey = "kmeet-abababababababababababababababab";
const std::string kTemplateKey = "kmeet-template:" + kKey;
constexpr const char* kTail = R"("format":1,"apiVersion":"21.20.0","clientTag":"node:25-07-20","ks":"KS_PLACEHOLDER"})";

constexpr const char* kRoom =
    R"({"id":11,"partnerId":1234567,"name":"Room-1","systemName":"kmeet-abababababababababababababababab","status":2,"tags":"vcprovider:newrow,custom_cat_id:123456","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";
constexpr const char* kLink =
    R"({"eventId":22,"resourceId":11,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";

/// The event as stored, naming `tmpl` as its template ("" for none) under `key`.
std::string event_json(const std::string& tmpl, const std::string& key = kKey, int id = 22) {
  return R"({"id":)" + std::to_string(id) +
         R"(,"partnerId":1234567,"summary":"Lecture 1","status":2,"startDate":1586185200,"endDate":1586188800,"referenceId":")" +
         key + R"(","recurrenceType":0,"createdAt":1586113200,"updatedAt":1586113200,"templateEntryId":")" + tmpl +
         R"(","objectType":"KalturaRecordScheduleEvent"})";
}

/// The template as media.add answers it (protocol.md J.7, shortened).
std::string template_json(const std::string& id = "1_tmpl0001", const std::string& key = kTemplateKey) {
  return R"({"mediaType":1,"duration":0,"msDuration":0,"id":")" + id +
         R"(","name":"Lecture 1","partnerId":1234567,"userId":"admin","categoriesIds":"123456","status":7,"moderationStatus":6,"type":1,"createdAt":1586113100,"updatedAt":1586113100,"referenceId":")" +
         key + R"(","rootEntryId":")" + id + R"(","objectType":"KalturaMediaEntry"})";
}

std::string page(const std::string& items, const char* type) {
  return R"({"objects":[)" + items + R"(],"totalCount":)" + (items.empty() ? "0" : "1") + R"(,"objectType":")" + type + R"("})";
}
std::string room_page(const std::string& items) { return page(items, "KalturaScheduleResourceListResponse"); }
std::string event_page(const std::string& items) { return page(items, "KalturaScheduleEventListResponse"); }
std::string link_page(const std::string& items) { return page(items, "KalturaScheduleEventResourceListResponse"); }
std::string media_page(const std::string& items) { return page(items, "KalturaMediaListResponse"); }
std::string api_error(const std::string& code, const std::string& message = "m") {
  return R"({"code":")" + code + R"(","message":")" + message + R"(","objectType":"KalturaAPIException","args":[]})";
}
std::function<void()> reset_after_send() {
  return [] { throw TransportError(TransportError::Kind::reset, "connection reset after sending", true); };
}

MeetingSpec recorded_spec() {
  Room room;
  room.name = "Room-1";
  room.settings.cat_id = 123456;
  Event event;
  event.summary = "Lecture 1";
  event.start = Timestamp(std::chrono::seconds(1586185200));
  event.end = Timestamp(std::chrono::seconds(1586188800));
  MeetingSpec s{.room = room, .event = event};
  s.record = RecordingTemplate{};
  return s;
}

struct Fixture : testing_support::RetryClient {
  using RetryClient::RetryClient;
  /// Each request as `service.action` items, e.g. `media.add,scheduleevent.add`.
  [[nodiscard]] std::vector<std::string> actions() const {
    std::vector<std::string> out;
    for (const auto& r : mock->requests()) {
      const Json b = Json::parse(r.body);
      std::string all;
      for (int i = 0; b.contains(std::to_string(i)); ++i) {
        std::string service = b[std::to_string(i)]["service"].get<std::string>();
        if (service.rfind("schedule_", 0) == 0) service.erase(0, 9);
        all += (i ? "," : "") + service + "." + b[std::to_string(i)]["action"].get<std::string>();
      }
      out.push_back(all);
    }
    return out;
  }
  [[nodiscard]] Json body(std::size_t i) const { return Json::parse(mock->requests().at(i).body); }
};

// ---- one round trip ----------------------------------------------------------------------------

TEST(RecordedMeetings, TemplateRoomEventAndLinkInOneRoundTrip) {
  Fixture f;
  f.mock->reply_json("[" + std::string(kRoom) + "," + template_json() + "," + event_json("1_tmpl0001") + "," + kLink + "]");
  const Meeting m = f.client.create_meeting(recorded_spec());
  ASSERT_EQ(f.mock->request_count(), 1U);
  // protocol.md J.3/J.7: the template (named after the event, in the room's cat_id category, keyed) goes
  // before the event, which names it by reference (C.3).
  EXPECT_EQ(f.mock->last_request().body,
            R"({"0":{"scheduleResource":{"objectType":"KalturaLocationScheduleResource","name":"Room-1",)"
            R"("systemName":")" + kKey + R"(","tags":"vcprovider:newrow,custom_cat_id:123456"},)"
            R"("service":"schedule_scheduleresource","action":"add"},)"
            R"("1":{"entry":{"objectType":"KalturaMediaEntry","name":"Lecture 1","mediaType":1,"categoriesIds":"123456",)"
            R"("referenceId":")" + kTemplateKey + R"("},"service":"media","action":"add"},)"
            R"("2":{"scheduleEvent":{"objectType":"KalturaRecordScheduleEvent","summary":"Lecture 1","startDate":1586185200,)"
            R"("endDate":1586188800,"referenceId":")" + kKey + R"(","recurrenceType":0,"templateEntryId":"{2:result:id}"},)"
            R"("service":"schedule_scheduleevent","action":"add"},)"
            R"("3":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource","eventId":"{3:result:id}",)"
            R"("resourceId":"{1:result:id}"},"service":"schedule_scheduleeventresource","action":"add"},)" +
                kTail);
  ASSERT_TRUE(m.recording_template.has_value());
  EXPECT_EQ(m.recording_template->id, "1_tmpl0001");
  EXPECT_EQ(m.recording_template->status, EntryStatus::no_content);
  EXPECT_EQ(m.recording_template->event, EventId(22));
  EXPECT_EQ(m.event.template_entry_id, "1_tmpl0001");
}

TEST(RecordedMeetings, TheTemplateIsSentAsInTheJ7Capture) {
  Fixture f;
  MeetingSpec s = recorded_spec();
  s.room = RoomId(11);
  s.event.reference_id = "kmeet-evt-42-event";
  s.keys_checked = true;
  s.record = RecordingTemplate{.name = "Weekly sync",
                               .description = "Recording of the weekly sync",
                               .tags = "kmeet,weekly",
                               .owner_id = "max@organization.com",
                               .category_ids = "123456",
                               .reference_id = "kmeet-evt-42"};
  // The adds, then the twin check of the caller's event key, folded into the same request.
  f.mock->reply_json("[" + std::string(kRoom) + "," + template_json("1_tmpl0001", "kmeet-evt-42") + "," +
                     event_json("1_tmpl0001", "kmeet-evt-42-event") + "," + kLink + "," +
                     event_page(event_json("1_tmpl0001", "kmeet-evt-42-event")) + "]");
  const Meeting m = f.client.create_meeting(s);
  ASSERT_EQ(f.mock->request_count(), 1U);
  // protocol.md J.7, request of media.add: the same entry, byte for byte.
  EXPECT_THAT(f.mock->requests().at(0).body,
              HasSubstr(R"("1":{"entry":{"objectType":"KalturaMediaEntry","name":"Weekly sync","description":"Recording )"
                        R"(of the weekly sync","mediaType":1,"userId":"max@organization.com","tags":"kmeet,weekly",)"
                        R"("categoriesIds":"123456","referenceId":"kmeet-evt-42"},"service":"media","action":"add"})"));
  EXPECT_EQ(m.recording_template->reference_id, "kmeet-evt-42");
}

// ---- retries -----------------------------------------------------------------------------------

TEST(RecordedMeetings, ARetryAfterAnUnknownOutcomeFindsTheTemplateAndMakesNoSecond) {
  // Round 1 ran but its answer was lost: the room and the template exist, the event does not.
  // The look-up lists the template key with every status (a template is NO_CONTENT, J.3/J.4);
  // round 2 adds the event naming the found template, and no second media.add is sent.
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page(kRoom) + "," + event_page("") + "," + media_page(template_json()) + "]");
  f.mock->reply_json("[" + event_json("1_tmpl0001") + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(event_json("1_tmpl0001")) + "]");  // the key checked for a twin
  const Meeting m = f.client.create_meeting(recorded_spec());
  EXPECT_EQ(m.recording_template->id, "1_tmpl0001");
  EXPECT_THAT(f.actions(), ElementsAre("scheduleresource.add,media.add,scheduleevent.add,scheduleeventresource.add",
                                       "scheduleresource.list,scheduleevent.list,media.list",
                                       "scheduleevent.add,scheduleeventresource.add", "scheduleevent.list"));
  const Json lookup = f.body(1)["2"];
  EXPECT_EQ(lookup["filter"]["objectType"], "KalturaMediaEntryFilter");
  EXPECT_EQ(lookup["filter"]["referenceIdEqual"], kTemplateKey);
  EXPECT_EQ(lookup["filter"]["statusIn"], "-2,-1,0,1,2,4,5,6,7");
  EXPECT_EQ(f.body(2)["0"]["scheduleEvent"]["templateEntryId"], "1_tmpl0001");
  // The template this call made counts as its own: a failure later would delete it.
}

TEST(RecordedMeetings, NothingFoundAfterAnUnknownOutcomeIsResentWithTheSameTemplateKey) {
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "," + media_page("") + "]");
  f.mock->reply_json("[" + std::string(kRoom) + "," + template_json() + "," + event_json("1_tmpl0001") + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(event_json("1_tmpl0001")) + "]");
  EXPECT_EQ(f.client.create_meeting(recorded_spec()).recording_template->id, "1_tmpl0001");
  EXPECT_EQ(f.mock->requests()[0].body, f.mock->requests()[2].body);
}

TEST(RecordedMeetings, ARecordingWithTheTemplatesKeyIsNotTakenForTheTemplate) {
  // A recording cloned from the template may carry the template's referenceId (J.4): only a root
  // entry (rootEntryId == id) is a template.
  Fixture f;
  std::string clone = template_json("1_rec00001");
  clone.replace(clone.find(R"("rootEntryId":"1_rec00001")"), 26, R"("rootEntryId":"1_tmpl0001")");
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page(kRoom) + "," + event_page("") + "," + media_page(clone) + "]");
  f.mock->reply_json("[" + template_json() + "," + event_json("1_tmpl0001") + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(event_json("1_tmpl0001")) + "]");
  (void)f.client.create_meeting(recorded_spec());
  EXPECT_EQ(f.actions()[2], "media.add,scheduleevent.add,scheduleeventresource.add");
}

// ---- rollback ----------------------------------------------------------------------------------

TEST(RecordedMeetings, ARollbackDeletesTheTemplateItMade) {
  Fixture f;
  f.mock->reply_json("[" + std::string(kRoom) + "," + template_json() + "," + event_json("1_tmpl0001") + "," +
                     api_error("RESOURCE_IS_RESERVED", "Resource with id 11 is already reserved") + "]");
  f.mock->reply_json("[null,null,null]");
  const MeetingError e = meeting_error([&] { (void)f.client.create_meeting(recorded_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::link);
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("deleted event 22, recording template 1_tmpl0001, room 11"));
  EXPECT_EQ(f.mock->last_request().body,
            std::string(R"({"0":{"scheduleEventId":22,"service":"schedule_scheduleevent","action":"delete"},)"
                        R"("1":{"entryId":"1_tmpl0001","service":"media","action":"delete"},)"
                        R"("2":{"scheduleResourceId":11,"service":"schedule_scheduleresource","action":"delete"},)") +
                kTail);
}

TEST(RecordedMeetings, ARefusedTemplateRollsTheRestBack) {
  // The template item fails (J.3: a category that does not exist); the event still ran with an
  // empty templateEntryId (a failed reference becomes "", C.3) and the link with it: all deleted.
  Fixture f;
  f.mock->reply_json("[" + std::string(kRoom) + "," + api_error("CATEGORY_NOT_FOUND", "Category id \\\"123456\\\" not found") +
                     "," + event_json("") + "," + kLink + "]");
  f.mock->reply_json("[null,null,null]");
  const MeetingError e = meeting_error([&] { (void)f.client.create_meeting(recorded_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::recording_template);
  EXPECT_EQ(e.code(), "CATEGORY_NOT_FOUND");
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("step 'recording_template'"));
  EXPECT_THAT(e.what(), HasSubstr("[media.add]"));
  EXPECT_THAT(f.actions(), ElementsAre("scheduleresource.add,media.add,scheduleevent.add,scheduleeventresource.add",
                                       "scheduleeventresource.delete,scheduleevent.delete,scheduleresource.delete"));
}

TEST(RecordedMeetings, AFailedRoomAlsoDeletesTheTemplateMadeBesideIt) {
  Fixture f;
  f.mock->reply_json("[" + api_error("SYSTEM_NAME_ALREADY_EXISTS") + "," + template_json() + "," + event_json("1_tmpl0001") +
                     "," + api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND") + "]");
  f.mock->reply_json("[null,null]");
  const MeetingError e = meeting_error([&] { (void)f.client.create_meeting(recorded_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::room);
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_THAT(f.actions().back(), "scheduleevent.delete,media.delete");
}

TEST(RecordedMeetings, AnAdoptedTemplateIsNeverDeleted) {
  // A re-run with the caller's keys finds the template an earlier run made (its event was rolled
  // back); the link then fails: the event and room this call made go, the template stays.
  Fixture f;
  MeetingSpec s = recorded_spec();
  s.event.reference_id = "lecture-1";
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "," +
                     media_page(template_json("1_tmpl0001", "kmeet-template:lecture-1")) + "]");
  f.mock->reply_json("[" + std::string(kRoom) + "," + event_json("1_tmpl0001", "lecture-1") + "," +
                     api_error("RESOURCE_IS_RESERVED") + "," + event_page(event_json("1_tmpl0001", "lecture-1")) + "]");
  f.mock->reply_json("[null,null]");
  const MeetingError e = meeting_error([&] { (void)f.client.create_meeting(s); });
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("recording template 1_tmpl0001 (found by its reference_id, not made by this call) was kept"));
  EXPECT_EQ(f.body(1)["1"]["scheduleEvent"]["templateEntryId"], "1_tmpl0001");
  EXPECT_THAT(f.actions(), ElementsAre("scheduleresource.list,scheduleevent.list,media.list",
                                       "scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                                       "scheduleevent.delete,scheduleresource.delete"));
  EXPECT_EQ(e.keys().template_reference_id, "kmeet-template:lecture-1");
}

TEST(RecordedMeetings, ARerunFindsTheWholeMeetingAndSendsNoAdd) {
  Fixture f;
  MeetingSpec s = recorded_spec();
  std::get<Room>(s.room).system_name = kKey;
  s.event.reference_id = "lecture-1";
  f.mock->reply_json("[" + room_page(kRoom) + "," + event_page(event_json("1_tmpl0001", "lecture-1")) + "," +
                     media_page(template_json("1_tmpl0001", "kmeet-template:lecture-1")) + "]");
  f.mock->reply_json("[" + link_page(kLink) + "]");
  f.mock->reply_json("[" + event_page(event_json("1_tmpl0001", "lecture-1")) + "]");  // the twin check
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.recording_template->id, "1_tmpl0001");
  for (const auto& a : f.actions()) EXPECT_THAT(a, Not(HasSubstr(".add")));
}

TEST(RecordedMeetings, AnEventOfTheKeyWithoutTheTemplateIsNotAdopted) {
  // The caller's key names an event made without recording: kmeet neither adopts it as a
  // recorded meeting nor makes a second event; the room it made is rolled back.
  Fixture f;
  MeetingSpec s = recorded_spec();
  s.event.reference_id = "lecture-1";
  f.mock->reply_json("[" + room_page("") + "," + event_page(event_json("", "lecture-1")) + "," + media_page("") + "]");
  f.mock->reply_json("[" + link_page("") + "]");
  const MeetingError e = meeting_error([&] { (void)f.client.create_meeting(s); });
  EXPECT_EQ(e.step(), MeetingStep::recording_template);
  EXPECT_EQ(e.code(), "KMEET_RECORDING_TEMPLATE_MISSING");
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("event 22 (found by its reference_id, not made by this call) was kept"));
  EXPECT_EQ(f.mock->request_count(), 2U);
}

TEST(RecordedMeetings, ATemplateLostToATwinIsDeleted) {
  // Two writers of one caller key: the twin check finds our event (29) and an older twin (22)
  // with its own template. Ours loses: our event, its link and the template we made are deleted,
  // and the meeting is the twin with its template.
  Fixture f;
  MeetingSpec s = recorded_spec();
  s.room = RoomId(11);
  s.event.reference_id = "lecture-1";
  s.keys_checked = true;
  const std::string ours = event_json("1_tmpl0002", "lecture-1", 29);
  const std::string twin = event_json("1_tmpl0001", "lecture-1", 22);
  const std::string our_link =
      R"({"eventId":29,"resourceId":11,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";
  // The adds, then the twin check folded after them in the same request.
  f.mock->reply_json("[" + std::string(kRoom) + "," + template_json("1_tmpl0002", "kmeet-template:lecture-1") + "," + ours +
                     "," + our_link + "," + page(twin + "," + ours, "KalturaScheduleEventListResponse") + "]");
  // Settled again: the event is known (22), so only the template key is listed.
  f.mock->reply_json("[" + page(template_json("1_tmpl0001", "kmeet-template:lecture-1") + "," +
                                    template_json("1_tmpl0002", "kmeet-template:lecture-1"),
                                "KalturaMediaListResponse") +
                     "]");
  f.mock->reply_json("[" + link_page(kLink) + "," + link_page(our_link) + "]");
  f.mock->reply_json("[null,null,null]");
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(m.recording_template->id, "1_tmpl0001");
  EXPECT_THAT(f.actions(), ElementsAre("scheduleresource.get,media.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                                       "media.list", "scheduleeventresource.list,scheduleeventresource.list",
                                       "scheduleeventresource.delete,scheduleevent.delete,media.delete"));
  EXPECT_EQ(f.body(3)["1"]["scheduleEventId"], 29);
  EXPECT_EQ(f.body(3)["2"]["entryId"], "1_tmpl0002");
}

// ---- before sending ----------------------------------------------------------------------------

TEST(RecordedMeetings, BadInputIsRefusedBeforeSending) {
  Fixture f;
  auto refused = [&](MeetingSpec s, const std::string& field) {
    try {
      (void)f.client.create_meeting(s);
      ADD_FAILURE() << "accepted";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), field) << e.what();
    }
    EXPECT_THROW(validate(s), ValidationError);  // the public check agrees
  };
  MeetingSpec shared = recorded_spec();
  shared.event.template_entry_id = "1_other";
  refused(shared, "event.template_entry_id");
  MeetingSpec cats = recorded_spec();
  cats.record->category_ids = "12,x";
  refused(cats, "record.category_ids");
  MeetingSpec key = recorded_spec();
  key.record->reference_id = "k";
  refused(key, "record.reference_id");
  MeetingSpec name = recorded_spec();
  name.record->name = "";
  refused(name, "record.name");
  MeetingSpec owner = recorded_spec();
  owner.record->owner_id = "a|b";
  refused(owner, "record.owner_id");
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(RecordedMeetings, ABatchThatWouldShareATemplateAtOverlappingTimesIsRefused) {
  // J.2: two single events of one template may touch but not overlap.
  Fixture f;
  auto spec_at = [](std::int64_t start, std::int64_t end) {
    MeetingSpec s = recorded_spec();
    s.record.reset();
    s.room = RoomId(11);
    s.event.start = Timestamp(std::chrono::seconds(start));
    s.event.end = Timestamp(std::chrono::seconds(end));
    s.event.template_entry_id = "1_shared";
    return s;
  };
  const std::vector<MeetingSpec> specs{spec_at(1586185200, 1586188800), spec_at(1586188800, 1586192400),
                                       spec_at(1586187000, 1586187600)};
  f.mock->reply_json("[" + std::string(kRoom) + "," + event_json("1_shared") + "," + kLink + "," + kRoom + "," +
                     event_json("1_shared", kKey, 23) + "," + kLink + "]");
  const auto results = f.client.create_meetings(specs);
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].ok()) << results[1].error_message();  // touching is allowed
  ASSERT_FALSE(results[2].ok());
  EXPECT_THAT(results[2].error_message(), HasSubstr("event.template_entry_id"));
  EXPECT_THAT(results[2].error_message(), HasSubstr("SCHEDULE_TIME_IN_USE"));
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(RecordedMeetings, KeysCarryTheTemplateKeyAndApplyItBack) {
  MeetingKeys k;
  k.event_reference_id = "lecture-1";
  k.template_reference_id = "tmpl-key";
  MeetingSpec s = recorded_spec();
  k.apply_to(s);
  EXPECT_EQ(s.record->reference_id, "tmpl-key");
  EXPECT_EQ(s.event.reference_id, "lecture-1");
  MeetingSpec plain = recorded_spec();
  plain.record.reset();
  k.apply_to(plain);
  EXPECT_FALSE(plain.record.has_value());
}

}  // namespace
}  // namespace kmeet
