// apptoken add/get/update/delete/list over raw HTTP (protocol.md I.2-I.4, I.9).

#include <gtest/gtest.h>

#include <regex>

#include "emulator/apptoken.hpp"

namespace kmeet::test {
namespace {

using namespace wire;
using apptoken::add;
using apptoken::admin_call;
using apptoken::keys;

class AppTokenCrudTest : public EmulatorTest {};

TEST_F(AppTokenCrudTest, AMinimalAddGetsTheServersDefaultsAndFormats) {
  const auto t = add(emulator());
  EXPECT_TRUE(std::regex_match(t["id"].get<std::string>(), std::regex("0_[0-9a-z]{8}"))) << t;
  EXPECT_TRUE(std::regex_match(t["token"].get<std::string>(), std::regex("[0-9a-f]{32}"))) << t;
  EXPECT_EQ(t["partnerId"], 1234567);
  EXPECT_EQ(t["status"], 2);
  EXPECT_EQ(t["sessionDuration"], 86400);  // null -> ksMaxExpiryInSeconds
  EXPECT_EQ(t["hashType"], "SHA1");        // the getter's default
  EXPECT_NEAR(t["createdAt"].get<double>(), static_cast<double>(now()), 3);
  EXPECT_EQ(t["createdAt"], t["updatedAt"]);
  EXPECT_EQ(keys(t), (std::vector<std::string>{"id", "token", "partnerId", "createdAt", "updatedAt", "status",
                                               "sessionDuration", "hashType", "objectType"}));
  EXPECT_NE(add(emulator())["id"], t["id"]);
}

TEST_F(AppTokenCrudTest, EveryFieldComesBackInDeclarationOrder) {
  const auto t = add(emulator(), {{"description", "kmeet attendee joins"}, {"hashType", "SHA256"}, {"sessionType", 0},
                                  {"sessionUserId", "svc@example.com"}, {"sessionDuration", 3600},
                                  {"sessionPrivileges", "setrole:1234567"}, {"expiry", 1893456000}});
  EXPECT_EQ(keys(t), (std::vector<std::string>{"id", "token", "partnerId", "createdAt", "updatedAt", "status", "expiry",
                                               "sessionType", "sessionUserId", "sessionDuration", "sessionPrivileges",
                                               "hashType", "description", "objectType"}));
  EXPECT_EQ(t["expiry"], 1893456000);
  EXPECT_EQ(t["sessionPrivileges"], "setrole:1234567");
}

TEST_F(AppTokenCrudTest, ReadOnlyFieldsAreRefusedOnAdd) {
  for (const char* field : {"id", "token", "partnerId", "createdAt", "status"}) {
    const auto err = add(emulator(), {{field, field == std::string("status") ? Json(2) : Json("x")}});
    EXPECT_EQ(err["code"], "PROPERTY_VALIDATION_NOT_UPDATABLE") << field;
    EXPECT_EQ(err["args"]["PROP_NAME"], std::string("KalturaAppToken::") + field);
  }
}

TEST_F(AppTokenCrudTest, EnumsAreCheckedExactly) {
  const auto lower = add(emulator(), {{"hashType", "sha256"}});
  EXPECT_EQ(lower, Json::parse(R"({"code":"INVALID_ENUM_VALUE","message":"Invalid enumeration value \"sha256\" for )"
                               R"(parameter \"hashType\", expecting enumeration type \"KalturaAppTokenHashType\"",)"
                               R"("objectType":"KalturaAPIException","args":{"ENUM_VAL":"sha256","PARAM_NAME":"hashType",)"
                               R"("ENUM_TYPE":"KalturaAppTokenHashType"}})"));
  const auto type = add(emulator(), {{"sessionType", 1}});
  EXPECT_EQ(type["args"], (Json{{"ENUM_VAL", "1"}, {"PARAM_NAME", "sessionType"}, {"ENUM_TYPE", "KalturaSessionType"}}));
  for (const char* h : {"MD5", "SHA1", "SHA256", "SHA512"}) EXPECT_EQ(add(emulator(), {{"hashType", h}})["hashType"], h);
}

TEST_F(AppTokenCrudTest, SessionUserIdMustBeAKnownUserOrAValidNewOne) {
  EXPECT_EQ(add(emulator(), {{"sessionUserId", "max+1@example.com"}})["sessionUserId"], "max+1@example.com");
  for (const char* bad : {"max smith", "a/b", "a:b", "a;b", ""}) {
    EXPECT_EQ(add(emulator(), {{"sessionUserId", bad}}),
              Json::parse(R"({"code":"INVALID_FIELD_VALUE","message":"value in field [sessionUserId] is not valid",)"
                          R"("objectType":"KalturaAPIException","args":{"FIELD_NAME":"sessionUserId"}})"))
        << bad;
  }
  EXPECT_EQ(add(emulator(), {{"sessionUserId", std::string(321, 'a')}})["code"], "INVALID_FIELD_VALUE");
  EXPECT_EQ(add(emulator(), {{"sessionUserId", std::string(320, 'a')}})["status"], 2);
  // A user the partner already has passes whatever its id looks like.
  ASSERT_TRUE(call(emulator(), "session", "start", {{"secret", emulator().admin_secret()}, {"type", 2},
                                                   {"partnerId", 1234567}, {"userId", "max smith"}}).is_string());
  EXPECT_EQ(add(emulator(), {{"sessionUserId", "max smith"}})["sessionUserId"], "max smith");
}

TEST_F(AppTokenCrudTest, ExpiryIsATimeFieldWhereZeroMeansNow) {
  EXPECT_NEAR(add(emulator(), {{"expiry", 3600}})["expiry"].get<double>(), static_cast<double>(now() + 3600), 3);
  EXPECT_NEAR(add(emulator(), {{"expiry", 0}})["expiry"].get<double>(), static_cast<double>(now()), 3);
  EXPECT_EQ(add(emulator(), {{"expiry", 1893456000}})["expiry"], 1893456000);
  EXPECT_FALSE(add(emulator(), {{"expiry", ""}}).contains("code"));
}

TEST_F(AppTokenCrudTest, GetUpdateAndDelete) {
  const auto t = add(emulator(), {{"description", "first"}, {"sessionType", 2}, {"hashType", "SHA256"}});
  const Json id = t["id"];
  EXPECT_EQ(admin_call(emulator(), "get", {{"id", id}}), t);
  apptoken::advance(emulator(), 5);
  const auto u = admin_call(emulator(), "update",
                            {{"id", id}, {"appToken", {{"objectType", "KalturaAppToken"}, {"description", "rotated"},
                                                       {"hashType", "SHA512"}, {"sessionType__null", ""}}}});
  EXPECT_EQ(u["description"], "rotated");
  EXPECT_EQ(u["hashType"], "SHA512");
  EXPECT_FALSE(u.contains("sessionType"));
  EXPECT_EQ(u["token"], t["token"]);
  EXPECT_EQ(u["createdAt"], t["createdAt"]);
  EXPECT_GE(u["updatedAt"].get<std::int64_t>(), t["updatedAt"].get<std::int64_t>() + 5);
  // A read-only field may be sent unchanged, not changed.
  const auto same = admin_call(emulator(), "update", {{"id", id}, {"appToken", {{"token", t["token"]}}}});
  EXPECT_EQ(same["token"], t["token"]);
  const auto changed = admin_call(emulator(), "update", {{"id", id}, {"appToken", {{"token", "0123"}}}});
  EXPECT_EQ(changed["args"]["PROP_NAME"], "KalturaAppToken::token");
  const auto cleared = admin_call(emulator(), "update", {{"id", id}, {"appToken", {{"hashType__null", ""}}}});
  EXPECT_EQ(cleared["hashType"], "SHA1");

  const auto r = post(emulator(), "apptoken", "delete", {{"id", id}, {"ks", admin_ks(emulator())}});
  EXPECT_EQ(r.body, "null");
  const Json gone = Json::parse(R"({"code":"APP_TOKEN_ID_NOT_FOUND","message":"Application token id \")" +
                                id.get<std::string>() + R"(\" not found","objectType":"KalturaAPIException","args":{"ID":")" +
                                id.get<std::string>() + R"("}})");
  EXPECT_EQ(admin_call(emulator(), "get", {{"id", id}}), gone);
  EXPECT_EQ(admin_call(emulator(), "update", {{"id", id}, {"appToken", Json::object()}}), gone);
  EXPECT_EQ(admin_call(emulator(), "delete", {{"id", id}}), gone);
  EXPECT_EQ(admin_call(emulator(), "get", {{"id", "0_nosuchid"}})["args"]["ID"], "0_nosuchid");
}

TEST_F(AppTokenCrudTest, MissingParameters) {
  const auto missing = [&](const std::string& action, Json params) {
    return admin_call(emulator(), action, std::move(params))["args"]["PARAM_NAME"];
  };
  EXPECT_EQ(missing("get", Json::object()), "id");
  EXPECT_EQ(missing("delete", Json::object()), "id");
  EXPECT_EQ(missing("add", Json::object()), "appToken");
  EXPECT_EQ(missing("update", Json::object()), "id");
  EXPECT_EQ(missing("update", {{"id", "0_x"}}), "appToken");
  EXPECT_EQ(missing("startSession", Json::object()), "id");
  EXPECT_EQ(missing("startSession", {{"id", "0_x"}}), "tokenHash");
}

TEST_F(AppTokenCrudTest, OnlyAnAdminKsManagesTokens) {
  const auto user_ks = mint(emulator(), SessionType::user, "u");
  const auto forbidden = call(emulator(), "apptoken", "add", {{"ks", user_ks}, {"appToken", {{"objectType", "KalturaAppToken"}}}});
  EXPECT_EQ(forbidden, Json::parse(R"({"code":"SERVICE_FORBIDDEN","message":"The access to service [apptoken->add] is )"
                                   R"(forbidden","objectType":"KalturaAPIException","args":{"SERVICE":"apptoken->add"}})"));
  for (const char* action : {"get", "update", "delete", "list"}) {
    EXPECT_EQ(call(emulator(), "apptoken", action, {{"ks", user_ks}, {"id", "0_x"}, {"appToken", Json::object()}})["code"],
              "SERVICE_FORBIDDEN")
        << action;
  }
  EXPECT_EQ(call(emulator(), "apptoken", "list", {{"partnerId", 1234567}})["code"], "SERVICE_FORBIDDEN");
  EXPECT_EQ(call(emulator(), "apptoken", "list", Json::object())["code"], "MISSING_KS");
}

class AppTokenListTest : public EmulatorTest {
 protected:
  Json list(Json filter, Json pager = Json()) {
    Json p{{"filter", std::move(filter)}};
    if (!pager.is_null()) p["pager"] = std::move(pager);
    return admin_call(emulator(), "list", p);
  }
  std::vector<std::string> ids(const Json& l) {
    std::vector<std::string> out;
    for (const auto& o : l.value("objects", Json::array())) out.push_back(o["id"].get<std::string>());
    return out;
  }
};

TEST_F(AppTokenListTest, FiltersOrderAndDeletedTokens) {
  std::vector<std::string> made;
  for (const char* user : {"ann", "bob", "ann"}) {
    made.push_back(add(emulator(), {{"sessionUserId", user}})["id"].get<std::string>());
    apptoken::advance(emulator(), 10);
  }
  const Json f{{"objectType", "KalturaAppTokenFilter"}};
  EXPECT_EQ(ids(list(f)), made);  // insertion order by default
  Json desc = f;
  desc["orderBy"] = "-createdAt";
  EXPECT_EQ(ids(list(desc)), (std::vector<std::string>{made[2], made[1], made[0]}));
  EXPECT_EQ(ids(list({{"sessionUserIdEqual", "ann"}})), (std::vector<std::string>{made[0], made[2]}));
  EXPECT_EQ(ids(list({{"idIn", made[2] + "," + made[1]}})), (std::vector<std::string>{made[1], made[2]}));
  EXPECT_EQ(ids(list({{"idEqual", made[1]}})), (std::vector<std::string>{made[1]}));
  const auto first = admin_call(emulator(), "get", {{"id", made[0]}})["createdAt"].get<std::int64_t>();
  EXPECT_EQ(ids(list({{"createdAtGreaterThanOrEqual", first + 10}})), (std::vector<std::string>{made[1], made[2]}));
  EXPECT_EQ(ids(list({{"createdAtLessThanOrEqual", first}})), (std::vector<std::string>{made[0]}));
  // Filters the class does not have are ignored (I.4).
  EXPECT_EQ(ids(list({{"hashTypeEqual", "SHA256"}, {"sessionTypeEqual", 2}})), made);

  ASSERT_TRUE(admin_call(emulator(), "delete", {{"id", made[1]}}).is_null());
  EXPECT_EQ(ids(list(f)), (std::vector<std::string>{made[0], made[2]}));
  EXPECT_EQ(ids(list({{"statusEqual", 3}})), std::vector<std::string>{});  // never listed
  EXPECT_EQ(ids(list({{"statusIn", "2,3"}})), (std::vector<std::string>{made[0], made[2]}));
}

TEST_F(AppTokenListTest, AnUnknownSessionUserGivesNoObjectsKey) {
  (void)add(emulator(), {{"sessionUserId", "ann"}});
  const auto r = post(emulator(), "apptoken", "list",
                      {{"ks", admin_ks(emulator())}, {"filter", {{"sessionUserIdEqual", "nobody"}}}});
  EXPECT_EQ(r.body, R"({"totalCount":0,"objectType":"KalturaAppTokenListResponse"})");
}

TEST_F(AppTokenListTest, PagesAndTotalCount) {
  for (int i = 0; i < 5; ++i) (void)add(emulator());
  const auto page = [&](int index) {
    return list(Json::object(), {{"objectType", "KalturaFilterPager"}, {"pageSize", 2}, {"pageIndex", index}});
  };
  EXPECT_EQ(page(1)["objects"].size(), 2U);
  EXPECT_EQ(page(1)["totalCount"], 5);  // a full page: counted
  EXPECT_EQ(page(3)["objects"].size(), 1U);
  EXPECT_EQ(page(3)["totalCount"], 5);  // a partial page: (3-1)*2 + 1
  EXPECT_EQ(page(4)["objects"], Json::array());
  EXPECT_EQ(page(4)["totalCount"], 5);  // an empty page: counted
  EXPECT_EQ(keys(page(1)), (std::vector<std::string>{"objects", "totalCount", "objectType"}));
  EXPECT_EQ(list(Json::object())["objects"].size(), 5U);  // no pager: 30 per page
}

}  // namespace
}  // namespace kmeet::test
