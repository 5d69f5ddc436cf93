#pragma once
// Requests in flight for `kmeet import`: N tasks at a time on the client's async engine (one
// thread, docs/async.md), not N threads. Nothing a task throws can reach std::terminate.

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>

#include "kmeet/async.hpp"

namespace kmeet::cli {

/// Runs `fn(i)` for i in [0, n), at most `in_flight` at a time, each as one asynchronous call of
/// `client` (the kmeet calls it makes suspend it, not a thread); returns when all have ended. An
/// exception from fn(i) goes to `on_error(i, exception_ptr)`, never out of the task: a bug or an
/// unexpected error fails task i, not the process. `fn` and `on_error` run on the engine's thread,
/// one at a time between suspensions; `on_error` must not throw.
template <class Fn, class OnError>
void in_flight_for(const Client& client, std::size_t n, int in_flight, Fn fn, OnError on_error) {
  std::mutex mutex;
  std::condition_variable ended;
  std::size_t running = 0;
  const auto limit = static_cast<std::size_t>(in_flight < 1 ? 1 : in_flight);
  const AsyncClient async = client.async();
  for (std::size_t i = 0; i < n; ++i) {
    {
      std::unique_lock lock(mutex);
      ended.wait(lock, [&] { return running < limit; });
      ++running;
    }
    (void)async.run([&, i](const Client&) noexcept {
      try {
        fn(i);
      } catch (...) {
        on_error(i, std::current_exception());
      }
      // Notified under the lock: the caller cannot return (and destroy both) before this ends.
      const std::lock_guard lock(mutex);
      --running;
      ended.notify_all();
      return 0;
    });
  }
  std::unique_lock lock(mutex);
  ended.wait(lock, [&] { return running == 0; });
}

}  // namespace kmeet::cli
