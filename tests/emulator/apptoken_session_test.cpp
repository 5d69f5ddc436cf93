// apptoken.startSession over raw HTTP: the hash, the expiry rule, type and user, the privilege
// merge, the errors and revocation (protocol.md I.6-I.10).

#include <gtest/gtest.h>

#include "emulator/apptoken.hpp"

namespace kmeet::test {
namespace {

using namespace wire;
using apptoken::add;
using apptoken::admin_call;
using apptoken::keys;

class AppTokenSessionTest : public EmulatorTest {
 protected:
  KsInfo inspect(const Json& info) { return Ks::inspect(info["ks"].get<std::string>(), emulator().admin_secret()); }
  std::int64_t emulator_now() { return call(emulator(), "system", "getTime", Json::object()).get<std::int64_t>(); }
};

TEST_F(AppTokenSessionTest, TheWholeFlowMintsTheTokensSession) {
  const auto t = add(emulator(), {{"hashType", "SHA256"}, {"sessionType", 0}, {"sessionDuration", 3600},
                                  {"sessionPrivileges", "setrole:1234567"}});
  const auto s = apptoken::session(emulator(), t, {{"userId", "max@organization.com"}, {"type", 0}, {"expiry", 3600},
                                                   {"sessionPrivileges", "eventId:3371011,role:viewerRole"}});
  EXPECT_EQ(keys(s), (std::vector<std::string>{"ks", "sessionType", "partnerId", "userId", "expiry", "privileges",
                                               "objectType"}));
  EXPECT_EQ(s["objectType"], "KalturaSessionInfo");
  EXPECT_EQ(s["sessionType"], 0);
  EXPECT_EQ(s["partnerId"], "1234567");  // the KS's partner: a PHP string (I.7, L.2)
  EXPECT_EQ(s["userId"], "max@organization.com");
  const std::string id = t["id"].get<std::string>();
  EXPECT_EQ(s["privileges"], "sessionid:" + id + ",apptoken:" + id + ",setrole:1234567,eventId:3371011,role:viewerRole");
  const KsInfo info = inspect(s);
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.privileges, s["privileges"]);
  EXPECT_EQ(info.user_id, "max@organization.com");
  EXPECT_EQ(info.expires_at.time_since_epoch().count(), s["expiry"].get<std::int64_t>());
  EXPECT_NEAR(s["expiry"].get<double>(), static_cast<double>(now() + 3600), 3);
  // With a top-level partnerId the answer's partnerId is that number.
  EXPECT_EQ(apptoken::session(emulator(), t, {{"partnerId", 1234567}})["partnerId"], 1234567);
}

TEST_F(AppTokenSessionTest, EveryHashTypeOverTheExactKsString) {
  for (const char* type : {"MD5", "SHA1", "SHA256", "SHA512"}) {
    const auto t = add(emulator(), {{"hashType", type}});
    const auto widget = apptoken::widget_ks(emulator());
    const std::string good = apptoken::hash(type, widget + t["token"].get<std::string>());
    EXPECT_EQ(apptoken::start(emulator(), t, widget, Json::object(), good)["objectType"], "KalturaSessionInfo") << type;
    std::string upper = good;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const Json invalid = Json::parse(R"({"code":"INVALID_APP_TOKEN_HASH","message":"Invalid application token hash",)"
                                     R"("objectType":"KalturaAPIException","args":[]})");
    EXPECT_EQ(apptoken::start(emulator(), t, widget, Json::object(), upper), invalid) << type;
    // The wrong hash type, the wrong token, a hash over another KS string.
    const char* other = std::string(type) == "SHA1" ? "SHA256" : "SHA1";
    EXPECT_EQ(apptoken::start(emulator(), t, widget, Json::object(), apptoken::hash(other, widget + t["token"].get<std::string>())),
              invalid);
    EXPECT_EQ(apptoken::start(emulator(), t, widget, Json::object(), apptoken::hash(type, widget + "0123456789abcdef0123456789abcdef")),
              invalid);
    const auto another = apptoken::widget_ks(emulator());
    EXPECT_EQ(apptoken::start(emulator(), t, widget, Json::object(), apptoken::hash(type, another + t["token"].get<std::string>())),
              invalid);
  }
}

TEST_F(AppTokenSessionTest, AnyValidKsOfThePartnerCarriesTheCall) {
  const auto t = add(emulator(), {{"hashType", "SHA256"}});
  const auto user_ks = mint(emulator(), SessionType::user, "someone");
  EXPECT_EQ(apptoken::start(emulator(), t, user_ks)["objectType"], "KalturaSessionInfo");
  EXPECT_EQ(apptoken::start(emulator(), t, admin_ks(emulator()))["objectType"], "KalturaSessionInfo");
  // No KS at all: SERVICE_FORBIDDEN apptoken->startsession, with a partner id or without (I.2/I.9:
  // the no-session role lacks the action).
  const Json no_ks{{"id", t["id"]}, {"tokenHash", "x"}, {"partnerId", 1234567}};
  EXPECT_EQ(call(emulator(), "apptoken", "startSession", no_ks)["args"]["SERVICE"], "apptoken->startsession");
  const Json bare = call(emulator(), "apptoken", "startSession", {{"id", t["id"]}, {"tokenHash", "x"}});
  EXPECT_EQ(bare["code"], "SERVICE_FORBIDDEN");
  EXPECT_EQ(bare["args"]["SERVICE"], "apptoken->startsession");
}

TEST_F(AppTokenSessionTest, ParametersAreDecodedBeforeTheKsIsChecked) {
  const auto t = add(emulator());
  const auto expired = mint(emulator(), SessionType::user, "0", "view:*,widget:1", -10);
  const auto missing = call(emulator(), "apptoken", "startSession", {{"ks", expired}, {"id", t["id"]}});
  EXPECT_EQ(missing["args"]["PARAM_NAME"], "tokenHash");
  const auto bad_type = call(emulator(), "apptoken", "startSession", {{"ks", expired}, {"id", t["id"]}, {"tokenHash", "x"}, {"type", 1}});
  EXPECT_EQ(bad_type["args"]["PARAM_NAME"], "type");
  const auto expired_ks = call(emulator(), "apptoken", "startSession", {{"ks", expired}, {"id", t["id"]}, {"tokenHash", "x"}});
  EXPECT_EQ(expired_ks["code"], "INVALID_KS");
  EXPECT_EQ(expired_ks["args"]["KSID"], "EXPIRED");
  const auto garbage = call(emulator(), "apptoken", "startSession", {{"ks", "nonsense"}});
  EXPECT_EQ(garbage["args"], (Json{{"KSID", "nonsense"}, {"ERR_CODE", "-1"}, {"ERR_DESC", "INVALID_STR"}}));
}

TEST_F(AppTokenSessionTest, TheLifetimeIsTheMinimumOfTheRules) {
  const auto t = add(emulator(), {{"sessionDuration", 3600}, {"expiry", 600}});
  const auto lifetime = [&](Json extra) {
    const auto s = apptoken::session(emulator(), t, std::move(extra));
    return s["expiry"].get<std::int64_t>() - emulator_now();
  };
  EXPECT_NEAR(static_cast<double>(lifetime(Json::object())), 600, 3);  // token.expiry - now < sessionDuration
  EXPECT_NEAR(static_cast<double>(lifetime({{"expiry", 60}})), 60, 3);
  EXPECT_NEAR(static_cast<double>(lifetime({{"expiry", 7200}})), 600, 3);
  EXPECT_NEAR(static_cast<double>(lifetime({{"expiry", 0}})), 600, 3);
  EXPECT_NEAR(static_cast<double>(lifetime({{"expiry", -30}})), -30, 3);  // passed through
  const auto longer = add(emulator(), {{"sessionDuration", 120}});
  EXPECT_NEAR(static_cast<double>(apptoken::session(emulator(), longer)["expiry"].get<std::int64_t>() - emulator_now()), 120, 3);
  // No cap at ksMaxExpiryInSeconds on this path.
  const auto week = add(emulator(), {{"sessionDuration", 7 * 86400}});
  EXPECT_NEAR(static_cast<double>(apptoken::session(emulator(), week)["expiry"].get<std::int64_t>() - emulator_now()),
              7 * 86400, 3);
}

TEST_F(AppTokenSessionTest, ZeroSessionDurationMintsAnExpiredKs) {
  const auto t = add(emulator(), {{"sessionDuration", 0}});
  const auto s = apptoken::session(emulator(), t);
  EXPECT_NEAR(s["expiry"].get<double>(), static_cast<double>(emulator_now()), 1);
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", s["ks"]}})["args"]["KSID"], "EXPIRED");
}

TEST_F(AppTokenSessionTest, AnExpiredTokenIsReportedAfterTheHashCheck) {
  const auto t = add(emulator(), {{"expiry", 60}});
  apptoken::advance(emulator(), 120);
  const auto err = apptoken::session(emulator(), t);
  EXPECT_EQ(err, Json::parse(R"({"code":"APP_TOKEN_EXPIRED","message":"Application token id \")" + t["id"].get<std::string>() +
                             R"(\" expired","objectType":"KalturaAPIException","args":{"ID":")" + t["id"].get<std::string>() + "\"}}"));
  EXPECT_EQ(apptoken::start(emulator(), t, apptoken::widget_ks(emulator()), Json::object(), "00")["code"],
            "INVALID_APP_TOKEN_HASH");
  // expiry 0 is "now": usable in its own second at most, expired after.
  const auto born = add(emulator(), {{"expiry", 0}});
  apptoken::advance(emulator(), 2);
  EXPECT_EQ(apptoken::session(emulator(), born)["code"], "APP_TOKEN_EXPIRED");
}

TEST_F(AppTokenSessionTest, ATokenWithoutExpiryNeverExpires) {
  const auto t = add(emulator());
  apptoken::advance(emulator(), 5L * 365 * 86400);
  EXPECT_EQ(apptoken::session(emulator(), t)["objectType"], "KalturaSessionInfo");
}

TEST_F(AppTokenSessionTest, TheTokenFixesTypeAndUserTheCallerFillsTheRest) {
  const auto fixed = add(emulator(), {{"sessionType", 2}, {"sessionUserId", "svc@example.com"}});
  const auto s = apptoken::session(emulator(), fixed, {{"type", 0}, {"userId", "intruder"}});
  EXPECT_EQ(s["sessionType"], 2);
  EXPECT_EQ(s["userId"], "svc@example.com");
  EXPECT_EQ(inspect(s).type, SessionType::admin);
  const auto open = add(emulator());
  const auto caller = apptoken::session(emulator(), open, {{"type", 2}, {"userId", "max"}});
  EXPECT_EQ(caller["sessionType"], 2);
  EXPECT_EQ(caller["userId"], "max");
  const auto plain = apptoken::session(emulator(), open);
  EXPECT_EQ(plain["sessionType"], 0);
  EXPECT_FALSE(plain.contains("userId"));  // null: left out of the answer and of the KS
  EXPECT_EQ(inspect(plain).user_id, "");
}

TEST_F(AppTokenSessionTest, CallPrivilegesAreMergedUnderTheTokensRules) {
  const auto merged = [&](const std::string& token_privs, const std::string& call_privs) {
    const auto t = add(emulator(), {{"sessionPrivileges", token_privs}});
    const std::string id = t["id"].get<std::string>();
    const auto s = apptoken::session(emulator(), t, {{"sessionPrivileges", call_privs}});
    std::string p = s["privileges"].get<std::string>();
    const std::string head = "sessionid:" + id + ",apptoken:" + id;
    EXPECT_EQ(p.rfind(head, 0), 0U) << p;
    return p.substr(head.size());
  };
  // The worked example of I.8: reserved and token-defined names are dropped without an error.
  EXPECT_EQ(merged("setrole:1234567", "eventId:3371011,role:viewerRole,setrole:999,sessionid:x"),
            ",setrole:1234567,eventId:3371011,role:viewerRole");
  // A token that fixes the role cannot be escalated (F.6 injection).
  EXPECT_EQ(merged("role:viewerRole", "firstName:Max,role:adminRole"), ",role:viewerRole,firstName:Max");
  // A token wildcard is replaced by the caller's value; unreplaced it stays literally.
  EXPECT_EQ(merged("privacycontext:*,eventId:*", "privacycontext:ctx"), ",privacycontext:ctx,eventId:*");
  // Repeated names collect their values.
  EXPECT_EQ(merged("role:a,role:b", ""), ",role:a/b");
  EXPECT_EQ(merged("", "list:*,edit:*,resourceId:1100601"), ",resourceId:1100601");
}

TEST_F(AppTokenSessionTest, UnknownDeletedAndDisabledTokens) {
  const auto widget = apptoken::widget_ks(emulator());
  const auto unknown = call(emulator(), "apptoken", "startSession", {{"ks", widget}, {"id", "0_nosuchid"}, {"tokenHash", "x"}});
  EXPECT_EQ(unknown["code"], "APP_TOKEN_ID_NOT_FOUND");
  const auto t = add(emulator());
  ASSERT_EQ(apptoken::admin_post(emulator(), "apptoken-status", {{"id", t["id"]}, {"status", 1}}).status, 200);
  EXPECT_EQ(apptoken::session(emulator(), t),
            Json::parse(R"({"code":"APP_TOKEN_NOT_ACTIVE","message":"Application token id \")" + t["id"].get<std::string>() +
                        R"(\" not active","objectType":"KalturaAPIException","args":{"ID":")" + t["id"].get<std::string>() + "\"}}"));
  EXPECT_EQ(admin_call(emulator(), "get", {{"id", t["id"]}})["status"], 1);
  ASSERT_EQ(apptoken::admin_post(emulator(), "apptoken-status", {{"id", t["id"]}, {"status", 2}}).status, 200);
  EXPECT_EQ(apptoken::session(emulator(), t)["objectType"], "KalturaSessionInfo");
  ASSERT_TRUE(admin_call(emulator(), "delete", {{"id", t["id"]}}).is_null());
  EXPECT_EQ(apptoken::session(emulator(), t)["code"], "APP_TOKEN_ID_NOT_FOUND");
  EXPECT_EQ(apptoken::admin_post(emulator(), "apptoken-status", {{"id", t["id"]}, {"status", 2}}).status, 400);
}

TEST_F(AppTokenSessionTest, DeletingATokenRevokesEveryKsItIssued) {
  const auto admin_token = add(emulator(), {{"sessionType", 2}});
  const auto other = add(emulator(), {{"sessionType", 2}});
  const auto ks1 = apptoken::session(emulator(), admin_token)["ks"];
  const auto ks2 = apptoken::session(emulator(), admin_token, {{"userId", "second"}})["ks"];
  const auto kept = apptoken::session(emulator(), other)["ks"];
  const auto widget = apptoken::widget_ks(emulator());
  const auto made = call(emulator(), "schedule_scheduleresource", "add", {{"ks", ks1}, {"scheduleResource", room("Token room")}});
  ASSERT_TRUE(made.contains("id")) << made;  // an ADMIN app-token KS manages rooms

  ASSERT_TRUE(admin_call(emulator(), "delete", {{"id", admin_token["id"]}}).is_null());
  const Json logout = Json::parse(R"({"code":"INVALID_KS","message":"Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"",)"
                                  R"("objectType":"KalturaAPIException","args":{"KSID":"LOGOUT","ERR_CODE":"-1","ERR_DESC":"INVALID_STR"}})");
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", ks1}}), logout);
  EXPECT_EQ(call(emulator(), "schedule_scheduleresource", "list", {{"ks", ks2}}), logout);
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", kept}})["objectType"], "KalturaSessionInfo");
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", widget}})["objectType"], "KalturaSessionInfo");
  EXPECT_EQ(stats(emulator())["objects"]["deleted_app_tokens"], 1);
}

TEST_F(AppTokenSessionTest, DeletingATokenCutsOffTheJoinLinksItMinted) {
  // One USER token per course: each person's join KS comes from startSession (I.13), and deleting
  // the token closes every such link at once.
  const auto ks = admin_ks(emulator());
  const auto room_id = add_room(emulator(), ks, "Course room")["id"].get<std::int64_t>();
  const auto start = now() + 600;
  const auto event_id = add_event(emulator(), ks, "Course session", start, start + 3600)["id"].get<std::int64_t>();
  link(emulator(), ks, event_id, room_id);
  const auto course = add(emulator(), {{"sessionType", 0}, {"sessionDuration", 7200}});
  const auto join = apptoken::session(emulator(), course,
                                      {{"userId", "ann@example.com"},
                                       {"sessionPrivileges", "eventId:" + std::to_string(event_id) +
                                                                 ",role:viewerRole,userContextualRole:3,firstName:Ann"}});
  const std::string url = emulator().base_url() + "/virtualEvent/launch?ks=" + escape(join["ks"].get<std::string>());
  const auto open = request(url);
  EXPECT_EQ(open.status, 200) << open.body;
  EXPECT_NE(open.body.find("ann@example.com"), std::string::npos);
  ASSERT_TRUE(admin_call(emulator(), "delete", {{"id", course["id"]}}).is_null());
  const auto closed = request(url);
  EXPECT_EQ(closed.status, 403);
  EXPECT_NE(closed.body.find("revoked (its app token was deleted) [LOGOUT]"), std::string::npos) << closed.body;
}

TEST_F(AppTokenSessionTest, AMultirequestReferencesTheNewKsAsResultKs) {
  const auto t = add(emulator(), {{"hashType", "SHA256"}});
  const auto widget = apptoken::widget_ks(emulator());
  const auto r = multirequest(emulator(), {{"ks", widget},
                                           {"0", {{"service", "apptoken"}, {"action", "startSession"}, {"id", t["id"]},
                                                  {"tokenHash", apptoken::hash("SHA256", widget + t["token"].get<std::string>())}}},
                                           {"1", {{"service", "session"}, {"action", "get"}, {"ks", "{1:result:ks}"}}}})
                     .json();
  ASSERT_EQ(r.size(), 2U) << r;
  EXPECT_EQ(r[1]["ks"], r[0]["ks"]);
  EXPECT_EQ(r[1]["privileges"], r[0]["privileges"]);
}

}  // namespace
}  // namespace kmeet::test
