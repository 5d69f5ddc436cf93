// The emulator's server limits (docs/emulator.md "Limits"): body and multirequest caps, timeouts
// and the connection cap against slow and idle connections, the JSONP callback. Loopback only.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "emulator/wire.hpp"
#include "support/tls_server.hpp"

namespace kmeet::test {
namespace {

using namespace wire;
using Clock = std::chrono::steady_clock;

/// A plain TCP connection to the emulator, for what curl will not send.
class RawConn {
 public:
  explicit RawConn(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawConn() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  [[nodiscard]] bool ok() const { return ok_; }
  bool send(const std::string& s) {
    return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }

  /// Everything until the peer closes, or `timeout_ms` passes; `closed` tells which.
  std::string read_until_close(int timeout_ms, bool& closed) {
    std::string out;
    closed = false;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) break;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed = true;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  bool ok_ = false;
};

EmulatorProcess::Options with(std::vector<std::string> args) {
  EmulatorProcess::Options o;
  o.extra_args = std::move(args);
  return o;
}

std::string time_url(const EmulatorProcess& e) {
  return e.base_url() + "/api_v3/service/system/action/getTime?format=1";
}

TEST(LimitsTest, ABodyOverTheCapIs413BeforeItIsSent) {
  EmulatorProcess e(with({"--max-body", "65536"}));
  RawConn c(e.port());
  ASSERT_TRUE(c.ok());
  // A 1 GiB body is announced and never sent: the answer must not wait for it.
  ASSERT_TRUE(
      c.send("POST /api_v3/service/system/action/getTime HTTP/1.1\r\nHost: x\r\n"
             "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{"));
  bool closed = false;
  const std::string answer = c.read_until_close(3000, closed);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0U) << answer;
  EXPECT_NE(answer.find("request body of 1073741824 bytes is over the limit of 65536 bytes (--max-body)"),
            std::string::npos)
      << answer;
  EXPECT_TRUE(closed);

  const auto big = request(time_url(e), std::string(70000, ' '), "application/json");
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.json()["error"].get<std::string>().find("--max-body"), std::string::npos);
  const auto fits = request(time_url(e), std::string(60000, ' ') + "{}", "application/json");
  EXPECT_EQ(fits.status, 200);
  EXPECT_TRUE(fits.json().is_number_integer()) << fits.body;
}

TEST(LimitsTest, AChunkedBodyOverTheCapIs413) {
  EmulatorProcess e(with({"--max-body", "65536"}));
  RawConn c(e.port());
  ASSERT_TRUE(c.ok());
  std::string req =
      "POST /api_v3/service/system/action/getTime HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(16384, ' ');
  for (int i = 0; i < 12; ++i) req += "4000\r\n" + chunk + "\r\n";  // 192 KiB
  req += "0\r\n\r\n";
  c.send(req);
  bool closed = false;
  const std::string answer = c.read_until_close(3000, closed);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0U) << answer.substr(0, 200);
  EXPECT_NE(answer.find("--max-body"), std::string::npos);
}

TEST(LimitsTest, AMultirequestOverTheCapIsRefusedWholeAndRunsNothing) {
  EmulatorProcess e(with({"--max-multirequest", "3"}));
  const auto ks = admin_ks(e);
  Json mr = Json::object();
  for (int i = 1; i <= 4; ++i) {
    mr[std::to_string(i)] = {{"service", "schedule_scheduleresource"},
                             {"action", "add"},
                             {"ks", ks},
                             {"scheduleResource", room("r" + std::to_string(i))}};
  }
  const auto r = multirequest(e, mr);
  EXPECT_EQ(r.status, 200);
  const Json j = r.json();
  EXPECT_EQ(j["objectType"], "KalturaAPIException") << r.body;
  EXPECT_EQ(j["code"], "MULTIREQUEST_TOO_MANY_CALLS");
  EXPECT_EQ(j["args"]["MAX_CALLS"], "3");
  EXPECT_EQ(j["args"]["CALLS"], "4");
  EXPECT_EQ(stats(e)["objects"]["resources"], 0);

  mr.erase("4");
  const Json ok = multirequest(e, mr).json();
  ASSERT_TRUE(ok.is_array());
  EXPECT_EQ(ok.size(), 3U);
  EXPECT_EQ(stats(e)["objects"]["resources"], 3);
}

/// Opens up to `n` descriptors' worth of connections; fewer when the hard limit is lower.
int usable_connections(int n) {
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    getrlimit(RLIMIT_NOFILE, &r);
  }
  return static_cast<int>(std::min<rlim_t>(static_cast<rlim_t>(n), r.rlim_cur > 200 ? r.rlim_cur - 200 : 0));
}

TEST(LimitsTest, SlowAndIdleConnectionsDoNotStarveANormalClient) {
  // Four workers only: before the front, 64 slow senders held every worker until they gave up.
  EmulatorProcess e(with({"--threads", "4"}));
  const int idle_count = usable_connections(3000);
  if (idle_count < 500) GTEST_SKIP() << "too few file descriptors for this test";
  std::vector<std::unique_ptr<RawConn>> slow;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(std::make_unique<RawConn>(e.port()));
    ASSERT_TRUE(slow.back()->ok());
    slow.back()->send("POST /api_v3/service/system/action/getTime HTTP/1.1\r\nHost: x\r\n");  // never ends
  }
  std::vector<std::unique_ptr<RawConn>> idle;
  for (int i = 0; i < idle_count; ++i) {
    idle.push_back(std::make_unique<RawConn>(e.port()));
    ASSERT_TRUE(idle.back()->ok()) << i;
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& s : slow) s->send("X-Slow: 1\r\n");  // slowloris: a header line now and then
    const auto t0 = Clock::now();
    const auto r = request(time_url(e), {}, {}, 5000);
    const auto took = Clock::now() - t0;
    EXPECT_EQ(r.status, 200) << round;
    EXPECT_LT(took, std::chrono::milliseconds(1500)) << round;
  }
}

TEST(LimitsTest, ASlowHeadGets408AfterTheHeaderTimeout) {
  EmulatorProcess e(with({"--header-timeout", "1"}));
  RawConn c(e.port());
  ASSERT_TRUE(c.ok());
  const auto t0 = Clock::now();
  c.send("GET /api_v3/service/system/action/getTime HTTP/1.1\r\n");
  bool closed = false;
  const std::string answer = c.read_until_close(4000, closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0U) << answer;
  EXPECT_NE(answer.find("--header-timeout"), std::string::npos) << answer;
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(3000));
}

TEST(LimitsTest, AnIdleConnectionIsClosedAfterTheKeepAliveTimeout) {
  EmulatorProcess e(with({"--keep-alive-timeout", "1"}));
  RawConn c(e.port());
  ASSERT_TRUE(c.ok());
  const auto t0 = Clock::now();
  bool closed = false;
  EXPECT_EQ(c.read_until_close(4000, closed), "");
  EXPECT_TRUE(closed);
  const auto took = Clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::milliseconds(3000));

  // A keep-alive connection serves several requests, then idles out the same way.
  RawConn k(e.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(k.send("GET /api_v3/service/system/action/getTime?format=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  }
  const std::string answers = k.read_until_close(4000, closed);
  EXPECT_TRUE(closed);
  std::size_t count = 0;
  for (auto p = answers.find("HTTP/1.1 200 "); p != std::string::npos;
       p = answers.find("HTTP/1.1 200 ", p + 1))
    ++count;
  EXPECT_EQ(count, 3U) << answers;
}

TEST(LimitsTest, TheConnectionCapClosesTheOldestIdleConnection) {
  EmulatorProcess e(with({"--max-connections", "8"}));
  std::vector<std::unique_ptr<RawConn>> idle;
  for (int i = 0; i < 20; ++i) idle.push_back(std::make_unique<RawConn>(e.port()));
  const auto r = request(time_url(e), {}, {}, 3000);
  EXPECT_EQ(r.status, 200);
  bool closed = false;
  EXPECT_EQ(idle.front()->read_until_close(2000, closed), "");
  EXPECT_TRUE(closed) << "the oldest idle connection made room";
}

TEST(LimitsTest, AJsonpCallbackMustBeAPlainName) {
  EmulatorProcess e;
  const std::string base = e.base_url() + "/api_v3/service/system/action/getTime?format=9&callback=";
  const auto ok = request(base + "jQuery_1.cb$2");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body.rfind("jQuery_1.cb$2(", 0), 0U) << ok.body;
  for (const std::string bad : {"alert(1)//", "</script><script>x", "a b", "cb;x", "\xc3\xa9", ""}) {
    const auto r = request(base + escape(bad));
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json()["error"], "callback must be 1 to 128 letters, digits, '_', '$' or '.'");
    if (!bad.empty()) {
      EXPECT_EQ(r.body.find(bad), std::string::npos) << "reflected: " << bad;
    }
  }
  EXPECT_EQ(request(base + std::string(129, 'a')).status, 400);
  // Refused before anything runs: no room is added.
  const auto ks = admin_ks(e);
  const auto add =
      request(e.base_url() + "/api_v3/service/schedule_scheduleresource/action/add?format=9&callback=x(",
              Json{{"ks", ks}, {"scheduleResource", room("nope")}}.dump(), "application/json");
  EXPECT_EQ(add.status, 400);
  EXPECT_EQ(stats(e)["objects"]["resources"], 0);
}

/// curl over HTTPS, trusting `ca`.
Response https_get(const std::string& url, const std::string& ca, const std::string& body = {}) {
  Response r;
  CURL* c = easy_for(url, r, 5000);
  curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
  curl_slist* hdrs = nullptr;
  if (!body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  }
  perform_into(c, r);
  curl_slist_free_all(hdrs);
  return r;
}

TEST(LimitsTest, HttpsHasTheSameLimits) {
  SelfSignedCert cert;
  EmulatorProcess e(with({"--tls-cert", cert.cert_file(), "--tls-key", cert.key_file(), "--threads", "2",
                          "--max-body", "65536", "--keep-alive-timeout", "1"}));
  ASSERT_EQ(e.base_url().rfind("https://", 0), 0U);
  // Connections that never start their handshake hold no worker, and are closed when idle.
  std::vector<std::unique_ptr<RawConn>> idle;
  for (int i = 0; i < 50; ++i) idle.push_back(std::make_unique<RawConn>(e.port()));
  const std::string url = e.base_url() + "/api_v3/service/system/action/getTime?format=1";
  const auto t0 = Clock::now();
  const auto r = https_get(url, cert.cert_file());
  EXPECT_EQ(r.code, CURLE_OK) << curl_easy_strerror(r.code);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json().is_number_integer()) << r.body;
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(1500));
  const auto big = https_get(url, cert.cert_file(), std::string(70000, ' '));
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.body.find("--max-body"), std::string::npos) << big.body;
  bool closed = false;
  EXPECT_EQ(idle.front()->read_until_close(3000, closed), "");
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace kmeet::test
