#pragma once
/// @file async.hpp
/// Asynchronous calls: many requests in flight from one thread (docs/async.md).
///
/// `client.async()` gives an AsyncClient. Each of its calls starts at once and returns a
/// `std::future` of what the blocking call returns (or throws); a completion callback, when given,
/// receives the same outcome first. The calls run on the client's async engine: one thread (made
/// on the first asynchronous call) with one libcurl multi handle, where every call runs kmeet's
/// ordinary blocking code as a fiber that gives the thread up whenever it would wait — for the
/// network, a retry backoff, a throttling or rate-limit wait, or a session another call is
/// renewing. So an asynchronous call keeps every guarantee of the blocking one (validation before
/// sending, no blind resend of an add, idempotency look-ups, rollback, the retry budget, the rate
/// limiter, deadlines and cancellation of `Client::with`), and hundreds can be in flight at once.
///
/// @code
/// kmeet::Client client(config);
/// std::vector<std::future<kmeet::Meeting>> made;
/// for (const kmeet::MeetingSpec& spec : specs) made.push_back(client.async().create_meeting(spec));
/// for (auto& f : made) {
///   try {
///     std::cout << f.get().event.id.value() << '\n';
///   } catch (const kmeet::Error& e) {  // what the blocking call would have thrown (MeetingError, ...)
///     std::cerr << e.what() << '\n';
///   }
/// }
/// @endcode
///
/// Threads: callbacks, hooks (Config::log, Config::metrics) and the work given to run() execute on
/// the engine's thread, inside the call's fiber. They may call kmeet's blocking API (it suspends
/// the fiber, not the thread) and start more asynchronous calls, but must never wait for a
/// future of this engine (that would stop the thread the future waits for) nor block the thread
/// for long (every call in flight would stall). An exception thrown by a callback is ignored (the
/// future still gets the outcome). The future is ready after the callback has returned.
///
/// A custom `Config::transport` (not libcurl) is called on the engine's thread and blocks it for
/// each request: calls then run one at a time.
///
/// Each call in flight holds a copy of the Client: destroying the caller's last copy neither waits
/// nor cancels; the calls finish as usual and the engine then ends. At process exit the engines
/// stop at their next switch and their threads are joined (before OpenSSL's cleanup): the calls
/// still in flight are abandoned — no more request, no callback, the future never ready. Wait for
/// the futures before returning from main to have them finish (docs/async.md).

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "kmeet/analytics.hpp"
#include "kmeet/client.hpp"
#include "kmeet/export.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/model.hpp"

namespace kmeet {

/// What an asynchronous call ended with: the value, or the exception the blocking call would
/// have thrown.
template <class T>
class AsyncResult {
 public:
  /// A call that returned `value`.
  explicit AsyncResult(T value) : value_(std::move(value)) {}
  /// A call that threw `error`.
  explicit AsyncResult(std::exception_ptr error) : error_(std::move(error)) {}
  /// True when the call returned.
  [[nodiscard]] bool ok() const { return value_.has_value(); }
  /// The value; rethrows the error when there is none.
  [[nodiscard]] const T& value() const {
    if (!value_) std::rethrow_exception(error_);
    return *value_;
  }
  /// The error (null when ok()).
  [[nodiscard]] std::exception_ptr error() const { return error_; }
  /// Moves the value out (rethrows the error when there is none).
  T take() {
    if (!value_) std::rethrow_exception(error_);
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
  std::exception_ptr error_;
};

/// A completion callback: called once, on the engine's thread, with the call's outcome.
template <class T>
using Completion = std::function<void(const AsyncResult<T>&)>;

/// Asynchronous forms of the calls that matter for bulk work. Get one from `Client::async()` (or
/// from a `Client::with(options)` view: its deadline, token, timeout and retry policy apply);
/// cheap to copy, safe to use from any thread. Arguments are copied into the call.
class KMEET_EXPORT AsyncClient {
 public:
  /// Client::create_meeting.
  std::future<Meeting> create_meeting(MeetingSpec spec, Completion<Meeting> done = {}) const;
  /// Client::create_meetings (several meetings in one round trip).
  std::future<std::vector<MeetingResult>> create_meetings(std::vector<MeetingSpec> specs,
                                                          Completion<std::vector<MeetingResult>> done = {}) const;
  /// Rooms::add.
  std::future<Room> add_room(Room room, Completion<Room> done = {}) const;
  /// Rooms::list: one page.
  std::future<Page<Room>> list_rooms(RoomFilter filter = {}, Pager pager = {}, Completion<Page<Room>> done = {}) const;
  /// Events::add.
  std::future<Event> add_event(Event event, EventAddOptions options = {}, Completion<Event> done = {}) const;
  /// Events::list: one page.
  std::future<Page<Event>> list_events(EventFilter filter = {}, Pager pager = {},
                                       Completion<Page<Event>> done = {}) const;
  /// Links::add.
  std::future<EventRoomLink> add_link(EventId event, RoomId room, Completion<EventRoomLink> done = {}) const;
  /// Client::join.
  std::future<JoinLink> join(JoinRequest request, Completion<JoinLink> done = {}) const;
  /// Analytics::sessions, every page (one KAF request per page, one after the other).
  std::future<std::vector<RoomSession>> analytics_sessions(RoomId room, std::optional<Timestamp> from = {},
                                                           std::optional<Timestamp> to = {},
                                                           Completion<std::vector<RoomSession>> done = {}) const;
  /// Analytics::session_attendees, every page.
  std::future<std::vector<Attendee>> analytics_attendees(SessionId session, AnalyticsScope scope,
                                                         Completion<std::vector<Attendee>> done = {}) const;

  /// Runs `work(client)` — any blocking kmeet calls, as one logical unit — on the engine, like
  /// the calls above (each request it makes suspends it, not the thread). Returns what `work`
  /// returns (not void); `work` is moved into the call.
  template <class F, class R = std::invoke_result_t<F&, const Client&>>
  std::future<R> run(F work, Completion<R> done = {}) const;

  /// The engine's thread: where callbacks, hooks and run()'s work execute.
  [[nodiscard]] std::thread::id engine_thread() const;
  /// Calls started and not yet finished on this client's engine.
  [[nodiscard]] std::size_t in_flight() const;

 private:
  friend class Client;
  explicit AsyncClient(const Client& client) : client_(std::make_shared<const Client>(client)) {}
  /// Starts `body` as a fiber on the engine (made on first use).
  void spawn(std::function<void()> body) const;
  std::shared_ptr<const Client> client_;
};

template <class F, class R>
std::future<R> AsyncClient::run(F work, Completion<R> done) const {
  static_assert(!std::is_void_v<R>, "AsyncClient::run: the work must return a value");
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> future = promise->get_future();
  spawn([client = std::optional<Client>(*client_), work = std::move(work), done = std::move(done),
         promise]() mutable noexcept {
    std::optional<AsyncResult<R>> result;
    try {
      result.emplace(work(*client));
    } catch (...) {
      result.emplace(std::current_exception());
    }
    client.reset();  // the caller's copies decide when the client (and its engine) goes
    if (done) {
      try {
        done(*result);
      } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a callback's exception is ignored
      }
    }
    try {
      if (result->ok()) {
        promise->set_value(result->take());
      } else {
        promise->set_exception(result->error());
      }
    } catch (...) {  // NOLINT(bugprone-empty-catch): a value whose move throws: the future gets that
      promise->set_exception(std::current_exception());
    }
  });
  return future;
}

}  // namespace kmeet
