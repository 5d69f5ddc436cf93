// App tokens (protocol.md I) with a MockTransport: the hash vectors, the bytes of the three calls,
// a Client configured with an app token and no admin secret (API calls, join, renewal, one session
// shared by many threads), and every refusal of I.9 typed and free of the token value.
#include "kmeet/app_tokens.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "api/json.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/testing/mock_transport.hpp"
#include "support/paths.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;


using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTokenId = "0_o7l19k80";
constexpr const char* kToken = "5f2c9d4e8a1b3c6d7e9f0a1b2c3d4e5f";
constexpr const char* kWidgetKs =
    "djJ8MTIzNDU2N3wBmNIE5zMgBWTUdHaZHGCA54yn62bIh7oSdqOvc2kqOP9DLKNMDt7LZ8c-7UNJEmreaFumoGuKLrixX9FIpaEMpNDQEIV0RqQX-"
    "BvKXAy6kw==";

detail::Json vectors() {
  std::ifstream in(test::testdata_dir() + "/apptoken_vectors.json");
  return detail::Json::parse(in);
}

TEST(AppTokenHash, ReproducesTheVectorsForEveryHashTypeAndBothKsVersions) {
  const detail::Json v = vectors();
  const std::string token = v.at("appToken");
  int checked = 0;
  for (const char* ks_key : {"widgetKsV2", "widgetKsV1"}) {
    const detail::Json& w = v.at(ks_key);
    for (const auto& [name, expected] : w.at("tokenHash").items()) {
      EXPECT_EQ(app_token_hash(w.at("ks").get<std::string>(), token, parse_app_token_hash(name)), expected) << ks_key << " " << name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8);
}

TEST(AppTokenHash, ParsesTheFourNamesAndRefusesOthers) {
  EXPECT_EQ(parse_app_token_hash("sha256"), AppTokenHash::sha256);
  EXPECT_EQ(to_string(parse_app_token_hash("Md5")), "MD5");
  try {
    (void)parse_app_token_hash("sha3", "KALTURA_APP_TOKEN_HASH");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "KALTURA_APP_TOKEN_HASH");
  }
}

std::string session_info(const std::string& ks, int type, const std::string& user, std::int64_t expiry,
                         const std::string& privileges) {
  detail::Json j = {{"ks", ks}, {"sessionType", type}, {"partnerId", "1234567"}};
  if (!user.empty()) j["userId"] = user;
  j["expiry"] = expiry;
  j["privileges"] = privileges;
  j["objectType"] = "KalturaSessionInfo";
  return j.dump();
}

std::string widget_answer() {
  return std::string(R"({"partnerId":1234567,"ks":")") + kWidgetKs + R"(","userId":0,"objectType":"KalturaStartWidgetSessionResponse"})";
}

std::string api_error(const std::string& code, const std::string& args = "[]") {
  return R"({"code":")" + code + R"(","message":"refused","objectType":"KalturaAPIException","args":)" + args + "}";
}

/// A scripted Kaltura: startWidgetSession and apptoken.startSession answered by rules, every
/// other call answered `{}` and recorded.
struct FakeKaltura {
  std::atomic<int> widget_calls{0};
  std::atomic<int> start_calls{0};
  std::atomic<int> other_calls{0};
  std::function<std::string(const detail::Json&)> on_start;  // body -> answer
  std::function<std::string(const detail::Json&)> on_other = [](const detail::Json&) { return std::string("{}"); };
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>([this](const HttpRequest& r) {
    HttpResponse resp;
    resp.status = 200;
    resp.headers = {{"Content-Type", "application/json"}};
    const detail::Json body = detail::Json::parse(r.body);
    if (r.url.ends_with("/service/session/action/startWidgetSession")) {
      ++widget_calls;
      resp.body = widget_answer();
    } else if (r.url.ends_with("/service/apptoken/action/startSession")) {
      ++start_calls;
      resp.body = on_start(body);
    } else {
      ++other_calls;
      resp.body = on_other(body);
    }
    return resp;
  });
  Timestamp now{std::chrono::seconds(1'699'996'400)};

  Config config() {
    Config c;
    c.service_url = "https://api.example.test";
    c.partner_id = PartnerId(1234567);
    c.app_token_id = kTokenId;
    c.app_token = kToken;
    c.app_token_hash = AppTokenHash::sha256;
    c.transport = mock;
    c.clock = [this] { return now; };
    c.retry = RetryPolicy::none();
    return c;
  }
};

TEST(AppTokenSession, TheThreeCallsAreByteForByteThoseOfTheSpec) {
  FakeKaltura k;
  k.on_start = [](const detail::Json&) {
    return session_info("KS-FROM-TOKEN", 0, "max@organization.com", 1700000000,
                        "sessionid:0_o7l19k80,apptoken:0_o7l19k80,setrole:1234567,eventId:3371011,role:viewerRole");
  };
  Client client(k.config());
  const AppTokenSession s = client.app_tokens().start_session(
      kTokenId, kToken, AppTokenHash::sha256,
      AppTokenSessionRequest{.user_id = "max@organization.com", .type = SessionType::user, .ttl = std::chrono::seconds(3600),
                             .privileges = "eventId:3371011,role:viewerRole"});
  const auto requests = k.mock->requests();
  ASSERT_EQ(requests.size(), 2U);
  // protocol.md I.11: no ks on startWidgetSession; the hash of I.6 and the widget KS on startSession.
  EXPECT_EQ(requests[0].body, R"({"widgetId":"_1234567","expiry":86400,"format":1,"apiVersion":"21.20.0","clientTag":"kmeet:)" +
                                  std::string(KMEET_VERSION_STRING) + R"("})");
  EXPECT_EQ(requests[1].body,
            std::string(R"({"id":"0_o7l19k80","tokenHash":"fc86dae4b70d707ded039962e69266b7fdff293152dc7638e21e5479bc1f4252",)") +
                R"("userId":"max@organization.com","type":0,"expiry":3600,"sessionPrivileges":"eventId:3371011,role:viewerRole",)" +
                R"("format":1,"apiVersion":"21.20.0","clientTag":"kmeet:)" + KMEET_VERSION_STRING + R"(","ks":")" + kWidgetKs + R"("})");
  EXPECT_EQ(s.ks, "KS-FROM-TOKEN");
  EXPECT_EQ(s.user_id, "max@organization.com");
  EXPECT_EQ(s.expires_at, Timestamp(std::chrono::seconds(1700000000)));
}

TEST(AppTokenClient, ApiCallsCarryTheTokensKsWithoutAnAdminSecretAndOneSessionServesEveryThread) {
  FakeKaltura k;
  k.on_start = [&](const detail::Json& body) {
    EXPECT_EQ(body.at("type"), 2);  // ADMIN asked for API calls
    EXPECT_FALSE(body.contains("sessionPrivileges"));
    return session_info("ADMIN-KS-1", 2, "", k.now.time_since_epoch().count() + 3600, "sessionid:0_o7l19k80,apptoken:0_o7l19k80");
  };
  std::atomic<int> with_token_ks{0};
  k.on_other = [&](const detail::Json& body) {
    if (body.value("ks", "") == "ADMIN-KS-1") ++with_token_ks;
    return std::string(R"({"objects":[],"totalCount":0,"objectType":"KalturaScheduleResourceListResponse"})");
  };
  Client client(k.config());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) (void)client.rooms().list();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(with_token_ks.load(), 80);
  EXPECT_EQ(k.widget_calls.load(), 1);
  EXPECT_EQ(k.start_calls.load(), 1);
  // Renewed before the answer's expiry (the minimum of I.7), once.
  k.now += std::chrono::seconds(3600 - 60);
  (void)client.rooms().list();
  (void)client.rooms().list();
  EXPECT_EQ(k.start_calls.load(), 2);
  EXPECT_EQ(k.widget_calls.load(), 1);  // the widget KS (24 h) is still good
}

TEST(AppTokenClient, JoinAsksTheTokenForThePersonsKs) {
  FakeKaltura k;
  detail::Json seen;
  k.on_start = [&](const detail::Json& body) {
    seen = body;
    return session_info("JOIN-KS", 0, body.at("userId"), k.now.time_since_epoch().count() + 1800,
                        "sessionid:0_o7l19k80,apptoken:0_o7l19k80," + body.at("sessionPrivileges").get<std::string>());
  };
  Client client(k.config());
  const JoinLink link = client.join(JoinRequest{.event = EventId(3371011), .user_id = "max@organization.com", .first_name = "Max"});
  EXPECT_EQ(seen.at("userId"), "max@organization.com");
  EXPECT_EQ(seen.at("type"), 0);
  EXPECT_EQ(seen.at("expiry"), 7200);
  EXPECT_EQ(seen.at("sessionPrivileges"), "eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max");
  EXPECT_EQ(link.ks, "JOIN-KS");
  EXPECT_EQ(link.expires_at, k.now + std::chrono::seconds(1800));  // the server's expiry, not the asked one
  EXPECT_THAT(link.url, HasSubstr("ks=JOIN-KS"));
}

TEST(AppTokenClient, AKsThatIsNotWhatWasAskedIsNeverHandedOut) {
  FakeKaltura k;
  // A token that fixes the user: every participant would be the same person.
  k.on_start = [&](const detail::Json& body) {
    return session_info("FIXED-USER-KS", 0, "shared-user", k.now.time_since_epoch().count() + 1800,
                        "sessionid:0_o7l19k80,apptoken:0_o7l19k80," + body.at("sessionPrivileges").get<std::string>());
  };
  Client client(k.config());
  try {
    (void)client.join(JoinRequest{.event = EventId(1), .user_id = "max"});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "join.user_id");
    EXPECT_THAT(e.what(), HasSubstr("sessionUserId"));
    EXPECT_THAT(e.what(), Not(HasSubstr("FIXED-USER-KS")));
  }
  // A token that fixes role:viewerRole: a moderator link would silently be an attendee's.
  k.on_start = [&](const detail::Json& body) {
    return session_info("VIEWER-KS", 0, body.at("userId"), k.now.time_since_epoch().count() + 1800,
                        "sessionid:0_o7l19k80,apptoken:0_o7l19k80,role:viewerRole,eventId:1,userContextualRole:0");
  };
  try {
    (void)client.join(JoinRequest{.event = EventId(1), .user_id = "max", .role = Role::moderator});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "join.privileges");
    EXPECT_THAT(e.reason(), HasSubstr("fixes the privilege 'role'"));
  }
  // sview is server-reserved (protocol.md I.8): dropped unless the token holds sview:*; the error
  // says so instead of blaming privileges the token does not fix.
  k.on_start = [&](const detail::Json& body) {
    return session_info("NO-SVIEW-KS", 0, body.at("userId"), k.now.time_since_epoch().count() + 1800,
                        "sessionid:0_o7l19k80,apptoken:0_o7l19k80");
  };
  try {
    (void)client.recordings().playback_ks("1_9vga7lbm");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("reserved privilege 'sview'"));
    EXPECT_THAT(e.reason(), HasSubstr("--privilege sview:*"));
    EXPECT_THAT(e.what(), Not(HasSubstr("NO-SVIEW-KS")));
  }
}

AppTokenError start_error(const std::string& answer, AppTokenError::Reason expected) {
  FakeKaltura k;
  k.on_start = [&](const detail::Json&) { return answer; };
  Client client(k.config());
  try {
    (void)client.rooms().list();
  } catch (const AppTokenError& e) {
    EXPECT_EQ(e.reason(), expected);
    EXPECT_EQ(e.token_id(), kTokenId);
    EXPECT_THAT(e.what(), Not(HasSubstr(kToken)));
    EXPECT_EQ(k.other_calls.load(), 0);  // nothing sent with a missing KS
    return e;
  }
  ADD_FAILURE() << "no AppTokenError";
  throw std::logic_error("unreachable");
}

TEST(AppTokenClient, EveryRefusalOfTheSpecIsTypedAndExplained) {
  using R = AppTokenError::Reason;
  EXPECT_THAT(start_error(api_error("APP_TOKEN_ID_NOT_FOUND", R"({"ID":"0_o7l19k80"})"), R::not_found).what(),
              HasSubstr("deleted"));
  EXPECT_THAT(start_error(api_error("INVALID_APP_TOKEN_HASH"), R::wrong_hash).what(), HasSubstr("hash type"));
  EXPECT_THAT(start_error(api_error("APP_TOKEN_EXPIRED", R"({"ID":"0_o7l19k80"})"), R::expired).what(),
              HasSubstr("expired"));
  EXPECT_THAT(start_error(api_error("APP_TOKEN_NOT_ACTIVE", R"({"ID":"0_o7l19k80"})"), R::not_active).what(),
              HasSubstr("not active"));
}

TEST(AppTokenClient, ADeletedTokenIsReportedAsRevokedNotAsAKsError) {
  FakeKaltura k;
  bool deleted = false;
  k.on_start = [&](const detail::Json&) {
    if (deleted) return api_error("APP_TOKEN_ID_NOT_FOUND", R"({"ID":"0_o7l19k80"})");
    return session_info("ADMIN-KS", 2, "", k.now.time_since_epoch().count() + 3600, "sessionid:0_o7l19k80");
  };
  k.on_other = [&](const detail::Json&) {
    if (deleted) return api_error("INVALID_KS", R"({"KSID":"LOGOUT","ERR_CODE":"-5","ERR_DESC":"LOGOUT"})");
    return std::string(R"({"objects":[],"totalCount":0})");
  };
  Client client(k.config());
  (void)client.rooms().list();
  deleted = true;  // apptoken.delete revoked every KS of the token (protocol.md I.10)
  try {
    (void)client.rooms().list();
    FAIL();
  } catch (const AppTokenError& e) {
    EXPECT_EQ(e.reason(), AppTokenError::Reason::revoked);
    EXPECT_THAT(e.what(), HasSubstr("was deleted or revoked"));
  }
}

TEST(AppTokenClient, AnExpiredWidgetKsIsReplacedOnce) {
  FakeKaltura k;
  int starts = 0;
  k.on_start = [&](const detail::Json&) {
    if (++starts == 1) return api_error("INVALID_KS", R"({"KSID":"EXPIRED","ERR_CODE":"-1","ERR_DESC":"EXPIRED"})");
    return session_info("ADMIN-KS", 2, "", k.now.time_since_epoch().count() + 3600, "sessionid:0_o7l19k80");
  };
  Client client(k.config());
  (void)client.rooms().list();
  EXPECT_EQ(k.widget_calls.load(), 2);
  EXPECT_EQ(starts, 2);
}

TEST(AppTokenConfig, HalfATokenIsRefusedNamingTheField) {
  FakeKaltura k;
  Config c = k.config();
  c.app_token.clear();
  try {
    Client client(c);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "app_token");
  }
  c = k.config();
  c.app_token_id = "0_o7l 19k80";
  try {
    Client client(c);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "app_token_id");
  }
}

TEST(AppTokenService, MapsTheTokenAndRefusesDeadSettingsBeforeSending) {
  FakeKaltura k;
  k.on_start = [&](const detail::Json&) {
    return session_info("ADMIN-KS", 2, "", k.now.time_since_epoch().count() + 3600, "sessionid:0_o7l19k80");
  };
  detail::Json added;
  k.on_other = [&](const detail::Json& body) {
    added = body;
    return std::string(
        R"({"id":"0_o7l19k80","token":"5f2c9d4e8a1b3c6d7e9f0a1b2c3d4e5f","partnerId":1234567,"createdAt":1699990000,"updatedAt":1699990000,"status":2,"expiry":1893456000,"sessionType":0,"sessionDuration":3600,"sessionPrivileges":"setrole:1234567","hashType":"SHA256","description":"kmeet attendee joins","objectType":"KalturaAppToken"})");
  };
  Client client(k.config());
  const AppToken t = client.app_tokens().add(AppTokenSpec{.session_type = SessionType::user,
                                                          .session_ttl = std::chrono::seconds(3600),
                                                          .session_privileges = "setrole:1234567",
                                                          .expires_at = Timestamp(std::chrono::seconds(1893456000)),
                                                          .description = "kmeet attendee joins"});
  // protocol.md I.11: the Node client's key order.
  EXPECT_THAT(k.mock->last_request().body,
              HasSubstr(R"({"appToken":{"objectType":"KalturaAppToken","description":"kmeet attendee joins","hashType":"SHA256","sessionType":0,"sessionDuration":3600,"sessionPrivileges":"setrole:1234567","expiry":1893456000},"format":1,)"));
  EXPECT_EQ(t.id, "0_o7l19k80");
  EXPECT_EQ(t.hash, AppTokenHash::sha256);
  EXPECT_EQ(t.session_type, SessionType::user);
  EXPECT_EQ(t.session_ttl, std::chrono::seconds(3600));
  EXPECT_EQ(t.expires_at, Timestamp(std::chrono::seconds(1893456000)));
  const int sent = k.other_calls.load();
  EXPECT_THROW((void)client.app_tokens().add(AppTokenSpec{.session_ttl = std::chrono::seconds(0)}), ValidationError);
  EXPECT_THROW((void)client.app_tokens().add(AppTokenSpec{.expires_at = Timestamp{}}), ValidationError);
  EXPECT_THROW((void)client.app_tokens().add(AppTokenSpec{.session_privileges = "a:b;c"}), ValidationError);
  // A token born expired could never start a session (I.7): refused, by the client's clock.
  try {
    (void)client.app_tokens().add(AppTokenSpec{.expires_at = k.now - std::chrono::hours(24)});
    ADD_FAILURE() << "an expiry in the past was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "app_token.expiry");
    EXPECT_THAT(e.reason(), HasSubstr("not in the future"));
  }
  EXPECT_THROW((void)client.app_tokens().update("0_o7l19k80", AppTokenUpdate{.expires_at = k.now}), ValidationError);
  EXPECT_EQ(k.other_calls.load(), sent);
}

}  // namespace
}  // namespace kmeet
