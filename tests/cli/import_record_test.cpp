// `kmeet import`'s `record` column (docs/cli.md): on/off per row, checked before anything is sent.
#include <gtest/gtest.h>

#include "cli/import_plan.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

const Timestamp kNow{std::chrono::seconds{1'800'000'000}};

ImportPlan plan(const std::string& csv) { return plan_import(read_csv(csv), kNow); }

TEST(ImportRecordColumn, OnOffAndEmptyAreRead) {
  auto p = plan(
      "room_name,summary,start,end,Record\n"
      "A,S1,1900000000,1900003600,on\n"
      "A,S2,1900007200,1900010800,OFF\n"
      "A,S3,1900014400,1900018000,\n"
      "A,S4,1900021600,1900025200,1\n"
      "A,S5,1900028800,1900032400,no\n"
      "A,S6,1900036000,1900039600,Yes\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors.front();
  std::vector<bool> rec;
  for (const auto& m : p.meetings) rec.push_back(m.record);
  EXPECT_EQ(rec, (std::vector<bool>{true, false, false, true, false, true}));
}

TEST(ImportRecordColumn, WithoutTheColumnNothingIsRecorded) {
  auto p = plan("room_name,summary,start,end\nA,S1,1900000000,1900003600\n");
  ASSERT_EQ(p.meetings.size(), 1U);
  EXPECT_FALSE(p.meetings[0].record);
}

TEST(ImportRecordColumn, AnythingElseIsARowError) {
  auto p = plan("room_name,summary,start,end,record\nA,S1,1900000000,1900003600,maybe\nA,S2,1900007200,1900010800,on\n");
  ASSERT_EQ(p.errors.size(), 1U);
  EXPECT_EQ(p.errors[0], "line 2: record: 'maybe' is not on/off (use on/off, 1/0, true/false)");
  ASSERT_EQ(p.meetings.size(), 1U);  // the good row stays
  EXPECT_TRUE(p.meetings[0].record);
}

TEST(ImportRecordColumn, UnknownColumnsNameIt) {
  try {
    (void)plan("room_name,summary,start,end,recording\nA,S1,1900000000,1900003600,on\n");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("record, room.KEY"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kmeet::cli
