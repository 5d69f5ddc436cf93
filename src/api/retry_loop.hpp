#pragma once
// The one retry engine of kmeet. Every call (ApiClient::send_with_retry), every create that must
// look its idempotency keys up (services/idempotent.hpp, services/meetings.cpp) and every rollback
// decide "may another attempt start, and when" here, from one RetryPolicy read one way:
//  - what a failure allows (classify()): which failures may be retried, and the least wait a server
//    asked for (Retry-After);
//  - full-jitter exponential backoff, never shorter than that least wait;
//  - the deadline: no attempt starts, and no wait ends, past it;
//  - max_attempts and the client-wide retry budget, for retries that put load on the server;
//  - throttled retries (`ACTION_BLOCKED`, protocol.md K.3): nothing ran, so even an add may be
//    repeated, after at least RetryPolicy::throttle_wait with jitter, bounded by the deadline only;
//  - the caller's CallOptions (the call open on this thread, api/call_scope.hpp): its deadline
//    bounds every loop of the call, its cancellation ends every wait at once.
// Look-ups that establish the truth after an unknown outcome (did our create run?) and the deletes
// of a rollback are not limited by max_attempts or the budget, only by the deadline: a retry budget
// protects the server from storms, and must not make kmeet report "nothing was created" when it
// simply ran out of tokens before it could check.

#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>

#include "kmeet/call_options.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/retry.hpp"

namespace kmeet::detail {

/// What one failed attempt allows.
struct RetryDecision {
  /// The failure may be retried (the request is safe to repeat, or provably did not run).
  bool retry = false;
  /// The least wait before the next attempt (a server's Retry-After), 0 when none.
  std::chrono::milliseconds min_delay{0};
  /// The server throttled the request (`ACTION_BLOCKED`): wait at least RetryPolicy::throttle_wait
  /// (with jitter), and only when the policy allows retries (max_attempts > 1).
  bool throttled = false;
};

/// What `error` (thrown by one attempt of a request) allows. `idempotent`: the request may run
/// twice without harm (reads, updates, deletes, look-ups). A create is retried only when it
/// provably never ran (connection refused, HTTP 429, ACTION_BLOCKED). CancelledError is final.
RetryDecision classify(const std::exception_ptr& error, bool idempotent);

/// The retry budget of one client, shared by every call (a token bucket): each success earns
/// `budget_ratio` tokens up to `budget_max`, each budgeted retry spends one. Thread-safe.
class RetryBudget {
 public:
  explicit RetryBudget(const RetryPolicy& policy) : ratio_(policy.budget_ratio), max_(policy.budget_max), tokens_(max_) {}
  void earn();
  bool spend();

 private:
  std::mutex mutex_;
  double ratio_;
  double max_;
  double tokens_;
};

/// Whether a retry counts against max_attempts and the budget.
enum class RetryCost {
  budgeted,  ///< a repeat of work the server may do again: counts
  truth,     ///< a look-up or rollback delete that settles what exists: bounded by the deadline only
  throttled, ///< a request the server throttled (nothing ran): bounded by the deadline only, and
             ///< only when the policy allows retries at all (max_attempts > 1)
};

/// The retries of one logical operation. Not thread-safe (one per operation).
class RetryLoop {
 public:
  using Sleep = std::function<void(std::chrono::milliseconds)>;
  using Clock = std::chrono::steady_clock;
  /// `budget` may be null (no budget). `sleep` waits (tests inject a recorder; by default the wait
  /// ends early when the call is cancelled). The deadline is the policy's, or the caller's
  /// (CallOptions of the call open on this thread) when that comes first.
  RetryLoop(const RetryPolicy& policy, RetryBudget* budget, Sleep sleep);
  RetryLoop(const RetryLoop&) = delete;
  RetryLoop& operator=(const RetryLoop&) = delete;
  RetryLoop(RetryLoop&&) = default;
  RetryLoop& operator=(RetryLoop&&) = delete;

  /// Call after a failed attempt. Returns true, after waiting the backoff, when another attempt may
  /// start; false when `decision` forbids it or the policy allows no more (the caller then gives up).
  bool next(const RetryDecision& decision, RetryCost cost = RetryCost::budgeted);
  /// Shorthand for next(classify(error, idempotent), cost); a throttled failure is always
  /// RetryCost::throttled.
  bool next(const std::exception_ptr& error, bool idempotent, RetryCost cost = RetryCost::budgeted) {
    const RetryDecision decision = classify(error, idempotent);
    return next(decision, decision.throttled ? RetryCost::throttled : cost);
  }
  /// Attempts made so far, the first included (budgeted and truth retries alike).
  [[nodiscard]] int attempts() const { return attempts_; }
  /// True once the deadline has passed.
  [[nodiscard]] bool expired() const { return Clock::now() >= deadline_; }
  /// When no more attempts start.
  [[nodiscard]] Clock::time_point deadline() const { return deadline_; }
  /// Set when next() returned false because the caller cancelled the call or its deadline (not
  /// the policy's) would pass first: the caller then reports CancelledError.
  [[nodiscard]] std::optional<CancelledError::Reason> stopped_by_caller() const { return stopped_; }

 private:
  bool wait(std::chrono::milliseconds delay);

  RetryPolicy policy_;
  RetryBudget* budget_;
  Sleep sleep_;
  Clock::time_point deadline_;
  bool caller_deadline_ = false;  // deadline_ is the caller's
  std::optional<CancellationToken> cancel_;
  std::optional<CancelledError::Reason> stopped_;
  int attempts_ = 1;
  int budgeted_ = 1;  // attempts that count against max_attempts
};

/// Runs `attempt` until it returns, retrying each kmeet::Error it throws as a truth retry (bounded
/// by `loop`'s deadline only), then once more before giving up. An ApiError is the server's final
/// answer and passes through unchanged, except ThrottledError (retried). Returns null on success,
/// else the last error (CancelledError when the caller stopped the call).
template <class Attempt>
std::exception_ptr retry_for_truth(RetryLoop& loop, Attempt&& attempt) {
  for (bool last = false;;) {
    try {
      attempt();
      return nullptr;
    } catch (const ThrottledError&) {
      // Nothing ran: waited out like a lost answer (RetryCost::throttled, see next()).
      if (last) return std::current_exception();
      last = !loop.next(std::current_exception(), true, RetryCost::truth);
    } catch (const ApiError&) {
      throw;
    } catch (const Error&) {
      if (last) return std::current_exception();
      last = !loop.next(std::current_exception(), true, RetryCost::truth);
    }
  }
}

}  // namespace kmeet::detail
