#pragma once
/// @file analytics.hpp
/// Room analytics through KAF (protocol.md G.2): sessions held in a room, who attended
/// each, chat messages, rooms and users — typed, every page fetched lazily.
///
/// Each call returns a `Listing<T>` (kmeet/listing.hpp: lazy, single-pass, errors end the listing,
/// a repeated page or more than `max_pages` pages throw ProtocolError). Nothing is sent until the
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
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kmeet/export.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

namespace detail {
struct ServiceContext;
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

/// The wire name: `questions`, `public`, `moderators` (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(MessageType type) noexcept;

/// An instructor listed in a session's `instructors` (which KAF sends as a JSON-encoded string).
struct KMEET_EXPORT Instructor {
  std::string id;              ///< KAF/Newrow user id (the object key or its `id` field)
  std::string third_party_id;  ///< the integrating application's user id, when sent
  /// Display name.
  std::string name;
  std::string role;            ///< e.g. `admin`, when sent
};

/// A session held in a room (`analytics/sessions`).
struct KMEET_EXPORT RoomSession {
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
struct KMEET_EXPORT Attendee {
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
struct KMEET_EXPORT RoomMessage {
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
struct KMEET_EXPORT AnalyticsRoom {
  std::string id;              ///< KAF's own room id
  std::string third_party_id;  ///< the Kaltura resource id for API-created rooms
  /// The room's name.
  std::string name;
};

/// A user as KAF knows it (`users`, `users/{id}`).
struct KMEET_EXPORT AnalyticsUser {
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

/// The range type of analytics listings before kmeet had one range type for every listing.
template <class T>
using AnalyticsRange [[deprecated("use kmeet::Listing<T>, the one range type of every listing")]] = Listing<T>;

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
class KMEET_EXPORT Analytics {
 public:
  /// The most pages one listing fetches by default (300,000 records at KAF's 30 per page): the
  /// cap of every `Listing`.
  static constexpr std::int64_t kDefaultMaxPages = kmeet::kDefaultMaxPages;
  /// A copy whose listings start with `Listing::max_pages(pages)` (>= 1, else ValidationError
  /// `max_pages`): a listing whose server says "another page follows" beyond that throws
  /// ProtocolError instead of paging on (the rules of kmeet/listing.hpp).
  [[nodiscard]] Analytics max_pages(std::int64_t pages) const;

  /// Sessions held in `room` (`analytics/sessions`, filtered by `third_party_room_id`), optionally
  /// only those that started in [from, to]. `from > to` throws ValidationError.
  [[nodiscard]] Listing<RoomSession> sessions(RoomId room, std::optional<Timestamp> from = {},
                                              std::optional<Timestamp> to = {}) const;

  /// Attendance of one session (`analytics/session-attendees`, with `include_third_party_data=1`
  /// so `lti_user_id`/`lti_user_email` carry the application's own ids). `scope` is the room the
  /// session was held in, or its event.
  [[nodiscard]] Listing<Attendee> session_attendees(SessionId session, AnalyticsScope scope,
                                                    std::optional<Timestamp> from = {},
                                                    std::optional<Timestamp> to = {}) const;

  /// Chat messages of `room` in one channel (`analytics/room-messages`).
  [[nodiscard]] Listing<RoomMessage> room_messages(RoomId room, MessageType type) const;

  /// Rooms KAF knows (`rooms`); the KS is scoped to `scope` as KAF requires.
  [[nodiscard]] Listing<AnalyticsRoom> rooms(AnalyticsScope scope) const;

  /// Users KAF knows (`users`).
  [[nodiscard]] Listing<AnalyticsUser> users(AnalyticsScope scope) const;

  /// One user by KAF user id (`users/{id}`); the id is a KAF id such as `Attendee::user_id`
  /// (letters, digits, dash, underscore and dot only — ValidationError otherwise).
  [[nodiscard]] AnalyticsUser user(std::string_view user_id, AnalyticsScope scope) const;

 private:
  friend class Client;
  explicit Analytics(std::shared_ptr<const detail::ServiceContext> context) : ctx_(std::move(context)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
  std::int64_t max_pages_ = kDefaultMaxPages;
};

}  // namespace kmeet
