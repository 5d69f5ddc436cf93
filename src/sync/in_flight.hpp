#pragma once
// Bulk work with N requests in flight on the client's async engine (docs/async.md): N fibers on
// its one thread, not N threads. apply_sync runs its batches with it (src/sync).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>

#include "kmeet/async.hpp"

namespace kmeet::detail {

class FiberHost;

/// Counts the tasks running. Whoever starts them waits for a free slot, or for none to run: a
/// thread blocks; a fiber (apply_sync called inside AsyncClient::run) suspends, so the engine's
/// thread keeps running the tasks it waits for.
class TaskSlots {
 public:
  explicit TaskSlots(std::size_t limit) : limit_(limit < 1 ? 1 : limit) {}
  /// Waits until fewer than `limit` run, then counts one more.
  void acquire();
  /// One task ended (any thread).
  void release();
  /// Waits until none runs.
  void wait_idle();

 private:
  void wait_below(std::unique_lock<std::mutex>& lock, std::size_t count);
  std::mutex mutex_;
  std::condition_variable ended_;
  const std::size_t limit_;
  std::size_t running_ = 0;
  FiberHost* host_ = nullptr;  ///< the fiber waiting, if it is one
  std::uint64_t fiber_ = 0;
  std::uint64_t ticket_ = 0;
};

/// Runs `fn(i)` for i in [0, n), at most `in_flight` at a time, each as one AsyncClient::run of
/// `client` (the kmeet calls it makes suspend its fiber, not a thread), started in the order of i;
/// returns when all have ended. An exception of fn(i) goes to `on_error(i, exception_ptr)` (which
/// must not throw), never further. With `in_flight` 1 everything runs here, one after the other,
/// on the calling thread (no engine). fn and on_error run on the engine's thread, one at a time
/// between suspensions.
template <class Fn, class OnError>
void in_flight_for(const Client& client, std::size_t n, int in_flight, Fn fn, OnError on_error) {
  if (in_flight <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      try {
        fn(i);
      } catch (...) {
        on_error(i, std::current_exception());
      }
    }
    return;
  }
  TaskSlots slots(static_cast<std::size_t>(in_flight));
  const AsyncClient async = client.async();
  for (std::size_t i = 0; i < n; ++i) {
    slots.acquire();
    try {
      (void)async.run([&fn, &on_error, &slots, i](const Client&) noexcept {
        try {
          fn(i);
        } catch (...) {
          on_error(i, std::current_exception());
        }
        slots.release();  // the last use of this frame's references
        return 0;
      });
    } catch (...) {  // the call could not be started (out of memory): task i fails, not the process
      slots.release();
      on_error(i, std::current_exception());
    }
  }
  slots.wait_idle();
}

}  // namespace kmeet::detail
