// kmeet::CancellationToken (include/kmeet/call_options.hpp).

#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>

#include "core/fiber.hpp"
#include "kmeet/call_options.hpp"

namespace kmeet {

struct CancellationToken::State {
  /// A fiber waiting on the token (core/fiber.hpp): woken through its host when cancelled.
  struct FiberWaiter {
    detail::FiberHost* host;
    std::uint64_t id;
    std::uint64_t ticket;
  };
  std::mutex mutex;
  std::condition_variable changed;
  bool cancelled = false;
  std::list<FiberWaiter> fibers;
};

CancellationToken::CancellationToken() : state_(std::make_shared<State>()) {}

void CancellationToken::cancel() const noexcept {
  {
    std::lock_guard lock(state_->mutex);
    state_->cancelled = true;
    // Under the lock: a waiting fiber removes itself under it too, so it (and its host) cannot
    // end before its wake is queued.
    for (const State::FiberWaiter& w : state_->fibers) w.host->wake(w.id, w.ticket);
  }
  state_->changed.notify_all();
}

bool CancellationToken::cancelled() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->cancelled;
}

bool CancellationToken::wait_for(std::chrono::milliseconds duration) const {
  detail::Fiber* fiber = detail::current_fiber();
  if (fiber == nullptr) {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, duration, [this] { return state_->cancelled; });
  }
  // On a fiber: suspend until the timer or cancel() wakes it (whichever comes first).
  const auto until = std::chrono::steady_clock::now() + duration;
  std::list<State::FiberWaiter>::iterator entry;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->cancelled) return true;
    if (duration.count() <= 0) return false;
    const std::uint64_t ticket = detail::begin_wait();
    entry = state_->fibers.insert(state_->fibers.end(), State::FiberWaiter{&fiber->host(), fiber->id(), ticket});
    fiber->host().wake_at(fiber->id(), ticket, until);
  }
  detail::suspend();
  std::lock_guard lock(state_->mutex);
  state_->fibers.erase(entry);
  return state_->cancelled;
}

}  // namespace kmeet
