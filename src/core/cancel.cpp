// kmeet::CancellationToken (include/kmeet/call_options.hpp).

#include <condition_variable>
#include <mutex>

#include "kmeet/call_options.hpp"

namespace kmeet {

struct CancellationToken::State {
  std::mutex mutex;
  std::condition_variable changed;
  bool cancelled = false;
};

CancellationToken::CancellationToken() : state_(std::make_shared<State>()) {}

void CancellationToken::cancel() const noexcept {
  {
    std::lock_guard lock(state_->mutex);
    state_->cancelled = true;
  }
  state_->changed.notify_all();
}

bool CancellationToken::cancelled() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->cancelled;
}

bool CancellationToken::wait_for(std::chrono::milliseconds duration) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, duration, [this] { return state_->cancelled; });
}

}  // namespace kmeet
