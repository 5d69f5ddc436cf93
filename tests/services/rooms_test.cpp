// Rooms service: exact request bytes for every action, decoded responses, validation first.
#include "kmeet/rooms.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "services/fixture.hpp"

namespace kmeet {
namespace {

using testing_support::kTail;
using testing_support::MockClient;
using testing_support::url;

constexpr const char* kGuideRoom =
    R"({"id":1100601,"partnerId":1234567,"name":"Room-1","description":"My first meeting room","status":2,"tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";

TEST(Rooms, AddSendsTheGuideRoomAndDecodesTheResponse) {
  MockClient m;
  m.mock->reply_json(kGuideRoom);
  Room spec;
  spec.name = "Room-1";
  spec.description = "My first meeting room";
  Room room = m.client.rooms().add(spec);
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleresource", "add"));
  EXPECT_EQ(req.body,
            // systemName: the idempotency key kmeet generates (fixture.hpp makes it fixed).
            std::string(R"({"scheduleResource":{"objectType":"KalturaLocationScheduleResource","name":"Room-1",)"
                        R"("systemName":"kmeet-abababababababababababababababab",)"
                        R"("description":"My first meeting room","tags":"vcprovider:newrow"},)") + kTail);
  EXPECT_FALSE(req.idempotent);  // an add is never re-sent blindly
  EXPECT_EQ(room.id, RoomId(1100601));
  EXPECT_EQ(room.partner_id, PartnerId(1234567));
  EXPECT_EQ(room.name, "Room-1");
  EXPECT_EQ(room.description, "My first meeting room");
  EXPECT_EQ(room.status, RoomStatus::active);
  EXPECT_EQ(room.tags, "vcprovider:newrow");
  EXPECT_EQ(room.created_at, Timestamp(std::chrono::seconds(1586100234)));
}

TEST(Rooms, AddWithSettings) {
  MockClient m;
  m.mock->reply_json(
      R"({"id":5,"name":"R","tags":"vcprovider:newrow,custom_rs_room_cap:25,custom_company_logo:https%3A%2F%2Fx.io%2Fl.png","objectType":"KalturaLocationScheduleResource"})");
  Room spec;
  spec.name = "R";
  spec.system_name = "r-1";
  spec.settings.rs_room_cap = 25;
  spec.settings.company_logo = "https://x.io/l.png";
  Room room = m.client.rooms().add(spec);
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"scheduleResource":{"objectType":"KalturaLocationScheduleResource","name":"R","systemName":"r-1",)"
                        R"("tags":"vcprovider:newrow,custom_company_logo:https%3A%2F%2Fx.io%2Fl.png,custom_rs_room_cap:25"},)") +
                kTail);
  EXPECT_EQ(room.settings.rs_room_cap, 25);
  EXPECT_EQ(room.settings.company_logo, "https://x.io/l.png");
}

TEST(Rooms, Get) {
  MockClient m;
  m.mock->reply_json(kGuideRoom);
  Room room = m.client.rooms().get(RoomId(1100601));
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleresource", "get"));
  EXPECT_EQ(req.body, std::string(R"({"scheduleResourceId":1100601,)") + kTail);
  EXPECT_TRUE(req.idempotent);
  EXPECT_EQ(room.name, "Room-1");
}

TEST(Rooms, GetUnknownIsAnApiError) {
  MockClient m;
  m.mock->reply_json(
      R"({"code":"INVALID_OBJECT_ID","message":"Invalid object id [99]","objectType":"KalturaAPIException","args":{"ID":"99"}})");
  try {
    (void)m.client.rooms().get(RoomId(99));
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "INVALID_OBJECT_ID");
  }
}

TEST(Rooms, Update) {
  MockClient m;
  m.mock->reply_json(kGuideRoom);
  RoomUpdate u;
  u.name = "Room-2";
  u.description = kmeet::clear;
  u.settings = RoomSettings{.rs_show_logo = false};
  (void)m.client.rooms().update(RoomId(1100601), u);
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleresource", "update"));
  EXPECT_EQ(req.body,
            std::string(R"({"scheduleResourceId":1100601,"scheduleResource":{"objectType":"KalturaLocationScheduleResource",)"
                        R"("name":"Room-2","description__null":"","tags":"vcprovider:newrow,custom_rs_show_logo:0"},)") +
                kTail);
}

TEST(Rooms, Delete) {
  MockClient m;
  m.mock->reply_json(
      R"({"id":1100601,"name":"Room-1","status":3,"tags":"vcprovider:newrow","objectType":"KalturaLocationScheduleResource"})");
  Room room = m.client.rooms().remove(RoomId(1100601));
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleresource", "delete"));
  EXPECT_EQ(req.body, std::string(R"({"scheduleResourceId":1100601,)") + kTail);
  EXPECT_TRUE(req.idempotent);
  EXPECT_EQ(room.status, RoomStatus::deleted);
}

TEST(Rooms, ListDefaultIsTheCapture) {
  MockClient m;
  m.mock->reply_json(std::string(R"({"objects":[)") + kGuideRoom +
                     R"(],"totalCount":1,"objectType":"KalturaScheduleResourceListResponse"})");
  Page<Room> page = m.client.rooms().list();
  HttpRequest req = m.mock->last_request();
  EXPECT_EQ(req.url, url("schedule_scheduleresource", "list"));
  // protocol.md A.7.
  EXPECT_EQ(req.body,
            std::string(R"({"filter":{"objectType":"KalturaLocationScheduleResourceFilter","tagsLike":"vcprovider:newrow",)"
                        R"("orderBy":"-createdAt"},"pager":{"objectType":"KalturaFilterPager","pageSize":500,"pageIndex":1},)") +
                kTail);
  EXPECT_TRUE(req.idempotent);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].id, RoomId(1100601));
  EXPECT_EQ(page.total_count, 1);
}

TEST(Rooms, ListWithFilterAndPager) {
  MockClient m;
  m.mock->reply_json(R"({"objects":[],"totalCount":0,"objectType":"KalturaScheduleResourceListResponse"})");
  RoomFilter f;
  f.status = RoomStatus::deleted;
  f.system_name = "lab";
  f.order_by.reset();
  (void)m.client.rooms().list(f, Pager{.page_size = 30, .page_index = 2});
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"filter":{"objectType":"KalturaLocationScheduleResourceFilter","systemNameEqual":"lab",)"
                        R"("statusEqual":3,"tagsLike":"vcprovider:newrow"},"pager":{"objectType":"KalturaFilterPager",)"
                        R"("pageSize":30,"pageIndex":2},)") +
                kTail);
}

TEST(Rooms, InvalidInputSendsNothing) {
  MockClient m;
  EXPECT_THROW((void)m.client.rooms().add(Room{}), ValidationError);
  Room bad;
  bad.name = "x";
  bad.settings.rs_room_cap = 0;
  try {
    (void)m.client.rooms().add(bad);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "room.settings.rs_room_cap");
  }
  EXPECT_THROW((void)m.client.rooms().get(RoomId(0)), ValidationError);
  EXPECT_THROW((void)m.client.rooms().update(RoomId(1), RoomUpdate{.name = ""}), ValidationError);
  EXPECT_THROW((void)m.client.rooms().remove(RoomId(-1)), ValidationError);
  EXPECT_THROW((void)m.client.rooms().list({}, Pager{.page_size = 501}), ValidationError);
  EXPECT_THROW((void)m.client.rooms().list_all({}, 0), ValidationError);
  EXPECT_EQ(m.mock->request_count(), 0U);
}

}  // namespace
}  // namespace kmeet
