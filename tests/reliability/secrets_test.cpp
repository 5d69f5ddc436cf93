// Secrets and KS values never reach exceptions, stdout, stderr or logs: every SDK error path is
// driven with known secrets and KS values, and everything the process printed is searched for them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "support/emulator.hpp"
#include "support/loopback_server.hpp"

namespace kmeet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAdminSecret = "5ecret0admin0a1b2c3d4e5f6a7b8c9d";
constexpr const char* kUserSecret = "5ecret0user00f1e2d3c4b5a69788796";
constexpr const char* kWrongSecret = "wrong0secret0000111122223333aaaa";

/// Captures what the process writes to stdout and stderr (file descriptors 1 and 2) meanwhile.
class CapturedOutput {
 public:
  CapturedOutput() {
    std::fflush(stdout);
    std::fflush(stderr);
    for (int fd : {1, 2}) {
      char path[] = "/tmp/kmeet-secrets-XXXXXX";
      const int tmp = mkstemp(path);
      paths_.emplace_back(path);
      saved_.push_back(dup(fd));
      dup2(tmp, fd);
      close(tmp);
    }
  }
  ~CapturedOutput() { (void)finish(); }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;
  /// Restores stdout/stderr and returns everything written to them.
  std::string finish() {
    if (done_) return text_;
    done_ = true;
    std::fflush(stdout);
    std::fflush(stderr);
    for (std::size_t i = 0; i < 2; ++i) {
      dup2(saved_[i], static_cast<int>(i + 1));
      close(saved_[i]);
      std::ifstream in(paths_[i]);
      std::stringstream ss;
      ss << in.rdbuf();
      text_ += ss.str();
      std::remove(paths_[i].c_str());
    }
    return text_;
  }

 private:
  std::vector<std::string> paths_;
  std::vector<int> saved_;
  std::string text_;
  bool done_ = false;
};

/// Everything an exception of kmeet exposes as text.
std::string exposed(const std::exception& e) {
  std::string all = e.what();
  if (const auto* api = dynamic_cast<const ApiError*>(&e)) {
    all += "|" + api->code() + "|" + api->api_message() + "|" + api->server() + "|" + api->session();
    for (const auto& [k, v] : api->args()) all += "|" + k + "=" + v;
  }
  if (const auto* http = dynamic_cast<const HttpError*>(&e)) all += "|" + http->body_snippet();
  if (const auto* proto = dynamic_cast<const ProtocolError*>(&e)) all += "|" + proto->body_snippet();
  return all;
}

/// Asserts that none of `secrets` (nor a 24-character piece of one) appears in `text`.
void expect_clean(const std::string& text, const std::vector<std::string>& secrets, const std::string& where) {
  for (const auto& s : secrets) {
    EXPECT_THAT(text, Not(HasSubstr(s))) << where;
    if (s.size() > 40) {
      EXPECT_THAT(text, Not(HasSubstr(s.substr(10, 24)))) << where << " (a piece of a KS)";
    }
  }
}

template <class F>
std::string error_text(F&& call) {
  try {
    call();
  } catch (const std::exception& e) {
    return exposed(e);
  }
  ADD_FAILURE() << "expected an error";
  return {};
}

class Secrets : public test::EmulatorTest {
 protected:
  test::EmulatorProcess::Options emulator_options() override {
    return {.admin_secret = kAdminSecret, .user_secret = kUserSecret};
  }
  Config config() {
    Config c;
    c.service_url = emulator().base_url();
    c.kaf_url = emulator().base_url();
    c.partner_id = PartnerId(emulator().partner_id());
    c.admin_secret = kAdminSecret;
    c.user_secret = kUserSecret;
    c.retry = RetryPolicy::none();
    return c;
  }
  std::string mint(std::chrono::seconds ttl, const std::string& secret = kAdminSecret) {
    KsSigner signer(secret);
    KsParams p;
    p.partner_id = PartnerId(emulator().partner_id());
    p.type = SessionType::admin;
    p.user_id = "admin";
    p.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + ttl;
    return signer.mint(p);
  }
};

TEST_F(Secrets, SdkErrorPathsNeverShowSecretsOrKs) {
  const std::string expired = mint(std::chrono::seconds(-3600));
  const std::string foreign = mint(std::chrono::hours(1), kWrongSecret);
  const std::string valid = mint(std::chrono::hours(1));
  const std::vector<std::string> secrets = {kAdminSecret, kUserSecret, kWrongSecret, expired, foreign, valid};
  CapturedOutput out;
  std::vector<std::string> texts;

  {  // session.start with a wrong secret.
    Client client(config());
    texts.push_back(error_text([&] {
      (void)client.ks_sessions().start(SessionStart{.secret = kWrongSecret, .type = SessionType::admin});
    }));
    EXPECT_THAT(texts.back(), HasSubstr("START_SESSION_ERROR"));
  }
  {  // An expired KS given by the user: INVALID_KS EXPIRED, not renewable.
    Config c = config();
    c.admin_secret.clear();
    c.ks = expired;
    Client client(c);
    texts.push_back(error_text([&] { (void)client.ks_sessions().get(); }));
    EXPECT_THAT(texts.back(), HasSubstr("INVALID_KS"));
  }
  {  // A KS signed with another secret: the server echoes it in INVALID_KS ... INVALID_STR.
    Config c = config();
    c.admin_secret.clear();
    c.ks = foreign;
    Client client(c);
    texts.push_back(error_text([&] { (void)client.ks_sessions().get(); }));
    EXPECT_THAT(texts.back(), HasSubstr("INVALID_KS"));
    // session.get of a given KS, and session.end of one.
    Client good(config());
    texts.push_back(error_text([&] { (void)good.ks_sessions().get(foreign); }));
    good.ks_sessions().end(valid);
    texts.push_back(error_text([&] { (void)good.ks_sessions().get(valid); }));
    EXPECT_THAT(texts.back(), HasSubstr("INVALID_KS"));
  }
  {  // Join through session.start with a wrong user secret.
    Config c = config();
    c.admin_secret.clear();
    c.ks = valid;
    c.user_secret = kWrongSecret;
    Client client(c);
    JoinRequest jr;
    jr.room = RoomId(1);
    jr.user_id = "someone";
    jr.via_api = true;
    texts.push_back(error_text([&] { (void)client.join(jr); }));
  }
  {  // Invalid configuration values are refused without echoing them.
    Config c = config();
    c.service_url = std::string("https://user:") + kAdminSecret + "@example.test/";
    texts.push_back(error_text([&] { Client client(c); (void)client.ks_sessions().server_time(); }));
  }
  const std::string printed = out.finish();
  for (std::size_t i = 0; i < texts.size(); ++i) expect_clean(texts[i], secrets, "error path " + std::to_string(i));
  expect_clean(printed, secrets, "stdout/stderr");
}

TEST(SecretsOnTheWire, HttpErrorBodiesEchoingTheRequestAreRedacted) {
  // A proxy that echoes the request (KS and secret included) in its error page.
  test::LoopbackServer server([](test::Connection& c, const test::ReceivedRequest& r) {
    c.send(test::http_response(502, "<html><pre>bad gateway for " + r.target + "\n" + r.body + "</pre></html>",
                               {{"Content-Type", "text/html"}}));
  });
  test::LoopbackServer garbled([](test::Connection& c, const test::ReceivedRequest& r) {
    c.send(test::http_response(200, "{\"echo\":" + r.body, {{"Content-Type", "application/json"}}));
  });
  KsSigner signer(kAdminSecret);
  KsParams p;
  p.partner_id = PartnerId(1234567);
  p.type = SessionType::admin;
  p.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                 std::chrono::hours(1);
  const std::string ks = signer.mint(p);
  const std::vector<std::string> secrets = {kAdminSecret, kUserSecret, ks};
  CapturedOutput out;
  std::vector<std::string> texts;
  for (const auto* s : {&server, &garbled}) {
    Config c;
    c.service_url = s->url("");
    c.partner_id = PartnerId(1234567);
    c.admin_secret = kAdminSecret;
    c.user_secret = kUserSecret;
    c.retry = RetryPolicy::none();
    Client client(c);
    texts.push_back(error_text([&] {
      (void)client.ks_sessions().start(SessionStart{.secret = kAdminSecret, .type = SessionType::admin});
    }));
    texts.push_back(error_text([&] { (void)client.ks_sessions().get(ks); }));
    texts.push_back(error_text([&] { client.ks_sessions().end(ks); }));
  }
  const std::string printed = out.finish();
  for (std::size_t i = 0; i < texts.size(); ++i) expect_clean(texts[i], secrets, "echo " + std::to_string(i));
  expect_clean(printed, secrets, "stdout/stderr");
}

TEST(SecretsOnTheWire, TransportErrorsWithAKsInTheUrlShowNoQuery) {
  KsSigner signer(kAdminSecret);
  KsParams p;
  p.partner_id = PartnerId(1234567);
  p.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                 std::chrono::hours(1);
  const std::string ks = signer.mint(p);
  test::LoopbackServer resetting([](test::Connection& c, const test::ReceivedRequest&) { c.reset(); });
  test::LoopbackServer slow([](test::Connection& c, const test::ReceivedRequest&) { c.hang(); });
  CurlTransport transport(HttpOptions{.connect_timeout = std::chrono::seconds(2),
                                      .timeout = std::chrono::milliseconds(500)});
  std::vector<std::string> texts;
  for (const std::string& url : {resetting.url("/virtualEvent/launch?ks=" + ks),
                                 slow.url("/newrowkaf/index/api?ks=" + ks + "&page=2"),
                                 std::string("http://127.0.0.1:1/virtualEvent/launch?ks=") + ks}) {
    HttpRequest r;
    r.method = HttpMethod::get;
    r.url = url;
    r.idempotent = true;
    texts.push_back(error_text([&] { (void)transport.send(r); }));
  }
  for (const auto& t : texts) expect_clean(t, {ks}, "transport error");
}

}  // namespace
}  // namespace kmeet
