#include "sync/in_flight.hpp"

#include "core/fiber.hpp"

namespace kmeet::detail {

void TaskSlots::acquire() {
  std::unique_lock lock(mutex_);
  wait_below(lock, limit_);
  ++running_;
}

void TaskSlots::wait_idle() {
  std::unique_lock lock(mutex_);
  wait_below(lock, 1);
}

void TaskSlots::wait_below(std::unique_lock<std::mutex>& lock, std::size_t count) {
  while (running_ >= count) {
    if (Fiber* fiber = current_fiber()) {
      host_ = &fiber->host();
      fiber_ = fiber->id();
      ticket_ = begin_wait();
      lock.unlock();
      // release() wakes this fiber, with this ticket only, through its host's queue, which the
      // host reads only once this fiber has suspended (as core/fiber_mutex.cpp).
      suspend();
      lock.lock();
    } else {
      ended_.wait(lock);
    }
  }
}

void TaskSlots::release() {
  // Notified under the lock: the waiter cannot return (and destroy this) before this ends.
  const std::lock_guard lock(mutex_);
  --running_;
  if (host_ != nullptr) {
    host_->wake(fiber_, ticket_);
    host_ = nullptr;
  }
  ended_.notify_all();
}

}  // namespace kmeet::detail
