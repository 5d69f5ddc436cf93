// Events service: exact request bytes for every action, decoded responses, validation first.
#include "kmeet/events.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "services/fixture.hpp"

namespace kmeet {
namespace {

using namespace std::chrono_literals;
using testing_support::kTail;
using testing_support::MockClient;
using testing_support::url;

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

// GUIDE "Creating an Event" response.
constexpr const char* kGuideEvent =
    R"({"blackoutConflicts":[],"id":3371011,"partnerId":1234567,"summary":"Tomorrow's Event ","status":2,)"
    R"("startDate":1586186820,"endDate":1586190420,"classificationType":1,"ownerId":"vpaas@kaltura.com","sequence":11,)"
    R"("recurrenceType":0,"duration":3600,"tags":"custom_rec_auto_start:1","createdAt":1586113200,"updatedAt":1586113200,)"
    R"("objectType":"KalturaRecordScheduleEvent"})";

Event capture_event() {
  Event e;
  e.summary = "Tomorrow's Event";
  e.start = at(1586185200);
  e.end = at(1586188800);
  e.settings.rec_auto_start = true;
  return e;
}

TEST(Events, AddIsByteForByteTheNodeCapture) {
  MockClient m;
  m.mock->reply_json(kGuideEvent);
  Event event = m.client.events().add(capture_event());
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleevent", "add"));
  // protocol.md A.7 (without the optional kalsig), plus the idempotency key kmeet adds
  // as referenceId (generated; fixture.hpp makes it fixed).
  EXPECT_EQ(req.body,
            R"({"scheduleEvent":{"objectType":"KalturaRecordScheduleEvent","summary":"Tomorrow's Event","startDate":1586185200,)"
            R"("endDate":1586188800,"referenceId":"kmeet-abababababababababababababababab","recurrenceType":0,"tags":"custom_rec_auto_start:1"},"format":1,"apiVersion":"21.20.0",)"
            R"("clientTag":"node:25-07-20","ks":"KS_PLACEHOLDER"})");
  EXPECT_FALSE(req.idempotent);
  EXPECT_EQ(event.id, EventId(3371011));
  EXPECT_EQ(event.owner_id, "vpaas@kaltura.com");
  EXPECT_EQ(event.sequence, 11);
  EXPECT_EQ(event.duration, 3600s);
  EXPECT_EQ(event.settings.rec_auto_start, true);
  EXPECT_EQ(event.status, EventStatus::active);
}

TEST(Events, AddGuideSettings) {
  MockClient m;
  m.mock->reply_json(kGuideEvent);
  Event e = capture_event();
  e.settings.rs_show_invite = true;
  e.settings.rs_user_lang = Language::es_LA;
  (void)m.client.events().add(e);
  EXPECT_NE(m.mock->last_request().body.find(
                R"("tags":"custom_rec_auto_start:1,custom_rs_show_invite:1,custom_rs_user_lang:es-LA")"),
            std::string::npos);
}

TEST(Events, LongEventNeedsOption) {
  MockClient m;
  Event e = capture_event();
  e.end = at(1586185200 + 2 * 86400);
  EXPECT_THROW((void)m.client.events().add(e), ValidationError);
  EXPECT_EQ(m.mock->request_count(), 0U);
  m.mock->reply_json(kGuideEvent);
  EXPECT_NO_THROW((void)m.client.events().add(e, EventAddOptions{.allow_long_event = true}));
}

TEST(Events, Get) {
  MockClient m;
  m.mock->reply_json(kGuideEvent);
  Event e = m.client.events().get(EventId(3371011));
  EXPECT_EQ(m.mock->last_request().url, url("schedule_scheduleevent", "get"));
  EXPECT_EQ(m.mock->last_request().body, std::string(R"({"scheduleEventId":3371011,)") + kTail);
  EXPECT_TRUE(m.mock->last_request().idempotent);
  EXPECT_EQ(e.summary, "Tomorrow's Event ");
}

TEST(Events, Update) {
  MockClient m;
  m.mock->reply_json(kGuideEvent);
  EventUpdate u;
  u.summary = "Renamed";
  u.description = kmeet::clear;
  u.end = at(1586190000);
  u.owner_id = "teacher@x";
  (void)m.client.events().update(EventId(3371011), u);
  EXPECT_EQ(m.mock->last_request().url, url("schedule_scheduleevent", "update"));
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"scheduleEventId":3371011,"scheduleEvent":{"objectType":"KalturaRecordScheduleEvent",)"
                        R"("summary":"Renamed","description__null":"","endDate":1586190000,"ownerId":"teacher@x"},)") +
                kTail);
}

TEST(Events, Cancel) {
  MockClient m;
  m.mock->reply_json(R"({"id":3371011,"summary":"x","status":1,"objectType":"KalturaRecordScheduleEvent"})");
  Event e = m.client.events().cancel(EventId(3371011));
  EXPECT_EQ(m.mock->last_request().url, url("schedule_scheduleevent", "cancel"));
  EXPECT_EQ(m.mock->last_request().body, std::string(R"({"scheduleEventId":3371011,)") + kTail);
  EXPECT_EQ(e.status, EventStatus::cancelled);
}

TEST(Events, Delete) {
  MockClient m;
  m.mock->reply_json(R"({"id":3371011,"summary":"x","status":3,"objectType":"KalturaRecordScheduleEvent"})");
  Event e = m.client.events().remove(EventId(3371011));
  EXPECT_EQ(m.mock->last_request().url, url("schedule_scheduleevent", "delete"));
  EXPECT_EQ(m.mock->last_request().body, std::string(R"({"scheduleEventId":3371011,)") + kTail);
  EXPECT_TRUE(m.mock->last_request().idempotent);
  EXPECT_EQ(e.status, EventStatus::deleted);
}

TEST(Events, ListARoomsEventsInATimeWindow) {
  MockClient m;
  m.mock->reply_json(std::string(R"({"objects":[)") + kGuideEvent +
                     R"(],"totalCount":1,"objectType":"KalturaScheduleEventListResponse"})");
  EventFilter f;
  f.room_id = RoomId(1100601);
  f.start_date_gte = at(1586000000);
  f.end_date_lte = at(1587000000);
  f.status_in = {EventStatus::active, EventStatus::cancelled};
  f.order_by = EventOrder::start_date_asc;
  Page<Event> page = m.client.events().list(f, Pager{.page_size = 100, .page_index = 1});
  EXPECT_EQ(m.mock->last_request().url, url("schedule_scheduleevent", "list"));
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"filter":{"objectType":"KalturaRecordScheduleEventFilter","statusIn":"2,1",)"
                        R"("startDateGreaterThanOrEqual":1586000000,"endDateLessThanOrEqual":1587000000,)"
                        R"("resourceIdEqual":"1100601","orderBy":"+startDate"},"pager":{"objectType":"KalturaFilterPager",)"
                        R"("pageSize":100,"pageIndex":1},)") +
                kTail);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].id, EventId(3371011));
}

TEST(Events, ListMeetingTypeEvents) {
  MockClient m;
  const std::string meeting =
      R"({"id":3371012,"summary":"M","status":2,"startDate":1586185200,"endDate":1586188800,"recurrenceType":0,)"
      R"("createdAt":1586113200,"objectType":"KalturaMeetingScheduleEvent"})";
  m.mock->reply_json(R"({"objects":[)" + meeting + R"(],"totalCount":1,"objectType":"KalturaScheduleEventListResponse"})");
  Page<Event> page = m.client.events().list(EventFilter{.type = EventListType::meeting}, Pager{.page_size = 10});
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"filter":{"objectType":"KalturaMeetingScheduleEventFilter"},)"
                        R"("pager":{"objectType":"KalturaFilterPager","pageSize":10,"pageIndex":1},)") +
                kTail);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].type, EventType::meeting);

  // list_all keeps the type on every page it asks for.
  m.mock->reply_json(R"({"objects":[)" + meeting + R"(],"totalCount":1,"objectType":"KalturaScheduleEventListResponse"})");
  int n = 0;
  for (const Event& e : m.client.events().list_all(EventFilter{.type = EventListType::any}, 10)) {
    EXPECT_EQ(e.id, EventId(3371012));
    ++n;
  }
  EXPECT_EQ(n, 1);
  for (std::size_t i = 1; i < m.mock->request_count(); ++i) {
    EXPECT_NE(m.mock->requests()[i].body.find(R"("objectType":"KalturaEntryScheduleEventFilter")"), std::string::npos)
        << m.mock->requests()[i].body;
  }
  EXPECT_THROW((void)m.client.events().list(EventFilter{.type = static_cast<EventListType>(3)}), ValidationError);
}

TEST(Events, InvalidInputSendsNothing) {
  MockClient m;
  Event e = capture_event();
  e.start = at(3600);  // would be read as "now + 1 h"
  try {
    (void)m.client.events().add(e);
    FAIL();
  } catch (const ValidationError& err) {
    EXPECT_EQ(err.field(), "event.start");
  }
  EXPECT_THROW((void)m.client.events().update(EventId(1), EventUpdate{.end = kmeet::clear}), ValidationError);
  EXPECT_THROW((void)m.client.events().cancel(EventId(0)), ValidationError);
  EXPECT_THROW((void)m.client.events().list(EventFilter{.start_date_gte = at(5)}), ValidationError);
  EXPECT_EQ(m.mock->request_count(), 0U);
}

}  // namespace
}  // namespace kmeet
