#include "cli/import_plan.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

const Timestamp kNow{std::chrono::seconds{1'800'000'000}};

ImportPlan plan(const std::string& csv) { return plan_import(read_csv(csv), kNow); }

TEST(ImportPlan, ColumnsByNameInAnyOrder) {
  auto p = plan(
      "end,summary,Room_Name,start,room.rs_room_cap,event.rs_class_mode,description,room_description\n"
      "2026-03-01T10:00:00Z,Algebra,Room 101,2026-03-01T09:00:00Z,30,webinar,Week 1,Main hall\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors.front();
  ASSERT_EQ(p.rooms.size(), 1U);
  ASSERT_EQ(p.meetings.size(), 1U);
  EXPECT_EQ(p.rooms[0].name, "Room 101");
  EXPECT_EQ(p.rooms[0].description, "Main hall");
  EXPECT_EQ(p.rooms[0].settings, (SettingList{{"rs_room_cap", "30"}}));
  EXPECT_EQ(p.rooms[0].system_name, derive_system_name("Room 101"));
  const auto& m = p.meetings[0];
  EXPECT_EQ(m.summary, "Algebra");
  EXPECT_EQ(m.description, "Week 1");
  EXPECT_EQ(m.start.time_since_epoch().count(), 1772355600);
  EXPECT_EQ(m.end.time_since_epoch().count(), 1772359200);
  EXPECT_EQ(m.settings, (SettingList{{"rs_class_mode", "webinar"}}));
  EXPECT_EQ(m.line, 2);
}

TEST(ImportPlan, RowsNamingTheSameRoomShareIt) {
  auto p = plan(
      "room_name,room_system_name,summary,start,end\n"
      "Room A,,S1,1772355600,1772359200\n"
      "Room A,,S2,1772355600,1772359200\n"
      "Room B,lab-b,S3,1772355600,1772359200\n"
      "Room B,lab-b,S4,1772355600,1772359200\n");
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.rooms.size(), 2U);
  EXPECT_EQ(p.rooms[1].system_name, "lab-b");
  ASSERT_EQ(p.meetings.size(), 4U);
  EXPECT_EQ(p.meetings[1].room, 0U);
  EXPECT_EQ(p.meetings[3].room, 1U);
}

TEST(ImportPlan, DerivedKeysAreDeterministicAndDistinct) {
  EXPECT_EQ(derive_system_name("Room 101"), derive_system_name("Room 101"));
  EXPECT_NE(derive_system_name("Room 101"), derive_system_name("Room-101"));
  EXPECT_EQ(derive_system_name("Room 101").rfind("kmeet-room-101-", 0), 0U);
  auto a = derive_reference_id("r", "s", "1", "2");
  EXPECT_EQ(a, derive_reference_id("r", "s", "1", "2"));
  EXPECT_NE(a, derive_reference_id("r", "s", "1", "3"));
  EXPECT_NE(derive_reference_id("ab", "c", "1", "2"), derive_reference_id("a", "bc", "1", "2"));
  EXPECT_EQ(a.rfind("kmeet:", 0), 0U);
  EXPECT_EQ(a.size(), 46U);
  // The same instant written two ways is the same meeting.
  auto p = plan("room_name,summary,start,end\nR,S,2026-03-01T09:00:00Z,2026-03-01T10:00Z\n"
                "R,S,1772355600,1772359200\n");
  EXPECT_EQ(p.meetings.size(), 1U);
  EXPECT_EQ(p.duplicates, (std::vector<std::string>{"line 3: same meeting as line 2"}));
}

TEST(ImportPlan, BadRowsAreReportedWithLineNumbersAndLeftOut) {
  auto p = plan(
      "room_name,summary,start,end,event.rec_auto_start\n"
      "Good,S,1772355600,1772359200,on\n"       // 2
      ",S,1772355600,1772359200,\n"              // 3 no room
      "R,,1772355600,1772359200,\n"              // 4 no summary
      "R,S,soon,1772359200,\n"                   // 5 bad time
      "R,S,1772359200,1772355600,\n"             // 6 end before start
      "R,S,1772355600,1772359200,maybe\n"        // 7 bad setting
      "R,S,1772355600\n"                         // 8 short row
      "R,S,1772355600,1772555600,\n");           // 9 longer than 24 h
  ASSERT_EQ(p.meetings.size(), 1U);
  EXPECT_EQ(p.meetings[0].settings, (SettingList{{"rec_auto_start", "1"}}));
  ASSERT_EQ(p.errors.size(), 7U);
  const char* expected_prefix[] = {"line 3: room_name", "line 4: summary", "line 5: start", "line 6: end",
                                   "line 7: event.rec_auto_start", "line 8: row", "line 9: end"};
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(p.errors[i].rfind(expected_prefix[i], 0), 0U) << p.errors[i];
  // Room R appears only on bad rows: it is not created.
  ASSERT_EQ(p.rooms.size(), 1U);
  EXPECT_EQ(p.rooms[0].name, "Good");
  EXPECT_EQ(p.total_rows, 8U);
}

TEST(ImportPlan, ConflictingRoomDetailsAreRefused) {
  auto p = plan(
      "room_name,room_system_name,summary,start,end,room.rs_room_cap\n"
      "Lab,lab,S1,1772355600,1772359200,30\n"
      "Other name,lab,S2,1772355600,1772359200,30\n"
      "Lab,lab,S3,1772355600,1772359200,40\n"
      "Lab,lab,S4,1772355600,1772359200,\n");
  EXPECT_EQ(p.meetings.size(), 2U);
  ASSERT_EQ(p.errors.size(), 2U);
  EXPECT_EQ(p.errors[0].rfind("line 3: room_name", 0), 0U);
  EXPECT_EQ(p.errors[1].rfind("line 4: room.rs_room_cap", 0), 0U);
}

TEST(ImportPlan, RelativeTimesAreSentAbsolute) {
  auto p = plan("room_name,summary,start,end\nR,S,+1d,+1d1h\n");
  ASSERT_EQ(p.meetings.size(), 1U);
  EXPECT_EQ(p.meetings[0].start, kNow + std::chrono::hours(24));
  EXPECT_EQ(p.meetings[0].end, kNow + std::chrono::hours(25));
}

TEST(ImportPlan, HeaderProblemsFailTheWholeFile) {
  for (const char* bad : {"summary,start,end\n", "room_name,summary,start\n", "room_name,summary,start,end,colour\n",
                          "room_name,summary,start,end,room.no_such\n", "room_name,room_name,summary,start,end\n", ""}) {
    try {
      (void)plan(bad);
      ADD_FAILURE() << bad;
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.reason().rfind("line 1:", 0), 0U) << e.reason();
    }
  }
}

}  // namespace
}  // namespace kmeet::cli
