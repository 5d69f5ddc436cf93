#pragma once
// The scope of one logical call on the calling thread (a `rooms().get`, an add with its look-ups,
// a whole `create_meetings`): its request id (sent as `X-Kaltura-Session-Id`, protocol.md A.4),
// the caller's CallOptions (deadline, cancellation, timeout, retry policy), the counters of the
// metrics hook and the hooks themselves. The first CallScope opened on a thread owns the call;
// scopes opened inside it (the api layer opens one per request, the KS provider's session calls
// open theirs) join it, so every request of the call shares its id, options and counters. The
// owner reports CallMetrics when it closes.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmeet/call_options.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/hooks.hpp"

namespace kmeet::detail {

/// The hooks of a client, as the api layer holds them.
struct ApiHooks {
  LogHook log;
  MetricsHook metrics;
  /// The client's secrets (admin and user secret, app token), viewed in its Config: a server that
  /// echoes one (a session.start answer repeating its `secret`) never gets it into a hook.
  std::vector<std::string_view> secrets;
};

/// `text` with every configured secret replaced by `[secret]` (see ApiHooks::secrets).
std::string mask_secrets(std::string text, const ApiHooks& hooks);

/// What a call knows while it runs.
struct CallState {
  using Clock = std::chrono::steady_clock;
  std::string name;
  std::string request_id;
  CallOptions options;
  const ApiHooks* hooks = nullptr;
  Clock::time_point start;
  int requests = 0;
  int throttles = 0;
  std::size_t bytes_sent = 0;
  std::size_t bytes_received = 0;
  std::chrono::microseconds waited{0};
  std::string last_failure;
  int exceptions_at_open = 0;
  const void* owner = nullptr;  // the client whose call this is (its retry budget)

  /// The cancellation or deadline that stops the call now, if any.
  [[nodiscard]] std::optional<CancelledError::Reason> stopped() const;
  /// Throws CancelledError for `stopped()`, naming the call; `outcome_unknown` as for CancelledError.
  void throw_if_stopped(bool outcome_unknown) const;
  /// Waits until `until` (cancellable, bounded by the deadline); throws CancelledError when the call
  /// is stopped before or while waiting (nothing of this wait's request was sent).
  void wait_until(Clock::time_point until, bool outcome_unknown);
};

class CallScope {
 public:
  /// Opens the call `name` on this thread, or joins the one open when it belongs to the same client
  /// (`owner`); a call of another client (made from a hook, say) gets a scope of its own for its
  /// duration. `options` and `hooks` are used only when this scope opens the call; `hooks` must
  /// outlive the scope.
  CallScope(std::string_view name, const CallOptions* options, const ApiHooks* hooks, const void* owner);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
  CallScope(CallScope&&) = delete;
  CallScope& operator=(CallScope&&) = delete;

  [[nodiscard]] CallState& state() const { return *state_; }
  /// The call open on this thread, or null.
  [[nodiscard]] static CallState* current();

 private:
  std::optional<CallState> own_;
  CallState* state_;
  CallState* outer_ = nullptr;  // another client's call this one interrupts
};

/// Sends `record` to the call's log hook (if any); the hook's exceptions are swallowed.
void emit_log(const CallState& state, const LogRecord& record);

/// A fresh request id (a random UUID v4, not secret).
std::string new_request_id();

/// `service.action` from an api_v3 URL (`.../api_v3/service/S/action/A`), `multirequest`, or the
/// URL's path (never its query, which may hold a KS) for other endpoints.
std::string request_name(std::string_view url);

}  // namespace kmeet::detail
