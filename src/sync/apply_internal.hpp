#pragma once
// apply_sync's worker: rooms, creates, then changes (update, cancel, delete), each re-checked
// against the server first. Each phase keeps `concurrency` batches in flight on the client's async
// engine (sync/in_flight.hpp): fibers on its one thread, not threads.

#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sync/in_flight.hpp"
#include "kmeet/client.hpp"
#include "kmeet/sync.hpp"

namespace kmeet::detail::sync {

/// What a change phase does to an event.
enum class ChangeKind { update, cancel, remove };

class Applier {
 public:
  Applier(const Client& client, const SyncPlan& plan, const SyncOptions& options, SyncResult& result);
  void run();

 private:
  // apply_rooms.cpp
  void prepare_rooms();
  void make_room(const SyncRoom& room);
  [[nodiscard]] std::optional<RoomId> room_id(const SyncRoom& room, std::string& why) const;
  // apply_create.cpp
  void run_creates();
  void create_batch(const std::vector<std::size_t>& items);
  // apply_change.cpp
  void run_changes(ChangeKind kind);
  void change_batch(ChangeKind kind, const std::vector<std::size_t>& items);
  void change_one(ChangeKind kind, std::size_t i, const Event& now, const std::vector<RoomId>& rooms_now);
  void update_event(std::size_t i);

  // Shared by the phases.
  [[nodiscard]] std::vector<std::vector<std::size_t>> batches(std::size_t n) const;
  [[nodiscard]] bool stopped(std::vector<SyncItemResult*> items);
  void fail(SyncItemResult& item, const std::exception_ptr& error);
  void stop_on(const std::exception_ptr& error);

  const Client& client_;
  const SyncPlan& plan_;
  const SyncOptions& options_;
  SyncResult& result_;
  std::mutex mutex_;
  std::atomic<bool> stop_{false};
  std::string stop_reason_;
  std::map<std::string, RoomId> room_ids_;      ///< system name -> room made or found
  std::map<std::string, std::string> room_errors_;
  std::set<std::string> inline_rooms_;          ///< made inside their one create request
};

}  // namespace kmeet::detail::sync
