// apply_sync: executes exactly a plan (docs/sync.md).
#include <fmt/format.h>

#include "sync/apply_internal.hpp"
#include "sync/plan_internal.hpp"

namespace kmeet {
namespace detail::sync {

Applier::Applier(const Client& client, const SyncPlan& plan, const SyncOptions& options, SyncResult& result)
    : client_(client), plan_(plan), options_(options), result_(result) {
  const SyncItemResult pending{SyncStatus::failed, std::nullopt, "not run"};
  result_.create.assign(plan.create.size(), pending);
  result_.update.assign(plan.update.size(), pending);
  result_.cancel.assign(plan.cancel.size(), pending);
  result_.remove.assign(plan.remove.size(), pending);
}

void Applier::run() {
  prepare_rooms();
  run_creates();
  run_changes(ChangeKind::update);
  run_changes(ChangeKind::cancel);
  run_changes(ChangeKind::remove);
}

std::vector<std::vector<std::size_t>> Applier::batches(std::size_t n) const {
  std::vector<std::vector<std::size_t>> out;
  const auto size = static_cast<std::size_t>(options_.batch);
  for (std::size_t at = 0; at < n; at += size) {
    out.emplace_back();
    for (std::size_t i = at; i < std::min(n, at + size); ++i) out.back().push_back(i);
  }
  return out;
}

bool Applier::stopped(std::vector<SyncItemResult*> items) {
  if (!stop_) return false;
  std::lock_guard lock(mutex_);
  for (SyncItemResult* item : items) *item = SyncItemResult{SyncStatus::failed, item->event, "not sent: " + stop_reason_};
  return true;
}

void Applier::fail(SyncItemResult& item, const std::exception_ptr& error) {
  item.status = SyncStatus::failed;
  item.message = message_of(error);
  stop_on(error);
}

void Applier::stop_on(const std::exception_ptr& error) {
  if (!fails_every_call(error)) return;
  std::lock_guard lock(mutex_);
  if (!stop_.exchange(true)) stop_reason_ = message_of(error);
}

}  // namespace detail::sync

SyncResult apply_sync(const Client& client, const SyncPlan& plan, const SyncOptions& options) {
  detail::sync::check_options(options);
  SyncResult result;
  detail::sync::Applier(client, plan, options, result).run();
  return result;
}

}  // namespace kmeet
