#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace kmeet::detail {

namespace {
double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }
}  // namespace

RateLimiter::RateLimiter(double max_rate, std::chrono::milliseconds window)
    : max_rate_(max_rate > 0 ? max_rate : 0),
      window_(std::max(window, std::chrono::milliseconds(10))),
      bucket_(window_ / static_cast<int>(kBuckets)),
      epoch_(Clock::now()),
      next_(epoch_) {}

double RateLimiter::rate_locked(Clock::time_point now) {
  if (adaptive_) {
    const double windows = seconds(now - cut_at_) / seconds(window_);
    const double grown = probing_ ? cut_rate_ * std::exp2(windows) : cut_rate_ * (1.0 + kIncrease * windows);
    if (grown < kRelease * cut_rate_) return max_rate_ > 0 ? std::min(grown, max_rate_) : grown;
    adaptive_ = false;  // the demand stayed under the quota for long: lift the adaptive limit
  }
  return max_rate_;
}

double RateLimiter::passed_rate_locked(Clock::time_point now) {
  const std::int64_t current = (now - epoch_) / bucket_;
  std::int64_t calls = 0;
  for (const Bucket& b : passed_) {
    if (b.index > current - static_cast<std::int64_t>(kBuckets)) calls += b.calls;
  }
  // Over the last window, or the time since the first request when that is shorter.
  const auto span = std::clamp<Clock::duration>(now - epoch_, bucket_, window_);
  return static_cast<double>(calls) / seconds(span);
}

RateLimiter::Clock::time_point RateLimiter::reserve(int calls) {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  const double rate = rate_locked(now);
  if (rate <= 0 || calls <= 0) return now;
  const Clock::time_point start = std::max(now, next_);
  double wait = calls / rate;
  // An adaptive limit never holds one request back longer than a window, whatever its size: cut
  // to a few calls per second (or to the floor's one call per window), a multirequest of 20 adds
  // would otherwise wait many windows (an outside test saw one request every 41 s while the other
  // writer was long done). A rate the caller configured still holds.
  if (adaptive_) wait = std::min(wait, std::max(seconds(window_), max_rate_ > 0 ? calls / max_rate_ : 0.0));
  next_ = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
  return start;
}

void RateLimiter::record(int passed, int blocked) {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  if (passed > 0) {
    const std::int64_t index = (now - epoch_) / bucket_;
    Bucket& b = passed_[static_cast<std::size_t>(index) % kBuckets];
    if (b.index != index) b = Bucket{index, 0};
    b.calls += passed;
  }
  if (blocked <= 0) return;
  // One decrease per window: later blocks of the same window answer requests already in flight.
  if (adaptive_ && now - cut_at_ < window_) return;
  const double current = rate_locked(now);
  double base = passed_rate_locked(now);
  if (current > 0) base = std::min(base, current);
  // At least one call per window, so a fully blocked client still probes.
  const double floor = 1.0 / seconds(window_);
  probing_ = kDecrease * base < floor;
  cut_rate_ = std::max(kDecrease * base, floor);
  if (max_rate_ > 0) cut_rate_ = std::min(cut_rate_, max_rate_);
  cut_at_ = now;
  adaptive_ = true;
  next_ = std::max(next_, now);
}

double RateLimiter::rate() {
  std::lock_guard lock(mutex_);
  return rate_locked(Clock::now());
}

}  // namespace kmeet::detail
