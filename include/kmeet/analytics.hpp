#pragma once
/// @file analytics.hpp
/// Room analytics through KAF (protocol.md G.2): sessions held in a room, who attended
/// each, chat messages, rooms and users — typed, every page fetched lazily.
///
/// Each call returns an `AnalyticsRange<T>`, a single-pass input range. Nothing is sent until the
/// caller starts iterating; each page (30 records) is fetched when the previous one is used up,
/// with a freshly minted KS per page (the `page` number lives inside the KS `api` privilege).
/// A failure on any page throws from the iteration itself (`begin()` or `++`), so a loop that
/// ends normally has seen every record KAF reported — never a partial list passed off as whole.
///
/// @code
/// kmeet::Client client(config);               // with the admin secret
/// for (const kmeet::RoomSession& s : client.analytics().sessions(kmeet::RoomId{4711})) {
///   for (const kmeet::Attendee& a : client.analytics().session_attendees(s.id, kmeet::RoomId{4711})) {
///     std::cout << a.user_name << '\n';
///   }
/// }
/// @endcode

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kmeet/types.hpp"

namespace kmeet {

namespace detail {
struct ServiceContext;

/// One page as the range sees it; produced by kmeet's paging code, which has already checked
/// the page against the ones before it.
template <class T>
struct AnalyticsPage {
  std::vector<T> items;
  std::optional<std::int64_t> total_count;
  bool last = true;
};

/// Fetches page after page; called only while the previous page was not the last.
template <class T>
using AnalyticsPageSource = std::function<AnalyticsPage<T>()>;
}  // namespace detail

/// What an analytics KS is scoped to: a room (`resourceId`) or a scheduled event (`eventId`).
/// KAF wants exactly one of them (guide: "Do not populate both").
using AnalyticsScope = std::variant<RoomId, EventId>;

/// Chat channel of `Analytics::room_messages`.
enum class MessageType {
  questions,    ///< `questions`: the Q&A channel
  public_chat,  ///< `public`: the room's public chat
  moderators,   ///< `moderators`: the moderators' channel
};

/// The wire name: `questions`, `public`, `moderators`.
std::string_view to_string(MessageType type);

/// An instructor listed in a session's `instructors` (which KAF sends as a JSON-encoded string).
struct Instructor {
  std::string id;              ///< KAF/Newrow user id (the object key or its `id` field)
  std::string third_party_id;  ///< the integrating application's user id, when sent
  /// Display name.
  std::string name;
  std::string role;            ///< e.g. `admin`, when sent
};

/// A session held in a room (`analytics/sessions`).
struct RoomSession {
  SessionId id;                         ///< pass to `Analytics::session_attendees`
  std::string room_id;                  ///< KAF's own room id
  std::string third_party_room_id;      ///< the Kaltura resource id for API-created rooms
  /// The room's name.
  std::string room_name;
  std::optional<Timestamp> start;       ///< `date_start` or `start_date` (s or ms on the wire)
  std::optional<Timestamp> end;         ///< `date_end` or `end_date`
  /// `duration` exactly as KAF reports it (the guide's example is in minutes: 24.9667 for a
  /// 1498-second session). Prefer `length()`.
  std::optional<double> duration;
  std::string type;                     ///< e.g. `room`, `live`
  /// The session's instructors (moderators).
  std::vector<Instructor> instructors;
  /// How many people took part, when sent.
  std::optional<std::int64_t> participants_count;

  /// `end - start` when both are known.
  [[nodiscard]] std::optional<std::chrono::seconds> length() const {
    if (!start || !end || *end < *start) return std::nullopt;
    return *end - *start;
  }
};

/// One person's attendance of a session (`analytics/session-attendees`).
struct Attendee {
  /// The session attended.
  SessionId session_id;
  std::string user_id;         ///< KAF/Newrow user id (use with `Analytics::user`)
  std::string lti_user_id;     ///< the application's own user id (the join KS's user id)
  std::string user_type;       ///< KAF's role label, e.g. `user`, `instructor`, `student`
  /// Display name.
  std::string user_name;
  /// Email as KAF knows it.
  std::string user_email;
  /// The application's own email for the user, when sent.
  std::string lti_user_email;
  std::optional<Timestamp> joined;  ///< `time_joined`
  std::optional<Timestamp> left;    ///< `time_left`
  /// `duration` exactly as KAF reports it (the guide's example is in minutes). Prefer `time_in_room()`.
  std::optional<double> duration;
  /// `attention` as a percentage (`"34%"` and `34` both read as 34).
  std::optional<double> attention;

  /// `left - joined` when both are known.
  [[nodiscard]] std::optional<std::chrono::seconds> time_in_room() const {
    if (!joined || !left || *left < *joined) return std::nullopt;
    return *left - *joined;
  }
};

/// A chat message (`analytics/room-messages`).
struct RoomMessage {
  /// KAF's message id.
  std::string id;
  /// The application's user id of the author.
  std::string third_party_user_id;
  /// The author's display name.
  std::string user_name;
  /// The text.
  std::string message;
  std::string type;                ///< `questions`, `public` or `moderators`, when sent
  std::optional<Timestamp> date;   ///< `date`, when sent (protocol.md G.2 names no date field)
};

/// A room as KAF knows it (`rooms`).
struct AnalyticsRoom {
  std::string id;              ///< KAF's own room id
  std::string third_party_id;  ///< the Kaltura resource id for API-created rooms
  /// The room's name.
  std::string name;
};

/// A user as KAF knows it (`users`, `users/{id}`).
struct AnalyticsUser {
  std::string id;              ///< KAF/Newrow user id
  std::string third_party_id;  ///< the application's own user id
  /// Email, when known.
  std::string email;
  /// First name, when known.
  std::string first_name;
  /// Last name, when known.
  std::string last_name;
  /// KAF's role label.
  std::string role;
};

/// A lazy, single-pass input range over every record of an analytics listing.
///
/// Pages are fetched while iterating. Errors (`HttpError`, `TransportError`, `ApiError`,
/// `ProtocolError`, `ValidationError`) are thrown from `begin()` or `++`; once a page failed, every
/// further use of the range rethrows that error. Not thread-safe (use one range per thread).
template <class T>
class AnalyticsRange {
  struct State {
    detail::AnalyticsPageSource<T> source;
    std::vector<T> page;
    std::size_t pos = 0;
    bool started = false;
    bool done = false;
    std::size_t pages = 0;
    std::optional<std::int64_t> total;
    std::exception_ptr failure;

    void check() const {
      if (failure) std::rethrow_exception(failure);
    }
    // Moves to the next record, fetching pages (skipping empty last pages) as needed.
    void fill() {
      check();
      while (pos >= page.size() && !done) {
        try {
          detail::AnalyticsPage<T> next = source();
          page = std::move(next.items);
          pos = 0;
          ++pages;
          total = next.total_count;
          done = next.last;
        } catch (...) {
          failure = std::current_exception();
          page.clear();
          pos = 0;
          throw;
        }
      }
    }
  };

 public:
  /// Made by `Analytics`; nothing is fetched until iteration starts.
  explicit AnalyticsRange(detail::AnalyticsPageSource<T> source)
      : state_(std::make_shared<State>(State{.source = std::move(source)})) {}

  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = const T&;
    using pointer = const T*;

    iterator() = default;
    reference operator*() const { return state_->page[state_->pos]; }
    pointer operator->() const { return &state_->page[state_->pos]; }
    iterator& operator++() {
      state_->check();
      ++state_->pos;
      state_->fill();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t /*end*/) {
      if (!it.state_) return true;
      it.state_->check();
      return it.state_->done && it.state_->pos >= it.state_->page.size();
    }

   private:
    friend class AnalyticsRange;
    explicit iterator(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };

  /// Fetches the first page on first use; later calls continue where iteration stopped.
  iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->fill();
    }
    state_->check();
    return iterator(state_);
  }
  /// The end of the range (compares equal once every page was used up).
  [[nodiscard]] std::default_sentinel_t end() const { return {}; }

  /// Every (remaining) record, all pages fetched; throws like the iteration does.
  std::vector<T> to_vector() {
    std::vector<T> out;
    for (auto it = begin(); it != end(); ++it) out.push_back(*it);
    return out;
  }

  /// `total_count` of the latest page fetched (empty before the first page or when not sent).
  [[nodiscard]] std::optional<std::int64_t> total_count() const { return state_->total; }
  /// Pages fetched so far.
  [[nodiscard]] std::size_t pages_fetched() const { return state_->pages; }

 private:
  std::shared_ptr<State> state_;
};

/// KAF room analytics (protocol.md G.2). Obtain it from `Client::analytics()`; cheap to copy, safe to use
/// from several threads (each range on one thread).
///
/// Every page is a `GET {KAF}/newrowkaf/index/api?ks=…` with a KS made for it: type USER, empty
/// user id, 5 minutes' lifetime, privileges `resourceId:<room>` or `eventId:<event>` (never both),
/// `role:viewerRole` and `api:<URL-encoded {"method":"GET","action":…,"params":{…,"page":N}}>`.
/// The KS is minted locally from the admin secret, or with an app token obtained through
/// `apptoken.startSession` (one more round trip per page). With neither, every call throws
/// `ValidationError` (field `admin_secret`) before anything is sent: kmeet does not take the
/// user-secret route of protocol.md G.2 (a `session.start` round trip per page).
class Analytics {
 public:
  /// The most pages one listing fetches by default (300,000 records at KAF's 30 per page).
  static constexpr std::int64_t kDefaultMaxPages = 10'000;
  /// A copy whose listings fetch at most `pages` pages (>= 1, else ValidationError `max_pages`):
  /// a listing whose server says "another page follows" beyond that throws ProtocolError
  /// instead of paging on. Independently of the cap, a page that repeats the previous one ends
  /// the listing with ProtocolError (a server that pages without progress).
  [[nodiscard]] Analytics max_pages(std::int64_t pages) const;

  /// Sessions held in `room` (`analytics/sessions`, filtered by `third_party_room_id`), optionally
  /// only those that started in [from, to]. `from > to` throws ValidationError.
  [[nodiscard]] AnalyticsRange<RoomSession> sessions(RoomId room, std::optional<Timestamp> from = {},
                                                     std::optional<Timestamp> to = {}) const;

  /// Attendance of one session (`analytics/session-attendees`, with `include_third_party_data=1`
  /// so `lti_user_id`/`lti_user_email` carry the application's own ids). `scope` is the room the
  /// session was held in, or its event.
  [[nodiscard]] AnalyticsRange<Attendee> session_attendees(SessionId session, AnalyticsScope scope,
                                                           std::optional<Timestamp> from = {},
                                                           std::optional<Timestamp> to = {}) const;

  /// Chat messages of `room` in one channel (`analytics/room-messages`).
  [[nodiscard]] AnalyticsRange<RoomMessage> room_messages(RoomId room, MessageType type) const;

  /// Rooms KAF knows (`rooms`); the KS is scoped to `scope` as KAF requires.
  [[nodiscard]] AnalyticsRange<AnalyticsRoom> rooms(AnalyticsScope scope) const;

  /// Users KAF knows (`users`).
  [[nodiscard]] AnalyticsRange<AnalyticsUser> users(AnalyticsScope scope) const;

  /// One user by KAF user id (`users/{id}`); the id is a KAF id such as `Attendee::user_id`
  /// (letters, digits, dash, underscore and dot only — ValidationError otherwise).
  [[nodiscard]] AnalyticsUser user(std::string_view user_id, AnalyticsScope scope) const;

 private:
  friend class Client;
  explicit Analytics(std::shared_ptr<const detail::ServiceContext> context);
  std::shared_ptr<const detail::ServiceContext> ctx_;
  std::int64_t max_pages_ = kDefaultMaxPages;
};

}  // namespace kmeet
