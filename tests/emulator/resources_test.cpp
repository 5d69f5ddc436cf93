// schedule_scheduleresource: add/get/update/delete/list, validation, filters and pager (D.2, D.6, E.2).

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class ResourcesTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    ks = admin_ks(emulator());
  }
  Json svc(const std::string& action, Json params) {
    params["ks"] = ks;
    return call(emulator(), "schedule_scheduleresource", action, std::move(params));
  }
  Json list(Json filter, Json pager = nullptr) {
    Json p{{"filter", std::move(filter)}};
    if (!pager.is_null()) p["pager"] = std::move(pager);
    return svc("list", p);
  }
  static std::vector<std::string> names(const Json& l) {
    std::vector<std::string> out;
    for (const auto& o : l["objects"]) out.push_back(o["name"]);
    return out;
  }
  std::string ks;
};

TEST_F(ResourcesTest, AddReturnsTheStoredRoom) {
  Json r = room("Room-1");
  r["description"] = "My first meeting room";
  r["systemName"] = "room-1";
  const auto out = svc("add", {{"scheduleResource", r}});
  EXPECT_GT(out["id"].get<std::int64_t>(), 0);
  EXPECT_EQ(out["partnerId"], 1234567);
  EXPECT_EQ(out["status"], 2);
  EXPECT_EQ(out["systemName"], "room-1");
  EXPECT_NEAR(out["createdAt"].get<double>(), static_cast<double>(now()), 3);
  EXPECT_EQ(out["createdAt"], out["updatedAt"]);
  EXPECT_EQ(svc("get", {{"scheduleResourceId", out["id"]}}), out);
}

TEST_F(ResourcesTest, AbstractOrMissingObjectType) {
  auto err = svc("add", {{"scheduleResource", {{"name", "x"}}}});
  EXPECT_EQ(err["code"], "OBJECT_TYPE_ABSTRACT");
  EXPECT_EQ(err["message"], "The object type \"KalturaScheduleResource\" is abstract, use one of the object implementations");
  EXPECT_EQ(err["args"], (Json{{"OBJ_TYPE", "KalturaScheduleResource"}}));
  err = svc("add", {{"scheduleResource", {{"objectType", "KalturaScheduleResource"}, {"name", "x"}}}});
  EXPECT_EQ(err["code"], "OBJECT_TYPE_ABSTRACT");
  // a type that is not a subclass is replaced by the (abstract) declared one
  err = svc("add", {{"scheduleResource", {{"objectType", "KalturaRecordScheduleEvent"}, {"name", "x"}}}});
  EXPECT_EQ(err["code"], "OBJECT_TYPE_ABSTRACT");
  EXPECT_EQ(svc("add", {{"scheduleResource", {{"objectType", "KalturaCameraScheduleResource"}, {"name", "cam"}}}})["objectType"],
            "KalturaCameraScheduleResource");
}

TEST_F(ResourcesTest, NameRequiredAndLengthChecked) {
  auto err = svc("add", {{"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}}}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_CANNOT_BE_NULL");
  EXPECT_EQ(err["args"], (Json{{"PROP_NAME", "KalturaLocationScheduleResource::name"}}));
  err = svc("add", {{"scheduleResource", room("")}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_MIN_LENGTH");
  EXPECT_EQ(err["args"]["MIN_LEN"], "1");
  err = svc("add", {{"scheduleResource", room(std::string(257, 'x'))}});
  EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_MAX_LENGTH");
  EXPECT_EQ(err["args"]["MAX_LEN"], "256");
  EXPECT_EQ(svc("add", {{"scheduleResource", room(std::string(256, 'x'))}})["status"], 2);
}

TEST_F(ResourcesTest, ReadOnlyFieldsOnAdd) {
  for (const char* f : {"id", "partnerId", "status", "createdAt", "updatedAt"}) {
    Json r = room("x");
    r[f] = 2;  // a valid value: the deserializer checks enums first
    const auto err = svc("add", {{"scheduleResource", r}});
    EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_NOT_UPDATABLE") << f;
    EXPECT_EQ(err["args"]["PROP_NAME"], std::string("KalturaLocationScheduleResource::") + f);
    EXPECT_EQ(err["message"], std::string("The property \"KalturaLocationScheduleResource::") + f + "\" cannot be updated");
  }
}

TEST_F(ResourcesTest, SystemNameIsUnique) {
  Json r = room("a");
  r["systemName"] = "unique-1";
  EXPECT_EQ(svc("add", {{"scheduleResource", r}})["systemName"], "unique-1");
  const auto err = svc("add", {{"scheduleResource", r}});
  EXPECT_EQ(err["code"], "SYSTEM_NAME_ALREADY_EXISTS");
  EXPECT_EQ(err["args"], (Json{{"SYS_NAME", "unique-1"}}));
  const auto other = svc("add", {{"scheduleResource", room("b")}});
  const auto upd = svc("update", {{"scheduleResourceId", other["id"]},
                                  {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"},
                                                        {"systemName", "unique-1"}}}});
  EXPECT_EQ(upd["code"], "SYSTEM_NAME_ALREADY_EXISTS");
}

// The uniqueness check goes through a name index: renames, deletes and names given by update must
// all be seen exactly as a scan of every room would see them.
TEST_F(ResourcesTest, SystemNameUniquenessFollowsRenamesAndDeletes) {
  auto upd = [&](const Json& id, const std::string& name) {
    return svc("update", {{"scheduleResourceId", id},
                          {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"systemName", name}}}});
  };
  Json r = room("a");
  r["systemName"] = "first";
  const auto a = svc("add", {{"scheduleResource", r}});
  // Renamed: the old name is free, the new one is taken.
  EXPECT_EQ(upd(a["id"], "second")["systemName"], "second");
  EXPECT_EQ(svc("add", {{"scheduleResource", r}})["systemName"], "first");
  Json s = room("c");
  s["systemName"] = "second";
  EXPECT_EQ(svc("add", {{"scheduleResource", s}})["code"], "SYSTEM_NAME_ALREADY_EXISTS");
  // A name given by update to a room that had none is taken too.
  const auto b = svc("add", {{"scheduleResource", room("b")}});
  EXPECT_EQ(upd(b["id"], "third")["systemName"], "third");
  s["systemName"] = "third";
  EXPECT_EQ(svc("add", {{"scheduleResource", s}})["code"], "SYSTEM_NAME_ALREADY_EXISTS");
  // Updating a room to its own name is not a clash; a deleted room's name is free again.
  EXPECT_EQ(upd(b["id"], "third")["systemName"], "third");
  EXPECT_EQ(svc("delete", {{"scheduleResourceId", b["id"]}})["id"], b["id"]);
  EXPECT_EQ(svc("add", {{"scheduleResource", s}})["systemName"], "third");
}

TEST_F(ResourcesTest, UnknownParentIsRefused) {
  Json r = room("child");
  r["parentId"] = 77;
  EXPECT_EQ(svc("add", {{"scheduleResource", r}})["code"], "SCHEDULE_RESOURCE_ID_NOT_FOUND");
}

TEST_F(ResourcesTest, UpdateChangesOnlyWhatWasSent) {
  const auto a = svc("add", {{"scheduleResource", room("before", "vcprovider:newrow")}});
  const auto u = svc("update", {{"scheduleResourceId", a["id"]},
                                {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"name", "after"}}}});
  EXPECT_EQ(u["name"], "after");
  EXPECT_EQ(u["tags"], "vcprovider:newrow");
  // read-only fields only fail when they differ
  EXPECT_EQ(svc("update", {{"scheduleResourceId", a["id"]},
                           {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"id", a["id"]}}}})["name"],
            "after");
  EXPECT_EQ(svc("update", {{"scheduleResourceId", a["id"]},
                           {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"id", 1}}}})["code"],
            "PROPERTY_VALIDATION_NOT_UPDATABLE");
  EXPECT_EQ(svc("update", {{"scheduleResourceId", a["id"]},
                           {"scheduleResource", {{"objectType", "KalturaLocationScheduleResource"}, {"name__null", ""}}}})["code"],
            "PROPERTY_VALIDATION_CANNOT_BE_NULL");
}

TEST_F(ResourcesTest, DeleteIsSoft) {
  const auto a = svc("add", {{"scheduleResource", room("doomed")}});
  const auto d = svc("delete", {{"scheduleResourceId", a["id"]}});
  EXPECT_EQ(d["status"], 3);
  EXPECT_EQ(d["name"], "doomed");
  auto err = svc("get", {{"scheduleResourceId", a["id"]}});
  EXPECT_EQ(err["code"], "INVALID_OBJECT_ID");
  EXPECT_EQ(err["message"], "Invalid object id [" + std::to_string(a["id"].get<int>()) + "]");
  EXPECT_EQ(svc("delete", {{"scheduleResourceId", a["id"]}})["code"], "INVALID_OBJECT_ID");
  // hidden from the default list, visible with statusEqual=3
  EXPECT_EQ(list({{"objectType", "KalturaScheduleResourceFilter"}})["totalCount"], 0);
  const auto deleted = list({{"objectType", "KalturaScheduleResourceFilter"}, {"statusEqual", 3}});
  EXPECT_EQ(names(deleted), std::vector<std::string>{"doomed"});
  EXPECT_EQ(list({{"statusIn", "1,2,3"}})["totalCount"], 1);
}

TEST_F(ResourcesTest, MissingIdIsMissingParameter) {
  const auto err = svc("get", Json::object());
  EXPECT_EQ(err["code"], "MISSING_MANDATORY_PARAMETER");
  EXPECT_EQ(err["args"], (Json{{"PARAM_NAME", "scheduleResourceId"}}));
}

TEST_F(ResourcesTest, TagFiltersAndNameFilters) {
  svc("add", {{"scheduleResource", room("alpha", "vcprovider:newrow,custom_rs_room_cap:10")}});
  svc("add", {{"scheduleResource", room("beta", "vcprovider:newrow")}});
  svc("add", {{"scheduleResource", room("gamma", "other:thing")}});
  EXPECT_EQ(names(list({{"tagsLike", "vcprovider:newrow"}})), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(names(list({{"tagsLike", "VCPROVIDER"}})), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(names(list({{"tagsMultiLikeOr", "room_cap,other"}})), (std::vector<std::string>{"alpha", "gamma"}));
  EXPECT_EQ(names(list({{"tagsMultiLikeAnd", "newrow,room_cap"}})), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(names(list({{"nameEqual", "beta"}})), (std::vector<std::string>{"beta"}));
  EXPECT_EQ(names(list({{"objectType", "KalturaLocationScheduleResourceFilter"}, {"tagsLike", ""}})).size(), 3U);
}

TEST_F(ResourcesTest, IdFiltersTypeFilterAndTimes) {
  const auto a = svc("add", {{"scheduleResource", room("a")}})["id"].get<std::int64_t>();
  const auto b = svc("add", {{"scheduleResource", room("b")}})["id"].get<std::int64_t>();
  svc("add", {{"scheduleResource", {{"objectType", "KalturaCameraScheduleResource"}, {"name", "cam"}}}});
  EXPECT_EQ(names(list({{"idEqual", a}})), std::vector<std::string>{"a"});
  EXPECT_EQ(names(list({{"idIn", std::to_string(a) + "," + std::to_string(b)}})), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(names(list({{"idNotIn", std::to_string(a)}})), (std::vector<std::string>{"b", "cam"}));
  EXPECT_EQ(names(list({{"objectType", "KalturaLocationScheduleResourceFilter"}})), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(list({{"createdAtGreaterThanOrEqual", now() + 100}})["totalCount"], 0);
  // small values are relative to now (A.6)
  EXPECT_EQ(list({{"createdAtGreaterThanOrEqual", -60}})["totalCount"], 3);
  EXPECT_EQ(list({{"updatedAtLessThanOrEqual", -3600}})["totalCount"], 0);
}

TEST_F(ResourcesTest, OrderByAndPager) {
  for (int i = 0; i < 5; ++i) svc("add", {{"scheduleResource", room("r" + std::to_string(i))}});
  EXPECT_EQ(names(list({{"orderBy", "+createdAt"}}, {{"objectType", "KalturaFilterPager"}, {"pageSize", 2}, {"pageIndex", 1}})),
            (std::vector<std::string>{"r0", "r1"}));  // equal createdAt: stable by id
  auto page = list({{"objectType", "KalturaScheduleResourceFilter"}}, {{"pageSize", 2}, {"pageIndex", 2}});
  EXPECT_EQ(names(page), (std::vector<std::string>{"r2", "r3"}));
  EXPECT_EQ(page["totalCount"], 5);
  page = list(Json::object(), {{"pageSize", 2}, {"pageIndex", 3}});
  EXPECT_EQ(names(page), std::vector<std::string>{"r4"});
  EXPECT_EQ(page["totalCount"], 5);  // (3-1)*2 + 1 on a partial page
  page = list(Json::object(), {{"pageSize", 2}, {"pageIndex", 9}});
  EXPECT_TRUE(page["objects"].empty());
  EXPECT_EQ(page["objects"], Json::array());
  EXPECT_EQ(page["totalCount"], 16);  // the server's estimate for a page past the end
  page = list(Json::object(), {{"pageSize", 2}, {"pageIndex", 0}});  // < 1 -> 1
  EXPECT_EQ(names(page), (std::vector<std::string>{"r0", "r1"}));
  EXPECT_EQ(list(Json::object())["totalCount"], 5);
}

TEST_F(ResourcesTest, PageSizeIsClampedTo500) {
  Json batch{{"ks", ks}};
  for (int i = 0; i < 120; ++i) {
    batch[std::to_string(i)] = {{"service", "schedule_scheduleresource"}, {"action", "add"},
                                {"scheduleResource", room("bulk" + std::to_string(i))}};
  }
  for (int k = 0; k < 5; ++k) {
    Json b = batch;
    for (int i = 0; i < 120; ++i) b[std::to_string(i)]["scheduleResource"]["name"] = "b" + std::to_string(k * 120 + i);
    ASSERT_EQ(multirequest(emulator(), b).json().size(), 120U);
  }
  const auto page = list(Json::object(), {{"pageSize", 1000}});
  EXPECT_EQ(page["objects"].size(), 500U);
  EXPECT_EQ(page["totalCount"], 600);
  EXPECT_EQ(list(Json::object())["objects"].size(), 30U);  // default page size
}

}  // namespace
}  // namespace kmeet::test
