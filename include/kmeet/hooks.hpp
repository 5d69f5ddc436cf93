#pragma once
/// @file hooks.hpp
/// Logging and metrics hooks (`Config::log`, `Config::metrics`): plain callbacks, so kmeet can feed
/// any logger, Prometheus or OpenTelemetry without depending on them (docs/observability.md).
///
/// Masked by construction: a record has no field for a request or response body, a parameter, a
/// KS or a secret; the few values that come from the server (error code, `X-Me`,
/// `X-Kaltura-Session`) are redacted like ApiError's fields before the hook sees them.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

#include "kmeet/export.hpp"

namespace kmeet {

/// Severity of a LogRecord: `info` an answer without error, `warning` an API error answer (a
/// throttled call, a multirequest with item errors), `error` no usable answer (a transport failure,
/// an HTTP status other than 200, a body that is not the API's).
enum class LogLevel { info, warning, error };
/// `info`, `warning`, `error` (empty for a value that is not an enumerator; never throws: see
/// types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(LogLevel level) noexcept;

/// One HTTP request kmeet sent (one attempt of a call), after its answer or failure.
/// The string views are valid only during the callback: copy what you keep.
struct KMEET_EXPORT LogRecord {
  /// `info`, `warning` or `error` (see LogLevel).
  LogLevel level = LogLevel::info;
  /// The logical call this request belongs to: `service.action` of its first request (wire ids,
  /// e.g. `schedule_scheduleresource.add`), or `create_meetings`, `join`.
  std::string_view call;
  /// This request: `service.action`, or `multirequest(N)` for N calls in one round trip.
  std::string_view request;
  /// The id kmeet sent as `X-Kaltura-Session-Id`, the same for every request of the call.
  std::string_view request_id;
  /// 1 for the call's first request, then 2, 3... (retries, look-ups, rounds, rollback).
  int attempt = 1;
  /// The HTTP status; 0 when no answer came (a transport failure).
  int status = 0;
  /// Time from sending to the end of the answer.
  std::chrono::microseconds duration{0};
  /// `ok`; an API error code (`ACTION_BLOCKED`, `INVALID_KS`...); for a multirequest with item
  /// errors `items failed: N`; `http 503`; `transport timeout` (connect, tls, reset, too_large,
  /// other); `bad response` (not JSON); `cancelled`.
  std::string_view outcome;
  /// api_v3 calls in this request (N for `multirequest(N)`, the server counts each; 0 for KAF).
  int calls = 1;
  /// Calls of this request the server throttled (`ACTION_BLOCKED`, protocol.md K).
  int throttled = 0;
  /// Request body bytes sent and response body bytes received.
  std::size_t bytes_sent = 0;
  /// Response body bytes received.
  std::size_t bytes_received = 0;
  /// The server's `X-Me` header (which machine answered; quote it to Kaltura support), redacted.
  std::string_view server;
  /// The server's `X-Kaltura-Session` header (its request id), redacted.
  std::string_view session;
};

/// What one logical call cost, reported once when it ends (successfully or not).
/// The string views are valid only during the callback.
struct KMEET_EXPORT CallMetrics {
  /// As LogRecord::call.
  std::string_view call;
  /// As LogRecord::request_id.
  std::string_view request_id;
  /// False when the call threw.
  bool ok = true;
  /// When !ok: the last failure (as LogRecord::outcome), or `cancelled` / `deadline`.
  std::string_view error;
  /// Wall time of the whole call: every request, backoff and throttling wait.
  std::chrono::microseconds latency{0};
  /// HTTP requests sent (the first one included).
  int requests = 0;
  /// Requests beyond the first: retries, look-ups after an unknown outcome, later rounds, rollback.
  int retries = 0;
  /// Calls the server throttled (`ACTION_BLOCKED` answers and multirequest items).
  int throttles = 0;
  /// Time spent waiting before requests: backoff, throttling windows, the client-side rate limit.
  std::chrono::microseconds waited{0};
  /// Request body bytes sent, over every request.
  std::size_t bytes_sent = 0;
  /// Response body bytes received, over every request.
  std::size_t bytes_received = 0;
};

/// Receives a LogRecord per request. Called on the thread that made the call; must not throw
/// (an exception is swallowed) and should return quickly.
using LogHook = std::function<void(const LogRecord&)>;
/// Receives CallMetrics per logical call; same rules as LogHook.
using MetricsHook = std::function<void(const CallMetrics&)>;

}  // namespace kmeet
