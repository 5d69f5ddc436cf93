#include "http/async_engine.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/fiber.hpp"
#include "http/curl_api.hpp"
#include "http/engine_registry.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

using Clock = std::chrono::steady_clock;

/// Idle keep-alive connections the multi handle keeps (its cache); the most requests one engine
/// is documented to hold in flight (docs/async.md).
constexpr long kMaxCachedConnections = 1024;
/// The longest the loop sleeps without a reason to wake (a safety net; wakes are explicit).
constexpr int kMaxPollMs = 1000;
/// Socket events taken per epoll_wait.
constexpr int kEvents = 256;

/// One transfer handed to the loop by perform(): the fiber waiting for it and the result.
struct Transfer {
  std::uint64_t id = 0;
  std::uint64_t ticket = 0;
  CURLcode result = CURLE_OK;
};

}  // namespace

struct AsyncEngine::Core final : FiberHost, EngineRegistry::Engine {
  explicit Core(const CurlApi& api) : curl(api) {}
  ~Core() override {
    fibers.clear();  // only unfinished ones when the process is going away
    if (multi != nullptr) curl.multi_cleanup(multi);
    for (const int fd : {epoll, wakeup}) {
      if (fd >= 0) ::close(fd);
    }
  }
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  const CurlApi& curl;
  CURLM* multi = nullptr;
  int epoll = -1;   // the sockets libcurl asks to watch (CURLMOPT_SOCKETFUNCTION), and `wakeup`
  int wakeup = -1;  // an eventfd other threads write to wake the loop
  std::optional<Clock::time_point> curl_due;  // libcurl's timer (CURLMOPT_TIMERFUNCTION)

  // Shared with other threads.
  std::mutex mutex;
  std::vector<std::function<void()>> spawned;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> woken;  // (fiber, ticket)
  bool stopping = false;
  std::atomic<std::size_t> count{0};
  std::atomic<bool> exiting{false};  // the process exits: the loop returns at its next switch
  std::atomic<bool> ended{false};    // the loop has returned

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
    poke();
  }

  /// Wakes the loop from its epoll_wait (any thread).
  void poke() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wakeup, &one, sizeof one);
  }

  // libcurl's callbacks (curl_multi_socket_action): which sockets to watch, and when to call back.
  static int on_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* user, void* /*socketp*/) {
    auto& core = *static_cast<Core*>(user);
    if (what == CURL_POLL_REMOVE) {
      ::epoll_ctl(core.epoll, EPOLL_CTL_DEL, fd, nullptr);
      return 0;
    }
    epoll_event ev{};
    ev.events = (what == CURL_POLL_IN || what == CURL_POLL_INOUT ? EPOLLIN : 0U) |
                (what == CURL_POLL_OUT || what == CURL_POLL_INOUT ? EPOLLOUT : 0U);
    ev.data.fd = fd;
    if (::epoll_ctl(core.epoll, EPOLL_CTL_MOD, fd, &ev) != 0) ::epoll_ctl(core.epoll, EPOLL_CTL_ADD, fd, &ev);
    return 0;
  }
  static int on_timer(CURLM* /*multi*/, long timeout_ms, void* user) {
    auto& core = *static_cast<Core*>(user);
    if (timeout_ms < 0) {
      core.curl_due.reset();
    } else {
      core.curl_due = Clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
  }

  void stop_at_exit() override {
    exiting = true;
    poke();
  }
  [[nodiscard]] bool finished() const override { return ended; }

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
    while (!runnable.empty() && !exiting) {
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

  /// Tells libcurl what happened (a socket's events, or its timer), then resumes the fibers whose
  /// transfers ended.
  void drive(curl_socket_t fd, int events) {
    int running = 0;
    curl.multi_socket_action(multi, fd, events, &running);
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

  void fire_curl_timer() {
    if (curl_due && *curl_due <= Clock::now()) {
      curl_due.reset();
      drive(CURL_SOCKET_TIMEOUT, 0);
    }
  }

  /// How long the loop may sleep: until the next timer (ours or libcurl's), at most kMaxPollMs.
  [[nodiscard]] int poll_timeout() const {
    if (!runnable.empty()) return 0;
    std::optional<Clock::time_point> next = curl_due;
    if (!timers.empty() && (!next || timers.begin()->first < *next)) next = timers.begin()->first;
    if (!next) return kMaxPollMs;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, kMaxPollMs));
  }

  /// Waits for sockets, the wake-up or a timer, and hands each socket event to libcurl.
  void wait_and_drive() {
    std::array<epoll_event, kEvents> events{};
    const int n = ::epoll_wait(epoll, events.data(), kEvents, poll_timeout());
    for (int i = 0; i < n; ++i) {
      const epoll_event& ev = events[static_cast<std::size_t>(i)];
      if (ev.data.fd == wakeup) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto r = ::read(wakeup, &count, sizeof count);
        continue;
      }
      int what = 0;
      if ((ev.events & EPOLLIN) != 0U) what |= CURL_CSELECT_IN;
      if ((ev.events & EPOLLOUT) != 0U) what |= CURL_CSELECT_OUT;
      if ((ev.events & (EPOLLERR | EPOLLHUP)) != 0U) what |= CURL_CSELECT_ERR;
      drive(ev.data.fd, what);
    }
  }

  void loop() {
    while (!exiting && take_posted()) {
      fire_timers();
      run_fibers();  // they add transfers: libcurl asks for a timer of 0 to start them
      fire_curl_timer();
      if (!runnable.empty()) continue;
      wait_and_drive();
      fire_curl_timer();
    }
    ended = true;
  }
};

AsyncEngine::AsyncEngine() : core_(std::make_shared<Core>(curl_api())) {
  EngineRegistry& registry = EngineRegistry::instance();  // before the thread: see its header
  Core& c = *core_;
  c.multi = c.curl.multi_init();
  c.epoll = ::epoll_create1(EPOLL_CLOEXEC);
  c.wakeup = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = c.wakeup;
  if (c.multi == nullptr || c.epoll < 0 || c.wakeup < 0 || ::epoll_ctl(c.epoll, EPOLL_CTL_ADD, c.wakeup, &ev) != 0) {
    throw TransportError(TransportError::Kind::other, "the async engine could not start (out of descriptors?)", false);
  }
  c.curl.multi_setopt(c.multi, CURLMOPT_SOCKETFUNCTION, &Core::on_socket);
  c.curl.multi_setopt(c.multi, CURLMOPT_SOCKETDATA, static_cast<void*>(&c));
  c.curl.multi_setopt(c.multi, CURLMOPT_TIMERFUNCTION, &Core::on_timer);
  c.curl.multi_setopt(c.multi, CURLMOPT_TIMERDATA, static_cast<void*>(&c));
  c.curl.multi_setopt(c.multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  c.curl.multi_setopt(c.multi, CURLMOPT_MAXCONNECTS, kMaxCachedConnections);
  std::thread thread([core = core_] { core->loop(); });
  thread_id_ = thread.get_id();
  registry.add(core_, std::move(thread));
}

AsyncEngine::~AsyncEngine() {
  Core& c = *core_;
  {
    const std::lock_guard lock(c.mutex);
    c.stopping = true;
  }
  c.poke();
  // On the engine's own thread, the loop (which holds the core) stops by itself once its fibers
  // end; the registry joins that thread later. After exit() the registry has it (empty thread).
  if (std::this_thread::get_id() == thread_id_) return;
  std::thread thread = EngineRegistry::instance().take(core_.get());
  if (thread.joinable()) thread.join();
}

void AsyncEngine::spawn(std::function<void()> body) const {
  Core& c = *core_;
  {
    const std::lock_guard lock(c.mutex);
    c.spawned.push_back(std::move(body));
    ++c.count;
  }
  c.poke();
}

std::thread::id AsyncEngine::thread_id() const { return thread_id_; }

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
