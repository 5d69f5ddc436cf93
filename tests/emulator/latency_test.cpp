// --latency answered by a timer (docs/emulator.md "Latency and rate limit"): hundreds of delayed
// answers at once cost no worker each, so they all arrive after about one delay, even with two
// workers, and the emulator does not grow a thread per request.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "emulator/wire.hpp"

namespace kmeet::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kConnections = 512;

std::chrono::milliseconds since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
}

/// Threads of process `pid` now.
int thread_count(int pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    ++n;
  }
  return n;
}

/// One keep-alive connection with one request at a time in flight, driven by poll().
struct Client {
  int fd = -1;
  std::string in;
  bool done = false;
  bool reset = false;
  int status = 0;

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Client& operator=(Client&&) = delete;
  explicit Client(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
  }
  ~Client() {
    if (fd >= 0) ::close(fd);
  }

  void send_get_time() {
    const std::string body = R"({"format":1})";
    const std::string req = "POST /api_v3/service/system/action/getTime HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/json\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
    in.clear();
    done = false;
    reset = false;
    status = 0;
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
      throw std::runtime_error("send");
    }
  }

  /// Reads what arrived; true once a whole answer (head + Content-Length body) or a reset is in.
  bool read_some() {
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      reset = true;
      done = true;
      return true;
    }
    in.append(buf, static_cast<std::size_t>(n));
    const auto end = in.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const auto cl = in.find("Content-Length: ");
    const std::size_t length = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
    if (in.size() < end + 4 + length) return false;
    status = std::stoi(in.substr(9, 3));
    done = true;
    return true;
  }
};

/// Sends one request on every client and waits for every answer; returns the wall time.
/// `mid_flight` runs once, while the answers are still held.
template <class F>
std::chrono::milliseconds round_trip(std::vector<Client>& clients, F&& mid_flight) {
  const auto t0 = Clock::now();
  for (auto& c : clients) c.send_get_time();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  mid_flight();
  std::size_t left = clients.size();
  while (left > 0 && since(t0) < std::chrono::seconds(20)) {
    std::vector<pollfd> fds;
    std::vector<Client*> who;
    for (auto& c : clients) {
      if (c.done) continue;
      fds.push_back(pollfd{c.fd, POLLIN, 0});
      who.push_back(&c);
    }
    if (::poll(fds.data(), fds.size(), 1000) <= 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents != 0 && who[i]->read_some()) --left;
    }
  }
  return since(t0);
}

TEST(LatencyTimerTest, HundredsOfDelayedAnswersOverlapWithTwoWorkersAndOneTimer) {
  EmulatorProcess::Options o;
  o.extra_args = {"--latency", "1000", "--threads", "2"};
  EmulatorProcess e(o);
  std::vector<Client> clients;
  clients.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i) clients.emplace_back(e.port());

  for (int round = 0; round < 2; ++round) {  // the second round reuses the connections (keep-alive)
    int held_threads = 0;
    const auto took = round_trip(clients, [&] { held_threads = thread_count(e.pid()); });
    for (const auto& c : clients) {
      ASSERT_TRUE(c.done) << "an answer did not arrive";
      EXPECT_FALSE(c.reset);
      EXPECT_EQ(c.status, 200);
    }
    // With a sleeping worker per request this would take 512 / 2 × 1 s.
    EXPECT_GE(took, std::chrono::milliseconds(1000));
    EXPECT_LT(took, std::chrono::milliseconds(4000)) << "the delayed answers did not overlap";
    // main, acceptor, 2 workers, timer, state saver: no thread per delayed answer.
    EXPECT_LE(held_threads, 8) << "threads while " << kConnections << " answers were held";
  }
  EXPECT_EQ(wire::stats(e)["requests"], 2 * kConnections);
}

TEST(LatencyTimerTest, AResetFaultUnderLatencyResetsWhenTheAnswerIsDue) {
  EmulatorProcess::Options o;
  o.extra_args = {"--latency", "500", "--faults", "reset_before=1"};
  EmulatorProcess e(o);
  std::vector<Client> clients;
  clients.emplace_back(e.port());
  const auto took = round_trip(clients, [] {});
  EXPECT_TRUE(clients[0].reset);
  EXPECT_GE(took, std::chrono::milliseconds(500));
}

TEST(LatencyTimerTest, TheDelayFaultAddsToTheLatencyWithoutAWorker) {
  EmulatorProcess::Options o;
  o.extra_args = {"--latency", "300", "--faults", "delay=1,delay_ms=400", "--threads", "2"};
  EmulatorProcess e(o);
  std::vector<Client> clients;
  for (int i = 0; i < 64; ++i) clients.emplace_back(e.port());
  const auto took = round_trip(clients, [] {});
  for (const auto& c : clients) EXPECT_EQ(c.status, 200);
  EXPECT_GE(took, std::chrono::milliseconds(700));
  EXPECT_LT(took, std::chrono::milliseconds(3000));
}

}  // namespace
}  // namespace kmeet::test
