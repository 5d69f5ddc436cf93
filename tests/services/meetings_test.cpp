// create_meeting / create_meetings: one round trip, exact multirequest bytes, rollback of every
// failing step, batch results.
#include "kmeet/meetings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "services/fixture.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::kMultiUrl;
using testing_support::MockClient;

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

constexpr const char* kTailMulti = R"("format":1,"apiVersion":"21.20.0","clientTag":"node:25-07-20","ks":"KS_PLACEHOLDER"})";

constexpr const char* kRoomJson =
    R"({"id":1100601,"partnerId":1234567,"name":"Room-1","status":2,"tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";
constexpr const char* kEventJson =
    R"({"id":3371011,"partnerId":1234567,"summary":"Tomorrow's Event","status":2,"startDate":1586185200,"endDate":1586188800,"recurrenceType":0,"tags":"custom_rec_auto_start:1","createdAt":1586113200,"updatedAt":1586113200,"objectType":"KalturaRecordScheduleEvent"})";
constexpr const char* kLinkJson =
    R"({"eventId":3371011,"resourceId":1100601,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";

std::string api_error(const std::string& code, const std::string& message) {
  return R"({"code":")" + code + R"(","message":")" + message + R"(","objectType":"KalturaAPIException","args":[]})";
}

MeetingSpec new_room_spec() {
  Room room;
  room.name = "Room-1";
  Event event;
  event.summary = "Tomorrow's Event";
  event.start = at(1586185200);
  event.end = at(1586188800);
  event.settings.rec_auto_start = true;
  return MeetingSpec{.room = room, .event = event};
}

MeetingSpec existing_room_spec() {
  MeetingSpec s = new_room_spec();
  s.room = RoomId(1100601);
  return s;
}

const std::string kRoomAdd =
    // The idempotency keys (systemName, referenceId) are generated: fixture.hpp makes them fixed.
    R"({"scheduleResource":{"objectType":"KalturaLocationScheduleResource","name":"Room-1",)"
    R"("systemName":"kmeet-abababababababababababababababab","tags":"vcprovider:newrow"},)"
    R"("service":"schedule_scheduleresource","action":"add"})";
const std::string kEventAdd =
    R"({"scheduleEvent":{"objectType":"KalturaRecordScheduleEvent","summary":"Tomorrow's Event","startDate":1586185200,)"
    R"("endDate":1586188800,"referenceId":"kmeet-abababababababababababababababab","recurrenceType":0,"tags":"custom_rec_auto_start:1"},)"
    R"("service":"schedule_scheduleevent","action":"add"})";

/// The rollback round trip after a failed room step: the link of event 3371011 to `room`, then
/// the event.
std::string link_and_event_deletes(std::int64_t room) {
  return R"({"0":{"scheduleEventId":3371011,"scheduleResourceId":)" + std::to_string(room) +
         R"(,"service":"schedule_scheduleeventresource","action":"delete"},)"
         R"("1":{"scheduleEventId":3371011,"service":"schedule_scheduleevent","action":"delete"},)" +
         kTailMulti;
}

template <class F>
MeetingError meeting_error(F&& f) {
  try {
    f();
  } catch (const MeetingError& e) {
    return e;
  }
  ADD_FAILURE() << "no MeetingError";
  return MeetingError(MeetingStep::room, {}, {}, MeetingError::Outcome::incomplete, {});
}

TEST(CreateMeeting, NewRoomEventAndLinkInOneRoundTrip) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + kLinkJson + "]");
  Meeting meeting = m.client.create_meeting(new_room_spec());
  ASSERT_EQ(m.mock->request_count(), 1U);
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, kMultiUrl);
  EXPECT_FALSE(req.idempotent);
  // protocol.md C.1/C.3: keys from "0", references 1-based ({1:result:id} is the room add).
  EXPECT_EQ(req.body, R"({"0":)" + kRoomAdd + R"(,"1":)" + kEventAdd +
                          R"(,"2":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource",)"
                          R"("eventId":"{2:result:id}","resourceId":"{1:result:id}"},)"
                          R"("service":"schedule_scheduleeventresource","action":"add"},)" +
                          kTailMulti);
  EXPECT_EQ(meeting.room.id, RoomId(1100601));
  EXPECT_EQ(meeting.event.id, EventId(3371011));
  EXPECT_EQ(meeting.event.settings.rec_auto_start, true);
  EXPECT_EQ(meeting.link.event_id, EventId(3371011));
  EXPECT_EQ(meeting.link.room_id, RoomId(1100601));
}

TEST(CreateMeeting, ExistingRoomIsReadInTheSameRoundTrip) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + kLinkJson + "]");
  Meeting meeting = m.client.create_meeting(existing_room_spec());
  ASSERT_EQ(m.mock->request_count(), 1U);
  EXPECT_EQ(m.mock->last_request().body,
            R"({"0":{"scheduleResourceId":1100601,"service":"schedule_scheduleresource","action":"get"},"1":)" +
                kEventAdd +
                R"(,"2":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource",)"
                R"("eventId":"{2:result:id}","resourceId":1100601},"service":"schedule_scheduleeventresource","action":"add"},)" +
                kTailMulti);
  EXPECT_EQ(meeting.room.name, "Room-1");
  EXPECT_EQ(meeting.link.room_id, RoomId(1100601));
}

TEST(CreateMeeting, AnExistingRoomThatIsNotAMeetingsRoomFailsTheRoomStep) {
  // protocol.md E.2 / G.1: without vcprovider:newrow KAF cannot open the room; the event and link made in
  // the same round trip are deleted again, the caller's room is left alone.
  MockClient m;
  std::string plain = kRoomJson;
  plain.replace(plain.find("vcprovider:newrow"), 17, "building:north");
  m.mock->reply_json("[" + plain + "," + kEventJson + "," + kLinkJson + "]");
  m.mock->reply_json(R"([null,{"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(existing_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::room);
  EXPECT_EQ(e.code(), "KMEET_NOT_A_MEETINGS_ROOM");
  EXPECT_TRUE(e.rolled_back());
  EXPECT_THAT(e.what(), HasSubstr("vcprovider:newrow"));
  ASSERT_EQ(m.mock->request_count(), 2U);
  EXPECT_EQ(m.mock->last_request().body, link_and_event_deletes(1100601));
}

TEST(CreateMeeting, RoomStepFailsEventIsDeleted) {
  MockClient m;
  m.mock->reply_json("[" + api_error("SYSTEM_NAME_ALREADY_EXISTS", "System name [r] already exists") + "," +
                     kEventJson + "," + api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND", "Schedule resource id [0] not found") +
                     "]");
  m.mock->reply_json(R"([{"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::room);
  EXPECT_EQ(e.code(), "SYSTEM_NAME_ALREADY_EXISTS");
  EXPECT_TRUE(e.rolled_back());
  EXPECT_EQ(e.original_message(), "System name [r] already exists");
  EXPECT_THAT(e.what(), HasSubstr("step 'room'"));
  EXPECT_THAT(e.what(), HasSubstr("deleted event 3371011"));
  ASSERT_EQ(m.mock->request_count(), 2U);
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"0":{"scheduleEventId":3371011,"service":"schedule_scheduleevent","action":"delete"},)") +
                kTailMulti);
  EXPECT_TRUE(m.mock->last_request().idempotent);
}

TEST(CreateMeeting, RoomStepFailsTheLinkToRoomZeroTheServerMadeIsDeletedToo) {
  // protocol.md C.3/D.4: the failed room's {1:result:id} becomes "" = 0 and a link to resource 0 is accepted.
  MockClient m;
  m.mock->reply_json("[" + api_error("SYSTEM_NAME_ALREADY_EXISTS", "System name [r] already exists") + "," +
                     kEventJson +
                     R"(,{"eventId":3371011,"resourceId":0,"partnerId":1234567,"objectType":"KalturaScheduleEventResource"}])");
  m.mock->reply_json(R"([null,{"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::room);
  EXPECT_EQ(e.code(), "SYSTEM_NAME_ALREADY_EXISTS");
  EXPECT_TRUE(e.rolled_back());
  EXPECT_THAT(e.what(), HasSubstr("deleted link 3371011-0, event 3371011"));
  ASSERT_EQ(m.mock->request_count(), 2U);
  EXPECT_EQ(m.mock->last_request().body, link_and_event_deletes(0));
}

TEST(CreateMeeting, EventStepFailsRoomIsDeleted) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," +
                     api_error("MAX_SCHEDULE_DURATION_REACHED", "Maximum schedule duration [86400] reached") + "," +
                     api_error("SCHEDULE_EVENT_ID_NOT_FOUND", "Schedule event id [0] not found") + "]");
  m.mock->reply_json(R"([{"id":1100601,"name":"Room-1","status":3,"objectType":"KalturaLocationScheduleResource"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::event);
  EXPECT_EQ(e.code(), "MAX_SCHEDULE_DURATION_REACHED");
  EXPECT_TRUE(e.rolled_back());
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"0":{"scheduleResourceId":1100601,"service":"schedule_scheduleresource","action":"delete"},)") +
                kTailMulti);
}

TEST(CreateMeeting, LinkStepFailsEventAndRoomAreDeleted) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," +
                     api_error("RESOURCE_IS_RESERVED", "Resource with id 1100601 is already reserved") + "]");
  m.mock->reply_json(R"([{"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"},)"
                     R"({"id":1100601,"name":"Room-1","status":3,"objectType":"KalturaLocationScheduleResource"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::link);
  EXPECT_EQ(e.code(), "RESOURCE_IS_RESERVED");
  EXPECT_TRUE(e.rolled_back());
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"0":{"scheduleEventId":3371011,"service":"schedule_scheduleevent","action":"delete"},)"
                        R"("1":{"scheduleResourceId":1100601,"service":"schedule_scheduleresource","action":"delete"},)") +
                kTailMulti);
}

TEST(CreateMeeting, ExistingRoomIsNeverDeleted) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," +
                     api_error("SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS", "exists") + "]");
  m.mock->reply_json(R"([{"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(existing_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::link);
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"0":{"scheduleEventId":3371011,"service":"schedule_scheduleevent","action":"delete"},)") +
                kTailMulti);
}

TEST(CreateMeeting, UnknownExistingRoomFailsTheRoomStep) {
  MockClient m;
  m.mock->reply_json("[" + api_error("INVALID_OBJECT_ID", "Invalid object id [1100601]") + "," + kEventJson + "," +
                     api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND", "not found") + "]");
  m.mock->reply_json(R"([{"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(existing_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::room);
  EXPECT_EQ(e.code(), "INVALID_OBJECT_ID");
  EXPECT_TRUE(e.rolled_back());
  EXPECT_EQ(m.mock->request_count(), 2U);
}

TEST(CreateMeeting, EverythingFailedNothingToRollBack) {
  MockClient m;
  m.mock->reply_json("[" + api_error("INVALID_KS", "Invalid KS") + "," + api_error("INVALID_KS", "Invalid KS") + "," +
                     api_error("INVALID_KS", "Invalid KS") + "]");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_EQ(e.step(), MeetingStep::room);
  EXPECT_TRUE(e.rolled_back());
  EXPECT_THAT(e.what(), HasSubstr("nothing was created"));
  EXPECT_EQ(m.mock->request_count(), 1U);
}

TEST(CreateMeeting, FailedRollbackIsReported) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + api_error("RESOURCE_IS_RESERVED", "r") + "]");
  m.mock->reply_json("[" + api_error("SERVICE_FORBIDDEN", "no delete") + "," +
                     R"({"id":1100601,"name":"Room-1","status":3,"objectType":"KalturaLocationScheduleResource"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_FALSE(e.rolled_back());
  EXPECT_THAT(e.what(), HasSubstr("ROLLBACK INCOMPLETE"));
  EXPECT_THAT(e.what(), HasSubstr("event 3371011 (SERVICE_FORBIDDEN)"));
  EXPECT_THAT(e.what(), HasSubstr("deleted room 1100601"));
}

TEST(CreateMeeting, RollbackAfterALostAnswerIsResentAndConfirmed) {
  // The rollback's answer is lost: the deletes are sent again; "not found" then means the first
  // copy ran. Only then is the meeting reported as rolled back.
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + api_error("RESOURCE_IS_RESERVED", "r") + "]");
  m.mock->fail([] { throw TransportError(TransportError::Kind::reset, "connection reset", true); });
  m.mock->reply_json("[" + api_error("INVALID_OBJECT_ID", "gone") + "," + api_error("INVALID_OBJECT_ID", "gone") + "]");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_FALSE(e.outcome_unknown());
  EXPECT_THAT(e.what(), HasSubstr("deleted event 3371011, room 1100601"));
  EXPECT_EQ(m.mock->request_count(), 3U);
}

TEST(CreateMeeting, RollbackThatCannotBeConfirmedIsNotReportedAsRolledBack) {
  // The server stops answering after the failed round: kmeet cannot confirm the deletes, so the
  // meeting may be live. It must say so, with the keys, never "rolled back".
  int n = 0;
  auto mock = std::make_shared<MockTransport>([&n](const HttpRequest&) -> HttpResponse {
    ++n;
    throw TransportError(TransportError::Kind::reset, "connection reset", true);
  });
  mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + api_error("RESOURCE_IS_RESERVED", "r") + "]");
  Config c = testing_support::mock_config(mock);
  c.retry.deadline = std::chrono::milliseconds(50);
  c.retry.initial_backoff = c.retry.max_backoff = std::chrono::milliseconds(1);
  Client client{c};
  MeetingError e = meeting_error([&] { (void)client.create_meeting(new_room_spec()); });
  EXPECT_FALSE(e.rolled_back());
  EXPECT_TRUE(e.outcome_unknown());
  EXPECT_EQ(e.outcome(), MeetingError::Outcome::unknown);
  EXPECT_THAT(e.what(), HasSubstr("OUTCOME UNKNOWN"));
  EXPECT_THAT(e.what(), HasSubstr("deletion not confirmed: event 3371011, room 1100601"));
  EXPECT_THAT(e.what(), Not(HasSubstr("rolled back")));
  EXPECT_EQ(e.keys().room_system_name, "kmeet-abababababababababababababababab");
  EXPECT_EQ(e.keys().event_reference_id, "kmeet-abababababababababababababababab");
  EXPECT_GE(n, 2);  // the deletes were tried more than once (RetryPolicy::none() does not stop truth retries)
}

TEST(CreateMeeting, ConnectFailureOfTheRequestIsThrownAsIs) {
  // Provably not executed (connection refused) and no retry allowed: nothing exists; the
  // TransportError itself is thrown, as from any other call.
  MockClient m;
  m.mock->fail([] { throw TransportError(TransportError::Kind::connect, "connection refused", false); });
  EXPECT_THROW((void)m.client.create_meeting(new_room_spec()), TransportError);
  EXPECT_EQ(m.mock->request_count(), 1U);
}

TEST(CreateMeeting, LostAnswerLookedUpAndFoundAbsentIsRolledBackWithItsCause) {
  // The answer is lost (the request may have run); the look-up by the keys finds nothing, and the
  // policy allows no second attempt: confirmed nothing exists -> rolled back, the TransportError as cause.
  MockClient m;
  m.mock->fail([] { throw TransportError(TransportError::Kind::timeout, "timed out", true); });
  m.mock->reply_json(R"([{"objects":[],"totalCount":0,"objectType":"KalturaScheduleResourceListResponse"},)"
                     R"({"objects":[],"totalCount":0,"objectType":"KalturaScheduleEventListResponse"}])");
  MeetingError e = meeting_error([&] { (void)m.client.create_meeting(new_room_spec()); });
  EXPECT_TRUE(e.rolled_back()) << e.what();
  EXPECT_EQ(e.code(), "KMEET_TRANSPORT_ERROR");
  ASSERT_TRUE(e.cause());
  EXPECT_THROW(std::rethrow_exception(e.cause()), TransportError);
  EXPECT_EQ(m.mock->request_count(), 2U);  // the add once, the look-up once: never a blind resend
}

TEST(CreateMeeting, ValidationBeforeSending) {
  MockClient m;
  MeetingSpec s = new_room_spec();
  std::get<Room>(s.room).settings.rs_room_cap = 0;
  try {
    (void)m.client.create_meeting(s);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "room.settings.rs_room_cap");
  }
  MeetingSpec t = new_room_spec();
  t.event.end = at(1586185200 + 3 * 86400);
  try {
    (void)m.client.create_meeting(t);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "event.end");
  }
  MeetingSpec u = existing_room_spec();
  u.room = RoomId(0);
  EXPECT_THROW((void)m.client.create_meeting(u), ValidationError);
  EXPECT_EQ(m.mock->request_count(), 0U);
  // ... unless the long event is allowed explicitly.
  t.allow_long_event = true;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + kLinkJson + "]");
  EXPECT_NO_THROW((void)m.client.create_meeting(t));
}

TEST(CreateMeetings, BatchPacksMeetingsAndReportsEach) {
  MockClient m;
  MeetingSpec ok1 = existing_room_spec();
  MeetingSpec bad = new_room_spec();
  bad.event.summary = "";
  MeetingSpec fails = new_room_spec();
  MeetingSpec ok2 = new_room_spec();
  std::vector<MeetingSpec> specs{ok1, bad, fails, ok2};
  // 3 meetings sent (9 items): ok1 (get, add, link), fails (room ok, event fails, link fails), ok2.
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + kLinkJson + "," +
                     R"({"id":2000,"name":"Room-1","status":2,"tags":"vcprovider:newrow","objectType":"KalturaLocationScheduleResource"},)" +
                     api_error("MAX_SCHEDULE_DURATION_REACHED", "max") + "," + api_error("SCHEDULE_EVENT_ID_NOT_FOUND", "x") +
                     "," + R"({"id":2001,"name":"Room-1","status":2,"tags":"vcprovider:newrow","objectType":"KalturaLocationScheduleResource"},)" +
                     R"({"id":3001,"summary":"Tomorrow's Event","objectType":"KalturaRecordScheduleEvent"},)" +
                     R"({"eventId":3001,"resourceId":2001,"objectType":"KalturaScheduleEventResource"}])");
  m.mock->reply_json(R"([{"id":2000,"name":"Room-1","status":3,"objectType":"KalturaLocationScheduleResource"}])");
  std::vector<MeetingResult> results = m.client.create_meetings(specs);
  ASSERT_EQ(results.size(), 4U);
  ASSERT_EQ(m.mock->request_count(), 2U);
  std::string body = m.mock->requests()[0].body;
  // References follow each meeting's position in the batch.
  EXPECT_THAT(body, HasSubstr(R"("2":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource","eventId":"{2:result:id}","resourceId":1100601})"));
  EXPECT_THAT(body, HasSubstr(R"("5":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource","eventId":"{5:result:id}","resourceId":"{4:result:id}"})"));
  EXPECT_THAT(body, HasSubstr(R"("8":{"scheduleEventResource":{"objectType":"KalturaScheduleEventResource","eventId":"{8:result:id}","resourceId":"{7:result:id}"})"));
  EXPECT_EQ(body.find(R"("9":)"), std::string::npos);

  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[0].value().event.id, EventId(3371011));
  EXPECT_FALSE(results[1].ok());
  EXPECT_THROW((void)results[1].value(), ValidationError);
  EXPECT_THAT(results[1].error_message(), HasSubstr("event.summary"));
  EXPECT_FALSE(results[2].ok());
  try {
    (void)results[2].value();
    FAIL();
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.step(), MeetingStep::event);
    EXPECT_TRUE(e.rolled_back());
  }
  EXPECT_TRUE(results[3].ok());
  EXPECT_EQ(results[3].value().link.room_id, RoomId(2001));
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"0":{"scheduleResourceId":2000,"service":"schedule_scheduleresource","action":"delete"},)") +
                kTailMulti);
}

TEST(CreateMeetings, TextThatIsNotUtf8FailsOnlyItsMeeting) {
  MockClient m;
  m.mock->reply_json(std::string("[") + kRoomJson + "," + kEventJson + "," + kLinkJson + "]");
  MeetingSpec bad = new_room_spec();
  bad.event.location = "Hall \xE2\x82";  // cut three-byte sequence
  std::vector<MeetingSpec> specs{bad, new_room_spec()};
  auto results = m.client.create_meetings(specs);
  ASSERT_EQ(results.size(), 2U);
  EXPECT_FALSE(results[0].ok());
  EXPECT_THAT(results[0].error_message(), HasSubstr("event.location"));
  EXPECT_THAT(results[0].error_message(), HasSubstr("UTF-8"));
  EXPECT_TRUE(results[1].ok());
  EXPECT_EQ(m.mock->request_count(), 1U);  // only the good meeting was sent
}

TEST(CreateMeetings, AllInvalidSendsNothing) {
  MockClient m;
  MeetingSpec bad = new_room_spec();
  std::get<Room>(bad.room).name = "";
  std::vector<MeetingSpec> specs{bad, bad};
  auto results = m.client.create_meetings(specs);
  EXPECT_EQ(m.mock->request_count(), 0U);
  EXPECT_FALSE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_THAT(results[0].error_message(), HasSubstr("room.name"));
}

}  // namespace
}  // namespace kmeet
