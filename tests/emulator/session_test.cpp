// session.start/end/get and KS validation exactly as the server does it (D.1, B.3, F).

#include <gtest/gtest.h>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class SessionTest : public EmulatorTest {};

Json start(const EmulatorProcess& e, const std::string& secret, int type, Json extra = Json::object()) {
  Json p{{"secret", secret}, {"type", type}, {"partnerId", e.partner_id()}};
  for (auto it = extra.begin(); it != extra.end(); ++it) p[it.key()] = *it;
  return call(e, "session", "start", p);
}

TEST_F(SessionTest, StartWithAdminSecretReturnsAVerifiableKsString) {
  const auto ks = start(emulator(), emulator().admin_secret(), 2, {{"userId", "admin@example.com"}});
  ASSERT_TRUE(ks.is_string());
  const auto s = ks.get<std::string>();
  EXPECT_EQ(s.rfind("djJ8MTIzNDU2N3", 0), 0U);  // "v2|1234567|"
  const std::vector<std::string> secrets{emulator().admin_secret()};
  KsInfo info;
  EXPECT_EQ(Ks::verify(s, PartnerId(1234567), secrets, Timestamp(std::chrono::seconds(now())), &info),
            KsStatus::valid);
  EXPECT_EQ(info.type, SessionType::admin);
  EXPECT_EQ(info.user_id, "admin@example.com");
  // default expiry is 86400 s
  EXPECT_NEAR(static_cast<double>(info.expires_at.time_since_epoch().count()), static_cast<double>(now() + 86400), 5);
}

TEST_F(SessionTest, UserSecretOnlyForUserType) {
  EXPECT_TRUE(start(emulator(), emulator().user_secret(), 0).is_string());
  const auto err = start(emulator(), emulator().user_secret(), 2);
  EXPECT_EQ(err["code"], "START_SESSION_ERROR");
  EXPECT_EQ(err["message"], "Error while starting session for partner [1234567]");
  EXPECT_EQ(err["args"], (Json{{"PID", "1234567"}}));
}

TEST_F(SessionTest, BadSecretOrPartnerIsStartSessionError) {
  EXPECT_EQ(start(emulator(), "wrong", 0)["code"], "START_SESSION_ERROR");
  const auto other = call(emulator(), "session", "start",
                          {{"secret", emulator().admin_secret()}, {"type", 2}, {"partnerId", 999}});
  EXPECT_EQ(other["code"], "START_SESSION_ERROR");
  EXPECT_EQ(other["args"]["PID"], "999");
}

TEST_F(SessionTest, TypeOneIsAnInvalidEnumValue) {
  const auto err = start(emulator(), emulator().admin_secret(), 1);
  EXPECT_EQ(err["code"], "INVALID_ENUM_VALUE");
  EXPECT_EQ(err["args"], (Json{{"ENUM_VAL", "1"}, {"PARAM_NAME", "type"}, {"ENUM_TYPE", "KalturaSessionType"}}));
}

TEST_F(SessionTest, MissingSecretIsMissingMandatoryParameter) {
  const auto err = call(emulator(), "session", "start", {{"partnerId", emulator().partner_id()}});
  EXPECT_EQ(err["code"], "MISSING_MANDATORY_PARAMETER");
  EXPECT_EQ(err["message"], "Missing parameter \"secret\"");
}

TEST_F(SessionTest, ExpiryIsClampedToOneDay) {
  const auto ks = start(emulator(), emulator().admin_secret(), 2, {{"expiry", 7 * 86400}}).get<std::string>();
  const auto info = Ks::inspect(ks, emulator().admin_secret());
  EXPECT_LE(info.expires_at.time_since_epoch().count(), now() + 86400 + 2);
  const auto short_ks = start(emulator(), emulator().admin_secret(), 2, {{"expiry", 60}}).get<std::string>();
  EXPECT_NEAR(static_cast<double>(Ks::inspect(short_ks, emulator().admin_secret()).expires_at.time_since_epoch().count()),
              static_cast<double>(now() + 60), 3);
}

TEST_F(SessionTest, PrivilegesPassThroughAndSetroleIsRefused) {
  const auto ks = start(emulator(), emulator().user_secret(), 0,
                        {{"userId", "max"}, {"privileges", "eventId:3371011,role:viewerRole"}})
                      .get<std::string>();
  EXPECT_EQ(Ks::inspect(ks, emulator().admin_secret()).privileges, "eventId:3371011,role:viewerRole");
  EXPECT_EQ(start(emulator(), emulator().admin_secret(), 2, {{"privileges", "setrole:123"}})["code"],
            "START_SESSION_ERROR");
}

TEST_F(SessionTest, MasterPartnerAndAdditionalDataPrivilegesAreDropped) {
  // F.6: server-side generation overwrites _m/_d with null, which drops them from a v2 KS.
  const auto ks = start(emulator(), emulator().admin_secret(), 2,
                        {{"userId", "max"}, {"privileges", "a:1,_m:99, _d:evil,b:2"}})
                      .get<std::string>();
  const auto info = Ks::inspect(ks, emulator().admin_secret());
  EXPECT_EQ(info.privileges, "a:1,b:2");
  EXPECT_FALSE(info.master_partner_id.has_value());
  EXPECT_FALSE(info.additional_data.has_value());
  const auto got = call(emulator(), "session", "get", {{"ks", ks}});
  EXPECT_EQ(got["privileges"], "a:1,b:2");
  EXPECT_EQ(got["userId"], "max");
  // a key without a value is dropped too
  const auto bare = start(emulator(), emulator().user_secret(), 0, {{"privileges", "_m,a:1,_d"}}).get<std::string>();
  const auto bare_info = Ks::inspect(bare, emulator().admin_secret());
  EXPECT_EQ(bare_info.privileges, "a:1");
  EXPECT_FALSE(bare_info.master_partner_id.has_value());
  EXPECT_FALSE(bare_info.additional_data.has_value());
}

TEST_F(SessionTest, FormEncodedStartLikeTheCurlSample) {
  const auto r = request(emulator().base_url() + "/api_v3/service/session/action/start",
                         "secret=" + emulator().user_secret() + "&partnerId=1234567&type=0&expiry=86400&privileges=" +
                             escape("resourceId:1,role:viewerRole") + "&format=1",
                         "application/x-www-form-urlencoded");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json().is_string());
}

TEST_F(SessionTest, GetDescribesTheSession) {
  const auto ks = mint(emulator(), SessionType::user, "max", "role:viewerRole");
  const auto info = call(emulator(), "session", "get", {{"ks", ks}});
  EXPECT_EQ(info["objectType"], "KalturaSessionInfo");
  EXPECT_EQ(info["ks"], ks);
  EXPECT_EQ(info["sessionType"], 0);
  EXPECT_EQ(info["partnerId"], 1234567);
  EXPECT_EQ(info["userId"], "max");
  EXPECT_EQ(info["privileges"], "role:viewerRole");
  EXPECT_NEAR(info["expiry"].get<double>(), static_cast<double>(now() + 3600), 3);
  // another session passed explicitly
  const auto other = mint(emulator(), SessionType::admin, "boss");
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", ks}, {"session", other}})["userId"], "boss");
}

TEST_F(SessionTest, EndLogsTheSessionOut) {
  const auto ks = admin_ks(emulator());
  const auto r = post(emulator(), "session", "end", {{"ks", ks}});
  EXPECT_EQ(r.body, "null");
  const auto err = call(emulator(), "schedule_scheduleresource", "list", {{"ks", ks}});
  EXPECT_EQ(err["code"], "INVALID_KS");
  EXPECT_EQ(err["message"], "Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"");
  EXPECT_EQ(err["args"], (Json{{"KSID", "LOGOUT"}, {"ERR_CODE", "-1"}, {"ERR_DESC", "INVALID_STR"}}));
}

TEST_F(SessionTest, ExpiredKsIsInvalidKsExpired) {
  const auto ks = mint(emulator(), SessionType::admin, "a", "", -5);
  const auto err = call(emulator(), "schedule_scheduleresource", "list", {{"ks", ks}});
  EXPECT_EQ(err, (Json{{"code", "INVALID_KS"},
                       {"message", "Invalid KS \"EXPIRED\", Error \"-1,INVALID_STR\""},
                       {"objectType", "KalturaAPIException"},
                       {"args", {{"KSID", "EXPIRED"}, {"ERR_CODE", "-1"}, {"ERR_DESC", "INVALID_STR"}}}}));
}

TEST_F(SessionTest, GarbageOrForeignSignatureIsInvalidStrWithTheKsEchoed) {
  const auto err = call(emulator(), "schedule_scheduleresource", "list", {{"ks", "not-a-ks"}});
  EXPECT_EQ(err["code"], "INVALID_KS");
  EXPECT_EQ(err["message"], "Invalid KS \"not-a-ks\", Error \"-1,INVALID_STR\"");
  EXPECT_EQ(err["args"]["KSID"], "not-a-ks");
  // signed with the user secret: never valid (F.1)
  KsSigner user_signer(emulator().user_secret());
  KsParams p;
  p.partner_id = PartnerId(emulator().partner_id());
  p.type = SessionType::admin;
  p.expires_at = Timestamp(std::chrono::seconds(now() + 600));
  const auto forged = user_signer.mint(p);
  EXPECT_EQ(call(emulator(), "schedule_scheduleresource", "list", {{"ks", forged}})["args"]["ERR_DESC"], "INVALID_STR");
}

TEST_F(SessionTest, KsV1IsAccepted) {
  const auto ks = mint(emulator(), SessionType::admin, "a", "", 600, KsVersion::v1);
  EXPECT_EQ(call(emulator(), "schedule_scheduleresource", "list", {{"ks", ks}})["objectType"],
            "KalturaScheduleResourceListResponse");
}

TEST_F(SessionTest, ScheduleServicesNeedAnAdminKs) {
  const auto user = mint(emulator(), SessionType::user, "max");
  const auto r = post(emulator(), "schedule_scheduleresource", "add", {{"ks", user}, {"scheduleResource", room("R")}});
  const auto err = r.json();
  EXPECT_EQ(err["code"], "SERVICE_FORBIDDEN");
  EXPECT_EQ(err["message"], "The access to service [schedule_scheduleresource->add] is forbidden");
  EXPECT_EQ(err["args"], (Json{{"SERVICE", "schedule_scheduleresource->add"}}));
  EXPECT_EQ(r.headers.at("x-kaltura"), "error-SERVICE_FORBIDDEN");
}

TEST_F(SessionTest, MissingKsAndForeignPartner) {
  const auto err = call(emulator(), "schedule_scheduleevent", "list", Json::object());
  EXPECT_EQ(err, (Json{{"code", "MISSING_KS"},
                       {"message", "Missing KS, session not established"},
                       {"objectType", "KalturaAPIException"},
                       {"args", Json::array()}}));
  EXPECT_EQ(call(emulator(), "schedule_scheduleevent", "list", {{"partnerId", 1234567}})["code"], "SERVICE_FORBIDDEN");
  const auto ks = admin_ks(emulator());
  EXPECT_EQ(call(emulator(), "schedule_scheduleevent", "list", {{"ks", ks}, {"partnerId", 42}})["code"],
            "SERVICE_FORBIDDEN");
  EXPECT_EQ(call(emulator(), "schedule_scheduleevent", "list", {{"ks", ks}, {"partnerId", 1234567}})["objectType"],
            "KalturaScheduleEventListResponse");
}

TEST_F(SessionTest, ResponseHeaders) {
  const auto r = post(emulator(), "system", "getTime", Json::object());
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("x-me"), "kmeet-emulator");
  const auto& s = r.headers.at("x-kaltura-session");
  const auto comma = s.find(", ");
  ASSERT_NE(comma, std::string::npos);
  EXPECT_NEAR(std::stod(s.substr(comma + 2)), static_cast<double>(now()), 3);
  EXPECT_NEAR(std::stod(r.body), static_cast<double>(now()), 3);
}

class MultiSecretTest : public EmulatorTest {
 protected:
  EmulatorProcess::Options emulator_options() override {
    EmulatorProcess::Options o;
    o.admin_secret = "first-admin-secret";
    o.extra_args = {"--admin-secret", "first-admin-secret,second-admin-secret"};
    return o;
  }
};

TEST_F(MultiSecretTest, EveryEnabledAdminSecretWorks) {
  KsSigner second("second-admin-secret");
  KsParams p;
  p.partner_id = PartnerId(emulator().partner_id());
  p.type = SessionType::admin;
  p.expires_at = Timestamp(std::chrono::seconds(now() + 600));
  EXPECT_EQ(call(emulator(), "schedule_scheduleresource", "list", {{"ks", second.mint(p)}})["objectType"],
            "KalturaScheduleResourceListResponse");
  // session.start with the second secret, ADMIN: signed with that secret
  const auto ks = call(emulator(), "session", "start",
                       {{"secret", "second-admin-secret"}, {"type", 2}, {"partnerId", emulator().partner_id()}});
  EXPECT_TRUE(Ks::inspect(ks.get<std::string>(), std::string_view("second-admin-secret")).signature_valid ||
              Ks::inspect(ks.get<std::string>(), std::string_view("second-admin-secret")).readable);
  // USER type with the second secret: signed with the first one
  const auto user = call(emulator(), "session", "start",
                         {{"secret", "second-admin-secret"}, {"type", 0}, {"partnerId", emulator().partner_id()}});
  EXPECT_TRUE(Ks::inspect(user.get<std::string>(), std::string_view("first-admin-secret")).readable);
}

class KsV1SessionTest : public EmulatorTest {
 protected:
  EmulatorProcess::Options emulator_options() override {
    EmulatorProcess::Options o;
    o.extra_args = {"--ks-version", "1"};
    return o;
  }
};

TEST_F(KsV1SessionTest, PrivilegeTextIsKeptAndNeverBecomesTheMasterPartnerId) {
  // generateKsV1 writes the privileges verbatim in field 6 and null master partner id / additional
  // data in fields 7 and 8 (F.2): "_m:99" stays plain privilege text.
  const auto ks = call(emulator(), "session", "start",
                       {{"secret", emulator().admin_secret()},
                        {"type", 2},
                        {"partnerId", emulator().partner_id()},
                        {"privileges", "a:1,_m:99,_d:evil"}})
                      .get<std::string>();
  const auto info = Ks::inspect(ks);
  EXPECT_EQ(info.version, KsVersion::v1);
  EXPECT_FALSE(info.master_partner_id.has_value());
  EXPECT_FALSE(info.additional_data.has_value());
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", ks}})["privileges"], "a:1,_m:99,_d:evil");
}

}  // namespace
}  // namespace kmeet::test
