// Creates that are safe to retry (src/services/idempotent.*): every add carries an idempotency key
// and, whenever its outcome is unknown, the object is looked up by that key before anything is
// sent again. MockTransport scripts each unknown-outcome point.

#include "services/idempotent.hpp"
#include "client/context.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/json.hpp"
#include "kmeet/errors.hpp"
#include "services/fixture.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;

using ::testing::HasSubstr;
using ::testing::Not;
using detail::Json;

const std::string kGeneratedKey = "kmeet-abababababababababababababababab";

constexpr const char* kRoom =
    R"({"id":11,"partnerId":1234567,"name":"Room-1","systemName":"KEY","status":2,"tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";
constexpr const char* kEvent =
    R"({"id":22,"partnerId":1234567,"summary":"Session","status":2,"startDate":1586185200,"endDate":1586188800,"referenceId":"KEY","recurrenceType":0,"createdAt":1586113200,"updatedAt":1586113200,"objectType":"KalturaRecordScheduleEvent"})";
constexpr const char* kLink =
    R"({"eventId":22,"resourceId":11,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";

std::string with_key(std::string json, const std::string& key) {
  json.replace(json.find("KEY"), 3, key);
  return json;
}
std::string page(const std::string& items, const char* type) {
  return R"({"objects":[)" + items + R"(],"totalCount":)" + (items.empty() ? "0" : "1") + R"(,"objectType":")" +
         type + R"("})";
}
std::string room_page(const std::string& items) { return page(items, "KalturaScheduleResourceListResponse"); }
std::string event_page(const std::string& items) { return page(items, "KalturaScheduleEventListResponse"); }
std::string link_page(const std::string& items) { return page(items, "KalturaScheduleEventResourceListResponse"); }
std::string api_error(const std::string& code) {
  return R"({"code":")" + code + R"(","message":"m","objectType":"KalturaAPIException","args":[]})";
}

HttpResponse status(int code, std::string body = "<html>oops</html>") {
  HttpResponse r;
  r.status = code;
  r.headers = {{"Content-Type", "text/html"}};
  r.body = std::move(body);
  return r;
}
std::function<void()> reset_after_send() {
  return [] { throw TransportError(TransportError::Kind::reset, "connection reset after sending", true); };
}
std::function<void()> timeout_after_send() {
  return [] { throw TransportError(TransportError::Kind::timeout, "timed out waiting for the answer", true); };
}

/// A client whose RetryPolicy allows `attempts` with millisecond backoffs.
struct Fixture : testing_support::RetryClient {
  using RetryClient::RetryClient;
  [[nodiscard]] std::vector<std::string> actions() const {
    std::vector<std::string> out;
    for (const auto& r : mock->requests()) {
      if (r.url.ends_with("/multirequest")) {
        const Json b = Json::parse(r.body);
        std::string all = "multi:";
        for (int i = 0; b.contains(std::to_string(i)); ++i) {
          const Json& item = b[std::to_string(i)];
          all += (i ? "," : "") + item["service"].get<std::string>().substr(9) + "." + item["action"].get<std::string>();
        }
        out.push_back(all);
      } else {
        const auto pos = r.url.find("/service/");
        std::string s = r.url.substr(pos + 9 + 9);  // drop "schedule_"
        s.replace(s.find("/action/"), 8, ".");
        out.push_back(s);
      }
    }
    return out;
  }
  Json body(std::size_t i) const { return Json::parse(mock->requests().at(i).body); }
};

Room new_room() {
  Room r;
  r.name = "Room-1";
  return r;
}

Event new_event() {
  Event e;
  e.summary = "Session";
  e.start = Timestamp(std::chrono::seconds(1586185200));
  e.end = Timestamp(std::chrono::seconds(1586188800));
  return e;
}

// ---- keys -----------------------------------------------------------------------------------

TEST(IdempotencyKeys, GeneratedWhenTheCallerGaveNoneAndKeptOtherwise) {
  Fixture f;
  f.mock->reply_json(with_key(kRoom, kGeneratedKey));
  (void)f.client.rooms().add(new_room());
  EXPECT_EQ(f.body(0)["scheduleResource"]["systemName"], kGeneratedKey);

  Room mine = new_room();
  mine.system_name = "my-room-7";
  f.mock->reply_json(with_key(kRoom, "my-room-7"));
  (void)f.client.rooms().add(mine);
  EXPECT_EQ(f.body(1)["scheduleResource"]["systemName"], "my-room-7");

  f.mock->reply_json(with_key(kEvent, kGeneratedKey));
  (void)f.client.events().add(new_event());
  EXPECT_EQ(f.body(2)["scheduleEvent"]["referenceId"], kGeneratedKey);
}

TEST(IdempotencyKeys, ComeFromTheCsprngByDefault) {
  auto mock = std::make_shared<MockTransport>();
  Config c = testing_support::mock_config(mock);
  c.random = nullptr;
  const Client client(c);
  const std::string a = detail::new_idempotency_key(detail::ClientAccess::context(client)->services);
  const std::string b = detail::new_idempotency_key(detail::ClientAccess::context(client)->services);
  EXPECT_THAT(a, ::testing::MatchesRegex("kmeet-[0-9a-f]{32}"));
  EXPECT_NE(a, b);
}

TEST(OutcomeUnknown, ClassifiesEveryFailure) {
  auto unknown = [](auto e) { return detail::outcome_unknown(std::make_exception_ptr(e)); };
  EXPECT_TRUE(unknown(TransportError(TransportError::Kind::reset, "r", true)));
  EXPECT_TRUE(unknown(TransportError(TransportError::Kind::timeout, "t", true)));
  EXPECT_FALSE(unknown(TransportError(TransportError::Kind::connect, "c", false)));
  EXPECT_TRUE(unknown(HttpError(502, "")));
  EXPECT_TRUE(unknown(HttpError(500, "")));
  EXPECT_FALSE(unknown(HttpError(429, "")));
  EXPECT_FALSE(unknown(HttpError(403, "")));
  EXPECT_TRUE(unknown(ProtocolError("html")));
  EXPECT_FALSE(unknown(ApiError({.code = "INVALID_KS"})));
  EXPECT_FALSE(unknown(ValidationError("f", "r")));
}

// ---- Rooms::add -------------------------------------------------------------------------------

TEST(IdempotentRooms, ResetAfterSendingFindsTheRoomInsteadOfResending) {
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json(room_page(with_key(kRoom, kGeneratedKey)));
  const Room r = f.client.rooms().add(new_room());
  EXPECT_EQ(r.id, RoomId(11));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleresource.add", "scheduleresource.list"));
  EXPECT_EQ(f.body(1)["filter"]["systemNameEqual"], kGeneratedKey);
  EXPECT_EQ(f.body(1)["filter"]["objectType"], "KalturaLocationScheduleResourceFilter");
}

TEST(IdempotentRooms, ServerErrorWithNothingCreatedIsResentWithTheSameKey) {
  Fixture f;
  f.mock->reply(status(503));
  f.mock->reply_json(room_page(""));
  f.mock->reply_json(with_key(kRoom, kGeneratedKey));
  const Room r = f.client.rooms().add(new_room());
  EXPECT_EQ(r.id, RoomId(11));
  EXPECT_THAT(f.actions(),
              ::testing::ElementsAre("scheduleresource.add", "scheduleresource.list", "scheduleresource.add"));
  EXPECT_EQ(f.mock->requests()[0].body, f.mock->requests()[2].body);  // the same key again
}

TEST(IdempotentRooms, GarbledAnswerThenKeyTakenOnResendIsOurOwnRoom) {
  // The first add ran but its answer was an HTML page; the look-up ran before the room was
  // visible; the resend is refused as a duplicate key -> look up again and use it.
  Fixture f;
  HttpResponse html = status(200, "<html><body>Service Temporarily Unavailable</body></html>");
  f.mock->reply(html);
  f.mock->reply_json(room_page(""));
  f.mock->reply_json(api_error("SYSTEM_NAME_ALREADY_EXISTS"));
  f.mock->reply_json(room_page(with_key(kRoom, kGeneratedKey)));
  const Room r = f.client.rooms().add(new_room());
  EXPECT_EQ(r.id, RoomId(11));
  EXPECT_EQ(f.mock->request_count(), 4U);
}

TEST(IdempotentRooms, KeyTakenOnTheFirstAttemptIsTheCallersError) {
  Fixture f;
  Room mine = new_room();
  mine.system_name = "taken";
  f.mock->reply_json(api_error("SYSTEM_NAME_ALREADY_EXISTS"));
  try {
    (void)f.client.rooms().add(mine);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "SYSTEM_NAME_ALREADY_EXISTS");
  }
  EXPECT_EQ(f.mock->request_count(), 1U);  // no look-up, no resend
}

TEST(IdempotentRooms, ApiErrorsAreNeitherLookedUpNorResent) {
  Fixture f;
  f.mock->reply_json(api_error("PROPERTY_VALIDATION_MAX_LENGTH"));
  EXPECT_THROW((void)f.client.rooms().add(new_room()), ApiError);
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(IdempotentRooms, AttemptsAreBoundedByTheRetryPolicy) {
  Fixture f(3);
  for (int i = 0; i < 3; ++i) {
    f.mock->fail(timeout_after_send());
    f.mock->reply_json(room_page(""));
  }
  try {
    (void)f.client.rooms().add(new_room());
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.outcome_unknown());
  }
  // add, look-up, add, look-up, add, look-up: three adds, never two without a look-up between.
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleresource.add", "scheduleresource.list",
                                                  "scheduleresource.add", "scheduleresource.list",
                                                  "scheduleresource.add", "scheduleresource.list"));
}

TEST(IdempotentRooms, AFailedLookUpIsRetriedBeforeAnythingIsResent) {
  Fixture f;
  f.mock->fail(reset_after_send());
  // The look-up is idempotent: the API layer retries it on its own (503, then the answer).
  f.mock->reply(status(503));
  f.mock->reply_json(room_page(with_key(kRoom, kGeneratedKey)));
  EXPECT_EQ(f.client.rooms().add(new_room()).id, RoomId(11));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleresource.add", "scheduleresource.list",
                                                  "scheduleresource.list"));
}

TEST(IdempotentRooms, WithoutRetriesTheUnknownOutcomeIsThrownAfterOneLookUp) {
  Fixture f(1);
  f.mock->fail(reset_after_send());
  f.mock->reply_json(room_page(""));
  EXPECT_THROW((void)f.client.rooms().add(new_room()), TransportError);
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleresource.add", "scheduleresource.list"));
}

// ---- Events::add ------------------------------------------------------------------------------

TEST(IdempotentEvents, TimeoutAfterSendingFindsTheEventByReferenceId) {
  Fixture f;
  f.mock->fail(timeout_after_send());
  f.mock->reply_json(event_page(with_key(kEvent, kGeneratedKey)));
  const Event e = f.client.events().add(new_event());
  EXPECT_EQ(e.id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleevent.add", "scheduleevent.list"));
  EXPECT_EQ(f.body(1)["filter"]["referenceIdEqual"], kGeneratedKey);
  // Any event class: a meeting event must be found as well as a record event.
  EXPECT_EQ(f.body(1)["filter"]["objectType"], "KalturaScheduleEventFilter");
}

TEST(IdempotentEvents, NotFoundIsResentWithTheCallersReferenceId) {
  Fixture f;
  Event mine = new_event();
  mine.reference_id = "crm-4711";
  f.mock->reply(status(500));
  f.mock->reply_json(event_page(""));
  f.mock->reply_json(with_key(kEvent, "crm-4711"));
  EXPECT_EQ(f.client.events().add(mine).reference_id, "crm-4711");
  EXPECT_EQ(f.body(0)["scheduleEvent"]["referenceId"], "crm-4711");
  EXPECT_EQ(f.body(2), f.body(0));
}

TEST(IdempotentEvents, AnEmptyReferenceIdIsRefusedBeforeSending) {
  // The server does not apply an empty filter value: a look-up by "" would find any event.
  Fixture f;
  Event mine = new_event();
  mine.reference_id = "";
  try {
    (void)f.client.events().add(mine);
    FAIL() << "no ValidationError";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "event.reference_id");
  }
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(IdempotentEvents, ALookUpThatFindsTwoEventsAdoptsNeither) {
  Fixture f;
  Event mine = new_event();
  mine.reference_id = "shared";
  f.mock->fail(timeout_after_send());
  f.mock->reply_json(event_page(with_key(kEvent, "shared") + "," + with_key(kEvent, "shared")));
  try {
    (void)f.client.events().add(mine);
    FAIL() << "no ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "KMEET_AMBIGUOUS_KEY");
    EXPECT_THAT(e.what(), HasSubstr("more than one event with this reference_id"));
  }
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleevent.add", "scheduleevent.list"));
}

// ---- Links::add -------------------------------------------------------------------------------

TEST(IdempotentLinks, AlreadyExistsOnResendIsSuccess) {
  Fixture f;
  f.mock->reply(status(502));
  f.mock->reply_json(link_page(""));
  f.mock->reply_json(api_error("SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS"));
  f.mock->reply_json(link_page(kLink));
  const EventRoomLink l = f.client.links().add(EventId(22), RoomId(11));
  EXPECT_EQ(l.event_id, EventId(22));
  EXPECT_EQ(l.room_id, RoomId(11));
  EXPECT_EQ(f.body(1)["filter"]["eventIdEqual"], 22);
  EXPECT_EQ(f.body(1)["filter"]["resourceIdEqual"], 11);
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("scheduleeventresource.add", "scheduleeventresource.list",
                                                  "scheduleeventresource.add", "scheduleeventresource.list"));
}

TEST(IdempotentLinks, ResetAfterSendingFindsTheLink) {
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json(link_page(kLink));
  EXPECT_EQ(f.client.links().add(EventId(22), RoomId(11)).room_id, RoomId(11));
  EXPECT_EQ(f.mock->request_count(), 2U);
}

// ---- create_meeting / create_meetings -------------------------------------------------------

MeetingSpec spec() {
  MeetingSpec s;
  s.room = new_room();
  s.event = new_event();
  return s;
}

TEST(IdempotentMeetings, KeysAreSentWithTheRoomAndTheEvent) {
  Fixture f;
  f.mock->reply_json("[" + with_key(kRoom, kGeneratedKey) + "," + with_key(kEvent, kGeneratedKey) + "," + kLink + "]");
  (void)f.client.create_meeting(spec());
  const Json b = f.body(0);
  EXPECT_EQ(b["0"]["scheduleResource"]["systemName"], kGeneratedKey);
  EXPECT_EQ(b["1"]["scheduleEvent"]["referenceId"], kGeneratedKey);
  EXPECT_EQ(b["2"]["scheduleEventResource"]["eventId"], "{2:result:id}");
  EXPECT_EQ(b["2"]["scheduleEventResource"]["resourceId"], "{1:result:id}");
}

TEST(IdempotentMeetings, EverythingFoundAfterAResetIsNotSentAgain) {
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page(with_key(kRoom, kGeneratedKey)) + "," +
                     event_page(with_key(kEvent, kGeneratedKey)) + "]");
  f.mock->reply_json("[" + link_page(kLink) + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  const Meeting m = f.client.create_meeting(spec());
  EXPECT_EQ(m.room.id, RoomId(11));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(m.link.event_id, EventId(22));
  EXPECT_THAT(f.actions(),
              ::testing::ElementsAre("multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                                     "multi:scheduleresource.list,scheduleevent.list",
                                     "multi:scheduleeventresource.list", "multi:scheduleevent.list"));
}

TEST(IdempotentMeetings, OnlyTheMissingStepsAreCompleted) {
  // The room was made, the event was not: the next round adds the event and the link to room 11.
  Fixture f;
  f.mock->reply(status(504));
  f.mock->reply_json("[" + room_page(with_key(kRoom, kGeneratedKey)) + "," + event_page("") + "]");
  f.mock->reply_json("[" + with_key(kEvent, kGeneratedKey) + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  const Meeting m = f.client.create_meeting(spec());
  EXPECT_EQ(m.room.id, RoomId(11));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                               "multi:scheduleresource.list,scheduleevent.list",
                               "multi:scheduleevent.add,scheduleeventresource.add", "multi:scheduleevent.list"));
  const Json round2 = f.body(2);
  EXPECT_EQ(round2["0"]["scheduleEvent"]["referenceId"], kGeneratedKey);
  EXPECT_EQ(round2["1"]["scheduleEventResource"]["resourceId"], 11);
  EXPECT_EQ(round2["1"]["scheduleEventResource"]["eventId"], "{1:result:id}");
}

TEST(IdempotentMeetings, OnlyTheLinkIsAddedWhenRoomAndEventExist) {
  Fixture f;
  f.mock->reply(status(200, "{\"truncat"));  // ran, answer cut: ProtocolError
  f.mock->reply_json("[" + room_page(with_key(kRoom, kGeneratedKey)) + "," +
                     event_page(with_key(kEvent, kGeneratedKey)) + "]");
  f.mock->reply_json("[" + link_page("") + "]");
  f.mock->reply_json(std::string("[") + kLink + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  const Meeting m = f.client.create_meeting(spec());
  EXPECT_EQ(m.link.room_id, RoomId(11));
  EXPECT_THAT(f.actions()[3], "multi:scheduleeventresource.add");
  const Json last = f.body(3);
  EXPECT_EQ(last["0"]["scheduleEventResource"]["eventId"], 22);
  EXPECT_EQ(last["0"]["scheduleEventResource"]["resourceId"], 11);
}

TEST(IdempotentMeetings, ALinkToRoomZeroFromALostRoundIsFoundAndDeleted) {
  // Lost round: the room add failed, the event add worked and the link went to resource 0 (the
  // failed reference became "", protocol.md C.3/D.4). The look-up finds the event, not the room, so it
  // also lists the event's links; the (22,0) link is deleted once the meeting is complete.
  Fixture f;
  const std::string stray =
      R"({"eventId":22,"resourceId":0,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page("") + "," + event_page(with_key(kEvent, kGeneratedKey)) + "]");
  f.mock->reply_json("[" + link_page(stray) + "]");
  f.mock->reply_json("[" + with_key(kRoom, kGeneratedKey) + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  f.mock->reply_json("[null]");
  const Meeting m = f.client.create_meeting(spec());
  EXPECT_EQ(m.room.id, RoomId(11));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                               "multi:scheduleresource.list,scheduleevent.list", "multi:scheduleeventresource.list",
                               "multi:scheduleresource.add,scheduleeventresource.add", "multi:scheduleevent.list",
                               "multi:scheduleeventresource.delete"));
  EXPECT_EQ(f.body(2)["0"]["filter"]["eventIdEqual"], 22);
  EXPECT_FALSE(f.body(2)["0"]["filter"].contains("resourceIdEqual"));
  EXPECT_EQ(f.body(5)["0"]["scheduleEventId"], 22);
  EXPECT_EQ(f.body(5)["0"]["scheduleResourceId"], 0);
}

TEST(IdempotentMeetings, NothingFoundIsSentAgainWhole) {
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "]");
  f.mock->reply_json("[" + with_key(kRoom, kGeneratedKey) + "," + with_key(kEvent, kGeneratedKey) + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  EXPECT_EQ(f.client.create_meeting(spec()).room.id, RoomId(11));
  EXPECT_EQ(f.mock->requests()[0].body, f.mock->requests()[2].body);
}

TEST(IdempotentMeetings, KeyTakenOnAResendIsOurRoomAndTheRestIsCompleted) {
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "]");  // not visible yet
  // Round 2: the room add is refused (it did exist), the event add and the link fail with it.
  f.mock->reply_json("[" + api_error("SYSTEM_NAME_ALREADY_EXISTS") + "," + with_key(kEvent, kGeneratedKey) + "," +
                     api_error("INVALID_OBJECT_ID") + "]");
  f.mock->reply_json("[" + room_page(with_key(kRoom, kGeneratedKey)) + "]");  // found now
  f.mock->reply_json("[" + link_page("") + "]");
  f.mock->reply_json(std::string("[") + kLink + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  const Meeting m = f.client.create_meeting(spec());
  EXPECT_EQ(m.room.id, RoomId(11));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                               "multi:scheduleresource.list,scheduleevent.list",
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                               "multi:scheduleresource.list", "multi:scheduleeventresource.list",
                               "multi:scheduleeventresource.add", "multi:scheduleevent.list"));
}

TEST(IdempotentMeetings, AFailingStepAfterARetryRollsBackWhatWasFound) {
  // Round 1 unknown; the room exists; round 2's event add is refused -> the room is deleted again.
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page(with_key(kRoom, kGeneratedKey)) + "," + event_page("") + "]");
  f.mock->reply_json("[" + api_error("SCHEDULE_TIME_IN_USE") + "," + api_error("INVALID_OBJECT_ID") + "]");
  f.mock->reply_json(std::string("[") + kRoom + "]");  // the rollback's delete
  try {
    (void)f.client.create_meeting(spec());
    FAIL();
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.step(), MeetingStep::event);
    EXPECT_EQ(e.code(), "SCHEDULE_TIME_IN_USE");
    EXPECT_TRUE(e.rolled_back());
    EXPECT_THAT(std::string(e.what()), HasSubstr("deleted room 11"));
  }
  EXPECT_EQ(f.actions().back(), "multi:scheduleresource.delete");
}

TEST(IdempotentMeetings, AnEventFoundByTheCallersKeyIsNeverDeletedByARollback) {
  // The caller's keys name a room and an event an earlier run (or another writer) made; the link
  // add then fails. The rollback must not delete what this call did not make.
  Fixture f;
  MeetingSpec s = spec();
  std::get<Room>(s.room).system_name = "room-k";
  s.event.reference_id = "event-k";
  f.mock->reply_json("[" + room_page(with_key(kRoom, "room-k")) + "," + event_page(with_key(kEvent, "event-k")) + "]");
  f.mock->reply_json("[" + link_page("") + "]");
  // The link add is refused; the twin check folded after it lists the key.
  f.mock->reply_json("[" + api_error("RESOURCE_IS_RESERVED") + "," + event_page(with_key(kEvent, "event-k")) + "]");
  try {
    (void)f.client.create_meeting(s);
    FAIL();
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.step(), MeetingStep::link);
    EXPECT_TRUE(e.rolled_back()) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("event 22 (found by its reference_id, not made by this call) was kept"));
    EXPECT_THAT(e.what(), HasSubstr("room 11 (found by its system_name, not made by this call) was kept"));
  }
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("multi:scheduleresource.list,scheduleevent.list",
                                                  "multi:scheduleeventresource.list",
                                                  "multi:scheduleeventresource.add,scheduleevent.list"));
}

TEST(IdempotentMeetings, TwinsUnderOneKeyResolveToTheLowestIdAndTheOtherIsDeleted) {
  // Two events of this very meeting (a concurrent writer, or a late copy of our request): the
  // lowest id is the meeting; the other is deleted with its link.
  Fixture f;
  MeetingSpec s = spec();
  s.room = RoomId(11);
  s.event.reference_id = "event-k";
  std::string twin = with_key(kEvent, "event-k");
  twin.replace(twin.find("\"id\":22"), 7, "\"id\":29");
  const std::string twin_link =
      R"({"eventId":29,"resourceId":11,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";
  f.mock->reply_json("[" + page(twin + "," + with_key(kEvent, "event-k"), "KalturaScheduleEventListResponse") + "]");
  f.mock->reply_json("[" + link_page(kLink) + "," + link_page(twin_link) + "]");
  // The existing room, read for the Meeting, with the key's twin check folded after it.
  f.mock->reply_json(std::string("[") + kRoom + "," +
                     page(twin + "," + with_key(kEvent, "event-k"), "KalturaScheduleEventListResponse") + "]");
  f.mock->reply_json("[null,null]");  // the twin's link, then the twin
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(m.link.room_id, RoomId(11));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre("multi:scheduleevent.list",
                                                  "multi:scheduleeventresource.list,scheduleeventresource.list",
                                                  "multi:scheduleresource.get,scheduleevent.list",
                                                  "multi:scheduleeventresource.delete,scheduleevent.delete"));
  EXPECT_EQ(f.body(3)["0"]["scheduleEventId"], 29);
  EXPECT_EQ(f.body(3)["1"]["scheduleEventId"], 29);
}

// ---- the twin check folded into the create's own multirequest (src/services/meetings.cpp) -------

MeetingSpec keyed_spec(const std::string& event_key) {
  MeetingSpec s = spec();
  std::get<Room>(s.room).system_name = "room-" + event_key;
  s.event.reference_id = event_key;
  s.keys_checked = true;  // as kmeet import does: no look-up before the add
  return s;
}

std::string with_id(std::string json, const std::string& field, int from, int to) {
  const std::string old = "\"" + field + "\":" + std::to_string(from);
  json.replace(json.find(old), old.size(), "\"" + field + "\":" + std::to_string(to));
  return json;
}

TEST(FoldedTwinCheck, ACallersKeyIsCheckedInTheCreatesOwnRequest) {
  Fixture f;
  f.mock->reply_json("[" + with_key(kRoom, "room-event-k") + "," + with_key(kEvent, "event-k") + "," + kLink + "," +
                     event_page(with_key(kEvent, "event-k")) + "]");
  const Meeting m = f.client.create_meeting(keyed_spec("event-k"));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(m.link.room_id, RoomId(11));
  ASSERT_EQ(f.mock->request_count(), 1U);  // one round trip: no verify round
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list"));
  // The list is the last item, with the filter and pager of the verify round, byte for byte.
  EXPECT_THAT(f.mock->requests()[0].body,
              HasSubstr(R"("3":{"filter":{"objectType":"KalturaScheduleEventFilter","referenceIdIn":"event-k"},)"
                        R"("pager":{"objectType":"KalturaFilterPager","pageSize":500,"pageIndex":1},)"
                        R"("service":"schedule_scheduleevent","action":"list"},)"));
  EXPECT_FALSE(f.body(0).contains("4"));
}

TEST(FoldedTwinCheck, OneListPerBatchAfterEveryAddAndNoneForAKeyKmeetMade) {
  // a and c carry the caller's keys, b a generated one. c's key holds the In separator: its own
  // referenceIdEqual list (made as the keys are met), then the In list of the rest. Both lists
  // come after all nine adds.
  Fixture f;
  MeetingSpec b = spec();
  const std::vector<MeetingSpec> specs{keyed_spec("event-a"), b, keyed_spec("x,y")};
  const std::string ev_a = with_key(kEvent, "event-a");
  const std::string ev_b = with_id(with_key(kEvent, kGeneratedKey), "id", 22, 23);
  const std::string ev_c = with_id(with_key(kEvent, "x,y"), "id", 22, 24);
  f.mock->reply_json("[" + with_key(kRoom, "room-event-a") + "," + ev_a + "," + kLink + "," +
                     with_key(kRoom, kGeneratedKey) + "," + ev_b + "," + kLink + "," + with_key(kRoom, "room-x,y") +
                     "," + ev_c + "," + kLink + "," + event_page(ev_c) + "," + event_page(ev_a) + "]");
  const auto results = f.client.create_meetings(specs);
  ASSERT_EQ(results.size(), 3U);
  for (const auto& r : results) EXPECT_TRUE(r.ok());
  EXPECT_EQ(results[2].value().event.id, EventId(24));
  ASSERT_EQ(f.mock->request_count(), 1U);
  const Json body = f.body(0);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(body[std::to_string(i)]["action"], "add") << i;
  EXPECT_EQ(body["9"]["action"], "list");
  EXPECT_EQ(body["9"]["filter"]["referenceIdEqual"], "x,y");
  EXPECT_FALSE(body["9"]["filter"].contains("referenceIdIn"));
  EXPECT_EQ(body["10"]["action"], "list");
  EXPECT_EQ(body["10"]["filter"]["referenceIdIn"], "event-a");  // b's generated key is not listed
  EXPECT_FALSE(body.contains("11"));
}

TEST(FoldedTwinCheck, ATwinInTheFoldedListWinsAndOursIsDeletedWithItsLink) {
  // Two writers of one caller key: our add made event 29, the folded list shows it and an older
  // twin 22 (another writer's, linked to the room already). Ours lost: the meeting is 22, and
  // our event and its link are deleted; no verify round is sent.
  Fixture f;
  MeetingSpec s = keyed_spec("event-k");
  s.room = RoomId(11);
  const std::string ours = with_id(with_key(kEvent, "event-k"), "id", 22, 29);
  const std::string our_link = with_id(kLink, "eventId", 22, 29);
  f.mock->reply_json("[" + std::string(kRoom) + "," + ours + "," + our_link + "," +
                     page(with_key(kEvent, "event-k") + "," + ours, "KalturaScheduleEventListResponse") + "]");
  f.mock->reply_json("[" + link_page(kLink) + "," + link_page(our_link) + "]");  // the winner's link, ours
  f.mock->reply_json("[null,null]");
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(m.link.event_id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.get,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                               "multi:scheduleeventresource.list,scheduleeventresource.list",
                               "multi:scheduleeventresource.delete,scheduleevent.delete"));
  EXPECT_EQ(f.body(1)["0"]["filter"]["eventIdEqual"], 22);
  EXPECT_EQ(f.body(1)["1"]["filter"]["eventIdEqual"], 29);
  EXPECT_EQ(f.body(2)["0"]["scheduleEventId"], 29);
  EXPECT_EQ(f.body(2)["0"]["scheduleResourceId"], 11);
  EXPECT_EQ(f.body(2)["1"]["scheduleEventId"], 29);
}

TEST(FoldedTwinCheck, AfterALostAnswerAnEventUnderTheCallersKeyIsNeverRolledBack) {
  // Two writers of one caller key. Our create's answer is lost (our add may have made a twin); the
  // other writer saw that twin and deleted it, so the look-up lists only its event 22, which it
  // reported made. Our link add is then refused: the rollback must keep 22, since nothing proves it
  // ours (an outside test saw such an event deleted, its writer's meeting lost).
  Fixture f;
  MeetingSpec s = keyed_spec("event-k");
  s.room = RoomId(11);
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + event_page(with_key(kEvent, "event-k")) + "]");      // only 22 is left
  f.mock->reply_json("[" + link_page("") + "]");                                // not linked yet
  // The room read, the link add refused, the folded twin check.
  f.mock->reply_json("[" + std::string(kRoom) + "," + api_error("RESOURCE_IS_RESERVED") + "," +
                     event_page(with_key(kEvent, "event-k")) + "]");
  try {
    (void)f.client.create_meeting(s);
    FAIL() << "the link was refused";
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.step(), MeetingStep::link) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("event 22 was kept: found by its reference_id after an add whose answer was lost"));
    EXPECT_FALSE(e.rolled_back());  // it may be ours: what exists is not known to be undone
    EXPECT_EQ(e.outcome(), MeetingError::Outcome::unknown);
    EXPECT_THAT(e.what(), Not(HasSubstr("deleted event 22")));
  }
  for (const std::string& a : f.actions()) EXPECT_THAT(a, Not(HasSubstr("scheduleevent.delete"))) << a;
}

TEST(FoldedTwinCheck, OursWinsWhenTheFoldedListShowsALaterTwin) {
  // The other writer's event (35) came later: ours (22) is the lowest id and is kept. 35 is a twin
  // to delete (its own writer's list, which ran after both adds, deletes it too; a second delete
  // finds it gone). No verify round is sent.
  Fixture f;
  const std::string later = with_id(with_key(kEvent, "event-k"), "id", 22, 35);
  f.mock->reply_json("[" + with_key(kRoom, "room-event-k") + "," + with_key(kEvent, "event-k") + "," + kLink + "," +
                     page(later + "," + with_key(kEvent, "event-k"), "KalturaScheduleEventListResponse") + "]");
  f.mock->reply_json("[" + api_error("SCHEDULE_EVENT_ID_NOT_FOUND") + "]");  // its writer deleted it first
  const Meeting m = f.client.create_meeting(keyed_spec("event-k"));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(m.link.event_id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                               "multi:scheduleevent.delete"));
  EXPECT_EQ(f.body(1)["0"]["scheduleEventId"], 35);
}

TEST(FoldedTwinCheck, ARefusedOrGarbledFoldedListFallsBackToAVerifyRound) {
  const std::vector<std::string> bad_items{api_error("SERVICE_FORBIDDEN"), api_error("ACTION_BLOCKED"),
                                           R"({"objects":7,"objectType":"KalturaScheduleEventListResponse"})"};
  for (const std::string& bad : bad_items) {
    SCOPED_TRACE(bad);
    Fixture f;
    // The verify round of its own then finds an older twin: ours goes, as in the folded case.
    const std::string ours = with_id(with_key(kEvent, "event-k"), "id", 22, 29);
    const std::string our_link = with_id(kLink, "eventId", 22, 29);
    MeetingSpec s = keyed_spec("event-k");
    s.room = RoomId(11);
    f.mock->reply_json("[" + std::string(kRoom) + "," + ours + "," + our_link + "," + bad + "]");
    f.mock->reply_json("[" + page(with_key(kEvent, "event-k") + "," + ours, "KalturaScheduleEventListResponse") + "]");
    f.mock->reply_json("[" + link_page(kLink) + "," + link_page(our_link) + "]");
    f.mock->reply_json("[null,null]");
    const Meeting m = f.client.create_meeting(s);
    EXPECT_EQ(m.event.id, EventId(22));
    EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                                 "multi:scheduleresource.get,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                                 "multi:scheduleevent.list", "multi:scheduleeventresource.list,scheduleeventresource.list",
                                 "multi:scheduleeventresource.delete,scheduleevent.delete"));
    EXPECT_EQ(f.body(1)["0"]["filter"], f.body(0)["3"]["filter"]);  // the same list, in a round of its own
    EXPECT_EQ(f.body(3)["1"]["scheduleEventId"], 29);
  }
}

TEST(FoldedTwinCheck, ListsThatWouldPassFiveHundredCallsAreCheckedInARoundOfTheirOwn) {
  // 166 meetings in existing rooms: 498 calls. Two lists of 50 keys fit in 500 calls; the keys
  // of the other two lists are checked by the verify round.
  Fixture f;
  std::vector<MeetingSpec> specs;
  std::string reply = "[";
  for (int i = 0; i < 166; ++i) {
    MeetingSpec s = keyed_spec("event-" + std::to_string(i));
    s.room = RoomId(11);
    specs.push_back(s);
    reply += (i == 0 ? "" : ",") + std::string(kRoom) + "," +
             with_id(with_key(kEvent, "event-" + std::to_string(i)), "id", 22, 1000 + i) + "," +
             with_id(kLink, "eventId", 22, 1000 + i);
  }
  f.mock->reply_json(reply + "," + event_page("") + "," + event_page("") + "]");
  f.mock->reply_json("[" + event_page("") + "," + event_page("") + "]");
  const auto results = f.client.create_meetings(specs);
  ASSERT_EQ(results.size(), 166U);
  for (const auto& r : results) EXPECT_TRUE(r.ok());
  ASSERT_EQ(f.mock->request_count(), 2U);
  const Json first = f.body(0);
  EXPECT_TRUE(first.contains("499"));
  EXPECT_FALSE(first.contains("500"));  // 500 calls, not more
  EXPECT_EQ(first["497"]["action"], "add");
  EXPECT_THAT(first["498"]["filter"]["referenceIdIn"].get<std::string>(), ::testing::StartsWith("event-0,event-1,"));
  EXPECT_THAT(first["499"]["filter"]["referenceIdIn"].get<std::string>(), ::testing::StartsWith("event-50,"));
  EXPECT_THAT(f.actions()[1], "multi:scheduleevent.list,scheduleevent.list");
  EXPECT_THAT(f.body(1)["0"]["filter"]["referenceIdIn"].get<std::string>(), ::testing::StartsWith("event-100,"));
  EXPECT_THAT(f.body(1)["1"]["filter"]["referenceIdIn"].get<std::string>(), ::testing::StartsWith("event-150,"));
}

TEST(FoldedTwinCheck, ALostAnswerIsSettledByLookUpsAndThenVerified) {
  // The create's answer is lost: the look-ups settle the meeting, and the key is then checked in
  // a verify round of its own (a late copy of the lost request may still make a twin).
  Fixture f;
  MeetingSpec s = keyed_spec("event-k");
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + room_page(with_key(kRoom, "room-event-k")) + "," + event_page(with_key(kEvent, "event-k")) + "]");
  f.mock->reply_json("[" + link_page(kLink) + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, "event-k")) + "]");
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                               "multi:scheduleresource.list,scheduleevent.list", "multi:scheduleeventresource.list",
                               "multi:scheduleevent.list"));
  EXPECT_EQ(f.body(3)["0"]["filter"]["referenceIdIn"], "event-k");
}

TEST(IdempotentMeetings, ALinkToAnExistingRoomIsFoundAfterALostRound) {
  // Existing room: round 1 ran but its answer was lost. The look-up finds the event and its link
  // to the room; only the room is read again, no link is added twice.
  Fixture f;
  MeetingSpec s = spec();
  s.room = RoomId(11);
  f.mock->fail(reset_after_send());
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");
  f.mock->reply_json("[" + link_page(kLink) + "]");
  f.mock->reply_json(std::string("[") + kRoom + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, kGeneratedKey)) + "]");  // the key checked for a twin
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.link.room_id, RoomId(11));
  EXPECT_THAT(f.actions(), ::testing::ElementsAre(
                               "multi:scheduleresource.get,scheduleevent.add,scheduleeventresource.add",
                               "multi:scheduleevent.list", "multi:scheduleeventresource.list",
                               "multi:scheduleresource.get", "multi:scheduleevent.list"));
}

TEST(IdempotentMeetings, ALookUpRefusedForOneMeetingFailsThatMeetingAlone) {
  // In one batch, the server refuses the look-up of b's keys (an item error); a goes on.
  Fixture f;
  MeetingSpec a = spec();
  std::get<Room>(a.room).system_name = "room-a";
  a.event.reference_id = "event-a";
  MeetingSpec b = spec();
  std::get<Room>(b.room).system_name = "room-b";
  b.event.reference_id = "event-b";
  const std::vector<MeetingSpec> specs{a, b};
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "," + api_error("SERVICE_FORBIDDEN") + "," +
                     event_page("") + "]");
  // a's adds, then its key checked for a twin in the same request.
  f.mock->reply_json("[" + with_key(kRoom, "room-a") + "," + with_key(kEvent, "event-a") + "," + kLink + "," +
                     event_page(with_key(kEvent, "event-a")) + "]");
  const auto results = f.client.create_meetings(specs);
  ASSERT_EQ(results.size(), 2U);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  try {
    std::rethrow_exception(results[1].error());
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.code(), "SERVICE_FORBIDDEN");
    EXPECT_TRUE(e.rolled_back()) << e.what();  // nothing of b was sent
    EXPECT_THAT(e.what(), HasSubstr("nothing was created"));
  }
  EXPECT_EQ(f.mock->request_count(), 2U);
  EXPECT_EQ(f.body(1)["3"]["filter"]["referenceIdIn"], "event-a");  // b sent nothing, its key is not listed
}

TEST(IdempotentMeetings, AnotherMeetingsEventUnderTheKeyDoesNotFailAMadeMeeting) {
  // The twin check lists the key and finds, besides ours, an event of another meeting (other
  // summary): it is not ours to judge; the made meeting is returned and nothing is deleted.
  Fixture f;
  MeetingSpec s = spec();
  std::get<Room>(s.room).system_name = "room-k";
  s.event.reference_id = "event-k";
  s.keys_checked = true;
  std::string other = with_key(kEvent, "event-k");
  other.replace(other.find("\"id\":22"), 7, "\"id\":21");
  other.replace(other.find("Session"), 7, "Another");
  // Our own event is not listed yet (a search index lags): only the other meeting's event is.
  f.mock->reply_json("[" + with_key(kRoom, "room-k") + "," + with_key(kEvent, "event-k") + "," + kLink + "," +
                     event_page(other) + "]");
  const Meeting m = f.client.create_meeting(s);
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_EQ(f.mock->request_count(), 1U);  // no rollback deletes, no verify round
}

TEST(IdempotentMeetings, UnresolvableOutcomeIsReportedAsUnknownWithTheKeys) {
  // The request may have run and no look-up gets through before the deadline: the meeting may be
  // live. A MeetingError says so (never "rolled back") and carries the keys to re-run with.
  auto mock = std::make_shared<MockTransport>([](const HttpRequest&) -> HttpResponse { reset_after_send()(); return {}; });
  Config c = testing_support::mock_config(mock);
  c.retry.max_attempts = 2;
  c.retry.deadline = std::chrono::milliseconds(40);
  c.retry.initial_backoff = c.retry.max_backoff = std::chrono::milliseconds(1);
  Client client{c};
  try {
    (void)client.create_meeting(spec());
    FAIL();
  } catch (const MeetingError& e) {
    EXPECT_TRUE(e.outcome_unknown()) << e.what();
    EXPECT_FALSE(e.rolled_back());
    EXPECT_EQ(e.code(), "KMEET_TRANSPORT_ERROR");
    EXPECT_THAT(e.what(), HasSubstr("OUTCOME UNKNOWN"));
    EXPECT_EQ(e.keys().event_reference_id, "kmeet-abababababababababababababababab");
  }
  EXPECT_GT(mock->request_count(), 2U);  // look-ups went on past max_attempts, bounded by the deadline
  // Only one request was an add: no blind resend.
  std::size_t adds = 0;
  for (const auto& r : mock->requests()) adds += r.body.find("\"add\"") != std::string::npos ? 1 : 0;
  EXPECT_EQ(adds, 1U);
}

TEST(IdempotentMeetings, BatchCompletesEachMeetingOnItsOwn) {
  Fixture f;
  MeetingSpec a = spec();
  std::get<Room>(a.room).system_name = "room-a";
  a.event.reference_id = "event-a";
  MeetingSpec b = spec();
  std::get<Room>(b.room).system_name = "room-b";
  b.event.reference_id = "event-b";
  const std::vector<MeetingSpec> specs{a, b};
  // The caller's keys are looked up first (an earlier run may have made them): nothing yet.
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "," + room_page("") + "," + event_page("") + "]");
  f.mock->fail(reset_after_send());  // the adds of both and the list of both keys: answer lost
  // a: all there; b: nothing there.
  f.mock->reply_json("[" + room_page(with_key(kRoom, "room-a")) + "," + event_page(with_key(kEvent, "event-a")) + "," +
                     room_page("") + "," + event_page("") + "]");
  f.mock->reply_json("[" + link_page(kLink) + "]");
  // a is complete, settled by look-ups: its caller's key is checked for a twin made by a concurrent
  // writer (none) in a verify round of its own.
  f.mock->reply_json("[" + event_page(with_key(kEvent, "event-a")) + "]");
  std::string room_b = with_key(kRoom, "room-b");
  room_b.replace(room_b.find("\"id\":11"), 7, "\"id\":12");
  std::string event_b = with_key(kEvent, "event-b");
  event_b.replace(event_b.find("\"id\":22"), 7, "\"id\":23");
  // b's adds, with its key's twin check folded after them.
  f.mock->reply_json("[" + room_b + "," + event_b +
                     R"(,{"eventId":23,"resourceId":12,"objectType":"KalturaScheduleEventResource"},)" +
                     event_page(event_b) + "]");
  const auto results = f.client.create_meetings(specs);
  ASSERT_EQ(results.size(), 2U);
  ASSERT_TRUE(results[0].ok());
  ASSERT_TRUE(results[1].ok());
  EXPECT_EQ(results[0].value().room.id, RoomId(11));
  EXPECT_EQ(results[1].value().room.id, RoomId(12));
  EXPECT_EQ(results[1].value().link.event_id, EventId(23));
  EXPECT_EQ(f.mock->request_count(), 6U);
  EXPECT_EQ(f.actions()[1], "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,"
                            "scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list");
  EXPECT_EQ(f.body(1)["6"]["filter"]["referenceIdIn"], "event-a,event-b");
  EXPECT_EQ(f.actions()[4], "multi:scheduleevent.list");
  EXPECT_EQ(f.body(4)["0"]["filter"]["referenceIdIn"], "event-a");
  EXPECT_EQ(f.actions()[5], "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list");
  EXPECT_EQ(f.body(5)["0"]["scheduleResource"]["systemName"], "room-b");
  EXPECT_EQ(f.body(5)["3"]["filter"]["referenceIdIn"], "event-b");
}

// ---- deletes resent after an unknown outcome (docs/reliability.md) -------------------------

constexpr const char* kDeletedRoom =
    R"({"id":11,"partnerId":1234567,"name":"Room-1","status":3,"tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100300,"objectType":"KalturaLocationScheduleResource"})";

TEST(DeleteAfterUnknownOutcome, RoomGoneOnTheResendIsReadBackDeleted) {
  Fixture f;
  f.mock->fail(reset_after_send()).reply_json(api_error("INVALID_OBJECT_ID")).reply_json(room_page(kDeletedRoom));
  const Room room = f.client.rooms().remove(RoomId(11));
  EXPECT_EQ(room.id, RoomId(11));
  EXPECT_EQ(room.status, RoomStatus::deleted);
  EXPECT_EQ(room.name, "Room-1");
  EXPECT_EQ(f.actions(), (std::vector<std::string>{"scheduleresource.delete", "scheduleresource.delete",
                                                   "scheduleresource.list"}));
  // The read-back asks for the deleted room by id, whatever its tags (protocol.md D.2).
  const Json filter = f.body(2)["filter"];
  EXPECT_EQ(filter["idEqual"], 11);
  EXPECT_EQ(filter["statusEqual"], 3);
  EXPECT_FALSE(filter.contains("tagsLike"));
}

TEST(DeleteAfterUnknownOutcome, RoomNotEvenListedAsDeletedIsNotFound) {
  Fixture f;
  f.mock->reply(status(503)).reply_json(api_error("INVALID_OBJECT_ID")).reply_json(room_page(""));
  try {
    (void)f.client.rooms().remove(RoomId(11));
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "INVALID_OBJECT_ID");
    EXPECT_EQ(e.details().args.at("ID"), "11");
  }
  EXPECT_EQ(f.mock->request_count(), 3U);
}

TEST(DeleteAfterUnknownOutcome, NotFoundWithoutAnUnknownOutcomeIsThrown) {
  Fixture f;
  f.mock->reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_THROW((void)f.client.rooms().remove(RoomId(11)), ApiError);
  EXPECT_EQ(f.mock->request_count(), 1U);
  // A connect failure proves the first attempt never ran: "not found" is then the caller's.
  f.mock->fail([] { throw TransportError(TransportError::Kind::connect, "refused", false); })
      .reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_THROW((void)f.client.events().remove(EventId(22)), ApiError);
  f.mock->reply(status(429)).reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_THROW(f.client.links().remove(EventId(22), RoomId(11)), ApiError);
  EXPECT_EQ(f.mock->request_count(), 5U);
}

TEST(DeleteAfterUnknownOutcome, EventGoneOnTheResendIsDeleted) {
  Fixture f;
  f.mock->fail(timeout_after_send()).reply_json(api_error("INVALID_OBJECT_ID"));
  const Event e = f.client.events().remove(EventId(22));
  EXPECT_EQ(e.id, EventId(22));
  EXPECT_EQ(e.status, EventStatus::deleted);
  EXPECT_EQ(f.actions(), (std::vector<std::string>{"scheduleevent.delete", "scheduleevent.delete"}));
}

TEST(DeleteAfterUnknownOutcome, LinkGoneOnTheResendIsDone) {
  Fixture f;
  f.mock->reply(status(502)).fail(reset_after_send()).reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_NO_THROW(f.client.links().remove(EventId(22), RoomId(11)));
  f.mock->fail(reset_after_send()).reply_json(api_error("SCHEDULE_EVENT_RESOURCE_NOT_FOUND"));
  EXPECT_NO_THROW(f.client.links().remove(EventId(22), RoomId(11)));
  EXPECT_EQ(f.mock->request_count(), 5U);
}

TEST(DeleteAfterUnknownOutcome, OtherErrorsOnTheResendAreStillThrown) {
  Fixture f;
  f.mock->fail(reset_after_send()).reply_json(api_error("SERVICE_FORBIDDEN"));
  EXPECT_THROW((void)f.client.events().remove(EventId(22)), ApiError);
}

TEST(DeleteAfterUnknownOutcome, ReadsKeepThrowingNotFound) {
  Fixture f;
  f.mock->fail(reset_after_send()).reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_THROW((void)f.client.rooms().get(RoomId(11)), ApiError);
  f.mock->reply(status(503)).reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_THROW((void)f.client.events().get(EventId(22)), ApiError);
  EXPECT_EQ(f.mock->request_count(), 4U);
}

}  // namespace
}  // namespace kmeet
