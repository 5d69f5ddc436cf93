#include "core/fiber_mutex.hpp"

#include "core/fiber.hpp"

namespace kmeet::detail {

void FiberMutex::lock() {
  std::unique_lock lock(guard_);
  if (!locked_) {
    locked_ = true;
    return;
  }
  bool granted = false;
  if (Fiber* fiber = current_fiber()) {
    const std::uint64_t ticket = begin_wait();
    waiters_.push_back(Waiter{&fiber->host(), fiber->id(), ticket, &granted});
    lock.unlock();
    // unlock() hands the lock over (granted) and wakes this fiber, with this ticket only,
    // through its host's queue, which the host reads only once this fiber has suspended.
    suspend();
    return;
  }
  waiters_.push_back(Waiter{nullptr, 0, 0, &granted});
  handed_.wait(lock, [&granted] { return granted; });
}

void FiberMutex::unlock() {
  const std::lock_guard lock(guard_);
  if (waiters_.empty()) {
    locked_ = false;
    return;
  }
  const Waiter next = waiters_.front();
  waiters_.pop_front();
  *next.granted = true;  // the lock stays locked_: it now belongs to `next`
  if (next.host != nullptr) {
    // Under guard_: the waiter cannot end (and its host go away) before the wake is queued.
    next.host->wake(next.id, next.ticket);
  } else {
    handed_.notify_all();
  }
}

}  // namespace kmeet::detail
