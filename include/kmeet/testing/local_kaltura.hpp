#pragma once
/// @file testing/local_kaltura.hpp
/// `kmeet::testing::LocalKaltura`: the kmeet emulator (a local stand-in for Kaltura's api_v3 and
/// KAF, docs/emulator.md) running inside your test's process, on a free loopback port. Point a
/// `kmeet::Client` at it (`config()`), run the code under test, then look at what it did at the
/// level of rooms, sessions and joins, move the clock, or make the server fail on purpose.
/// Part of the `kmeet::testing` library (CMake: `find_package(kmeet CONFIG COMPONENTS testing)`,
/// link `kmeet::testing`). See docs/getting-started.md, "Testing your code against kmeet".

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmeet/config.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/model.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/types.hpp"

namespace kmeet::testing {

/// How a LocalKaltura is set up. The defaults suit most tests.
struct LocalKalturaOptions {
  /// The one partner the server hosts.
  PartnerId partner_id{1234567};
  /// Its admin secret (a test value, not a real one).
  std::string admin_secret = "local-kaltura-admin-secret";
  /// Its user secret (accepted by `session.start` for USER sessions).
  std::string user_secret = "local-kaltura-user-secret";
  /// KS version of the sessions the server issues itself (`session.start`, app tokens).
  KsVersion ks_version = KsVersion::v2;
  /// Faults from the start, as `kmeet-emulator --faults` (e.g. `"5xx=0.2,reset_before=0.1"`);
  /// empty: none. Change them later with `set_faults`.
  std::string faults;
  /// Seed of the fault decisions (the same seed replays the same faults).
  std::uint64_t seed = 0;
  /// Every answer is delayed this long.
  std::chrono::milliseconds latency{0};
  /// At most this many api_v3 calls per `rate_window` (then `ACTION_BLOCKED`); 0: no limit.
  int rate_limit = 0;
  /// The rate-limit window.
  std::chrono::seconds rate_window{10};
  /// How long a person who joins stays in the room (the analytics model).
  std::chrono::seconds attendance{1800};
  /// Keep the server's state in this JSON file (loaded if present, saved on destruction); empty:
  /// memory only.
  std::string state_file;
};

/// A room as the server holds it.
struct LocalRoom {
  RoomId id;                               ///< the room id
  std::string name;                        ///< `name`
  std::optional<std::string> system_name;  ///< `systemName`
  std::optional<std::string> description;  ///< `description`
  std::string tags;                        ///< `tags`, as stored (the room's settings live here)
  RoomStatus status = RoomStatus::active;  ///< deleted rooms are kept (status `deleted`)
  std::string object_type;                 ///< e.g. `KalturaLocationScheduleResource`
};

/// A scheduled session (event) as the server holds it.
struct LocalEvent {
  EventId id;                                ///< the event id
  std::string summary;                       ///< `summary`
  std::optional<Timestamp> start;            ///< `startDate`
  std::optional<Timestamp> end;              ///< `endDate`
  EventStatus status = EventStatus::active;  ///< cancelled and deleted events are kept
  std::string tags;                          ///< `tags`, as stored
  std::string owner_id;                      ///< `ownerId` (the KS user that added it)
  std::vector<RoomId> rooms;                 ///< the rooms it is linked to, in link order
  std::string object_type;                   ///< e.g. `KalturaRecordScheduleEvent`
};

/// One person's presence in a room, recorded when a join link was opened.
struct LocalJoin {
  std::string user_id;           ///< the KS user
  std::string name;              ///< `firstName lastName`, else the user id
  std::string email;             ///< the `email` privilege, if any
  Role role = Role::attendee;    ///< `viewerRole` or `adminRole`
  RoomId room;                   ///< the room joined
  std::optional<EventId> event;  ///< the event of the link, if it named one
  Timestamp joined;              ///< when they first joined this meeting of the room
};

/// An application token (protocol.md I.3), without its secret value.
struct LocalAppToken {
  std::string id;                                        ///< e.g. `0_o7l19k80`
  int status = 2;                                        ///< 1 disabled, 2 active, 3 deleted
  std::optional<SessionType> session_type;               ///< the type it forces, if any
  std::optional<std::string> session_user_id;            ///< the user it forces, if any
  std::optional<std::chrono::seconds> session_duration;  ///< upper bound of its sessions' lifetime
  std::string session_privileges;                        ///< privileges put into every session
  std::string hash_type;                                 ///< `MD5`, `SHA1`, `SHA256` or `SHA512`
  std::optional<Timestamp> expiry;                       ///< after this, `APP_TOKEN_EXPIRED`
  std::string description;                               ///< free text
};

/// What opening a join link gave.
struct LaunchResult {
  int status = 0;       ///< HTTP status of the launch page (200, or 400/403/404 with the reason)
  bool joined = false;  ///< true when the page let the person in (and the join was recorded)
  std::string page;     ///< the HTML page
};

/// The emulator in this process, listening on `127.0.0.1` on a free port from construction to
/// destruction. Thread-safe: the server runs on its own threads, and every member may be called
/// from any thread while the code under test talks to it over HTTP.
class LocalKaltura {
 public:
  /// Starts with the default options. Throws std::runtime_error when it cannot listen.
  LocalKaltura();
  /// Starts with `options`. Throws std::invalid_argument for a bad fault spec or option,
  /// std::runtime_error when it cannot listen or read/write `state_file`.
  explicit LocalKaltura(LocalKalturaOptions options);
  /// Stops the server (and saves `state_file`).
  ~LocalKaltura();
  LocalKaltura(const LocalKaltura&) = delete;
  LocalKaltura& operator=(const LocalKaltura&) = delete;
  /// Movable: the server keeps running under the new owner (a moved-from LocalKaltura may only
  /// be destroyed or assigned to).
  LocalKaltura(LocalKaltura&&) noexcept;
  /// Movable: the server keeps running under the new owner.
  LocalKaltura& operator=(LocalKaltura&&) noexcept;

  /// The port it listens on.
  [[nodiscard]] int port() const;
  /// `http://127.0.0.1:PORT`: the service URL and the KAF URL alike.
  [[nodiscard]] std::string service_url() const;
  /// The partner it hosts.
  [[nodiscard]] PartnerId partner_id() const;
  /// The partner's admin secret.
  [[nodiscard]] const std::string& admin_secret() const;
  /// The partner's user secret.
  [[nodiscard]] const std::string& user_secret() const;
  /// A ready `Config`: service and KAF URL, partner, admin and user secret; a clock that follows
  /// this server's clock (so `advance_clock` does not leave the client's KSs behind; it falls back
  /// to the system clock once this LocalKaltura is gone); the default retry rules with short waits
  /// (backoff 5..50 ms, deadline 2 s) so a test of an outage ends quickly.
  [[nodiscard]] Config config() const;

  /// Adds a room through the API (with all of its validation). Throws std::runtime_error
  /// `"<CODE>: <message>"` when the server refuses it.
  RoomId add_room(std::string_view name, std::string_view tags = "vcprovider:newrow");
  /// Adds a single session (`KalturaRecordScheduleEvent`) and links it to `room`. Throws
  /// std::runtime_error `"<CODE>: <message>"` when the server refuses either step.
  EventId add_event(RoomId room, std::string_view summary, Timestamp start, Timestamp end);
  /// Records a chat message in a room (for `analytics/room-messages`); `type` is `public`,
  /// `questions` or `moderators`. Throws std::invalid_argument for an unknown room or type.
  void add_chat_message(RoomId room, std::string_view user_id, std::string_view user_name,
                        std::string_view text, std::string_view type = "public");
  /// Sets an app token DISABLED (`active == false`) or ACTIVE, which the API itself cannot do:
  /// `startSession` then answers `APP_TOKEN_NOT_ACTIVE`. Throws std::invalid_argument for an
  /// unknown or deleted token.
  void set_app_token_active(std::string_view id, bool active);

  /// Every room, deleted ones included, by id.
  [[nodiscard]] std::vector<LocalRoom> rooms() const;
  /// Every event, cancelled and deleted ones included, by id.
  [[nodiscard]] std::vector<LocalEvent> events() const;
  /// Every recorded presence, in the order the meetings started.
  [[nodiscard]] std::vector<LocalJoin> joins() const;
  /// Every app token, deleted ones included, in the order they were added.
  [[nodiscard]] std::vector<LocalAppToken> app_tokens() const;
  /// How many api_v3 and KAF requests arrived over HTTP.
  [[nodiscard]] std::size_t request_count() const;

  /// Opens a join link (`.../virtualEvent/launch?ks=...`) as a browser would, in this process:
  /// the KS and the meeting are checked and, when they pass, the join is recorded. Throws
  /// std::invalid_argument when `url` has no `ks` parameter.
  LaunchResult open(std::string_view url);

  /// The server's "now".
  [[nodiscard]] Timestamp now() const;
  /// Moves the server's clock forward (or back, with a negative value): KS expiry, app-token
  /// expiry and the times the server stamps all follow it.
  void advance_clock(std::chrono::seconds by);
  /// Sets the server's clock.
  void set_clock(Timestamp to);

  /// Makes the server fail on purpose from now on, as `kmeet-emulator --faults SPEC --seed N`
  /// (docs/emulator.md, "Faults"): e.g. `"5xx=1"` fails every request with a 5xx. Throws
  /// std::invalid_argument for a bad spec.
  void set_faults(std::string_view spec, std::uint64_t seed = 0);
  /// No more faults.
  void clear_faults();

  /// Forgets everything: rooms, events, joins, app tokens, sessions ended; the clock goes back to
  /// the system clock.
  void reset();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kmeet::testing
