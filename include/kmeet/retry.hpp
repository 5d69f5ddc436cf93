#pragma once
/// @file retry.hpp
/// Retry policy for API calls, a plain value.

#include <chrono>

#include "kmeet/export.hpp"

namespace kmeet {

/// When and how kmeet retries a failed call.
///
/// Reads, updates and deletes are retried on transport errors, HTTP 5xx/429 and answers that are
/// not JSON (a proxy's HTML page with status 200, a cut-off body). An answer of the API itself
/// (`KalturaAPIException`) is not retried: it is the server's verdict, except `ACTION_BLOCKED`
/// (throttled, protocol.md K), which ran nothing and is retried after `throttle_wait`, adds too.
/// Creates are retried only when the request provably never executed (connection refused,
/// HTTP 429, `ACTION_BLOCKED`) or after kmeet looked the object up by its idempotency key.
struct KMEET_EXPORT RetryPolicy {
  /// Total attempts including the first; 1 disables retries.
  int max_attempts = 4;
  /// Backoff before retry n is uniform in [0, min(max_backoff, initial_backoff * multiplier^n)]
  /// ("full jitter"); a server `Retry-After` is honoured when larger.
  std::chrono::milliseconds initial_backoff{200};
  /// Upper bound of one backoff.
  std::chrono::milliseconds max_backoff{5'000};
  /// Growth of the backoff per retry.
  double multiplier = 2.0;
  /// No retry starts after this much time has passed since the first attempt; a retry whose wait
  /// (backoff, or a server's longer `Retry-After`) would end past it is not made.
  std::chrono::milliseconds deadline{60'000};
  /// Retry budget: each success earns `budget_ratio` tokens (up to `budget_max`), each retry
  /// spends one, so a long outage does not multiply the load on the server.
  double budget_ratio = 0.2;
  /// Most tokens the budget holds.
  double budget_max = 20.0;
  /// The least wait after `ACTION_BLOCKED`: the server's rate-limit window (10 s by default,
  /// protocol.md K.1; set it to your partner's window when you know it). Each wait is uniform in
  /// [throttle_wait, 1.5 × throttle_wait]. Throttled retries are bounded by the deadline only (not
  /// by max_attempts or the budget): nothing ran, and the wait itself is the backpressure.
  std::chrono::milliseconds throttle_wait{10'000};

  /// No retries at all.
  static RetryPolicy none() {
    RetryPolicy p;
    p.max_attempts = 1;
    return p;
  }
};

}  // namespace kmeet
