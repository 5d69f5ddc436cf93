#pragma once
// The emulator's HTTP front (HTTP, or HTTPS with OpenSSL): its own accept loop around cpp-httplib's
// request processing. One thread waits on every connection with epoll until a whole request head (and a
// small body) has arrived; only then does a worker thread run the request. So idle keep-alive
// connections and slow senders (slowloris) cost no worker, and they are closed after their
// timeouts. A delayed answer (--latency, respond_at()) costs no worker either: the worker hands the
// finished answer to one timer thread, which writes it when it is due. See docs/emulator.md "Limits".

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace kmeet::emulator {

struct ServerLimits {
  std::size_t max_body = 16U * 1024U * 1024U;  ///< --max-body: request body bytes
  std::size_t max_head = 64U * 1024U;          ///< request line + headers
  int max_connections = 1024;                  ///< --max-connections: open sockets
  int threads = 64;                            ///< --threads: workers running requests
  int keep_alive_timeout_ms = 5000;            ///< --keep-alive-timeout: no request in progress
  int header_timeout_ms = 10000;               ///< --header-timeout: head complete after its 1st byte
  int io_timeout_ms = 30000;                   ///< body read, and response write, of one request
  std::string tls_cert;                        ///< --tls-cert / --tls-key: PEM files; both empty = HTTP
  std::string tls_key;
};

/// cpp-httplib's Server used only for routing and processing one request on a given stream.
class Router : public httplib::Server {
 public:
  bool serve(httplib::Stream& strm, bool close_connection, bool& connection_closed) {
    return process_request(strm, close_connection, connection_closed, nullptr);
  }
};

class HttpFront {
 public:
  HttpFront(Router& router, ServerLimits limits);
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  /// Loads the TLS files (if any), binds and listens on host:port (0 = a free port); returns the
  /// port. Throws std::runtime_error "cannot load the TLS certificate ..." or
  /// "cannot listen on HOST:PORT (reason)".
  int bind(const std::string& host, int port);
  /// Serves until stop(); call on a thread of its own.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Called by a request handler on a worker thread: the answer of the current request is written
/// when `due` comes (--latency), by the front's timer thread, not by this worker, which goes on
/// to the next request. The connection waits (parked nowhere) until then.
void respond_at(std::chrono::steady_clock::time_point due);

/// With respond_at(): when the answer is due, the connection is reset (a TCP RST) instead of
/// answered (the emulator's reset faults under --latency).
void reset_when_due();

/// True on a worker thread whose current request's body went over ServerLimits::max_body
/// (a chunked body; a Content-Length over the cap is refused before any body byte is read).
bool body_over_cap();

/// The 413/4xx answer body: `{"error":"<message>"}`.
std::string limit_error_body(const std::string& message);

}  // namespace kmeet::emulator
