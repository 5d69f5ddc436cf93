#include "kmeet/urls.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/privileges.hpp"
#include "support/ks_vectors.hpp"

namespace kmeet {
namespace {

template <class F>
void expect_field(F&& f, const std::string& field) {
  try {
    f();
    ADD_FAILURE() << "no ValidationError for " << field;
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), field);
  }
}

TEST(KafUrls, BaseUrlDefaultAndOverride) {
  EXPECT_EQ(kaf_base_url(PartnerId(1234567)), "https://1234567.kaf.kaltura.com");
  EXPECT_EQ(kaf_base_url(PartnerId(1234567), "https://kaf.example.edu/"), "https://kaf.example.edu");
  EXPECT_EQ(kaf_base_url(PartnerId(1), "http://127.0.0.1:8080//"), "http://127.0.0.1:8080");
  EXPECT_EQ(kaf_base_url(PartnerId(1), "https://h/kaf"), "https://h/kaf");
}

TEST(KafUrls, BaseUrlRejectsBadInput) {
  expect_field([] { (void)kaf_base_url(PartnerId(0)); }, "partner_id");
  expect_field([] { (void)kaf_base_url(PartnerId(-3)); }, "partner_id");
  expect_field([] { (void)kaf_base_url(PartnerId(1), "ftp://kaf.example"); }, "kaf_url");          // scheme
  expect_field([] { (void)kaf_base_url(PartnerId(1), "kaf.example.com"); }, "kaf_url");           // no scheme
  expect_field([] { (void)kaf_base_url(PartnerId(1), "https://"); }, "kaf_url");                  // no host
  expect_field([] { (void)kaf_base_url(PartnerId(1), "https:///path"); }, "kaf_url");             // no host
  expect_field([] { (void)kaf_base_url(PartnerId(1), "https://a b.com"); }, "kaf_url");           // space
  expect_field([] { (void)kaf_base_url(PartnerId(1), "https://a.com\r\nX: y"); }, "kaf_url");     // header injection
  expect_field([] { (void)kaf_base_url(PartnerId(1), "https://a.com/?x=1"); }, "kaf_url");        // query
  expect_field([] { (void)kaf_base_url(PartnerId(1), "https://a.com#frag"); }, "kaf_url");        // fragment
}

TEST(KafUrls, LaunchUrlLikeTheGuideWithTheKsEncoded) {
  const auto& v = test::ks_vectors();
  const std::string base = kaf_base_url(PartnerId(1234567));
  const std::string v2 = v["v2"][0]["ks"].get<std::string>();  // [A-Za-z0-9_-] only
  EXPECT_EQ(launch_url(base, v2), "https://1234567.kaf.kaltura.com/virtualEvent/launch?ks=" + v2);
  const std::string v2_padded = v["v2"][2]["ks"].get<std::string>();
  EXPECT_EQ(launch_url(base, v2_padded),
            base + "/virtualEvent/launch?ks=" + v2_padded.substr(0, v2_padded.size() - 1) + "%3D");
  // v1 is standard base64: '+', '/' and '=' must be percent-encoded.
  EXPECT_EQ(launch_url(base, "ab+c/d=="), base + "/virtualEvent/launch?ks=ab%2Bc%2Fd%3D%3D");
  EXPECT_EQ(launch_url(base + "/", "x"), base + "/virtualEvent/launch?ks=x");
  expect_field([&] { (void)launch_url(base, ""); }, "ks");
  expect_field([&] { (void)launch_url("not a url", "x"); }, "kaf_url");
}

TEST(KafUrls, IframeHtmlHasTheGuidePermissionsAndEscapes) {
  const std::string url = "https://1.kaf.kaltura.com/virtualEvent/launch?ks=a%2Bb&x=1";
  EXPECT_EQ(iframe_html(url),
            "<iframe src=\"https://1.kaf.kaltura.com/virtualEvent/launch?ks=a%2Bb&amp;x=1\" width=\"100%\" "
            "height=\"100%\" title=\"Kaltura Meeting\" allow=\"microphone *; camera *; speakers *; usermedia *; "
            "autoplay *; fullscreen *; display-capture *;\" allowfullscreen></iframe>");
  const std::string custom = iframe_html(
      url, {.width = "800px", .height = "600", .title = "Room \"A\" <script>&'", .allow_fullscreen = false,
            .id = "room\"1", .css_class = "meet"});
  EXPECT_NE(custom.find(" width=\"800px\" height=\"600\""), std::string::npos);
  EXPECT_NE(custom.find(" title=\"Room &quot;A&quot; &lt;script&gt;&amp;&#39;\""), std::string::npos);
  EXPECT_NE(custom.find(" id=\"room&quot;1\" class=\"meet\""), std::string::npos);
  EXPECT_EQ(custom.find("allowfullscreen"), std::string::npos);
  EXPECT_EQ(custom.find("<script>"), std::string::npos);
  EXPECT_NE(custom.find(std::string("allow=\"") + std::string(kMeetingIframeAllow) + "\""), std::string::npos);
}

TEST(KafUrls, IframeRejectsBadSizes) {
  const std::string url = "https://x/launch";
  expect_field([&] { (void)iframe_html(url, {.width = "100\" onload=\"alert(1)"}); }, "iframe.width");
  expect_field([&] { (void)iframe_html(url, {.width = ""}); }, "iframe.width");
  expect_field([&] { (void)iframe_html(url, {.height = "50em"}); }, "iframe.height");
  expect_field([&] { (void)iframe_html(url, {.height = "-5"}); }, "iframe.height");
  expect_field([&] { (void)iframe_html(""); }, "launch_url");
}

TEST(KafUrls, AnalyticsJsonAndVectorFourEndToEnd) {
  const std::string json =
      analytics_api_json("analytics/sessions", {{"from_date", "1522153700"}, {"to_date", "1522156000"}});
  EXPECT_EQ(json,
            R"({"method":"GET","action":"analytics/sessions","params":{"from_date":"1522153700","to_date":"1522156000"}})");
  // The spec's vector 4: privileges built from that JSON, then the whole KS, byte for byte.
  const auto& doc = test::ks_vectors();
  const auto& v4 = doc["v2"][3];
  Privileges p;
  p.resource_id(RoomId(1100601)).role(Role::attendee).api(json);
  EXPECT_EQ(p.str(), v4["privileges"].get<std::string>());
  const auto rnd = test::from_hex(v4["randomHex"].get<std::string>());
  KsSigner signer(doc["secret"].get<std::string>(),
                  [rnd](std::span<std::uint8_t> out) { std::copy(rnd.begin(), rnd.end(), out.begin()); });
  const std::string ks = signer.mint_v2({.partner_id = PartnerId(1234567), .type = SessionType::user, .user_id = "",
                                         .privileges = p.str(),
                                         .expires_at = Timestamp(std::chrono::seconds(1700000000))});
  EXPECT_EQ(ks, v4["ks"].get<std::string>());
  EXPECT_EQ(analytics_url(kaf_base_url(PartnerId(1234567)), ks),
            "https://1234567.kaf.kaltura.com/newrowkaf/index/api?ks=" + ks.substr(0, ks.size() - 1) + "%3D");
}

TEST(KafUrls, AnalyticsJsonShapes) {
  EXPECT_EQ(analytics_api_json("rooms"), R"({"method":"GET","action":"rooms","params":{}})");
  EXPECT_EQ(analytics_api_json("analytics/session-attendees", {{"session_id", "16772"}, {"page", "0"}}),
            R"({"method":"GET","action":"analytics/session-attendees","params":{"session_id":"16772","page":"0"}})");
  // Numbers go as JSON numbers (protocol.md G.2: session_id and page are ints).
  EXPECT_EQ(analytics_api_json("analytics/session-attendees",
                               {{"session_id", std::int64_t{16772}}, {"page", std::int64_t{0}}, {"from_date", "1522153700"}}),
            R"({"method":"GET","action":"analytics/session-attendees","params":{"session_id":16772,"page":0,"from_date":"1522153700"}})");
  EXPECT_EQ(analytics_api_json("x", {{"q", "a\"b\\c\n"}, {"name", "Zoë"}}),
            "{\"method\":\"GET\",\"action\":\"x\",\"params\":{\"q\":\"a\\\"b\\\\c\\n\",\"name\":\"Zoë\"}}");
  expect_field([] { (void)analytics_api_json(""); }, "api.action");
  expect_field([] { (void)analytics_api_json("rooms", {{"", "1"}}); }, "api.params");
  expect_field([] { (void)analytics_api_json("rooms\xFF"); }, "api.action");
  expect_field([] { (void)analytics_api_json("rooms", {{"page", "\xC3"}}); }, "api.params.page");
  expect_field([] { (void)analytics_url("https://x", ""); }, "ks");
}

}  // namespace
}  // namespace kmeet

TEST(HtmlEscape, ThePublicFunctionEscapesTheFiveCharactersAndNothingElse) {
  EXPECT_EQ(kmeet::html_escape(R"(<b title='x'>"Tom" & Zoë</b>)"),
            "&lt;b title=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Zoë&lt;/b&gt;");
  EXPECT_EQ(kmeet::html_escape(""), "");
}
