#pragma once
/// @file call_options.hpp
/// Per-call options: a deadline, a cancellation token, an HTTP timeout and a retry policy for the
/// calls of one `Client::with(options)` view (docs/reliability.md, "Deadlines and cancellation").

#include <chrono>
#include <memory>
#include <optional>

#include "kmeet/export.hpp"
#include "kmeet/retry.hpp"

namespace kmeet {

/// A flag that stops calls from another thread, in the spirit of Azure's `Context::Cancel()`.
/// Copies share one flag: keep one, give a copy to the calls (`CallOptions::cancel`), call
/// `cancel()` on any of them. Thread-safe. A cancelled call starts no further request and stops
/// waiting (backoff, throttling, client-side rate limit) at once; a request already on the wire is
/// not interrupted (its HTTP timeout bounds it).
class KMEET_EXPORT CancellationToken {
 public:
  /// A new flag, not cancelled.
  CancellationToken();
  /// Cancels every call that holds a copy of this token (idempotent).
  void cancel() const noexcept;
  /// True once cancel() was called on this token or a copy.
  [[nodiscard]] bool cancelled() const noexcept;
  /// Waits up to `duration`; returns true (at once) when the token is or becomes cancelled.
  bool wait_for(std::chrono::milliseconds duration) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// Options for the calls made through `Client::with(options)`. Every field is optional; an unset
/// field keeps the client's setting.
struct KMEET_EXPORT CallOptions {
  /// A point on the steady clock (not the wall clock: a clock change does not move it).
  using Deadline = std::chrono::steady_clock::time_point;
  /// No request starts, and no wait (backoff, throttling, rate limit) ends, after this point; each
  /// HTTP attempt's timeout is cut to the time left. A call stopped by it throws CancelledError
  /// (`Reason::deadline`) saying what state it left.
  std::optional<Deadline> deadline;
  /// Cancels the calls that carry it (CancelledError, `Reason::cancelled`).
  std::optional<CancellationToken> cancel;
  /// Total time of one HTTP attempt (instead of `HttpOptions::timeout`).
  std::optional<std::chrono::milliseconds> timeout;
  /// Retry policy of these calls (instead of `Config::retry`); the retry budget stays the client's.
  std::optional<RetryPolicy> retry;

  /// A deadline `duration` from now.
  [[nodiscard]] static Deadline deadline_in(std::chrono::milliseconds duration) {
    return std::chrono::steady_clock::now() + duration;
  }
};

}  // namespace kmeet
