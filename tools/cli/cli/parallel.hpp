#pragma once
// A small worker pool for `kmeet import`: nothing a task throws can reach std::terminate.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace kmeet::cli {

/// Runs `fn(i)` for i in [0, n) on `threads` workers (the calling thread is one of them). An
/// exception from fn(i) goes to `on_error(i, exception_ptr)` on the same thread, never out of the
/// worker: a bug or an unexpected error fails task i, not the process. `on_error` must not throw.
template <class Fn, class OnError>
void parallel_for(std::size_t n, int threads, Fn fn, OnError on_error) {
  std::atomic<std::size_t> next{0};
  auto worker = [&]() noexcept {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (...) {
        on_error(i, std::current_exception());
      }
    }
  };
  std::vector<std::thread> pool;
  auto count = static_cast<std::size_t>(std::max(1, threads));
  count = std::min(count, n);
  for (std::size_t t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

}  // namespace kmeet::cli
