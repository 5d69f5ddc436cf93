#pragma once
/// @file testing/mock_transport.hpp
/// A scripted `Transport` for byte-level tests of code that uses kmeet: it records every request
/// and answers from a queue. Part of the `kmeet::testing` library (link `kmeet::testing`). To test
/// against something that behaves like Kaltura instead of scripting its JSON, use
/// `kmeet::testing::LocalKaltura` (`kmeet/testing/local_kaltura.hpp`).

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "kmeet/http.hpp"

namespace kmeet::testing {

/// A scripted transport for tests: records every request and answers from a queue of responses,
/// then (when the queue is used up) from the handler. Without a handler, a request beyond the
/// script throws `std::logic_error`. Thread-safe; the handler runs outside the internal lock.
class MockTransport : public Transport {
 public:
  /// Answers requests once the scripted queue is used up.
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  MockTransport() = default;
  /// A transport that answers every unscripted request with `handler`.
  explicit MockTransport(Handler handler) : handler_(std::move(handler)) {}

  /// Queue a 200 response with a JSON body (`Content-Type: application/json`).
  MockTransport& reply_json(std::string body);
  /// Queue any response.
  MockTransport& reply(HttpResponse response);
  /// Queue a transport failure: `thrower` is called in `send` and must throw (e.g. a TransportError).
  MockTransport& fail(std::function<void()> thrower);

  /// Records `request`, then answers from the queue or the handler.
  HttpResponse send(const HttpRequest& request) override;

  /// Every request sent so far, in order.
  [[nodiscard]] std::vector<HttpRequest> requests() const;
  /// How many requests were sent so far.
  [[nodiscard]] std::size_t request_count() const;
  /// The last request; throws std::logic_error when none was sent.
  [[nodiscard]] HttpRequest last_request() const;

 private:
  struct Scripted {
    std::optional<HttpResponse> response;
    std::function<void()> thrower;
  };
  mutable std::mutex mutex_;
  Handler handler_;
  std::vector<Scripted> queue_;
  std::size_t next_ = 0;
  std::vector<HttpRequest> requests_;
};

}  // namespace kmeet::testing

namespace kmeet {
/// The old name (kmeet 0.1 declared it in `kmeet/http.hpp`).
using MockTransport
    [[deprecated("use kmeet::testing::MockTransport from <kmeet/testing/mock_transport.hpp>")]] =
        testing::MockTransport;
}  // namespace kmeet
