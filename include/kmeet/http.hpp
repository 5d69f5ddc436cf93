#pragma once
/// @file http.hpp
/// The HTTP layer: plain request/response values and a one-method Transport interface.
/// kmeet ships `CurlTransport` (libcurl); users may plug in their own (another HTTP stack, a
/// recorder, a proxy). The scripted `kmeet::testing::MockTransport` for byte-level tests is in
/// `kmeet/testing/mock_transport.hpp` (library `kmeet::testing`).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmeet {

/// Ordered header list; names compare case-insensitively.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive header lookup; the first match wins.
std::optional<std::string> find_header(const HttpHeaders& headers, std::string_view name);

/// The two methods Kaltura's endpoints use.
enum class HttpMethod { get, post };

/// One HTTP request, as a plain value.
struct HttpRequest {
  /// GET or POST (api_v3 calls are POSTs).
  HttpMethod method = HttpMethod::post;
  /// Absolute `http://` or `https://` URL.
  std::string url;
  /// Request headers, in order.
  HttpHeaders headers;
  /// Request body (empty for GET).
  std::string body;
  /// False for requests that must never be sent twice (Kaltura `add`, multirequests with adds).
  /// A transport must not re-send such a request on its own; when the outcome is in doubt it
  /// throws `TransportError` with `outcome_unknown() == true`.
  bool idempotent = false;
  /// Per-request total timeout; zero means the transport's default.
  std::chrono::milliseconds timeout{0};
};

/// One HTTP response, whatever its status.
struct HttpResponse {
  /// HTTP status code.
  int status = 0;
  /// Response headers, in order.
  HttpHeaders headers;
  /// The whole body.
  std::string body;
  /// How many times the request went out to get this answer. More than 1 when the transport
  /// re-sent an idempotent request on its own (libcurl does so when a reused keep-alive
  /// connection closes before any byte of the answer): an earlier copy may have been executed,
  /// so a delete answered "not found" may have been done by that copy.
  int sends = 1;
  /// The first header named `name` (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// Sends one request and returns the response, whatever its status.
///
/// A 4xx/5xx answer is a *response* (with `status`, headers and body), not an exception: the api
/// layer turns any status other than 200 into `HttpError`. `send` throws `TransportError` only when
/// no complete response was received; its `outcome_unknown()` is true when the request may have
/// reached the server (it was at least partly sent), false when it certainly was not (connect,
/// DNS or TLS handshake failure before sending). Implementations must be safe to call from several
/// threads at once and must never re-send a request whose `idempotent` flag is false.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends `request` and returns the response; see the class comment for the contract.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

/// Options for `CurlTransport`. Defaults are right for production.
struct HttpOptions {
  /// Time allowed to connect (TCP + TLS handshake).
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};       ///< total time for one request
  bool verify_tls = true;                          ///< turning this off needs an explicit choice
  std::string ca_file;                             ///< PEM bundle; empty = system default
  std::string ca_path;                             ///< directory of CA certificates
  std::string proxy;                               ///< e.g. `http://proxy:3128`; empty = libcurl's
                                                   ///< default (the `https_proxy`/`http_proxy` env)
  std::size_t max_response_bytes = 64U << 20U;     ///< bodies larger than this are refused
  std::string user_agent;                          ///< empty = `kmeet/<version>`
};

/// The default transport, on libcurl: keep-alive connection reuse (a pool of easy handles shared by
/// threads), timeouts, TLS verification, proxy, a response size cap enforced while receiving.
///
/// Guarantees (see docs/http.md):
/// - a request with `idempotent == false` is sent at most once: when a reused keep-alive connection
///   dies before the response, libcurl's silent re-send is refused and `send` throws
///   `TransportError{reset}` with `outcome_unknown() == true`; idempotent requests may be re-sent
///   once by libcurl on a fresh connection;
/// - bodies over `max_response_bytes` (chunked or not) are refused while receiving:
///   `TransportError{too_large}`;
/// - error messages show `scheme://host:port/path` only, never the query string or any body bytes.
/// No global initialisation is needed (libcurl is initialised once, on first construction).
/// Requests are validated before sending: a URL that is not absolute http(s), line breaks in
/// headers, or a body on a GET throw `ValidationError`.
class CurlTransport : public Transport {
 public:
  /// A transport with these options; sends nothing yet. Throws ValidationError for a bad option,
  /// and TransportError (kind `other`) when libcurl cannot be loaded (docs/http.md).
  explicit CurlTransport(HttpOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;
  /// Sends `request` over a pooled connection (see the guarantees above).
  HttpResponse send(const HttpRequest& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmeet
