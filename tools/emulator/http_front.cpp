#include "http_front.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common.hpp"

namespace kmeet::emulator {

namespace {

using Clock = std::chrono::steady_clock;

/// Body bytes read together with the head before a worker is used (most api_v3 calls fit).
constexpr std::size_t kPrebuffer = 64U * 1024U;
/// Wire bytes a chunked body may use beyond max_body for its framing.
constexpr std::size_t kChunkSlack = 64U * 1024U;
/// How long a refused connection is drained (its body discarded) so the client reads the answer.
constexpr int kDrainMs = 2000;
/// Most bytes handed to one SSL_read / SSL_write.
constexpr std::size_t kMaxTlsChunk = 1U << 30;
/// Requests on one connection before it is closed.
constexpr int kMaxRequestsPerConnection = 100000;

int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1000000));
}

std::string endpoint(const sockaddr_storage& a, int& port) {
  char host[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET6) {
    const auto* p = reinterpret_cast<const sockaddr_in6*>(&a);
    inet_ntop(AF_INET6, &p->sin6_addr, host, sizeof host);
    port = ntohs(p->sin6_port);
  } else {
    const auto* p = reinterpret_cast<const sockaddr_in*>(&a);
    inet_ntop(AF_INET, &p->sin_addr, host, sizeof host);
    port = ntohs(p->sin_port);
  }
  return host;
}

/// One client connection. Owned by the acceptor while parked, by a worker while it runs a request.
struct Conn {
  Conn() = default;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn() {
    if (ssl != nullptr) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
  }

  int fd = -1;
  SSL* ssl = nullptr;  ///< HTTPS: the TLS session on `fd` (the acceptor does the handshake)
  std::string in;      ///< bytes received and not yet consumed, from `pos`
  std::size_t pos = 0;
  std::size_t scanned = 0;  ///< `in` holds no head end before here (each byte is searched once)
  Clock::time_point since;  ///< parked at, or (bytes buffered) the first byte of the head
  bool draining = false;    ///< answered and half-closed: input is discarded until EOF or timeout
  std::uint64_t seq = 0;    ///< park order: the oldest parked connection is evicted first
  int served = 0;           ///< requests run on this connection
  std::string remote_ip, local_ip;
  int remote_port = 0, local_port = 0;

  [[nodiscard]] std::size_t buffered() const { return in.size() - pos; }
};

/// What the front needs from a request head (RFC 9112 framing only; cpp-httplib parses the rest).
struct Head {
  std::size_t size = 0;                 ///< request line + headers + blank line
  std::optional<std::uint64_t> length;  ///< Content-Length
  bool bad_length = false;
  bool chunked = false;
  bool encoded = false;  ///< a Content-Encoding other than identity
  bool expect_continue = false;
};

void read_header(Head& h, const std::string& name, const std::string& value) {
  if (name == "content-length") {
    if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos) {
      h.bad_length = true;
      return;
    }
    h.length = std::max<std::uint64_t>(h.length.value_or(0), std::stoull(value));
  } else if (name == "transfer-encoding") {
    h.chunked = to_lower(value).find("chunked") != std::string::npos;
  } else if (name == "content-encoding") {
    h.encoded = !value.empty() && to_lower(value) != "identity";
  } else if (name == "expect") {
    h.expect_continue = to_lower(value) == "100-continue";
  }
}

/// The head at the start of `text` (ending at `end`, the index of "\r\n\r\n").
Head parse_head(const std::string& text, std::size_t begin, std::size_t end) {
  Head h;
  h.size = end + 4 - begin;
  std::size_t line = text.find("\r\n", begin) + 2;  // skip the request line
  while (line < end + 2) {
    const std::size_t eol = text.find("\r\n", line);
    const std::size_t colon = text.find(':', line);
    if (colon != std::string::npos && colon < eol) {
      read_header(h, to_lower(trim(text.substr(line, colon - line))),
                  trim(text.substr(colon + 1, eol - colon - 1)));
    }
    line = eol + 2;
  }
  return h;
}

std::string status_line(int status) {
  switch (status) {
    case 400: return "400 Bad Request";
    case 408: return "408 Request Timeout";
    case 413: return "413 Payload Too Large";
    case 415: return "415 Unsupported Media Type";
    case 431: return "431 Request Header Fields Too Large";
    default: return "503 Service Unavailable";
  }
}

/// The outcome of an SSL_* call as recv()/send() report theirs: -1 with errno EAGAIN while TLS
/// waits for the socket (`want_write`: for it to be writable), 0 at the end, -1 with EIO on errors.
ssize_t tls_result(const Conn& c, int r, bool& want_write) {
  if (r > 0) return r;
  const int e = SSL_get_error(c.ssl, r);
  ERR_clear_error();
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    want_write = e == SSL_ERROR_WANT_WRITE;
    errno = EAGAIN;
    return -1;
  }
  if (e == SSL_ERROR_ZERO_RETURN) return 0;
  errno = EIO;
  return -1;
}

/// recv() on the connection, through TLS (handshake first) when it has a session.
ssize_t conn_recv(Conn& c, char* buf, std::size_t n, bool& want_write) {
  want_write = false;
  if (c.ssl == nullptr) return ::recv(c.fd, buf, n, 0);
  ERR_clear_error();
  if (SSL_is_init_finished(c.ssl) == 0) {
    const int r = SSL_do_handshake(c.ssl);
    if (r != 1) return tls_result(c, r, want_write);
  }
  return tls_result(c, SSL_read(c.ssl, buf, static_cast<int>(std::min<std::size_t>(n, kMaxTlsChunk))),
                    want_write);
}

ssize_t conn_send(Conn& c, const char* buf, std::size_t n, bool& want_write) {
  want_write = false;
  if (c.ssl == nullptr) return ::send(c.fd, buf, n, MSG_NOSIGNAL);
  ERR_clear_error();
  return tls_result(c, SSL_write(c.ssl, buf, static_cast<int>(std::min<std::size_t>(n, kMaxTlsChunk))),
                    want_write);
}

SSL_CTX* make_tls_context(const std::string& cert, const std::string& key) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr || SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    if (ctx != nullptr) SSL_CTX_free(ctx);
    ERR_clear_error();
    throw std::runtime_error("cannot load the TLS certificate " + cert + " / key " + key);
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return ctx;
}

thread_local bool tl_over_cap = false;
/// Set by respond_at() while a worker runs a request: the answer is held and written when due.
thread_local std::optional<Clock::time_point> tl_respond_at;
/// Set by reset_when_due(): the delayed answer is a reset.
thread_local bool tl_reset = false;

/// The stream cpp-httplib reads a request from and writes its answer to: the connection's
/// buffered bytes first, then the socket, each wait bounded by the request's deadlines.
class ConnStream final : public httplib::Stream {
 public:
  ConnStream(Conn& c, const ServerLimits& lim)
      : c_(c),
        lim_(lim),
        read_deadline_(Clock::now() + std::chrono::milliseconds(lim.io_timeout_ms)),
        budget_(lim.max_head + lim.max_body + kChunkSlack) {}

  bool is_readable() const override { return c_.buffered() > 0 || wait(POLLIN, read_deadline_); }
  bool is_writable() const override { return wait(POLLOUT, write_deadline()); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.buffered() == 0 && !fill()) {
      return -1;
    }
    const std::size_t n = std::min(size, c_.buffered());
    if (consumed_ + n > budget_) {
      tl_over_cap = true;
      broken_ = true;
      return -1;
    }
    std::memcpy(ptr, c_.in.data() + c_.pos, n);
    c_.pos += n;
    consumed_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (tl_respond_at) {  // a delayed answer: kept for the timer thread (HttpFront::Impl::timer)
      held_.append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    std::size_t done = 0;
    while (done < size) {
      bool want_write = true;
      const ssize_t n = conn_send(c_, ptr + done, size - done, want_write);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
                 wait(c_.ssl != nullptr && !want_write ? POLLIN : POLLOUT, write_deadline())) {
        continue;
      } else if (!(n < 0 && errno == EINTR)) {
        broken_ = true;
        return -1;
      }
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.remote_ip;
    port = c_.remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  // cpp-httplib only compares this with FD_SETSIZE (its select()-based waits, which this stream
  // does not use): report a small number for the high descriptors many connections bring.
  socket_t socket() const override { return c_.fd < FD_SETSIZE ? c_.fd : 0; }

  [[nodiscard]] bool broken() const { return broken_; }
  /// The answer bytes held back by respond_at(), moved out.
  std::string take_held() { return std::move(held_); }

 private:
  Clock::time_point write_deadline() const {
    if (!write_started_) {
      write_started_ = true;
      write_deadline_ = Clock::now() + std::chrono::milliseconds(lim_.io_timeout_ms);
    }
    return write_deadline_;
  }

  bool wait(short events, Clock::time_point deadline) const {
    pollfd p{c_.fd, events, 0};
    for (;;) {
      const int r = ::poll(&p, 1, ms_left(deadline));
      if (r > 0) return true;
      if (r == 0 || errno != EINTR) return false;
    }
  }

  bool fill() {
    c_.in.clear();
    c_.pos = 0;
    char buf[16384];
    for (;;) {
      bool want_write = false;
      const ssize_t n = conn_recv(c_, buf, sizeof buf, want_write);
      if (n > 0) {
        c_.in.append(buf, static_cast<std::size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
          wait(want_write ? POLLOUT : POLLIN, read_deadline_)) {
        continue;
      }
      broken_ = true;
      return false;
    }
  }

  Conn& c_;
  const ServerLimits& lim_;
  Clock::time_point read_deadline_;
  mutable Clock::time_point write_deadline_;
  mutable bool write_started_ = false;
  std::size_t budget_;
  std::size_t consumed_ = 0;
  bool broken_ = false;
  std::string held_;
};

/// Writes all of `out` to the connection, waiting for the socket at most `timeout_ms` in all.
bool write_all(Conn& c, const std::string& out, int timeout_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::size_t done = 0;
  while (done < out.size()) {
    bool want_write = true;
    const ssize_t n = conn_send(c, out.data() + done, out.size() - done, want_write);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{c.fd, static_cast<short>(c.ssl != nullptr && !want_write ? POLLIN : POLLOUT), 0};
      if (::poll(&p, 1, ms_left(deadline)) > 0) continue;
    }
    return false;
  }
  return true;
}

/// An answer waiting for its time (--latency), with its connection.
struct Delayed {
  std::unique_ptr<Conn> conn;
  std::string out;
  bool close = false;  ///< close the connection once written (else park it again)
  bool reset = false;  ///< reset the connection (TCP RST) instead of writing
};

/// Closes the connection with a RST (SO_LINGER 0), not a FIN.
void abort_connection(Conn& c) {
  const linger hard{1, 0};
  ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
}

}  // namespace

bool body_over_cap() { return tl_over_cap; }

void respond_at(Clock::time_point due) { tl_respond_at = due; }

void reset_when_due() { tl_reset = true; }

std::string limit_error_body(const std::string& message) { return nlohmann::json{{"error", message}}.dump(); }

struct HttpFront::Impl {
  Impl(Router& r, ServerLimits l) : router(r), lim(l) {}

  Router& router;
  ServerLimits lim;
  int listen_fd = -1;
  int wake_fd = -1;
  SSL_CTX* tls = nullptr;  ///< HTTPS when set
  int ep = -1;
  std::atomic<bool> stopping{false};
  std::atomic<int> open{0};  ///< every open connection: parked, queued or running

  // Owned by the acceptor thread.
  std::unordered_map<int, std::unique_ptr<Conn>> parked;
  std::map<std::uint64_t, int> park_order;
  std::uint64_t next_seq = 0;

  // Hand-over between the acceptor and the workers.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::unique_ptr<Conn>> ready;      ///< acceptor -> workers
  std::vector<std::unique_ptr<Conn>> returned;  ///< workers -> acceptor
  std::vector<std::thread> workers;

  // Delayed answers (--latency): workers -> the timer thread, by due time.
  std::mutex delay_mu;
  std::condition_variable delay_cv;
  std::multimap<Clock::time_point, Delayed> delayed;
  std::thread timer_thread;

  void close_conn(std::unique_ptr<Conn> c) {
    c.reset();
    --open;
  }

  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd, &one, sizeof one);
  }

  std::unique_ptr<Conn> unpark(int fd) {
    const auto it = parked.find(fd);
    std::unique_ptr<Conn> c = std::move(it->second);
    parked.erase(it);
    park_order.erase(c->seq);
    ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    return c;
  }

  void park(std::unique_ptr<Conn> c) {
    c->since = Clock::now();
    c->seq = next_seq++;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = c->fd;
    if (::epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
      close_conn(std::move(c));
      return;
    }
    const int fd = c->fd;
    park_order[c->seq] = fd;
    parked[fd] = std::move(c);
    const Conn& p = *parked[fd];
    if (!p.draining && p.ssl != nullptr && SSL_pending(p.ssl) > 0) {
      on_readable(fd);  // TLS already holds decrypted bytes: the socket may never be readable again
    } else if (!p.draining && p.buffered() > 0) {
      decide(fd);  // a pipelined request may already be complete
    }
  }

  /// Answers `status` with `message` without a worker, then drains and closes the connection.
  void refuse(int fd, int status, const std::string& message) {
    Conn& c = *parked.at(fd);
    const std::string body = limit_error_body(message);
    const std::string out = "HTTP/1.1 " + status_line(status) +
                            "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
    bool want_write = false;
    [[maybe_unused]] const auto n = conn_send(c, out.data(), out.size(), want_write);  // best effort
    ::shutdown(c.fd, SHUT_WR);
    c.draining = true;
    c.in.clear();
    c.pos = 0;
    c.since = Clock::now();
  }

  void dispatch(int fd) {
    std::unique_ptr<Conn> c = unpark(fd);
    {
      std::lock_guard<std::mutex> lock(mu);
      ready.push_back(std::move(c));
    }
    cv.notify_one();
  }

  /// Looks at the buffered head: refuses what breaks a limit, dispatches a complete request.
  void decide(int fd) {
    Conn& c = *parked.at(fd);
    const std::size_t end = c.in.find("\r\n\r\n", std::max(c.pos, c.scanned > 3 ? c.scanned - 3 : 0));
    c.scanned = end == std::string::npos ? c.in.size() : end;
    if (end == std::string::npos || end + 4 - c.pos > lim.max_head) {
      if (c.buffered() > lim.max_head) {
        refuse(fd, 431, "request line and headers are over " + std::to_string(lim.max_head) + " bytes");
      }
      return;
    }
    const Head h = parse_head(c.in, c.pos, end);
    if (h.bad_length) {
      refuse(fd, 400, "Content-Length is not a number");
    } else if (h.encoded) {
      refuse(fd, 415, "Content-Encoding is not supported: send the body uncompressed");
    } else if (!h.chunked && h.length.value_or(0) > lim.max_body) {
      refuse(fd, 413,
             "request body of " + std::to_string(*h.length) + " bytes is over the limit of " +
                 std::to_string(lim.max_body) + " bytes (--max-body)");
    } else {
      const std::size_t body =
          h.chunked || h.expect_continue ? 0 : static_cast<std::size_t>(h.length.value_or(0));
      if (c.buffered() >= h.size + std::min(body, kPrebuffer)) {
        dispatch(fd);
      }
    }
  }

  void on_readable(int fd) {
    Conn& c = *parked.at(fd);
    const std::size_t want = lim.max_head + kPrebuffer + 1;
    char buf[16384];
    for (;;) {
      const std::size_t room =
          c.draining ? sizeof buf : std::min(sizeof buf, want - std::min(want, c.buffered()));
      if (room == 0) break;
      bool want_write = false;
      const ssize_t n = conn_recv(c, buf, room, want_write);
      if (n > 0) {
        if (c.buffered() == 0 && !c.draining) c.since = Clock::now();  // the head's first byte
        if (!c.draining) c.in.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      close_conn(unpark(fd));  // EOF or error
      return;
    }
    if (!c.draining) decide(fd);
  }

  void evict_oldest() {
    if (!park_order.empty()) close_conn(unpark(park_order.begin()->second));
  }

  void accept_all() {
    for (;;) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      const int fd =
          ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if ((errno == EMFILE || errno == ENFILE) && !park_order.empty()) {
          evict_oldest();  // out of descriptors: the oldest idle or slow connection goes
          continue;
        }
        if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return;
      }
      if (open.load() >= lim.max_connections) {
        evict_oldest();
        if (open.load() >= lim.max_connections) {  // every connection runs a request: refuse this one
          ::close(fd);
          continue;
        }
      }
      ++open;
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      if (tls != nullptr && !start_tls(*c)) {
        close_conn(std::move(c));
        continue;
      }
      c->remote_ip = endpoint(peer, c->remote_port);
      sockaddr_storage local{};
      socklen_t llen = sizeof local;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen);
      c->local_ip = endpoint(local, c->local_port);
      const int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      park(std::move(c));
    }
  }

  bool start_tls(Conn& c) const {
    c.ssl = SSL_new(tls);
    if (c.ssl == nullptr || SSL_set_fd(c.ssl, c.fd) != 1) {
      ERR_clear_error();
      return false;
    }
    SSL_set_accept_state(c.ssl);
    return true;
  }

  /// Closes parked connections past their timeout; a half-sent head is answered 408 first.
  void sweep() {
    const auto now = Clock::now();
    std::vector<int> expired;
    for (const auto& [fd, c] : parked) {
      const int limit = c->draining         ? kDrainMs
                        : c->buffered() > 0 ? lim.header_timeout_ms
                                            : lim.keep_alive_timeout_ms;
      if (now - c->since >= std::chrono::milliseconds(limit)) expired.push_back(fd);
    }
    for (const int fd : expired) {
      Conn& c = *parked.at(fd);
      if (!c.draining && c.buffered() > 0) {
        refuse(fd, 408,
               "request headers not complete within " + std::to_string(lim.header_timeout_ms / 1000) +
                   " s (--header-timeout)");
        c.since = now - std::chrono::milliseconds(kDrainMs - 200);  // drain briefly
      } else {
        close_conn(unpark(fd));
      }
    }
  }

  void take_returned() {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto n = ::read(wake_fd, &count, sizeof count);
    std::vector<std::unique_ptr<Conn>> back;
    {
      std::lock_guard<std::mutex> lock(mu);
      back.swap(returned);
    }
    for (auto& c : back) {
      if (c->draining) ::shutdown(c->fd, SHUT_WR);
      park(std::move(c));
    }
  }

  void give_back(std::unique_ptr<Conn> c) {
    {
      std::lock_guard<std::mutex> lock(mu);
      returned.push_back(std::move(c));
    }
    wake();
  }

  /// Runs the request buffered on `c`; then hands it back to be parked, or closes it.
  void serve(std::unique_ptr<Conn> c) {
    ConnStream s(*c, lim);
    tl_over_cap = false;
    tl_respond_at.reset();
    tl_reset = false;
    bool closed = false;
    const bool last = stopping.load() || ++c->served >= kMaxRequestsPerConnection;
    const bool ok = router.serve(s, last, closed);
    const bool over_cap = tl_over_cap;
    tl_over_cap = false;
    const std::optional<Clock::time_point> due = tl_respond_at;
    const bool reset = due && tl_reset;
    tl_respond_at.reset();
    tl_reset = false;
    const bool close = !over_cap && (!ok || closed || last || s.broken());
    if (over_cap) c->draining = true;  // 413 sent: discard what the client still sends, then close
    c->in.erase(0, c->pos);
    c->pos = 0;
    c->scanned = 0;
    std::string held = s.take_held();
    if (due && (!held.empty() || reset)) {
      delay(*due, Delayed{std::move(c), std::move(held), close || reset, reset});
      return;
    }
    if (close) {
      close_conn(std::move(c));
      return;
    }
    give_back(std::move(c));
  }

  void delay(Clock::time_point due, Delayed d) {
    {
      const std::lock_guard<std::mutex> lock(delay_mu);
      delayed.emplace(due, std::move(d));
    }
    delay_cv.notify_one();
  }

  /// The timer thread: writes each delayed answer when it is due, then parks or closes its
  /// connection. One thread holds any number of them (a delayed answer costs no worker).
  void timer() {
    std::unique_lock<std::mutex> lock(delay_mu);
    while (!stopping.load()) {
      if (delayed.empty()) {
        delay_cv.wait(lock);
        continue;
      }
      const auto first = delayed.begin();
      if (first->first > Clock::now()) {
        delay_cv.wait_until(lock, first->first);
        continue;
      }
      Delayed d = std::move(first->second);
      delayed.erase(first);
      lock.unlock();
      if (d.reset) abort_connection(*d.conn);
      if (!d.reset && write_all(*d.conn, d.out, lim.io_timeout_ms) && !d.close) {
        give_back(std::move(d.conn));
      } else {
        close_conn(std::move(d.conn));
      }
      lock.lock();
    }
  }

  void worker() {
    for (;;) {
      std::unique_ptr<Conn> c;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stopping.load() || !ready.empty(); });
        if (ready.empty()) return;
        c = std::move(ready.front());
        ready.pop_front();
      }
      serve(std::move(c));
    }
  }
};

HttpFront::HttpFront(Router& router, ServerLimits limits) : impl_(std::make_unique<Impl>(router, limits)) {}

HttpFront::~HttpFront() {
  stop();
  Impl& m = *impl_;
  m.parked.clear();  // the connections close themselves
  m.ready.clear();
  m.returned.clear();
  m.delayed.clear();
  for (const int fd : {m.listen_fd, m.wake_fd, m.ep}) {
    if (fd >= 0) ::close(fd);
  }
  if (m.tls != nullptr) SSL_CTX_free(m.tls);
}

int HttpFront::bind(const std::string& host, int port) {
  Impl& m = *impl_;
  if (!m.lim.tls_cert.empty()) {
    m.tls = make_tls_context(m.lim.tls_cert, m.lim.tls_key);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string where = "cannot listen on " + host + ":" + std::to_string(port);
  const int gai = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (gai != 0) throw std::runtime_error(where + " (" + ::gai_strerror(gai) + ")");
  int err = 0;
  for (addrinfo* a = res; a != nullptr && m.listen_fd < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR only (not SO_REUSEPORT): a restart works at once, a busy port fails.
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      m.listen_fd = fd;
    } else {
      err = errno;
      ::close(fd);
    }
  }
  ::freeaddrinfo(res);
  if (m.listen_fd < 0) throw std::runtime_error(where + " (" + std::strerror(err) + ")");
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  ::getsockname(m.listen_fd, reinterpret_cast<sockaddr*>(&local), &len);
  int bound = 0;
  endpoint(local, bound);
  m.ep = ::epoll_create1(EPOLL_CLOEXEC);
  m.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  for (const int fd : {m.listen_fd, m.wake_fd}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(m.ep, EPOLL_CTL_ADD, fd, &ev);
  }
  // Connections beyond the descriptor limit could not be accepted anyway.
  rlimit nofile{};
  if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
    m.lim.max_connections =
        std::max(1, std::min<int>(m.lim.max_connections, static_cast<int>(nofile.rlim_cur) - 64));
  }
  return bound;
}

void HttpFront::run() {
  Impl& m = *impl_;
  for (int i = 0; i < std::max(2, m.lim.threads); ++i) m.workers.emplace_back([&m] { m.worker(); });
  m.timer_thread = std::thread([&m] { m.timer(); });
  std::vector<epoll_event> events(256);
  auto last_sweep = Clock::now();
  while (!m.stopping.load()) {
    const int n = ::epoll_wait(m.ep, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == m.listen_fd) {
        m.accept_all();
      } else if (fd == m.wake_fd) {
        m.take_returned();
      } else if (m.parked.count(fd) != 0) {
        m.on_readable(fd);
      }
    }
    if (Clock::now() - last_sweep >= std::chrono::milliseconds(100)) {
      m.sweep();
      last_sweep = Clock::now();
    }
  }
  { const std::lock_guard<std::mutex> lock(m.mu); }  // a worker between its check and its wait
  m.cv.notify_all();
  for (auto& t : m.workers) t.join();
  m.workers.clear();
  { const std::lock_guard<std::mutex> lock(m.delay_mu); }  // the timer between its check and its wait
  m.delay_cv.notify_all();
  if (m.timer_thread.joinable()) m.timer_thread.join();
}

void HttpFront::stop() {
  Impl& m = *impl_;
  if (m.stopping.exchange(true)) return;
  if (m.wake_fd >= 0) m.wake();
  { const std::lock_guard<std::mutex> lock(m.mu); }
  m.cv.notify_all();
  { const std::lock_guard<std::mutex> lock(m.delay_mu); }
  m.delay_cv.notify_all();
}

}  // namespace kmeet::emulator
