// Client, Config and the session service with a MockTransport and an injected clock.
#include "kmeet/client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "api/json.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";
constexpr const char* kUserSecret = "fedcba9876543210fedcba9876543210";

struct Fixture {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  Timestamp now{std::chrono::seconds(1'800'000'000)};
  Config config() {
    Config c;
    c.service_url = "https://api.example.test";
    c.partner_id = PartnerId(1234567);
    c.admin_secret = kSecret;
    c.user_secret = kUserSecret;
    c.transport = mock;
    c.clock = [this] { return now; };
    c.retry = RetryPolicy::none();
    return c;
  }
};

detail::Json body_of(const HttpRequest& r) { return detail::Json::parse(r.body); }

TEST(Config, ValidateNamesTheField) {
  Config c;
  c.partner_id = PartnerId(1);
  c.service_url = "ftp://x";
  try {
    c.validate();
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "service_url");
  }
  c.service_url = "https://www.kaltura.com";
  c.partner_id = PartnerId(0);
  try {
    c.validate();
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "partner_id");
  }
}

TEST(Config, FromEnvironment) {
  ::setenv("KALTURA_SERVICE_URL", "http://127.0.0.1:9", 1);
  ::setenv("KALTURA_PARTNER_ID", "42", 1);
  ::setenv("KALTURA_ADMIN_SECRET", "adm", 1);
  ::setenv("KALTURA_KAF_URL", "http://127.0.0.1:9/kaf", 1);
  Config c = Config::from_env();
  EXPECT_EQ(c.service_url, "http://127.0.0.1:9");
  EXPECT_EQ(c.partner_id, PartnerId(42));
  EXPECT_EQ(c.admin_secret, "adm");
  EXPECT_EQ(c.kaf_url, "http://127.0.0.1:9/kaf");
  ::setenv("KALTURA_PARTNER_ID", "12x", 1);
  try {
    (void)Config::from_env();
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "KALTURA_PARTNER_ID");
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr("adm")));
  }
  for (const char* n : {"KALTURA_SERVICE_URL", "KALTURA_PARTNER_ID", "KALTURA_ADMIN_SECRET", "KALTURA_KAF_URL"}) {
    ::unsetenv(n);
  }
}

TEST(Client, AdminKsIsMintedLocallyAndRenewedBeforeExpiry) {
  Fixture f;
  Client client(f.config());
  f.mock->reply_json("1800000000").reply_json("1800000001");
  const std::string ks = client.admin_ks();
  const KsInfo info = Ks::inspect(ks, std::string_view(kSecret));
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.type, SessionType::admin);
  EXPECT_EQ(info.partner_id, PartnerId(1234567));
  EXPECT_EQ(info.expires_at, f.now + std::chrono::hours(24));
  EXPECT_EQ(client.admin_ks(), ks);  // reused while valid
  f.now += std::chrono::hours(24) - std::chrono::minutes(4);
  EXPECT_NE(client.admin_ks(), ks);  // renewed 5 minutes early
  EXPECT_EQ(f.mock->request_count(), 0U);  // no session.start round trip
}

TEST(Client, JoinMintsAUserKsWithTypedPrivileges) {
  Fixture f;
  Client client(f.config());
  JoinLink link = client.join({.event = EventId(3371011),
                               .user_id = "max@organization.com",
                               .role = Role::attendee,
                               .first_name = "Max",
                               .last_name = "Power",
                               .ttl = std::chrono::hours(2)});
  EXPECT_THAT(link.url, StartsWith("https://1234567.kaf.kaltura.com/virtualEvent/launch?ks="));
  EXPECT_EQ(link.expires_at, f.now + std::chrono::hours(2));
  const KsInfo info = Ks::inspect(link.ks, std::string_view(kSecret));
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.type, SessionType::user);
  EXPECT_EQ(info.user_id, "max@organization.com");
  auto has = [&](const std::string& k, const std::string& v) {
    for (auto& [key, value] : info.privilege_list) {
      if (key == k) return value == v;
    }
    return false;
  };
  EXPECT_TRUE(has("eventId", "3371011"));
  EXPECT_TRUE(has("role", "viewerRole"));
  EXPECT_TRUE(has("userContextualRole", "3"));
  EXPECT_TRUE(has("firstName", "Max"));
  EXPECT_TRUE(has("lastName", "Power"));
  EXPECT_EQ(f.mock->request_count(), 0U);

  JoinLink mod = client.join({.room = RoomId(1100601), .user_id = "speaker@organization.com", .role = Role::moderator});
  const KsInfo minfo = Ks::inspect(mod.ks, std::string_view(kSecret));
  EXPECT_THAT(minfo.privileges, HasSubstr("resourceId:1100601"));
  EXPECT_THAT(minfo.privileges, HasSubstr("role:adminRole"));
  EXPECT_THAT(minfo.privileges, HasSubstr("userContextualRole:0"));
}

TEST(Client, JoinRefusesInjectionAndBadInputBeforeSending) {
  Fixture f;
  Client client(f.config());
  try {
    (void)client.join({.event = EventId(1), .user_id = "u", .first_name = "Max,role:adminRole,userContextualRole:0"});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_THAT(e.field(), HasSubstr("firstName"));
  }
  EXPECT_THROW((void)client.join({.user_id = "u"}), ValidationError);  // neither event nor room
  EXPECT_THROW((void)client.join({.event = EventId(1), .room = RoomId(2), .user_id = "u"}), ValidationError);
  EXPECT_THROW((void)client.join({.event = EventId(1), .user_id = ""}), ValidationError);
  EXPECT_THROW((void)client.join({.event = EventId(1), .user_id = "a;b"}), ValidationError);
  // A user id that could forge a line in a log or on a terminal, or is not UTF-8.
  for (const char* bad : {"max\nkmeet: error: forged", "max\r", "max\x1b[2J", "max\xff"}) {
    try {
      (void)client.join({.event = EventId(1), .user_id = bad});
      ADD_FAILURE() << "accepted a user id with control characters";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "join.user_id");
    }
  }
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(Client, JoinViaApiUsesSessionStartWithTheUserSecret) {
  Fixture f;
  Client client(f.config());
  f.mock->reply_json(R"("djJ8MTIzNDU2N3xTERVERKS")");
  JoinLink link = client.join({.event = EventId(3371011), .user_id = "max@organization.com", .via_api = true});
  EXPECT_EQ(link.ks, "djJ8MTIzNDU2N3xTERVERKS");
  const HttpRequest r = f.mock->last_request();
  EXPECT_EQ(r.url, "https://api.example.test/api_v3/service/session/action/start");
  auto b = body_of(r);
  EXPECT_EQ(b["secret"], kUserSecret);
  EXPECT_EQ(b["type"], 0);
  EXPECT_EQ(b["userId"], "max@organization.com");
  EXPECT_EQ(b["partnerId"], 1234567);
  EXPECT_EQ(b["expiry"], 7200);
  EXPECT_FALSE(b.contains("ks"));
  EXPECT_THAT(b["privileges"].get<std::string>(), HasSubstr("eventId:3371011"));
}

TEST(Client, JoinViaApiTakesTheExpiryTheServerReallyGave) {
  // protocol.md D.1: the server clamps the lifetime to the partner's maximum (here one hour of the two
  // asked for): expires_at is the KS's own, not now + ttl. An unreadable KS keeps the estimate.
  Fixture f;
  Client client(f.config());
  const KsSigner signer(kSecret);
  const Timestamp clamped = f.now + std::chrono::hours(1);
  f.mock->reply_json(nlohmann::json(signer.mint(KsParams{.partner_id = PartnerId(1234567), .user_id = "max",
                                                         .expires_at = clamped}))
                         .dump());
  JoinLink link = client.join({.event = EventId(3371011), .user_id = "max", .via_api = true});
  EXPECT_EQ(link.expires_at, clamped);
  f.mock->reply_json(R"("djJ8MTIzNDU2N3xTERVERKS")");
  link = client.join({.event = EventId(3371011), .user_id = "max", .via_api = true});
  EXPECT_EQ(link.expires_at, f.now + std::chrono::hours(2));
}

TEST(Sessions, StartRefusesSeparatorsThatWouldShiftKsV1Fields) {
  Fixture f;
  Client client(f.config());
  for (const SessionStart& bad : {SessionStart{.secret = kSecret, .user_id = "u;1"},
                                  SessionStart{.secret = kSecret, .privileges = "role:viewerRole;99"}}) {
    try {
      (void)client.ks_sessions().start(bad);
      FAIL() << "no ValidationError";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), bad.user_id.empty() ? "session.privileges" : "session.userId");
    }
  }
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(Sessions, StartEndGetAndTime) {
  Fixture f;
  Client client(f.config());
  f.mock->reply_json(R"("THE_KS")")
      .reply_json("null")
      .reply_json(R"({"ks":"THE_KS","sessionType":2,"partnerId":1234567,"userId":"admin","expiry":1800086400,"privileges":"*","objectType":"KalturaSessionInfo"})")
      .reply_json("1800000123");
  EXPECT_EQ(client.ks_sessions().start({.secret = kSecret, .type = SessionType::admin, .user_id = "admin"}), "THE_KS");
  client.ks_sessions().end("THE_KS");
  auto end_body = body_of(f.mock->requests()[1]);
  EXPECT_EQ(f.mock->requests()[1].url, "https://api.example.test/api_v3/service/session/action/end");
  EXPECT_EQ(end_body["ks"], "THE_KS");
  SessionInfo info = client.ks_sessions().get("THE_KS");
  EXPECT_EQ(info.type, SessionType::admin);
  EXPECT_EQ(info.partner_id, PartnerId(1234567));
  EXPECT_EQ(info.expires_at, Timestamp(std::chrono::seconds(1800086400)));
  EXPECT_EQ(info.privileges, "*");
  EXPECT_EQ(body_of(f.mock->requests()[2])["session"], "THE_KS");
  EXPECT_EQ(client.ks_sessions().server_time(), Timestamp(std::chrono::seconds(1800000123)));
  EXPECT_EQ(f.mock->requests()[3].url, "https://api.example.test/api_v3/service/system/action/getTime");
}

TEST(Sessions, BadSecretIsAnApiErrorWithoutTheSecret) {
  Fixture f;
  Client client(f.config());
  f.mock->reply_json(R"({"code":"START_SESSION_ERROR","message":"Error while starting session for partner [1234567]","objectType":"KalturaAPIException","args":{"PID":"1234567"}})");
  try {
    (void)client.ks_sessions().start({.secret = "wrong-secret-value"});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "START_SESSION_ERROR");
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr("wrong-secret-value")));
  }
}

TEST(Client, WithoutAdminSecretTheAdminKsComesFromTheConfig) {
  Fixture f;
  Config c = f.config();
  c.admin_secret.clear();
  c.ks = "USER_GIVEN_KS";
  Client client(c);
  EXPECT_EQ(client.admin_ks(), "USER_GIVEN_KS");
}

}  // namespace
}  // namespace kmeet
