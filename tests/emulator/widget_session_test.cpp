// session.startWidgetSession and the widget KS (protocol.md I.5), over raw HTTP.

#include <gtest/gtest.h>

#include <regex>

#include "emulator/apptoken.hpp"

namespace kmeet::test {
namespace {

using namespace wire;

class WidgetSessionTest : public EmulatorTest {};

TEST_F(WidgetSessionTest, IssuesAnAnonymousUserKsWithTheWidgetPrivileges) {
  const auto r = post(emulator(), "session", "startWidgetSession", {{"widgetId", "_1234567"}});
  // userId is the integer 0 (not cast to the declared string), partnerId a number (I.5).
  EXPECT_EQ(r.body.find("{\"partnerId\":1234567,\"ks\":\""), 0U) << r.body;
  EXPECT_NE(r.body.find("\",\"userId\":0,\"objectType\":\"KalturaStartWidgetSessionResponse\"}"), std::string::npos)
      << r.body;
  const std::string ks = r.json()["ks"].get<std::string>();
  EXPECT_EQ(ks.rfind("djJ8MTIzNDU2N3", 0), 0U);  // "v2|1234567|"
  const KsInfo info = Ks::inspect(ks, emulator().admin_secret());
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.raw_type, 0);
  EXPECT_EQ(info.user_id, "0");
  EXPECT_EQ(info.privileges, "view:*,widget:1");
  EXPECT_NEAR(static_cast<double>(info.expires_at.time_since_epoch().count()), static_cast<double>(now() + 86400), 3);
}

TEST_F(WidgetSessionTest, ExpiryIsHonouredAndCappedAtOneDay) {
  const auto secret = emulator().admin_secret();
  const auto expiry_of = [&](const Json& extra) {
    const auto ks = apptoken::widget(emulator(), extra)["ks"].get<std::string>();
    return static_cast<double>(Ks::inspect(ks, secret).expires_at.time_since_epoch().count());
  };
  EXPECT_NEAR(expiry_of({{"expiry", 600}}), static_cast<double>(now() + 600), 3);
  EXPECT_NEAR(expiry_of({{"expiry", 7 * 86400}}), static_cast<double>(now() + 86400), 3);
}

TEST_F(WidgetSessionTest, UnknownWidgetAndMissingWidgetId) {
  const auto bad = call(emulator(), "session", "startWidgetSession", {{"widgetId", "_999"}});
  EXPECT_EQ(bad, Json::parse(R"({"code":"INVALID_WIDGET_ID","message":"Unknown widget [_999]",)"
                             R"("objectType":"KalturaAPIException","args":{"WIDGET_ID":"_999"}})"));
  const auto missing = call(emulator(), "session", "startWidgetSession", Json::object());
  EXPECT_EQ(missing["code"], "MISSING_MANDATORY_PARAMETER");
  EXPECT_EQ(missing["args"]["PARAM_NAME"], "widgetId");
}

TEST_F(WidgetSessionTest, AKsSentAlongIsIgnored) {
  // @ksIgnored: not even parsed, so a garbage or expired KS changes nothing.
  const auto r = call(emulator(), "session", "startWidgetSession", {{"widgetId", "_1234567"}, {"ks", "garbage"}});
  EXPECT_EQ(r["objectType"], "KalturaStartWidgetSessionResponse");
  const auto expired = mint(emulator(), SessionType::admin, "a", {}, -60);
  EXPECT_EQ(apptoken::widget(emulator(), {{"ks", expired}})["objectType"], "KalturaStartWidgetSessionResponse");
}

TEST_F(WidgetSessionTest, AWidgetKsCarriesNoAdminRights) {
  const auto ks = apptoken::widget_ks(emulator());
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", ks}})["userId"], "0");
  const auto denied = call(emulator(), "schedule_scheduleresource", "list", {{"ks", ks}});
  EXPECT_EQ(denied["code"], "SERVICE_FORBIDDEN");
  EXPECT_EQ(call(emulator(), "apptoken", "list", {{"ks", ks}})["args"]["SERVICE"], "apptoken->list");
}

TEST_F(WidgetSessionTest, AWidgetKsIsNeverInvalidated) {
  const auto ks = apptoken::widget_ks(emulator());
  EXPECT_TRUE(call(emulator(), "session", "end", {{"ks", ks}}).is_null());
  EXPECT_EQ(call(emulator(), "session", "get", {{"ks", ks}})["ks"], ks);  // "anyone can create a widget session"
}

class WidgetSessionV1Test : public EmulatorTest {
 protected:
  EmulatorProcess::Options emulator_options() override {
    EmulatorProcess::Options o;
    o.extra_args = {"--ks-version", "1"};
    return o;
  }
};

TEST_F(WidgetSessionV1Test, AV1WidgetKsHasTheServersNineFieldsAndAMicrotimeRand) {
  const auto ks = apptoken::widget_ks(emulator());
  const KsInfo info = Ks::inspect(ks, emulator().admin_secret());
  EXPECT_EQ(info.version, KsVersion::v1);
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.privileges, "view:*,widget:1");
  // base64(sig|info): info = pid;pid;validUntil;0;microtime;0;view:*,widget:1;;
  std::string decoded(ks.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                reinterpret_cast<const unsigned char*>(ks.data()), static_cast<int>(ks.size()));
  ASSERT_GT(n, 0);
  decoded.resize(static_cast<std::size_t>(n));
  while (!decoded.empty() && decoded.back() == '\0') decoded.pop_back();  // EVP_DecodeBlock pads
  const auto bar = decoded.find('|');
  ASSERT_NE(bar, std::string::npos);
  const std::string info_text = decoded.substr(bar + 1);
  EXPECT_TRUE(std::regex_match(info_text, std::regex(R"(1234567;1234567;[0-9]+;0;[0-9]+(\.[0-9]{1,4})?;0;view:\*,widget:1;;)")))
      << info_text;
  EXPECT_EQ(decoded.substr(0, bar), apptoken::hash("SHA1", emulator().admin_secret() + info_text));
}

}  // namespace
}  // namespace kmeet::test
