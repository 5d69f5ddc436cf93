#include "api/retry_loop.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "api/call_scope.hpp"
#include "core/fiber.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {

RetryDecision classify(const std::exception_ptr& error, bool idempotent) {
  try {
    std::rethrow_exception(error);
  } catch (const ThrottledError&) {
    return {true, {}, true};  // ACTION_BLOCKED: nothing ran (protocol.md K.3)
  } catch (const TransportError& e) {
    // An oversized answer or a certificate problem would fail the same way again.
    if (e.kind() == TransportError::Kind::too_large || e.kind() == TransportError::Kind::tls) return {};
    // A create is only resent when it provably never reached the server.
    return {idempotent || !e.outcome_unknown(), {}};
  } catch (const HttpError& e) {
    std::chrono::milliseconds min_delay{0};
    if (e.retry_after()) min_delay = *e.retry_after();
    if (e.status() == 429) return {true, min_delay};  // rate limited: not executed
    if (e.status() >= 500) return {idempotent, min_delay};
    return {};
  } catch (const ProtocolError&) {
    // A garbled body (proxy page with 200, truncated JSON) may follow an executed create.
    return {idempotent, {}};
  } catch (...) {
    return {};
  }
}

void RetryBudget::earn() {
  std::lock_guard lock(mutex_);
  tokens_ = std::min(max_, tokens_ + ratio_);
}

bool RetryBudget::spend() {
  std::lock_guard lock(mutex_);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

RetryLoop::RetryLoop(const RetryPolicy& policy, RetryBudget* budget, Sleep sleep)
    : policy_(policy), budget_(budget), sleep_(std::move(sleep)), deadline_(Clock::now() + policy.deadline) {
  if (const CallState* call = CallScope::current()) {
    if (call->options.deadline && *call->options.deadline <= deadline_) {
      deadline_ = *call->options.deadline;
      caller_deadline_ = true;
    }
    cancel_ = call->options.cancel;
  }
}

bool RetryLoop::wait(std::chrono::milliseconds delay) {
  const auto from = Clock::now();
  if (sleep_) {
    sleep_(delay);
  } else if (cancel_) {
    cancel_->wait_for(delay);  // a fiber suspends (core/fiber.hpp)
  } else {
    sleep_until(from + delay);
  }
  if (CallState* call = CallScope::current()) {
    call->waited += std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - from);
  }
  if (cancel_ && cancel_->cancelled()) {
    stopped_ = CancelledError::Reason::cancelled;
    return false;
  }
  return true;
}

bool RetryLoop::next(const RetryDecision& decision, RetryCost cost) {
  if (cancel_ && cancel_->cancelled()) {
    stopped_ = CancelledError::Reason::cancelled;
    return false;
  }
  if (!decision.retry) return false;
  const bool budgeted = cost == RetryCost::budgeted;
  if (budgeted && budgeted_ >= policy_.max_attempts) return false;
  if (decision.throttled && policy_.max_attempts <= 1) return false;  // RetryPolicy::none(): no retry at all
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::chrono::milliseconds delay{0};
  if (decision.throttled) {
    // At least the server's window (there is no Retry-After), up to half a window more (K.3).
    std::uniform_real_distribution<double> jitter(1.0, 1.5);
    delay = std::chrono::milliseconds(
        static_cast<long long>(static_cast<double>(policy_.throttle_wait.count()) * jitter(rng)));
  } else {
    // Full jitter over an exponential cap; the exponent grows with every attempt of the operation.
    const double cap = std::min<double>(static_cast<double>(policy_.max_backoff.count()),
                                        static_cast<double>(policy_.initial_backoff.count()) *
                                            std::pow(policy_.multiplier, std::min(attempts_ - 1, 30)));
    std::uniform_real_distribution<double> jitter(0.0, std::max(cap, 0.0));
    delay = std::chrono::milliseconds(static_cast<long long>(jitter(rng)));
  }
  delay = std::max(delay, decision.min_delay);
  // No attempt starts past the deadline, also when the server's Retry-After asks for a longer wait.
  if (Clock::now() + delay >= deadline_) {
    if (caller_deadline_) stopped_ = CancelledError::Reason::deadline;
    return false;
  }
  if (budgeted && budget_ != nullptr && !budget_->spend()) return false;
  ++attempts_;
  if (budgeted) ++budgeted_;
  return wait(delay);
}

}  // namespace kmeet::detail
