#include "http/async_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/fiber.hpp"
#include "http/curl_api.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

using Clock = std::chrono::steady_clock;

/// Idle keep-alive connections the multi handle keeps (its cache); the most requests one engine
/// is documented to hold in flight (docs/async.md).
constexpr long kMaxCachedConnections = 1024;
/// The longest the loop sleeps without a reason to wake (a safety net; wakes are explicit).
constexpr int kMaxPollMs = 1000;

/// One transfer handed to the loop by perform(): the fiber waiting for it and the result.
struct Transfer {
  std::uint64_t id = 0;
  std::uint64_t ticket = 0;
  CURLcode result = CURLE_OK;
};

}  // namespace

struct AsyncEngine::Core final : FiberHost {
  explicit Core(const CurlApi& api) : curl(api) {}
  ~Core() override {
    fibers.clear();  // only unfinished ones when the process is going away
    if (multi != nullptr) curl.multi_cleanup(multi);
  }
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  const CurlApi& curl;
  CURLM* multi = nullptr;

  // Shared with other threads.
  std::mutex mutex;
  std::vector<std::function<void()>> spawned;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> woken;  // (fiber, ticket)
  bool stopping = false;
  std::atomic<std::size_t> count{0};

  // The engine's thread only.
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::unique_ptr<Fiber>> fibers;
  std::deque<std::uint64_t> runnable;
  std::multimap<Clock::time_point, std::pair<std::uint64_t, std::uint64_t>> timers;

  void wake(std::uint64_t id, std::uint64_t ticket) override {
    {
      const std::lock_guard lock(mutex);
      woken.emplace_back(id, ticket);
    }
    curl.multi_wakeup(multi);
  }

  void wake_at(std::uint64_t id, std::uint64_t ticket, Clock::time_point when) override {
    timers.emplace(when, std::make_pair(id, ticket));
  }

  void make_runnable(std::uint64_t id, std::uint64_t ticket) {
    const auto it = fibers.find(id);
    if (it != fibers.end() && it->second->take_wake(ticket)) runnable.push_back(id);
  }

  /// Takes what other threads (and fibers) posted: new fibers and wakes. False once stopping and
  /// nothing is left to run.
  bool take_posted() {
    std::vector<std::function<void()>> bodies;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> wakes;
    bool stop = false;
    {
      const std::lock_guard lock(mutex);
      bodies.swap(spawned);
      wakes.swap(woken);
      stop = stopping;
    }
    for (auto& body : bodies) {
      const std::uint64_t id = next_id++;
      fibers.emplace(id, std::make_unique<Fiber>(id, *this, std::move(body)));
      runnable.push_back(id);
    }
    for (const auto& [id, ticket] : wakes) make_runnable(id, ticket);
    return !(stop && fibers.empty() && runnable.empty());
  }

  void fire_timers() {
    const Clock::time_point now = Clock::now();
    while (!timers.empty() && timers.begin()->first <= now) {
      const auto [id, ticket] = timers.begin()->second;
      timers.erase(timers.begin());
      make_runnable(id, ticket);
    }
  }

  void run_fibers() {
    while (!runnable.empty()) {
      const std::uint64_t id = runnable.front();
      runnable.pop_front();
      const auto it = fibers.find(id);
      if (it == fibers.end()) continue;
      it->second->resume();
      if (it->second->done()) {
        fibers.erase(it);
        --count;
      }
    }
  }

  /// Drives libcurl and resumes the fibers whose transfers ended.
  void drive_transfers() {
    int running = 0;
    curl.multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl.multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      const CURLcode result = msg->data.result;
      curl.multi_remove_handle(multi, msg->easy_handle);  // msg is invalid from here
      if (t == nullptr) continue;
      t->result = result;
      make_runnable(t->id, t->ticket);
    }
  }

  /// How long the loop may sleep: until the next timer, at most kMaxPollMs.
  [[nodiscard]] int poll_timeout() const {
    if (!runnable.empty()) return 0;
    if (timers.empty()) return kMaxPollMs;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(timers.begin()->first - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, kMaxPollMs));
  }

  void loop() {
    while (take_posted()) {
      fire_timers();
      run_fibers();
      drive_transfers();
      if (!runnable.empty()) continue;
      // libcurl shortens the wait to its own timeouts; curl_multi_wakeup() ends it early.
      curl.multi_poll(multi, nullptr, 0, poll_timeout(), nullptr);
    }
  }
};

AsyncEngine::AsyncEngine() : core_(std::make_shared<Core>(curl_api())) {
  Core& c = *core_;
  c.multi = c.curl.multi_init();
  if (c.multi == nullptr) {
    throw TransportError(TransportError::Kind::other, "libcurl could not create a multi handle", false);
  }
  c.curl.multi_setopt(c.multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  c.curl.multi_setopt(c.multi, CURLMOPT_MAXCONNECTS, kMaxCachedConnections);
  thread_ = std::thread([core = core_] { core->loop(); });
}

AsyncEngine::~AsyncEngine() {
  Core& c = *core_;
  {
    const std::lock_guard lock(c.mutex);
    c.stopping = true;
  }
  c.curl.multi_wakeup(c.multi);
  if (std::this_thread::get_id() == thread_.get_id()) {
    thread_.detach();  // the loop (which holds the core) stops by itself once its fibers end
  } else {
    thread_.join();
  }
}

void AsyncEngine::spawn(std::function<void()> body) const {
  Core& c = *core_;
  {
    const std::lock_guard lock(c.mutex);
    c.spawned.push_back(std::move(body));
    ++c.count;
  }
  c.curl.multi_wakeup(c.multi);
}

std::thread::id AsyncEngine::thread_id() const { return thread_.get_id(); }

std::size_t AsyncEngine::fibers() const { return core_->count.load(); }

bool AsyncEngine::on_engine_fiber() {
  Fiber* fiber = current_fiber();
  return fiber != nullptr && dynamic_cast<Core*>(&fiber->host()) != nullptr;
}

CURLcode AsyncEngine::perform(CURL* easy) {
  Fiber* fiber = current_fiber();
  auto* core = fiber != nullptr ? dynamic_cast<Core*>(&fiber->host()) : nullptr;
  if (core == nullptr) throw std::logic_error("AsyncEngine::perform outside an engine fiber");
  Transfer t;
  t.id = fiber->id();
  core->curl.easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(&t));
  const CURLMcode added = core->curl.multi_add_handle(core->multi, easy);
  if (added != CURLM_OK) {
    throw TransportError(TransportError::Kind::other,
                         fmt::format("libcurl refused a transfer: {}", core->curl.multi_strerror(added)), false);
  }
  t.ticket = begin_wait();
  suspend();  // resumed by drive_transfers() when the transfer ends
  return t.result;
}

}  // namespace kmeet::detail
