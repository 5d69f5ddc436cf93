// schedule_scheduleevent: add/get/update/cancel/delete/list and the insert validation (D.3, E.1, A.6).

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class EventsTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    ks = admin_ks(emulator(), "vpaas@kaltura.com");
    t0 = now() + 30 * 86400;
  }
  Json svc(const std::string& action, Json params) {
    params["ks"] = ks;
    return call(emulator(), "schedule_scheduleevent", action, std::move(params));
  }
  Json add(Json ev) { return svc("add", {{"scheduleEvent", std::move(ev)}}); }
  static std::vector<std::string> summaries(const Json& l) {
    std::vector<std::string> out;
    for (const auto& o : l["objects"]) out.push_back(o["summary"]);
    return out;
  }
  std::string ks;
  std::int64_t t0 = 0;
};

TEST_F(EventsTest, AddLikeTheGuide) {
  Json ev = event("Tomorrow's Event", t0, t0 + 3600, "custom_rec_auto_start:1,custom_rs_show_invite:1");
  ev["ownerId"] = "someone-else";  // replaced by the KS user
  const auto out = add(ev);
  std::vector<std::string> keys;
  for (auto it = out.begin(); it != out.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"blackoutConflicts", "id", "partnerId", "summary", "status", "startDate",
                                            "endDate", "classificationType", "ownerId", "sequence", "recurrenceType",
                                            "duration", "tags", "createdAt", "updatedAt", "objectType"}));
  EXPECT_EQ(out["blackoutConflicts"], Json::array());
  EXPECT_EQ(out["status"], 2);
  EXPECT_EQ(out["classificationType"], 1);
  EXPECT_EQ(out["ownerId"], "vpaas@kaltura.com");
  EXPECT_EQ(out["sequence"], 1);
  EXPECT_EQ(out["duration"], 3600);
  EXPECT_EQ(out["objectType"], "KalturaRecordScheduleEvent");
  const auto got = svc("get", {{"scheduleEventId", out["id"]}});
  EXPECT_EQ(got["summary"], "Tomorrow's Event");
  EXPECT_FALSE(got.contains("blackoutConflicts"));
}

TEST_F(EventsTest, RequiredFields) {
  Json ev = event("x", t0, t0 + 60);
  ev.erase("summary");
  auto err = add(ev);
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_CANNOT_BE_NULL");
  EXPECT_EQ(err["args"]["PROP_NAME"], "KalturaRecordScheduleEvent::summary");
  ev = event("x", t0, t0 + 60);
  ev.erase("recurrenceType");
  EXPECT_EQ(add(ev)["args"]["PROP_NAME"], "KalturaRecordScheduleEvent::recurrenceType");
  ev = event("x", t0, t0 + 60);
  ev.erase("endDate");
  EXPECT_EQ(add(ev)["args"]["PROP_NAME"], "KalturaRecordScheduleEvent::endDate");
  ev = event("x", t0, t0 + 60);
  ev.erase("startDate");
  EXPECT_EQ(add(ev)["code"], "START_TIME_AND_LINKED_TO_NOT_SET");
  EXPECT_EQ(add(event("", t0, t0 + 60))["code"], "PROPERTY_VALIDATION_MIN_LENGTH");
  EXPECT_EQ(add(event(std::string(257, 's'), t0, t0 + 60))["code"], "PROPERTY_VALIDATION_MAX_LENGTH");
  EXPECT_EQ(add({{"summary", "abstract"}, {"startDate", t0}, {"endDate", t0 + 1}, {"recurrenceType", 0}})["code"],
            "OBJECT_TYPE_ABSTRACT");
  EXPECT_EQ(add({{"objectType", "KalturaEntryScheduleEvent"}, {"summary", "a"}})["args"]["OBJ_TYPE"],
            "KalturaEntryScheduleEvent");
}

TEST_F(EventsTest, ReadOnlyAndEnumChecks) {
  Json ev = event("x", t0, t0 + 60);
  ev["id"] = 3371011;
  auto err = add(ev);
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_NOT_UPDATABLE");
  EXPECT_EQ(err["args"], (Json{{"PROP_NAME", "KalturaRecordScheduleEvent::id"}}));
  ev = event("x", t0, t0 + 60);
  ev["recurrenceType"] = 7;
  err = add(ev);
  EXPECT_EQ(err["code"], "INVALID_ENUM_VALUE");
  EXPECT_EQ(err["args"]["ENUM_TYPE"], "KalturaScheduleEventRecurrenceType");
  ev["recurrenceType"] = 2;  // RECURRENCE cannot be added
  EXPECT_EQ(add(ev)["code"], "INVALID_ENUM_VALUE");
  ev = event("x", t0, t0 + 60);
  ev["priority"] = 10;
  EXPECT_EQ(add(ev)["code"], "PROPERTY_VALIDATION_MAX_VALUE");
}

TEST_F(EventsTest, DateRules) {
  auto err = add(event("x", t0 + 60, t0));
  EXPECT_EQ(err["code"], "INVALID_SCHEDULE_END_BEFORE_START");
  EXPECT_EQ(err["args"], (Json{{"START", std::to_string(t0 + 60)}, {"END", std::to_string(t0)}}));
  EXPECT_EQ(err["message"], "End time [" + std::to_string(t0) + "] must be after start time [" + std::to_string(t0 + 60) + "]");
  EXPECT_EQ(add(event("exactly 24h", t0, t0 + 86400))["duration"], 86400);
  err = add(event("too long", t0, t0 + 86401));
  EXPECT_EQ(err["code"], "MAX_SCHEDULE_DURATION_REACHED");
  EXPECT_EQ(err["args"], (Json{{"MAX", "86400"}}));
  EXPECT_EQ(err["message"], "Maximum schedule duration [86400] reached");
  // a meeting event may last 3 days
  Json meeting = event("meeting", t0, t0 + 2 * 86400);
  meeting["objectType"] = "KalturaMeetingScheduleEvent";
  EXPECT_EQ(add(meeting)["objectType"], "KalturaMeetingScheduleEvent");
  EXPECT_EQ(add(event("zero length", t0, t0))["duration"], 0);
}

TEST_F(EventsTest, SmallTimesAreRelativeToNow) {
  const auto out = add(event("relative", 3600, 7200));
  EXPECT_NEAR(out["startDate"].get<double>(), static_cast<double>(now() + 3600), 3);
  EXPECT_NEAR(out["endDate"].get<double>(), static_cast<double>(now() + 7200), 3);
  EXPECT_EQ(out["duration"], 3600);
}

TEST_F(EventsTest, DurationIsRecomputedAndSequenceCounts) {
  Json ev = event("d", t0, t0 + 600);
  ev["duration"] = 5;
  const auto out = add(ev);
  EXPECT_EQ(out["duration"], 600);
  const auto upd = svc("update", {{"scheduleEventId", out["id"]},
                                  {"scheduleEvent", {{"objectType", "KalturaRecordScheduleEvent"}, {"endDate", t0 + 1200}}}});
  EXPECT_EQ(upd["duration"], 1200);
  EXPECT_EQ(upd["summary"], "d");
}

TEST_F(EventsTest, UpdateRules) {
  const auto out = add(event("u", t0, t0 + 600));
  const auto id = out["id"];
  auto err = svc("update", {{"scheduleEventId", id},
                            {"scheduleEvent", {{"objectType", "KalturaRecordScheduleEvent"}, {"endDate__null", ""}}}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_CANNOT_BE_NULL");
  EXPECT_EQ(err["args"]["PROP_NAME"], "KalturaRecordScheduleEvent::endDate");
  err = svc("update", {{"scheduleEventId", id},
                       {"scheduleEvent", {{"objectType", "KalturaRecordScheduleEvent"}, {"endDate", t0 + 2 * 86400}}}});
  EXPECT_EQ(err["code"], "MAX_SCHEDULE_DURATION_REACHED");
  // ownerId can be changed by update
  const auto upd = svc("update", {{"scheduleEventId", id},
                                  {"scheduleEvent", {{"objectType", "KalturaRecordScheduleEvent"}, {"ownerId", "teacher"},
                                                     {"description", "now with text"}}}});
  EXPECT_EQ(upd["ownerId"], "teacher");
  EXPECT_EQ(upd["description"], "now with text");
  EXPECT_EQ(svc("update", {{"scheduleEventId", 1}, {"scheduleEvent", {{"objectType", "KalturaRecordScheduleEvent"}}}})["code"],
            "INVALID_OBJECT_ID");
}

TEST_F(EventsTest, CancelAndSoftDelete) {
  const auto a = add(event("cancel me", t0, t0 + 60));
  const auto b = add(event("delete me", t0, t0 + 60));
  EXPECT_EQ(svc("cancel", {{"scheduleEventId", a["id"]}})["status"], 1);
  EXPECT_EQ(svc("get", {{"scheduleEventId", a["id"]}})["status"], 1);
  EXPECT_EQ(svc("delete", {{"scheduleEventId", b["id"]}})["status"], 3);
  EXPECT_EQ(svc("get", {{"scheduleEventId", b["id"]}})["code"], "INVALID_OBJECT_ID");
  EXPECT_EQ(svc("cancel", {{"scheduleEventId", b["id"]}})["code"], "INVALID_OBJECT_ID");
  // cancelled ones are listed, deleted ones never (even when asked)
  EXPECT_EQ(summaries(svc("list", Json::object())), std::vector<std::string>{"cancel me"});
  EXPECT_EQ(svc("list", {{"filter", {{"statusEqual", 3}}}})["totalCount"], 0);
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"statusEqual", 1}}}})), std::vector<std::string>{"cancel me"});
}

TEST_F(EventsTest, ListFiltersAndOrder) {
  add(event("late", t0 + 7200, t0 + 9000, "custom_rs_class_mode:webinar"));
  add(event("early", t0, t0 + 600, "custom_rec_auto_start:1"));
  Json pri = event("prio", t0 + 3600, t0 + 4000);
  pri["priority"] = 5;
  pri["referenceId"] = "ext-1";
  add(pri);
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"objectType", "KalturaRecordScheduleEventFilter"}, {"orderBy", "+startDate"}}}})),
            (std::vector<std::string>{"early", "prio", "late"}));
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"orderBy", "-startDate"}}}})), (std::vector<std::string>{"late", "prio", "early"}));
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"orderBy", "+summary"}}}})), (std::vector<std::string>{"early", "late", "prio"}));
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"startDateGreaterThanOrEqual", t0 + 3600}, {"orderBy", "+startDate"}}}})),
            (std::vector<std::string>{"prio", "late"}));
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"endDateLessThanOrEqual", t0 + 600}}}})), std::vector<std::string>{"early"});
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"tagsLike", "webinar"}}}})), std::vector<std::string>{"late"});
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"tagsMultiLikeOr", "webinar,auto_start"}, {"orderBy", "+startDate"}}}})),
            (std::vector<std::string>{"early", "late"}));
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"priorityGreaterThanOrEqual", 1}}}})), std::vector<std::string>{"prio"});
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"referenceIdEqual", "ext-1"}}}})), std::vector<std::string>{"prio"});
  EXPECT_EQ(svc("list", {{"filter", {{"ownerIdEqual", "vpaas@kaltura.com"}}}})["totalCount"], 3);
  const auto err = svc("list", {{"filter", {{"ownerIdEqual", "nobody-ever-seen"}}}});
  EXPECT_EQ(err["code"], "INVALID_USER_ID");
  EXPECT_EQ(err["args"], Json::array());
  auto page = svc("list", {{"pager", {{"pageSize", 2}, {"pageIndex", 2}}}});
  EXPECT_EQ(page["objects"].size(), 1U);
  EXPECT_EQ(page["totalCount"], 3);
}

TEST_F(EventsTest, ResourceFiltersFollowTheLinks) {
  const auto r1 = add_room(emulator(), ks, "room one")["id"].get<std::int64_t>();
  const auto e1 = add(event("in room one", t0, t0 + 60))["id"].get<std::int64_t>();
  add(event("unlinked", t0, t0 + 60));
  link(emulator(), ks, e1, r1);
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"resourceIdEqual", std::to_string(r1)}}}})),
            std::vector<std::string>{"in room one"});
  EXPECT_EQ(summaries(svc("list", {{"filter", {{"resourceIdsLike", std::to_string(r1)}}}})),
            std::vector<std::string>{"in room one"});
}

TEST_F(EventsTest, LinkedToComputesTheDates) {
  const auto first = add(event("first", t0, t0 + 600));
  Json linked{{"objectType", "KalturaRecordScheduleEvent"}, {"summary", "after"}, {"recurrenceType", 0}, {"duration", 300},
              {"linkedTo", {{"objectType", "KalturaLinkedScheduleEvent"}, {"eventId", first["id"]}, {"offset", 60}}}};
  const auto out = add(linked);
  EXPECT_EQ(out["startDate"], t0 + 660);
  EXPECT_EQ(out["endDate"], t0 + 960);
  EXPECT_EQ(out["linkedTo"]["objectType"], "KalturaLinkedScheduleEvent");
  linked["startDate"] = t0;
  EXPECT_EQ(add(linked)["code"], "START_TIME_AND_LINKED_TO_CONFLICT");
}

TEST_F(EventsTest, TemplateEntryOverlapIsRefused) {
  Json a = event("a", t0, t0 + 600);
  a["templateEntryId"] = "0_abc";
  EXPECT_EQ(add(a)["templateEntryId"], "0_abc");
  Json b = event("b", t0 + 300, t0 + 900);
  b["templateEntryId"] = "0_abc";
  EXPECT_EQ(add(b)["code"], "SCHEDULE_TIME_IN_USE");
}

}  // namespace
}  // namespace kmeet::test
