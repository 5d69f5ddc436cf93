// kmeet/json.hpp: the objects as the API names their fields, in the server's order (what the CLI
// prints with --output json).
#include "kmeet/json.hpp"

#include <gtest/gtest.h>

namespace kmeet {
namespace {

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

TEST(ObjectJson, RoomWithEveryFieldAndWithout) {
  Room r;
  r.id = RoomId(7);
  r.partner_id = PartnerId(99);
  r.parent_id = RoomId(3);
  r.name = "Room \"A\"";
  r.system_name = "key-1";
  r.description = "d";
  r.status = RoomStatus::active;
  r.tags = "vcprovider:newrow";
  r.created_at = at(1700000000);
  r.updated_at = at(1700000001);
  r.object_type = "KalturaLocationScheduleResource";
  EXPECT_EQ(to_json(r),
            R"({"id":7,"partnerId":99,"parentId":3,"name":"Room \"A\"","systemName":"key-1","description":"d",)"
            R"("status":2,"tags":"vcprovider:newrow","createdAt":1700000000,"updatedAt":1700000001,)"
            R"("objectType":"KalturaLocationScheduleResource"})");
  Room bare;
  bare.id = RoomId(8);
  bare.name = "B";
  EXPECT_EQ(to_json(bare), R"({"id":8,"name":"B","status":)" + std::to_string(static_cast<int>(bare.status)) +
                               R"(,"tags":""})");
}

TEST(ObjectJson, EventInTheServersOrder) {
  Event e;
  e.id = EventId(5);
  e.summary = "S";
  e.start = at(1800000000);
  e.end = at(1800003600);
  e.reference_id = "crm-1";
  e.priority = 3;
  e.duration = std::chrono::seconds(3600);
  e.classification = Classification::public_event;
  e.template_entry_id = "1_t";
  e.tags = "custom_rec_auto_start:1";
  const std::string j = to_json(e);
  EXPECT_EQ(j.rfind(R"({"id":5,"summary":"S","status":)", 0), 0U) << j;
  EXPECT_NE(j.find(R"("startDate":1800000000,"endDate":1800003600,"referenceId":"crm-1","recurrenceType":0,)"
                   R"("duration":3600,"classificationType":1,"priority":3,"templateEntryId":"1_t",)"
                   R"("tags":"custom_rec_auto_start:1"})"),
            std::string::npos)
      << j;
}

TEST(ObjectJson, Link) {
  EventRoomLink l;
  l.event_id = EventId(5);
  l.room_id = RoomId(7);
  l.created_at = at(1700000000);
  EXPECT_EQ(to_json(l), R"({"eventId":5,"resourceId":7,"createdAt":1700000000})");
}

}  // namespace
}  // namespace kmeet
