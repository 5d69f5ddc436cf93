#include "api/retry_loop.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "kmeet/errors.hpp"

namespace kmeet::detail {

RetryDecision classify(const std::exception_ptr& error, bool idempotent) {
  try {
    std::rethrow_exception(error);
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
  if (!sleep_) sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

bool RetryLoop::next(const RetryDecision& decision, RetryCost cost) {
  if (!decision.retry) return false;
  const bool budgeted = cost == RetryCost::budgeted;
  if (budgeted && budgeted_ >= policy_.max_attempts) return false;
  // Full jitter over an exponential cap; the exponent grows with every attempt of the operation.
  const double cap = std::min<double>(static_cast<double>(policy_.max_backoff.count()),
                                      static_cast<double>(policy_.initial_backoff.count()) *
                                          std::pow(policy_.multiplier, std::min(attempts_ - 1, 30)));
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.0, std::max(cap, 0.0));
  auto delay = std::chrono::milliseconds(static_cast<long long>(jitter(rng)));
  delay = std::max(delay, decision.min_delay);
  // No attempt starts past the deadline, also when the server's Retry-After asks for a longer wait.
  if (Clock::now() + delay >= deadline_) return false;
  if (budgeted && budget_ != nullptr && !budget_->spend()) return false;
  ++attempts_;
  if (budgeted) ++budgeted_;
  sleep_(delay);
  return true;
}

}  // namespace kmeet::detail
