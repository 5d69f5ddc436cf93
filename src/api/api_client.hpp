#pragma once
// The Kaltura api_v3 wire codec (docs/protocol.md sections A, B, C): encodes calls and multirequests exactly as the
// protocol says, sends them through a Transport, decodes results and KalturaAPIException into kmeet errors,
// and retries what is safe to retry.

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/call_scope.hpp"
#include "api/json.hpp"
#include "api/rate_limiter.hpp"
#include "api/retry_loop.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/http.hpp"
#include "kmeet/retry.hpp"

namespace kmeet::detail {

/// Supplies the KS for API calls (minted locally, from session.start, or given by the user).
class KsProvider {
 public:
  virtual ~KsProvider() = default;
  /// The KS to send now; may mint or refresh.
  virtual std::string get() = 0;
  /// Called when the server answered INVALID_KS for `ks` with a reason such as EXPIRED; returns
  /// true when a fresh KS is available and the call may be repeated once.
  virtual bool refresh_after_rejection(std::string_view ks, std::string_view reason) {
    (void)ks;
    (void)reason;
    return false;
  }
};

/// One api_v3 call: service id (lower-case, `schedule_` prefix for plugin services), action and
/// the action's parameters in the order they should appear on the wire.
struct ApiCall {
  std::string service;
  std::string action;
  WireJson params = WireJson::object();
  /// True for get/list/delete/cancel and other calls that may be repeated safely.
  bool idempotent = false;
  /// False for calls that must go without a KS (session.start).
  bool with_ks = true;
  /// A KS for this call only, sent instead of the provider's (apptoken.startSession carries the
  /// widget KS its token hash was computed over, protocol.md I.6). Never renewed by kmeet.
  std::string ks;
  /// For deletes: when an earlier attempt of this call had an unknown outcome (see
  /// outcome_unknown()) and the resend is answered "not found" (is_absent_code()), the earlier
  /// attempt did the delete, so call() returns null instead of throwing that error. Without an
  /// unknown outcome before it, "not found" is thrown as usual.
  bool absent_after_unknown_is_success = false;
  /// For session.end: after an attempt with an unknown outcome, `INVALID_KS` with reason `LOGOUT`
  /// on the resend means the earlier attempt ended the session (protocol.md D.1), so call() returns null.
  bool logout_after_unknown_is_success = false;
};

/// True when the failure `error` of an attempt leaves open whether the server executed it:
/// TransportError with outcome_unknown(), HttpError 5xx, ProtocolError, CancelledError with
/// outcome_unknown(). False for failures that prove nothing ran (connect errors, 429, 4xx,
/// ACTION_BLOCKED) and for answers of the API (ApiError).
bool outcome_unknown(const std::exception_ptr& error);

/// API error codes that mean "no such object": `INVALID_OBJECT_ID` (protocol.md B.3, also for a link,
/// with ID `"eventId,resourceId"`) and `SCHEDULE_EVENT_RESOURCE_NOT_FOUND` (not in the server's
/// code, protocol.md B.3; accepted as "absent" defensively) and `APP_TOKEN_ID_NOT_FOUND` (I.9).
bool is_absent_code(std::string_view code);

/// What send_with_retry() saw besides its result.
struct SendReport {
  /// True when an attempt had an unknown outcome (outcome_unknown()) or the transport re-sent the
  /// request on its own (HttpResponse::sends > 1): an earlier copy may have been executed.
  bool outcome_unknown = false;
  /// The last non-200 answer, with its body cut to kMaxErrorBody bytes, when send_with_retry()
  /// threw HttpError for it (HttpError itself keeps only a short redacted snippet).
  std::optional<HttpResponse> error_response;
};

/// The most of a non-200 body that SendReport keeps.
inline constexpr std::size_t kMaxErrorBody = 64 * 1024;

/// Result of one multirequest item: a value, or the API error the server returned for it.
struct ItemResult {
  Json value;
  std::optional<ApiError> error;
  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

struct ApiSettings {
  std::string service_url;  ///< e.g. https://www.kaltura.com (no trailing slash)
  std::string client_tag;
  std::string api_version;
  RetryPolicy retry;
  /// Sleeps between retries; tests inject a recorder. Null: a cancellable wait.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The client's rate limiter (shared by its ApiClients); null: none.
  std::shared_ptr<RateLimiter> limiter;
  /// The logging and metrics hooks (Config::log, Config::metrics).
  ApiHooks hooks;
  /// The transport's own timeout of one request (HttpOptions::timeout), which a caller's deadline
  /// may shorten; 0: unknown (a custom transport).
  std::chrono::milliseconds http_timeout{0};
};

/// How send_with_retry() sends one request.
struct SendOptions {
  /// Receives what the attempts saw (see SendReport).
  SendReport* report = nullptr;
  /// Receives the 200 body parsed as JSON: a 200 whose body is not JSON is then one more failed
  /// attempt with an unknown outcome (ProtocolError), retried when the request is idempotent; and
  /// an `ACTION_BLOCKED` answer is a failed attempt (ThrottledError) that nothing ran: the whole
  /// answer, every item of a multirequest, or any item of a multirequest of idempotent calls
  /// (re-sent whole; a multirequest with adds returns its blocked items to the caller).
  Json* parsed = nullptr;
  /// Replaces the call's RetryPolicy (RetryPolicy::none(): one attempt, for callers that run
  /// their own RetryLoop).
  const RetryPolicy* policy = nullptr;
  /// Names the request in logs (`service.action`, `multirequest(N)`); empty: from the URL.
  std::string_view name;
  /// api_v3 calls in the request, each counted by the rate limiter (protocol.md K.1); 0 for
  /// requests to other endpoints (KAF), which the limiter does not pace.
  int calls = 0;
};

/// `{N:result}` or `{N:result:a:b}` — a reference to the result of the N-th (1-based) request of a
/// multirequest (protocol.md C.3).
std::string result_ref(int n, std::string_view path = {});

class ApiClient {
 public:
  /// `ks` may be null for a client that only sends calls without a KS or with their own
  /// (`ApiCall::ks`); `budget` may be shared with another ApiClient of the same Client.
  ApiClient(std::shared_ptr<Transport> transport, ApiSettings settings, std::shared_ptr<KsProvider> ks,
            std::shared_ptr<RetryBudget> budget = nullptr);

  /// A copy that applies `options` to the calls it opens (Client::with): fields set in `options`
  /// replace this client's, the others are kept.
  [[nodiscard]] ApiClient with_options(const CallOptions& options) const;
  /// Opens the logical call `name` on this thread (or joins the one open): every request made
  /// until it closes shares its request id, CallOptions and metrics (api/call_scope.hpp).
  [[nodiscard]] CallScope scope(std::string_view name) const {
    return CallScope(name, options_.get(), &settings_.hooks, budget_.get());
  }

  /// Sends one call and returns its decoded result (object, string, number or null).
  /// Throws ApiError, HttpError, TransportError or ProtocolError. With
  /// `absent_after_unknown_is_success`, returns null for a "not found" that follows an attempt
  /// with an unknown outcome (the earlier attempt deleted the object).
  /// `policy`, when given, replaces the client's RetryPolicy for this call (RetryPolicy::none():
  /// one attempt, for callers that run their own RetryLoop).
  Json call(const ApiCall& call, const RetryPolicy* policy = nullptr) const;

  /// Sends the calls as one multirequest round trip; one result per call, in order. A request-wide
  /// failure (HTTP, transport, a non-array body) throws instead.
  std::vector<ItemResult> multirequest(std::span<const ApiCall> calls, const RetryPolicy* policy = nullptr) const;

  /// The exact HTTP request for a call (used by call(), tests and benchmarks). Text that is not
  /// UTF-8 throws ValidationError naming the parameter (`service.action.path`).
  [[nodiscard]] HttpRequest encode(const ApiCall& call, std::string_view ks) const;
  [[nodiscard]] HttpRequest encode_multi(std::span<const ApiCall> calls, std::string_view ks) const;

  [[nodiscard]] const ApiSettings& settings() const { return settings_; }
  [[nodiscard]] Transport& transport() const { return *transport_; }
  [[nodiscard]] KsProvider& ks_provider() const { return *ks_; }

  /// Sends with retries as the policy allows; returns a 200 response or throws (HttpError for
  /// any other status). Also used for the KAF analytics GETs (src/kaf/analytics_request.cpp).
  /// `report`, when given, receives what the attempts saw (see SendReport). `parsed`, when given,
  /// receives the 200 body parsed as JSON: a 200 whose body is not JSON (a proxy's HTML page, a
  /// cut-off answer) is then one more failed attempt with an unknown outcome (ProtocolError),
  /// retried when the request is idempotent.
  HttpResponse send_with_retry(const HttpRequest& request, SendReport* report = nullptr, Json* parsed = nullptr,
                               const RetryPolicy* policy = nullptr) const {
    return send_with_retry(HttpRequest(request), SendOptions{.report = report, .parsed = parsed, .policy = policy});
  }
  /// The same with every option (see SendOptions): the rate limiter's pacing, the caller's
  /// deadline and cancellation (checked before every attempt; each attempt's timeout is cut to the
  /// time left), ACTION_BLOCKED handling, one LogRecord per attempt.
  HttpResponse send_with_retry(HttpRequest request, const SendOptions& options) const;
  /// The client-wide retry budget (shared by every call and every RetryLoop of this client).
  [[nodiscard]] RetryBudget& retry_budget() const { return *budget_; }
  [[nodiscard]] const std::shared_ptr<RetryBudget>& shared_retry_budget() const { return budget_; }
  [[nodiscard]] const std::shared_ptr<Transport>& shared_transport() const { return transport_; }
  /// A RetryLoop for one operation, with the call's policy (CallOptions::retry, else the
  /// client's), the client's budget and sleep.
  [[nodiscard]] RetryLoop retry_loop() const { return RetryLoop(policy_of(nullptr), budget_.get(), settings_.sleep); }

 private:
  /// `override_policy`, else the open call's CallOptions::retry, else this client's policy.
  [[nodiscard]] const RetryPolicy& policy_of(const RetryPolicy* override_policy) const;
  /// One attempt of send_with_retry(): sends, logs, and throws the failure (ThrottledError for an
  /// ACTION_BLOCKED answer).
  HttpResponse attempt(const HttpRequest& request, const SendOptions& options, CallState& call) const;

  [[nodiscard]] HttpRequest encode_unchecked(const ApiCall& call, std::string_view ks) const;
  [[nodiscard]] HttpRequest encode_multi_unchecked(std::span<const ApiCall> calls, std::string_view ks) const;

  std::shared_ptr<Transport> transport_;
  ApiSettings settings_;
  std::shared_ptr<KsProvider> ks_;
  std::shared_ptr<RetryBudget> budget_;
  /// Set by with_options(): the options of the calls this client opens.
  std::shared_ptr<const CallOptions> options_;
  /// The common fields without braces, serialised once (see encode()).
  std::string common_fields_;
  bool common_ok_ = false;
};

/// Decodes a response body per protocol.md B: non-200 -> HttpError; non-JSON or too deep -> ProtocolError.
Json decode_body(const HttpResponse& response);

/// If `value` is a serialized KalturaAPIException, the matching ApiError (args may be `{}` or `[]`).
std::optional<ApiError> as_api_error(const Json& value, const HttpResponse& response);

}  // namespace kmeet::detail
