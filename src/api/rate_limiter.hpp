#pragma once
// The client-side rate limiter of one Client (one partner), shared by every request it sends
// (docs/reliability.md, "Throttling"). Two limits in one:
//  - a fixed ceiling, `Config::rate_limit` calls per second, for partners who know their quota;
//  - an adaptive limit (AIMD) learned from the server's `ACTION_BLOCKED` answers (protocol.md K):
//    the first block of a window cuts the allowed rate to kDecrease × the calls that got through
//    in the last window (the server lets through about its quota per window), further blocks in
//    the same window change nothing (they answer requests already in flight), and every window
//    without a block adds kIncrease × that cut rate back. Once the allowed rate is kRelease × the
//    cut rate without a block, the demand is clearly under the quota and the adaptive limit is
//    lifted. A block before anything got through in the last window (the quota was used up by
//    someone else) gives no measure: the limit then probes from one call per window and doubles
//    every window without a block, like TCP's slow start, until the next block measures it.
// Requests are paced (GCRA: each reservation starts one interval after the previous one), and a
// multirequest reserves one slot per call in it, as the server counts each call (protocol.md K.1).

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace kmeet::detail {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  /// Share of the measured pass rate the first block of a window leaves.
  static constexpr double kDecrease = 0.7;
  /// Share of the cut rate added back per window without a block.
  static constexpr double kIncrease = 0.05;
  /// Multiple of the cut rate at which the adaptive limit is lifted.
  static constexpr double kRelease = 4.0;

  /// `max_rate`: the fixed ceiling in calls per second (0: none). `window`: the server's rate-limit
  /// window (RetryPolicy::throttle_wait), over which pass rates are measured.
  RateLimiter(double max_rate, std::chrono::milliseconds window);

  /// Reserves `calls` slots; returns when they may be sent (now when nothing limits).
  Clock::time_point reserve(int calls);
  /// Records the answer of a request: `passed` calls ran, `blocked` were throttled.
  void record(int passed, int blocked);
  /// The allowed rate in calls per second now; 0 when nothing limits.
  [[nodiscard]] double rate();

 private:
  [[nodiscard]] double rate_locked(Clock::time_point now);
  [[nodiscard]] double passed_rate_locked(Clock::time_point now);

  static constexpr std::size_t kBuckets = 10;
  struct Bucket {
    std::int64_t index = -1;
    std::int64_t calls = 0;
  };

  std::mutex mutex_;
  const double max_rate_;
  const Clock::duration window_;
  const Clock::duration bucket_;
  const Clock::time_point epoch_;
  std::array<Bucket, kBuckets> passed_{};  // calls that got through, per window/10
  bool adaptive_ = false;                  // an ACTION_BLOCKED set the adaptive limit
  bool probing_ = false;                   // the cut had no measure: grow by doubling
  double cut_rate_ = 0;                    // the rate set by the last decrease
  Clock::time_point cut_at_{};
  Clock::time_point next_{};  // when the next reservation may start (GCRA)
};

}  // namespace kmeet::detail
