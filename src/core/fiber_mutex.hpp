#pragma once
// A mutex that fibers and threads share (core/fiber.hpp). A fiber that finds it locked suspends
// until its turn comes, instead of blocking the engine's thread (and every other fiber on it); a
// thread blocks as usual. The lock passes to the waiters in arrival order. For state guarded
// across a network call, such as a cached KS being renewed (client/credentials.hpp).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

namespace kmeet::detail {

class FiberHost;

class FiberMutex {
 public:
  FiberMutex() = default;
  FiberMutex(const FiberMutex&) = delete;
  FiberMutex& operator=(const FiberMutex&) = delete;

  void lock();
  void unlock();

 private:
  /// A fiber (host, id, ticket) or a thread (`granted` on the waiter's own stack) in line.
  struct Waiter {
    FiberHost* host = nullptr;
    std::uint64_t id = 0;
    std::uint64_t ticket = 0;
    bool* granted = nullptr;
  };
  std::mutex guard_;
  std::condition_variable handed_;
  bool locked_ = false;
  std::deque<Waiter> waiters_;
};

}  // namespace kmeet::detail
