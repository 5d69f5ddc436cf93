// Hostile servers, end to end through a Client (CurlTransport + api codec + decoders): every bad
// answer becomes a typed kmeet error within the configured time, and memory stays bounded.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "support/loopback_server.hpp"

namespace kmeet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kSecret = "hostile-test-admin-secret-0123456789";

Config config_for(const test::LoopbackServer& server, milliseconds timeout = milliseconds(3000)) {
  Config c;
  c.service_url = server.url("");
  c.partner_id = PartnerId(1234567);
  c.admin_secret = kSecret;
  c.retry = RetryPolicy::none();
  c.http.connect_timeout = seconds(2);
  c.http.timeout = timeout;
  return c;
}

/// A server answering every request with the same raw bytes.
test::LoopbackServer answering(std::string raw) {
  return test::LoopbackServer([raw = std::move(raw)](test::Connection& c, const test::ReceivedRequest&) {
    c.send(raw);
  });
}

/// Runs `call`, expects exception `E`, returns its message; checks no secret leaks into it.
template <class E, class F>
E expect_error(F&& call) {
  try {
    call();
  } catch (const E& e) {
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr(kSecret)));
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << typeid(e).name() << ": " << e.what();
    throw;
  }
  ADD_FAILURE() << "no exception";
  throw std::logic_error("no exception");
}

/// Kilobytes from a `/proc/self/status` line such as `VmHWM:   12345 kB`.
long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

/// Resets the peak-RSS mark (VmHWM) so it measures only what follows.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

TEST(HostileResponses, HtmlWithStatus200IsProtocolError) {
  auto server = answering(test::http_response(
      200, "<html><body><h1>Service Temporarily Unavailable</h1></body></html>", {{"Content-Type", "text/html"}}));
  Client client(config_for(server));
  auto e = expect_error<ProtocolError>([&] { (void)client.ks_sessions().server_time(); });
  EXPECT_EQ(e.status(), 200);
  EXPECT_THAT(e.body_snippet(), HasSubstr("Service Temporarily"));
}

TEST(HostileResponses, HtmlErrorPageIsHttpErrorWithTheStatus) {
  auto server = answering(test::http_response(502, "<html>Bad Gateway</html>", {{"Content-Type", "text/html"}}));
  Client client(config_for(server));
  auto e = expect_error<HttpError>([&] { (void)client.ks_sessions().server_time(); });
  EXPECT_EQ(e.status(), 502);
}

TEST(HostileResponses, TruncatedJsonWithACompleteHttpMessageIsProtocolError) {
  auto server = answering(test::http_response(200, R"({"ks":"djJ8MTIzNDU2N3x","partnerId":12)",
                                              {{"Content-Type", "application/json"}}));
  Client client(config_for(server));
  auto e = expect_error<ProtocolError>([&] { (void)client.ks_sessions().get(); });
  EXPECT_THAT(std::string(e.what()), HasSubstr("not valid JSON"));
}

TEST(HostileResponses, BodyShorterThanItsContentLengthIsATransportError) {
  test::LoopbackServer server([](test::Connection& c, const test::ReceivedRequest&) {
    c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ks\":\"ab");
    c.close();
  });
  Client client(config_for(server));
  (void)expect_error<TransportError>([&] { (void)client.ks_sessions().get(); });
}

TEST(HostileResponses, DeepNestingIsRefusedWithoutRecursion) {
  // 1,000,000 levels would overflow the stack of a recursive parser.
  std::string deep(1'000'000, '[');
  deep += std::string(1'000'000, ']');
  auto server = answering(test::http_response(200, deep, {{"Content-Type", "application/json"}}));
  Client client(config_for(server));
  auto e = expect_error<ProtocolError>([&] { (void)client.ks_sessions().get(); });
  EXPECT_THAT(std::string(e.what()), HasSubstr("deeper"));
}

TEST(HostileResponses, WrongJsonTypesNameTheField) {
  auto server = answering(test::http_response(
      200, R"({"objectType":"KalturaSessionInfo","ks":"x","partnerId":"abc","sessionType":2})",
      {{"Content-Type", "application/json"}}));
  Client client(config_for(server));
  auto e = expect_error<ProtocolError>([&] { (void)client.ks_sessions().get(); });
  EXPECT_THAT(std::string(e.what()), HasSubstr("partnerId"));
}

TEST(HostileResponses, WrongTypesInModelFieldsNameTheField) {
  struct Case {
    std::string body;
    std::string field;
    bool room;
  };
  const std::vector<Case> cases = {
      {R"({"id":"abc","name":"r","objectType":"KalturaLocationScheduleResource"})", "id", true},
      {R"({"id":5,"name":["r"],"objectType":"KalturaLocationScheduleResource"})", "name", true},
      {R"({"id":5,"name":"r","createdAt":"yesterday","objectType":"KalturaLocationScheduleResource"})", "createdAt",
       true},
      {R"({"id":7,"summary":"s","startDate":"x","endDate":1586188800,"recurrenceType":0,"objectType":"KalturaRecordScheduleEvent"})",
       "startDate", false},
      {R"({"id":7,"summary":"s","startDate":1586185200,"endDate":1586188800,"recurrenceType":"never","objectType":"KalturaRecordScheduleEvent"})",
       "recurrenceType", false},
      {R"({"id":7,"summary":{"a":1},"objectType":"KalturaRecordScheduleEvent"})", "summary", false},
  };
  for (const auto& c : cases) {
    auto server = answering(test::http_response(200, c.body, {{"Content-Type", "application/json"}}));
    Client client(config_for(server));
    auto e = expect_error<ProtocolError>([&] {
      if (c.room) {
        (void)client.rooms().get(RoomId(5));
      } else {
        (void)client.events().get(EventId(7));
      }
    });
    EXPECT_THAT(std::string(e.what()), HasSubstr(c.field)) << c.body;
  }
}

TEST(HostileResponses, WrongResultTypeIsProtocolError) {
  auto server = answering(test::http_response(200, R"("yesterday")", {{"Content-Type", "application/json"}}));
  Client client(config_for(server));
  auto e = expect_error<ProtocolError>([&] { (void)client.ks_sessions().server_time(); });
  EXPECT_THAT(std::string(e.what()), HasSubstr("system.getTime"));
}

TEST(HostileResponses, ChunkedBodyWithoutEndHitsTheTotalTimeout) {
  test::LoopbackServer server([](test::Connection& c, const test::ReceivedRequest&) {
    c.send(test::chunked_head(200, {{"Content-Type", "application/json"}}) + test::chunk("{\"ks\":"));
    c.hang();
  });
  Client client(config_for(server, milliseconds(800)));
  const auto start = steady_clock::now();
  auto e = expect_error<TransportError>([&] { (void)client.ks_sessions().get(); });
  EXPECT_EQ(e.kind(), TransportError::Kind::timeout);
  EXPECT_LT(steady_clock::now() - start, seconds(5));
}

TEST(HostileResponses, SlowDripHitsTheTotalTimeoutNotAnIdleTimeout) {
  // One byte every 50 ms never trips a low-speed/idle check, only the total timeout.
  test::LoopbackServer server([](test::Connection& c, const test::ReceivedRequest&) {
    const std::string body(400, ' ');
    c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 402\r\n\r\n");
    c.drip("1" + body + "2", milliseconds(50));
  });
  Client client(config_for(server, milliseconds(1000)));
  const auto start = steady_clock::now();
  auto e = expect_error<TransportError>([&] { (void)client.ks_sessions().server_time(); });
  EXPECT_EQ(e.kind(), TransportError::Kind::timeout);
  const auto took = steady_clock::now() - start;
  EXPECT_GE(took, milliseconds(900));
  EXPECT_LT(took, seconds(5));
}

TEST(HostileResponses, OneGibibyteClaimedAndStreamedStaysWithinBoundedMemory) {
  // Content-Length: 1 GiB, and the server really streams until the client gives up.
  test::LoopbackServer server([](test::Connection& c, const test::ReceivedRequest&) {
    const std::string mib(1U << 20U, 'x');
    if (!c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n")) return;
    for (int i = 0; i < 1024 && c.send(mib); ++i) {
    }
  });
  Client client(config_for(server, milliseconds(20'000)));
  const bool peak = reset_peak_rss();
  const long before = status_kb(peak ? "VmHWM" : "VmRSS");
  auto e = expect_error<TransportError>([&] { (void)client.ks_sessions().get(); });
  EXPECT_EQ(e.kind(), TransportError::Kind::too_large);
  const long after = status_kb(peak ? "VmHWM" : "VmRSS");
  EXPECT_LT(after - before, 100L * 1024) << (peak ? "peak" : "") << " RSS grew by " << (after - before) << " kB";
}

TEST(HostileResponses, EndlessChunkedStreamIsCutAtTheCapWithBoundedMemory) {
  // No length at all: chunks until the client hangs up. The default 64 MiB cap must stop it.
  test::LoopbackServer server([](test::Connection& c, const test::ReceivedRequest&) {
    const std::string mib(1U << 20U, ' ');
    if (!c.send(test::chunked_head(200, {{"Content-Type", "application/json"}}))) return;
    for (int i = 0; i < 1024 && c.send(test::chunk(mib)); ++i) {
    }
  });
  Client client(config_for(server, milliseconds(30'000)));
  const bool peak = reset_peak_rss();
  const long before = status_kb(peak ? "VmHWM" : "VmRSS");
  auto e = expect_error<TransportError>([&] { (void)client.ks_sessions().get(); });
  EXPECT_EQ(e.kind(), TransportError::Kind::too_large);
  const long after = status_kb(peak ? "VmHWM" : "VmRSS");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // AddressSanitizer keeps freed memory in quarantine, and both sanitizers add shadow memory
  // (ThreadSanitizer: 700 MB here): RSS says nothing about the client. The bound is checked by the
  // plain build (CI).
  (void)after;
  (void)before;
#else
  EXPECT_LT(after - before, 150L * 1024) << (peak ? "peak" : "") << " RSS grew by " << (after - before) << " kB";
#endif
}

}  // namespace
}  // namespace kmeet
