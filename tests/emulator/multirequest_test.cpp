// Multirequest: numbering, gaps, result references with paths and _all, failed dependencies (C).

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class MultirequestTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    ks = admin_ks(emulator());
    t = now() + 86400;
  }
  Json item(const std::string& service, const std::string& action, Json params) {
    params["service"] = service;
    params["action"] = action;
    params["format"] = 1;
    return params;
  }
  std::string ks;
  std::int64_t t = 0;
};

TEST_F(MultirequestTest, ZeroBasedKeysWithOneBasedReferencesLikeNode) {
  const auto room_id = add_room(emulator(), ks, "room")["id"];
  const Json req{
      {"0", item("schedule_scheduleevent", "add", {{"scheduleEvent", event("E", t, t + 600)}})},
      {"1", item("schedule_scheduleeventresource", "add",
                 {{"scheduleEventResource",
                   {{"objectType", "KalturaScheduleEventResource"}, {"eventId", "{1:result:id}"}, {"resourceId", room_id}}}})},
      {"ks", ks}, {"apiVersion", "21.20.0"}, {"clientTag", "node:25-07-20"}};
  const auto r = multirequest(emulator(), req);
  EXPECT_EQ(r.status, 200);
  const auto j = r.json();
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2U);
  EXPECT_EQ(j[0]["objectType"], "KalturaRecordScheduleEvent");
  EXPECT_EQ(j[1]["eventId"], j[0]["id"]);
  EXPECT_EQ(j[1]["resourceId"], room_id);
}

TEST_F(MultirequestTest, OneBasedFormEncoding) {
  const std::string body = "ks=" + escape(ks) + "&format=1" +
                           "&1:service=schedule_scheduleresource&1:action=add"
                           "&1:scheduleResource:objectType=KalturaLocationScheduleResource&1:scheduleResource:name=F1"
                           "&2:service=schedule_scheduleresource&2:action=get&2:scheduleResourceId=" + escape("{1:result:id}");
  const auto j = request(emulator().base_url() + "/api_v3/service/multirequest", body, "application/x-www-form-urlencoded").json();
  ASSERT_EQ(j.size(), 2U);
  EXPECT_EQ(j[1]["name"], "F1");
}

TEST_F(MultirequestTest, AGapEndsTheBatch) {
  const Json req{{"1", item("system", "getTime", Json::object())},
                 {"2", item("system", "getTime", Json::object())},
                 {"4", item("system", "getTime", Json::object())},
                 {"ks", ks}};
  EXPECT_EQ(multirequest(emulator(), req).json().size(), 2U);
  const Json missing_action{{"0", item("system", "getTime", Json::object())},
                            {"1", {{"service", "system"}}},
                            {"2", item("system", "getTime", Json::object())}};
  EXPECT_EQ(multirequest(emulator(), missing_action).json().size(), 1U);
}

TEST_F(MultirequestTest, SessionStartThenUseItsResultAsTheKs) {
  const Json req{{"0", item("session", "start", {{"secret", emulator().admin_secret()}, {"type", 2},
                                                  {"partnerId", emulator().partner_id()}, {"userId", "chain"}})},
                 {"1", item("schedule_scheduleresource", "add", {{"ks", "{1:result}"}, {"scheduleResource", room("via ref")}})}};
  const auto j = multirequest(emulator(), req).json();
  ASSERT_EQ(j.size(), 2U);
  EXPECT_TRUE(j[0].is_string());
  EXPECT_EQ(j[1]["name"], "via ref");
}

TEST_F(MultirequestTest, PathsAllAndEmbeddedTokens) {
  add_room(emulator(), ks, "a");
  add_room(emulator(), ks, "b");
  const Json req{
      {"0", item("schedule_scheduleresource", "list", {{"filter", {{"orderBy", "+createdAt"}}}})},
      {"1", item("schedule_scheduleresource", "add",
                 {{"scheduleResource", room("first={1:result:objects:0:name} all={1:result:objects:_all:name}")}})},
      {"2", item("schedule_scheduleresource", "list", {{"filter", {{"idIn", "{1:result:objects:_all:id}"}}}})},
      {"ks", ks}};
  const auto j = multirequest(emulator(), req).json();
  ASSERT_EQ(j.size(), 3U);
  EXPECT_EQ(j[1]["name"], "first=a all=a,b");
  EXPECT_EQ(j[2]["totalCount"], 2);
}

TEST_F(MultirequestTest, FailedDependencyBecomesEmptyAndItemsFailAlone) {
  const Json req{
      {"0", item("schedule_scheduleevent", "add", {{"scheduleEvent", event("too long", t, t + 90000)}})},
      {"1", item("schedule_scheduleeventresource", "add",
                 {{"scheduleEventResource",
                   {{"objectType", "KalturaScheduleEventResource"}, {"eventId", "{1:result:id}"}, {"resourceId", 0}}}})},
      {"2", item("system", "getTime", Json::object())},
      {"ks", ks}};
  const auto r = multirequest(emulator(), req);
  EXPECT_EQ(r.status, 200);
  const auto j = r.json();
  ASSERT_EQ(j.size(), 3U);
  EXPECT_EQ(j[0]["code"], "MAX_SCHEDULE_DURATION_REACHED");
  EXPECT_EQ(j[1]["code"], "SCHEDULE_EVENT_ID_NOT_FOUND");  // "" -> 0
  EXPECT_EQ(j[1]["args"]["ID"], "0");
  EXPECT_TRUE(j[2].is_number_integer());
}

TEST_F(MultirequestTest, EveryItemChecksItsOwnKs) {
  const Json req{{"0", item("schedule_scheduleresource", "list", Json::object())},
                 {"1", item("system", "getTime", Json::object())},
                 {"2", item("schedule_scheduleresource", "list", {{"ks", ks}})},
                 {"ks", "garbage"}};
  const auto j = multirequest(emulator(), req).json();
  ASSERT_EQ(j.size(), 3U);
  EXPECT_EQ(j[0]["code"], "INVALID_KS");
  EXPECT_EQ(j[2]["objectType"], "KalturaScheduleResourceListResponse");
}

TEST_F(MultirequestTest, EmptyBatchIsAnEmptyArray) {
  EXPECT_EQ(multirequest(emulator(), {{"ks", ks}}).body, "[]");
}

}  // namespace
}  // namespace kmeet::test
