#include "http/engine_registry.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

#include "http/curl_api.hpp"

namespace kmeet::detail {

namespace {
/// Stops the engines when the process exits (its destructor runs from exit()).
struct StopAtExit {
  StopAtExit() = default;
  StopAtExit(const StopAtExit&) = delete;
  StopAtExit& operator=(const StopAtExit&) = delete;
  ~StopAtExit() { EngineRegistry::instance().stop_all(); }
};
}  // namespace

EngineRegistry& EngineRegistry::instance() {
  static EngineRegistry* const registry = [] {
    // Both register their cleanup with atexit (OPENSSL_cleanup; libcurl's TLS backend is OpenSSL
    // too) before `stop` below registers its destructor, so they run after it.
    OPENSSL_init_crypto(0, nullptr);
    (void)curl_api();
    return new EngineRegistry();  // NOLINT(cppcoreguidelines-owning-memory): never destroyed
  }();
  static const StopAtExit stop;
  return *registry;
}

void EngineRegistry::add(std::shared_ptr<Engine> engine, std::thread thread) {
  std::vector<Entry> ended;
  {
    const std::lock_guard lock(mutex_);
    if (exiting_) {
      engine->stop_at_exit();  // made while the process exits: its loop returns at once
      thread.detach();
      return;
    }
    const auto done = std::stable_partition(entries_.begin(), entries_.end(),
                                            [](const Entry& e) { return !e.engine->finished(); });
    std::move(done, entries_.end(), std::back_inserter(ended));
    entries_.erase(done, entries_.end());
    entries_.push_back(Entry{std::move(engine), std::move(thread)});
  }
  for (Entry& e : ended) {
    if (e.thread.joinable()) e.thread.join();  // an engine let go on its own thread, now ended
  }
}

std::thread EngineRegistry::take(const Engine* engine) {
  const std::lock_guard lock(mutex_);
  if (exiting_) return {};  // stop_all() joined it; the engine stays with the registry
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.engine.get() == engine; });
  if (it == entries_.end()) return {};
  std::thread thread = std::move(it->thread);
  entries_.erase(it);
  return thread;
}

void EngineRegistry::stop_all() {
  std::vector<Entry> all;
  {
    const std::lock_guard lock(mutex_);
    exiting_ = true;
    all.swap(entries_);
  }
  for (Entry& e : all) e.engine->stop_at_exit();
  for (Entry& e : all) {
    if (!e.thread.joinable()) continue;
    if (e.thread.get_id() == std::this_thread::get_id()) {
      e.thread.detach();  // exit() called on this engine's thread: it never returns here
    } else {
      e.thread.join();
    }
  }
  // The engines (and the clients their calls hold) stay allocated: destroying them would run
  // libcurl's cleanups and the calls' half-run code while the process is going away. Kept
  // reachable (the registry is never destroyed), so leak checkers do not report them.
  const std::lock_guard lock(mutex_);
  for (Entry& e : all) entries_.push_back(std::move(e));
}

}  // namespace kmeet::detail
