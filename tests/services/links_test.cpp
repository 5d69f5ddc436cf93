// Links service: exact request bytes for every action, decoded responses.
#include "kmeet/links.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "services/fixture.hpp"

namespace kmeet {
namespace {

using testing_support::kTail;
using testing_support::MockClient;
using testing_support::url;

constexpr const char* kGuideLink =
    R"({"eventId":3371011,"resourceId":1100601,"partnerId":2365491,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";

TEST(Links, Add) {
  MockClient m;
  m.mock->reply_json(kGuideLink);
  EventRoomLink link = m.client.links().add(EventId(3371011), RoomId(1100601));
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleeventresource", "add"));
  EXPECT_EQ(req.body,
            std::string(R"({"scheduleEventResource":{"objectType":"KalturaScheduleEventResource","eventId":3371011,)"
                        R"("resourceId":1100601},)") +
                kTail);
  EXPECT_FALSE(req.idempotent);
  EXPECT_EQ(link.event_id, EventId(3371011));
  EXPECT_EQ(link.room_id, RoomId(1100601));
  EXPECT_EQ(link.partner_id, PartnerId(2365491));
  EXPECT_EQ(link.created_at, Timestamp(std::chrono::seconds(1586148953)));
}

TEST(Links, DeleteIsAHardDeleteByBothIds) {
  MockClient m;
  m.mock->reply_json("null");
  m.client.links().remove(EventId(3371011), RoomId(1100601));
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleeventresource", "delete"));
  // protocol.md D.4: scheduleEventId / scheduleResourceId, not eventId / resourceId.
  EXPECT_EQ(req.body, std::string(R"({"scheduleEventId":3371011,"scheduleResourceId":1100601,)") + kTail);
  EXPECT_TRUE(req.idempotent);
}

TEST(Links, List) {
  MockClient m;
  m.mock->reply_json(std::string(R"({"objects":[)") + kGuideLink +
                     R"(],"totalCount":1,"objectType":"KalturaScheduleEventResourceListResponse"})");
  Page<EventRoomLink> page = m.client.links().list(LinkFilter{.room_id = RoomId(1100601)});
  EXPECT_EQ(m.mock->last_request().url, url("schedule_scheduleeventresource", "list"));
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"filter":{"objectType":"KalturaScheduleEventResourceFilter","resourceIdEqual":1100601},)"
                        R"("pager":{"objectType":"KalturaFilterPager","pageSize":500,"pageIndex":1},)") +
                kTail);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].event_id, EventId(3371011));
  EXPECT_EQ(page.total_count, 1);
}

TEST(Links, InvalidIdsSendNothing) {
  MockClient m;
  EXPECT_THROW((void)m.client.links().add(EventId(0), RoomId(1)), ValidationError);
  EXPECT_THROW(m.client.links().remove(EventId(1), RoomId(0)), ValidationError);
  EXPECT_THROW((void)m.client.links().list(LinkFilter{.event_id = EventId(-4)}), ValidationError);
  EXPECT_EQ(m.mock->request_count(), 0U);
}

}  // namespace
}  // namespace kmeet
