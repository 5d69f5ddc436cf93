// schedule_scheduleeventresource: add/get/update/delete/list (D.4, E.3).

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class LinksTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    ks = admin_ks(emulator());
    const auto t = now() + 86400;
    room_id = add_room(emulator(), ks, "room")["id"].get<std::int64_t>();
    event_id = add_event(emulator(), ks, "event", t, t + 600)["id"].get<std::int64_t>();
  }
  Json svc(const std::string& action, Json params) {
    params["ks"] = ks;
    return call(emulator(), "schedule_scheduleeventresource", action, std::move(params));
  }
  std::string ks;
  std::int64_t room_id = 0;
  std::int64_t event_id = 0;
};

TEST_F(LinksTest, AddGetDelete) {
  const auto l = link(emulator(), ks, event_id, room_id);
  EXPECT_EQ(l["eventId"], event_id);
  EXPECT_EQ(l["resourceId"], room_id);
  EXPECT_EQ(l["partnerId"], 1234567);
  std::vector<std::string> keys;
  for (auto it = l.begin(); it != l.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"eventId", "resourceId", "partnerId", "createdAt", "updatedAt", "objectType"}));
  EXPECT_EQ(svc("get", {{"scheduleEventId", event_id}, {"scheduleResourceId", room_id}}), l);
  const auto del = post(emulator(), "schedule_scheduleeventresource", "delete",
                        {{"ks", ks}, {"scheduleEventId", event_id}, {"scheduleResourceId", room_id}});
  EXPECT_EQ(del.body, "null");
  const auto err = svc("get", {{"scheduleEventId", event_id}, {"scheduleResourceId", room_id}});
  EXPECT_EQ(err["code"], "INVALID_OBJECT_ID");
  EXPECT_EQ(err["args"]["ID"], std::to_string(event_id) + "," + std::to_string(room_id));
  // hard delete: the same pair can be linked again
  EXPECT_EQ(link(emulator(), ks, event_id, room_id)["eventId"], event_id);
}

TEST_F(LinksTest, DeleteNeedsTheRightParameterNames) {
  link(emulator(), ks, event_id, room_id);
  const auto err = svc("delete", {{"eventId", event_id}, {"resourceId", room_id}});
  EXPECT_EQ(err["code"], "MISSING_MANDATORY_PARAMETER");
  EXPECT_EQ(err["args"]["PARAM_NAME"], "scheduleEventId");
}

TEST_F(LinksTest, Validation) {
  EXPECT_EQ(link(emulator(), ks, event_id, room_id)["resourceId"], room_id);
  auto err = link(emulator(), ks, event_id, room_id);
  EXPECT_EQ(err["code"], "SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS");
  EXPECT_EQ(err["args"], (Json{{"EVENT_ID", std::to_string(event_id)}, {"RESOURCE_ID", std::to_string(room_id)}}));
  err = link(emulator(), ks, 999, room_id);
  EXPECT_EQ(err["code"], "SCHEDULE_EVENT_ID_NOT_FOUND");
  EXPECT_EQ(err["args"], (Json{{"ID", "999"}}));
  err = link(emulator(), ks, event_id, 999);
  EXPECT_EQ(err["code"], "SCHEDULE_RESOURCE_ID_NOT_FOUND");
  err = svc("add", {{"scheduleEventResource", {{"objectType", "KalturaScheduleEventResource"}, {"eventId", event_id}}}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_CANNOT_BE_NULL");
  EXPECT_EQ(err["args"]["PROP_NAME"], "KalturaScheduleEventResource::resourceId");
  err = svc("add", {{"scheduleEventResource",
                     {{"objectType", "KalturaScheduleEventResource"}, {"eventId", event_id}, {"resourceId", room_id},
                      {"partnerId", 1}}}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_NOT_UPDATABLE");
  // a deleted event cannot be linked
  call(emulator(), "schedule_scheduleevent", "delete", {{"ks", ks}, {"scheduleEventId", event_id}});
  const auto other_room = add_room(emulator(), ks, "other")["id"].get<std::int64_t>();
  EXPECT_EQ(link(emulator(), ks, event_id, other_room)["code"], "SCHEDULE_EVENT_ID_NOT_FOUND");
}

TEST_F(LinksTest, UpdateKeepsInsertOnlyIds) {
  link(emulator(), ks, event_id, room_id);
  const auto same = svc("update", {{"scheduleEventId", event_id},
                                   {"scheduleResourceId", room_id},
                                   {"scheduleEventResource", {{"objectType", "KalturaScheduleEventResource"}, {"eventId", event_id}}}});
  EXPECT_EQ(same["eventId"], event_id);
  const auto err = svc("update", {{"scheduleEventId", event_id},
                                  {"scheduleResourceId", room_id},
                                  {"scheduleEventResource", {{"objectType", "KalturaScheduleEventResource"}, {"resourceId", 1}}}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_NOT_UPDATABLE");
  EXPECT_EQ(err["args"]["PROP_NAME"], "KalturaScheduleEventResource::resourceId");
}

TEST_F(LinksTest, ListFilters) {
  const auto t = now() + 86400;
  const auto e2 = add_event(emulator(), ks, "second", t, t + 60)["id"].get<std::int64_t>();
  const auto r2 = add_room(emulator(), ks, "room2")["id"].get<std::int64_t>();
  link(emulator(), ks, event_id, room_id);
  link(emulator(), ks, e2, room_id);
  link(emulator(), ks, e2, r2);
  EXPECT_EQ(svc("list", Json::object())["totalCount"], 3);
  auto l = svc("list", {{"filter", {{"objectType", "KalturaScheduleEventResourceFilter"}, {"eventIdEqual", e2}}}});
  EXPECT_EQ(l["totalCount"], 2);
  EXPECT_EQ(l["objectType"], "KalturaScheduleEventResourceListResponse");
  l = svc("list", {{"filter", {{"resourceIdEqual", room_id}}}});
  EXPECT_EQ(l["totalCount"], 2);
  l = svc("list", {{"filter", {{"resourceIdIn", std::to_string(r2) + ",5"}}}});
  ASSERT_EQ(l["objects"].size(), 1U);
  EXPECT_EQ(l["objects"][0]["eventId"], e2);
  l = svc("list", {{"filter", {{"eventIdIn", std::to_string(event_id)}}}, {"pager", {{"pageSize", 1}}}});
  EXPECT_EQ(l["objects"].size(), 1U);
  EXPECT_EQ(svc("list", {{"filter", {{"eventIdOrItsParentIdEqual", event_id}}}})["totalCount"], 1);
}

}  // namespace
}  // namespace kmeet::test
