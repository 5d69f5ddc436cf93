#include "support/loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <string>
#include <system_error>

namespace kmeet::test {
namespace {

constexpr int kPollSliceMs = 20;
constexpr std::size_t kMaxHead = 64 * 1024;

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

int listen_on_loopback(int backlog, int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("bind");
  if (::listen(fd, backlog) != 0) fail("listen");
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) fail("getsockname");
  port = ntohs(addr.sin_port);
  return fd;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

}  // namespace

// ---- Connection -----------------------------------------------------------------------------

Connection::Connection(int fd, std::size_t index, const std::atomic<bool>& stopping, std::mutex& mutex,
                       std::condition_variable& wake)
    : fd_(fd), index_(index), stopping_(stopping), mutex_(mutex), wake_(wake) {}

Connection::~Connection() { close(); }

bool Connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    if (fd_ < 0 || stopping_) return false;
    pollfd p{fd_, POLLOUT, 0};
    const int ready = ::poll(&p, 1, kPollSliceMs);
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool Connection::drip(std::string_view bytes, std::chrono::milliseconds gap) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (!send(bytes.substr(i, 1))) return false;
    sleep(gap);
  }
  return true;
}

void Connection::sleep(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [&] { return stopping_.load(); });
}

void Connection::hang() {
  // Wait until the peer closes (readable with 0 bytes) or the server stops; ignore what arrives.
  while (fd_ >= 0 && !stopping_) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, kPollSliceMs);
    if (ready > 0) {
      char scratch[4096];
      const auto n = ::recv(fd_, scratch, sizeof scratch, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    }
  }
}

void Connection::close() {
  if (fd_ >= 0) {
    ::shutdown(fd_, SHUT_WR);
    ::close(fd_);
    fd_ = -1;
  }
}

void Connection::reset() {
  if (fd_ >= 0) {
    const linger hard{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd_);
    fd_ = -1;
  }
}

bool Connection::wait_readable() {
  while (fd_ >= 0 && !stopping_) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, kPollSliceMs);
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
  }
  return false;
}

std::optional<ReceivedRequest> Connection::read_request() {
  auto fill = [&]() -> bool {
    if (!wait_readable()) return false;
    char data[16 * 1024];
    const auto n = ::recv(fd_, data, sizeof data, MSG_DONTWAIT);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    if (n == 0) return false;
    buffer_.append(data, static_cast<std::size_t>(n));
    return true;
  };

  std::size_t head_end = 0;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > kMaxHead || !fill()) return std::nullopt;
  }
  ReceivedRequest request;
  request.connection = index_;
  request.sequence = sequence_++;
  const std::string_view head(buffer_.data(), head_end);
  auto line_end = head.find("\r\n");
  const auto request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return std::nullopt;
  request.method = request_line.substr(0, sp1);
  request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  request.version = request_line.substr(sp2 + 1);
  std::size_t content_length = 0;
  bool expect_continue = false;
  while (line_end != std::string_view::npos && line_end < head.size()) {
    const auto start = line_end + 2;
    line_end = head.find("\r\n", start);
    const auto line = head.substr(start, line_end == std::string_view::npos ? head.size() - start
                                                                           : line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = trim(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    request.headers.emplace_back(std::string(name), std::string(value));
    if (iequals(name, "Content-Length")) {
      std::from_chars(value.data(), value.data() + value.size(), content_length);
    } else if (iequals(name, "Expect") && iequals(value, "100-continue")) {
      expect_continue = true;
    } else if (iequals(name, "Transfer-Encoding")) {
      return std::nullopt;  // chunked request bodies are not needed by kmeet's tests
    }
  }
  buffer_.erase(0, head_end + 4);
  if (expect_continue && buffer_.size() < content_length) {
    if (!send("HTTP/1.1 100 Continue\r\n\r\n")) return std::nullopt;
  }
  while (buffer_.size() < content_length) {
    if (!fill()) return std::nullopt;
  }
  request.body = buffer_.substr(0, content_length);
  buffer_.erase(0, content_length);
  return request;
}

// ---- response helpers -------------------------------------------------------------------------

std::string http_response(int status, std::string_view body, const HttpHeaders& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

std::string chunked_head(int status, const HttpHeaders& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "Transfer-Encoding: chunked\r\n\r\n";
  return out;
}

std::string chunk(std::string_view data) {
  char size[32];
  const auto [end, ec] = std::to_chars(size, size + sizeof size, data.size(), 16);
  (void)ec;
  std::string out(size, end);
  out += "\r\n";
  out += data;
  out += "\r\n";
  return out;
}

// ---- LoopbackServer ---------------------------------------------------------------------------

LoopbackServer::LoopbackServer(Handler handler, AcceptHandler on_accept)
    : handler_(std::move(handler)), on_accept_(std::move(on_accept)) {
  listen_fd_ = listen_on_loopback(128, port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() { stop(); }

std::string LoopbackServer::url(std::string_view path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path_and_query);
}

std::size_t LoopbackServer::requests_received() const {
  const std::lock_guard lock(mutex_);
  return requests_.size();
}

std::vector<ReceivedRequest> LoopbackServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void LoopbackServer::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return;
  }
  wake_.notify_all();
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    const std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void LoopbackServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollSliceMs) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const std::size_t index = connections_++;
    const std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd, index] { serve(fd, index); });
  }
}

void LoopbackServer::serve(int fd, std::size_t index) {
  Connection connection(fd, index, stopping_, mutex_, wake_);
  if (on_accept_) on_accept_(connection);
  while (connection.is_open() && !stopping_) {
    auto request = connection.read_request();
    if (!request) break;
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(*request);
    }
    handler_(connection, *request);
  }
}

// ---- UnresponsiveListener ---------------------------------------------------------------------

UnresponsiveListener::UnresponsiveListener() {
  listen_fd_ = listen_on_loopback(0, port_);
  // Fill the accept queue (backlog 0 holds one connection) so later SYNs are dropped.
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  for (int i = 0; i < 3; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) fail("socket");
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers_.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

UnresponsiveListener::~UnresponsiveListener() {
  for (const int fd : fillers_) ::close(fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string UnresponsiveListener::url(std::string_view path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path_and_query);
}

}  // namespace kmeet::test
