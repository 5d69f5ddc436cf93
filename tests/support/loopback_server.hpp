#pragma once
// A scriptable HTTP/1.1 server on 127.0.0.1 for transport tests: plain POSIX sockets, one thread
// per connection. A handler decides, per received request, which raw bytes to send, how fast, and
// how the connection ends (keep open, close, reset with RST, hang). Counts connections and requests.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kmeet/http.hpp"

namespace kmeet::test {

/// A request as the server read it off the socket.
struct ReceivedRequest {
  std::string method;
  std::string target;   ///< e.g. `/api_v3/service/x/action/y?a=b`
  std::string version;  ///< e.g. `HTTP/1.1`
  HttpHeaders headers;  ///< in the order received
  std::string body;
  std::size_t connection = 0;  ///< 0-based index of the connection it arrived on
  std::size_t sequence = 0;    ///< 0-based index of the request on that connection
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// One accepted connection, as a handler sees it. All waits end early when the server stops.
class Connection {
 public:
  Connection(int fd, std::size_t index, const std::atomic<bool>& stopping, std::mutex& mutex,
             std::condition_variable& wake);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sends all bytes; false when the peer is gone or the server is stopping.
  bool send(std::string_view bytes);
  /// Sends the bytes one at a time with `gap` between them (a slow drip).
  bool drip(std::string_view bytes, std::chrono::milliseconds gap);
  /// Sleeps, or returns early when the server stops.
  void sleep(std::chrono::milliseconds duration);
  /// Holds the connection open without answering until the peer leaves or the server stops.
  void hang();
  /// Orderly close (FIN).
  void close();
  /// Abortive close: SO_LINGER {1, 0} then close, so the peer gets a TCP RST.
  void reset();
  [[nodiscard]] bool is_open() const { return fd_ >= 0; }
  [[nodiscard]] std::size_t index() const { return index_; }

  /// Reads the next request; nullopt when the peer closed, on a malformed request, or on stop.
  std::optional<ReceivedRequest> read_request();

 private:
  bool wait_readable();
  int fd_;
  std::size_t index_;
  std::size_t sequence_ = 0;
  std::string buffer_;
  const std::atomic<bool>& stopping_;
  std::mutex& mutex_;
  std::condition_variable& wake_;
};

/// `HTTP/1.1 <status> <reason>` with Content-Length and the given headers and body.
std::string http_response(int status, std::string_view body, const HttpHeaders& headers = {});
/// The status line and headers of a chunked response (`Transfer-Encoding: chunked`), no body.
std::string chunked_head(int status, const HttpHeaders& headers = {});
/// One chunk of a chunked body; an empty `data` is the terminating chunk.
std::string chunk(std::string_view data);

class LoopbackServer {
 public:
  /// Called for every request after it was read and counted.
  using Handler = std::function<void(Connection&, const ReceivedRequest&)>;
  /// Called when a connection is accepted, before any read; may send, close, reset or hang.
  using AcceptHandler = std::function<void(Connection&)>;

  explicit LoopbackServer(Handler handler, AcceptHandler on_accept = {});
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  /// `http://127.0.0.1:<port>` followed by `path_and_query`.
  [[nodiscard]] std::string url(std::string_view path_and_query = "/") const;
  [[nodiscard]] std::size_t connections_accepted() const { return connections_.load(); }
  [[nodiscard]] std::size_t requests_received() const;
  [[nodiscard]] std::vector<ReceivedRequest> requests() const;
  /// Stops accepting, wakes every handler and joins all threads. Idempotent.
  void stop();

 private:
  void accept_loop();
  void serve(int fd, std::size_t index);

  Handler handler_;
  AcceptHandler on_accept_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<ReceivedRequest> requests_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

/// A listening socket whose accept queue is full and is never accepted from: a TCP connect to it
/// gets no answer, so a client's connect timeout fires.
class UnresponsiveListener {
 public:
  UnresponsiveListener();
  ~UnresponsiveListener();
  UnresponsiveListener(const UnresponsiveListener&) = delete;
  UnresponsiveListener& operator=(const UnresponsiveListener&) = delete;
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url(std::string_view path_and_query = "/") const;

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

}  // namespace kmeet::test
