#pragma once
// Stackful fibers for the async engine (docs/async.md, "How it works"). An asynchronous call runs
// kmeet's ordinary blocking code as a fiber on the engine's one thread; where that code would
// block — an HTTP exchange, a retry backoff, a rate-limit or throttling wait, a lock held by
// another call — it suspends the fiber instead, and the engine's loop resumes it when the
// transfer ends, the timer fires, the token is cancelled or the lock is released. Outside a
// fiber every function here behaves like the plain thread operation it replaces, so the blocking
// API is unchanged.
//
// Switching is glibc's ucontext (makecontext/swapcontext): no dependency, and a switch costs far
// less than the network round trip it waits for. Each switch also swaps what the C++ runtime
// keeps per thread about exceptions being handled (the Itanium ABI's __cxa_eh_globals), so a
// fiber may suspend inside a catch block while another fiber throws, and the fiber-local slots
// (the open call of api/call_scope.hpp). Sanitizer builds tell ASan and TSan about each switch.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace kmeet::detail {

/// The loop fibers run on (http/async_engine.hpp). Fibers are named by id: a wake for a fiber that
/// has ended, or that no longer waits for that ticket, is ignored.
class FiberHost {
 public:
  using Clock = std::chrono::steady_clock;
  FiberHost() = default;
  FiberHost(const FiberHost&) = delete;
  FiberHost& operator=(const FiberHost&) = delete;
  virtual ~FiberHost() = default;
  /// Makes fiber `id` runnable if it still waits for `ticket`. Any thread.
  virtual void wake(std::uint64_t id, std::uint64_t ticket) = 0;
  /// Makes fiber `id` runnable at `when` if it still waits for `ticket` then. Host thread only.
  virtual void wake_at(std::uint64_t id, std::uint64_t ticket, Clock::time_point when) = 0;
};

/// One fiber: its stack, its saved context and its fiber-local state. Made, resumed and destroyed
/// by its host's thread.
class Fiber {
 public:
  /// A fiber that will run `body` (which must not throw: it is the host's wrapper).
  Fiber(std::uint64_t id, FiberHost& host, std::function<void()> body);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  /// Runs the fiber until it suspends or its body ends. Host thread only, never from a fiber.
  void resume();
  [[nodiscard]] bool done() const;
  [[nodiscard]] std::uint64_t id() const;
  [[nodiscard]] FiberHost& host() const;
  /// For the host: true, once, when the fiber waits for `ticket`; the fiber is then runnable.
  bool take_wake(std::uint64_t ticket);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// The fiber running on this thread, or null (a plain thread, or a host's loop between fibers).
Fiber* current_fiber();

/// Starts a wait of the running fiber: the ticket its wakers must name. Then call suspend().
std::uint64_t begin_wait();
/// Suspends the running fiber until a wake naming the ticket of begin_wait() arrives.
void suspend();

/// Waits until `until`: the running fiber suspends (its host wakes it then), a thread sleeps.
void sleep_until(std::chrono::steady_clock::time_point until);

/// Fiber-local storage: each fiber has its own slots; outside fibers, each thread has its own.
enum class FiberSlot : int {
  call = 0,  ///< the open logical call (api/call_scope.hpp)
};
void*& fiber_local(FiberSlot slot);

}  // namespace kmeet::detail
