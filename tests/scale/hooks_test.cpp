// The logging and metrics hooks (Config::log, Config::metrics) and the request id: one record per
// request, one per call, the id sent as X-Kaltura-Session-Id, and never a KS or a secret in what a
// hook receives, even when the server echoes one (docs/observability.md).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "scale/support.hpp"
#include "support/emulator.hpp"

namespace kmeet::scale_test {
namespace {

using ::testing::ElementsAre;

TEST(Hooks, EveryRequestIsLoggedWithItsCallAttemptAndOutcome) {
  Fixture f;
  f.mock->reply(status(503));
  f.mock->reply_json(with_key(kRoom, "r"));
  (void)f.client.rooms().get(RoomId(11));
  ASSERT_EQ(f.hooks.logs.size(), 2U);
  const auto& a = f.hooks.logs[0];
  const auto& b = f.hooks.logs[1];
  EXPECT_EQ(a.call, "schedule_scheduleresource.get");
  EXPECT_EQ(a.request, "schedule_scheduleresource.get");
  EXPECT_EQ(a.attempt, 1);
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.outcome, "http 503");
  EXPECT_EQ(a.level, LogLevel::error);  // no usable answer
  EXPECT_EQ(b.attempt, 2);
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.outcome, "ok");
  EXPECT_EQ(b.level, LogLevel::info);
  EXPECT_EQ(a.request_id, b.request_id);
  const auto requests = f.mock->requests();
  EXPECT_EQ(a.bytes_sent, requests[0].body.size());
  EXPECT_EQ(b.bytes_received, with_key(kRoom, "r").size());
  // The id each request carried is the call's.
  for (const auto& r : requests) EXPECT_EQ(find_header(r.headers, "X-Kaltura-Session-Id"), a.request_id);
}

TEST(Hooks, OneMetricsRecordPerCallWithItsRetriesAndBytes) {
  // An add whose answer is lost, then found by its key: one call, two requests.
  Fixture f;
  f.mock->fail(reset_after_send());
  f.mock->reply_json(room_page(with_key(kRoom, "kmeet-abababababababababababababababab")));
  (void)f.client.rooms().add(new_room());
  ASSERT_EQ(f.hooks.metrics.size(), 1U);
  const auto& m = f.hooks.metrics[0];
  EXPECT_EQ(m.call, "schedule_scheduleresource.add");
  EXPECT_TRUE(m.ok);
  EXPECT_EQ(m.requests, 2);
  EXPECT_EQ(m.retries, 1);
  EXPECT_EQ(m.throttles, 0);
  const auto requests = f.mock->requests();
  EXPECT_EQ(m.bytes_sent, requests[0].body.size() + requests[1].body.size());
  ASSERT_EQ(f.hooks.logs.size(), 2U);
  EXPECT_EQ(f.hooks.logs[0].outcome, "transport reset");
  EXPECT_EQ(f.hooks.logs[1].request, "schedule_scheduleresource.list");
  EXPECT_EQ(f.hooks.logs[1].call, "schedule_scheduleresource.add");
  EXPECT_EQ(f.hooks.logs[1].request_id, m.request_id);

  // A call that fails reports it.
  f.mock->reply_json(api_error("INVALID_OBJECT_ID"));
  EXPECT_THROW((void)f.client.rooms().get(RoomId(5)), ApiError);
  ASSERT_EQ(f.hooks.metrics.size(), 2U);
  EXPECT_FALSE(f.hooks.metrics[1].ok);
  EXPECT_EQ(f.hooks.metrics[1].error, "INVALID_OBJECT_ID");
}

TEST(Hooks, EachCallHasItsOwnRequestId) {
  Fixture f;
  f.mock->reply_json(with_key(kRoom, "r"));
  f.mock->reply_json(with_key(kRoom, "r"));
  (void)f.client.rooms().get(RoomId(11));
  (void)f.client.rooms().get(RoomId(11));
  ASSERT_EQ(f.hooks.metrics.size(), 2U);
  EXPECT_NE(f.hooks.metrics[0].request_id, f.hooks.metrics[1].request_id);
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (const auto& m : f.hooks.metrics) EXPECT_TRUE(std::regex_match(m.request_id, uuid)) << m.request_id;
}

TEST(Hooks, AMeetingIsOneCallWithEveryRequestUnderItsId) {
  Fixture f;
  f.mock->fail(reset_after_send());  // the round's answer is lost: the keys are looked up
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "]");
  f.mock->reply_json("[" + with_key(kRoom, "k") + "," + with_key(kEvent, "k") + "," + kLink + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, "k")) + "]");  // a late copy's twin is looked for
  (void)f.client.create_meeting(meeting());
  ASSERT_EQ(f.hooks.metrics.size(), 1U);
  EXPECT_EQ(f.hooks.metrics[0].call, "create_meetings");
  EXPECT_EQ(f.hooks.metrics[0].requests, 4);
  std::vector<std::string> requests;
  for (const auto& l : f.hooks.logs) {
    requests.push_back(l.request);
    EXPECT_EQ(l.request_id, f.hooks.metrics[0].request_id);
  }
  EXPECT_THAT(requests,
              ElementsAre("multirequest(3)", "multirequest(2)", "multirequest(3)", "multirequest(1)"));
}

TEST(Hooks, AHookThatThrowsDoesNotBreakTheCall) {
  auto mock = std::make_shared<MockTransport>();
  Config c = testing_support::mock_config(mock);
  c.log = [](const LogRecord&) { throw std::runtime_error("bad hook"); };
  c.metrics = [](const CallMetrics&) { throw std::runtime_error("bad hook"); };
  const Client client(c);
  mock->reply_json(with_key(kRoom, "r"));
  EXPECT_EQ(client.rooms().get(RoomId(11)).id, RoomId(11));
}

TEST(Hooks, ACallOfAnotherClientFromAHookIsItsOwnCall) {
  // Client a's log hook uses client b: b's call has its own id, options and metrics.
  Fixture b;
  b.mock->reply_json(with_key(kRoom, "r"));
  Fixture a([&b](Config& c) {
    c.log = [&b](const LogRecord&) {
      if (b.mock->request_count() == 0) (void)b.client.rooms().get(RoomId(11));
    };
  });
  a.mock->reply_json(with_key(kRoom, "r"));
  (void)a.client.rooms().get(RoomId(11));
  ASSERT_EQ(a.hooks.metrics.size(), 1U);
  ASSERT_EQ(b.hooks.metrics.size(), 1U);
  EXPECT_EQ(a.hooks.metrics[0].requests, 1);
  EXPECT_EQ(b.hooks.metrics[0].requests, 1);
  EXPECT_NE(a.hooks.metrics[0].request_id, b.hooks.metrics[0].request_id);
  EXPECT_EQ(find_header(b.mock->last_request().headers, "X-Kaltura-Session-Id"), b.hooks.metrics[0].request_id);
}

/// Every text a hook received, for the secret search.
std::vector<std::string> texts(const HookLog& h) {
  std::vector<std::string> out;
  for (const auto& l : h.logs) {
    for (const std::string* s : {&l.call, &l.request, &l.request_id, &l.outcome, &l.server, &l.session})
      out.push_back(*s);
  }
  for (const auto& m : h.metrics) {
    for (const std::string* s : {&m.call, &m.request_id, &m.error}) out.push_back(*s);
  }
  return out;
}

TEST(Hooks, NeverSeeAKsOrASecretEvenWhenTheServerEchoesThem) {
  // A hostile server echoes what it received: the admin secret of session.start (kmeet sends it
  // when it does not mint locally) and the KS of every call, in X-Me, X-Kaltura-Session, the error
  // code, message and args, and a 502 page.
  const std::string secret = "0123456789ABCDEF0123456789ABCDEF";
  Config minting = testing_support::mock_config(std::make_shared<MockTransport>());
  minting.ks.clear();
  minting.admin_secret = secret;
  const std::string issued = Client(minting).admin_ks();  // what session.start answers
  auto mock = std::make_shared<MockTransport>([&](const HttpRequest& r) {
    const detail::Json body = detail::Json::parse(r.body);
    const std::string echo = body.value("ks", "") + body.value("secret", "");
    HttpResponse res;
    res.status = 200;
    res.headers = {
        {"Content-Type", "application/json"}, {"X-Me", "srv " + echo}, {"X-Kaltura-Session", echo + ", 1"}};
    if (r.url.ends_with("/session/action/start")) {
      res.body = "\"" + issued + "\"";
    } else if (r.url.ends_with("/list")) {
      res.status = 502;
      res.body = "<html>upstream said " + echo + "</html>";
    } else {
      res.body = R"({"code":")" + echo + R"(","message":")" + echo +
                 R"(","objectType":"KalturaAPIException","args":{")" + echo + R"(":")" + echo + R"("}})";
    }
    return res;
  });
  Config c = testing_support::mock_config(mock);
  c.ks.clear();
  c.admin_secret = secret;
  c.mint_locally = false;
  HookLog h;
  h.attach(c);
  const Client client(c);
  EXPECT_EQ(client.admin_ks(), issued);
  EXPECT_THROW((void)client.rooms().get(RoomId(11)), ApiError);
  EXPECT_THROW((void)client.rooms().list(), HttpError);
  ASSERT_GE(h.logs.size(), 3U);
  EXPECT_EQ(h.logs[0].request, "session.start");
  for (const std::string& t : texts(h)) {
    EXPECT_EQ(t.find(issued), std::string::npos) << t;
    EXPECT_EQ(t.find(issued.substr(0, 40)), std::string::npos) << t;
    EXPECT_EQ(t.find(secret), std::string::npos) << t;
  }
}

TEST(Hooks, TheEmulatorsServerAndSessionHeadersReachTheLog) {
  test::EmulatorProcess e;
  Config c;
  c.service_url = e.base_url();
  c.partner_id = PartnerId(e.partner_id());
  c.admin_secret = e.admin_secret();
  HookLog h;
  h.attach(c);
  const Client client(c);
  (void)client.rooms().list();
  ASSERT_EQ(h.logs.size(), 1U);
  EXPECT_EQ(h.logs[0].server, "kmeet-emulator");
  EXPECT_FALSE(h.logs[0].session.empty());
  EXPECT_EQ(h.logs[0].status, 200);
  EXPECT_GT(h.logs[0].bytes_received, 0U);
}

}  // namespace
}  // namespace kmeet::scale_test
