#pragma once
// The async engine (docs/async.md): one thread running one event loop over a libcurl multi handle
// (curl_multi_socket_action driven by epoll, so a wait costs the same with 1 or 1,000 transfers in
// flight; keep-alive connections reused across requests, HTTP/2 multiplexing where the server
// offers it) and the fibers of the asynchronous calls
// (core/fiber.hpp). A call's fiber runs kmeet's ordinary code; CurlTransport, seeing it runs on an
// engine fiber, hands its easy handle to the loop (perform()) and the fiber suspends until the
// transfer ends. Timers (backoff, throttling and rate-limit waits) and wakes from other threads
// (a cancellation, a lock released) resume fibers through the same loop.

#include <curl/curl.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <thread>

namespace kmeet::detail {

class AsyncEngine {
 public:
  /// Starts the engine's thread. Throws TransportError when libcurl cannot be loaded.
  AsyncEngine();
  /// Waits for every fiber to end, then stops the thread. When the last owner lets go on the
  /// engine's own thread (a call's fiber held the last Client), the thread is left to finish its
  /// fibers and stop by itself. At exit the EngineRegistry stops every engine first.
  ~AsyncEngine();
  AsyncEngine(const AsyncEngine&) = delete;
  AsyncEngine& operator=(const AsyncEngine&) = delete;

  /// Runs `body` as a fiber on the engine's thread, soon. `body` must not throw. Any thread.
  void spawn(std::function<void()> body) const;
  /// The engine's thread.
  [[nodiscard]] std::thread::id thread_id() const;
  /// Fibers spawned and not yet ended.
  [[nodiscard]] std::size_t fibers() const;

  /// True on a fiber of an engine: perform() may be called.
  static bool on_engine_fiber();
  /// From a fiber of an engine: runs the transfer `easy` (fully set up) on the engine's multi
  /// handle and returns its result once it is done; the engine's other fibers run meanwhile.
  static CURLcode perform(CURL* easy);

  struct Core;

 private:
  std::shared_ptr<Core> core_;  // shared with the thread, which may outlive this object
  std::thread::id thread_id_;   // the thread itself is with the EngineRegistry
};

}  // namespace kmeet::detail
