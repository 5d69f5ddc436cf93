#pragma once
/// @file client.hpp
/// kmeet::Client — the one object an application builds to talk to Kaltura Meetings.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kmeet/analytics.hpp"
#include "kmeet/app_tokens.hpp"
#include "kmeet/call_options.hpp"
#include "kmeet/config.hpp"
#include "kmeet/events.hpp"
#include "kmeet/export.hpp"
#include "kmeet/links.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/recordings.hpp"
#include "kmeet/rooms.hpp"
#include "kmeet/sessions.hpp"
#include "kmeet/types.hpp"

namespace kmeet {
class AsyncClient;
namespace detail {
struct ClientContext;
struct ClientAccess;
struct ServiceContext;
}

/// Who joins which meeting as what; the input of `Client::join`.
struct KMEET_EXPORT JoinRequest {
  /// Join a scheduled session (the room is found from the event) ...
  std::optional<EventId> event;
  /// ... or a room directly (moderators may prepare; attendees wait for a moderator).
  std::optional<RoomId> room;
  /// Unique per person: a second join with the same id drops the first (guide, Security).
  std::string user_id;
  /// Attendee (`viewerRole`, contextual role 3) or moderator (`adminRole`, contextual role 0).
  Role role = Role::attendee;
  /// Shown in the participants list (optional; validated, see privileges.hpp).
  std::string first_name;
  /// Shown in the participants list (optional).
  std::string last_name;
  /// The person's email (optional).
  std::string email;
  /// Lifetime of the join KS.
  std::chrono::seconds ttl{std::chrono::hours(2)};
  /// Get the KS through `session.start` (user secret, or admin secret) instead of minting locally
  /// (ignored with an app token, which always asks the server).
  bool via_api = false;
};

/// A ready join link: the KAF launch URL and the KS inside it.
struct KMEET_EXPORT JoinLink {
  /// `{kaf}/virtualEvent/launch?ks=...`: open it or put it in an iframe (see urls.hpp).
  std::string url;
  std::string ks;  ///< the person's KS — hand it only to that person, never log it
  /// When the link stops working.
  Timestamp expires_at{};
};

/// Entry point of the SDK. Cheap to share: copy it or use it from several threads at once.
class KMEET_EXPORT Client {
 public:
  /// Validates `config` (ValidationError) and prepares the transport; sends nothing yet.
  explicit Client(Config config);
  /// A Client configured from `KALTURA_*` environment variables.
  static Client from_env();

  /// A view of this client whose calls run with `options`: a deadline, a cancellation token, an
  /// HTTP timeout, a retry policy (fields left unset keep this client's). Cheap (no new
  /// connection, credentials, budget or rate limiter: they are shared); views compose
  /// (`client.with(a).with(b)`: b's fields win). Use it for one call or keep it:
  /// `client.with({.deadline = CallOptions::deadline_in(5s)}).rooms().get(id)`. A call the options
  /// stop throws CancelledError (a meeting: MeetingError with it as cause()), saying what state it
  /// left. docs/reliability.md, "Deadlines and cancellation". Throws ValidationError for a
  /// `timeout` that is not positive, or a `retry` with `max_attempts` under 1 or a negative
  /// `throttle_wait` (a deadline already past is allowed: every call then stops at once).
  [[nodiscard]] Client with(const CallOptions& options) const;

  /// The configuration this client was built with.
  [[nodiscard]] const Config& config() const;
  /// The KAF base URL in use (`https://{partnerId}.kaf.kaltura.com` unless configured).
  [[nodiscard]] std::string kaf_base_url() const;

  /// KS sessions: session.start/end/get and system.getTime (see sessions.hpp).
  [[nodiscard]] KsSessions ks_sessions() const;
  /// The old name of ks_sessions().
  [[deprecated("renamed ks_sessions() (KS sessions, not meeting sessions)")]] [[nodiscard]] KsSessions sessions() const {
    return ks_sessions();
  }

  /// Application tokens (`apptoken`): add/get/update/remove/list/list_all and start_session.
  [[nodiscard]] AppTokens app_tokens() const;

  /// Rooms (`scheduleResource`): add/get/update/remove/list/list_all.
  [[nodiscard]] Rooms rooms() const;
  /// Scheduled sessions (`scheduleEvent`): add/get/update/cancel/remove/list/list_all.
  [[nodiscard]] Events events() const;
  /// Event-to-room links (`scheduleEventResource`): add/list/list_all/remove.
  [[nodiscard]] Links links() const;
  /// Recordings of recorded meetings (`media`): of_event/of_events/get/wait_until_ready and URLs.
  [[nodiscard]] Recordings recordings() const;

  /// Creates a room (or uses an existing one), a session and the link between them in ONE HTTP
  /// round trip (a multirequest with `{N:result:id}` references). Validates everything first
  /// (ValidationError, nothing sent). A half-made meeting is never returned.
  ///
  /// The room's `systemName` and the event's `referenceId` are idempotency keys (generated when
  /// unset). Keys you set are looked up first (one more round trip; skip it with
  /// `MeetingSpec::keys_checked`), so running create_meeting again with the same keys completes
  /// or returns the meeting an earlier attempt made, never a second one; after the create, an
  /// event key you set is checked once for a twin made by a concurrent writer (the lowest id is
  /// kept). When the outcome of a request is unknown, kmeet looks the keys up (bounded by the
  /// RetryPolicy deadline, not its budget) and completes only the missing steps.
  ///
  /// Errors: when nothing can have run on the server (connection refused, HTTP 4xx/429 after the
  /// retries, or the request looking up your keys failing before anything was sent), the error itself is thrown
  /// (TransportError, HttpError, ProtocolError, ApiError). Otherwise MeetingError: the failed
  /// step, and whether kmeet confirmed the rollback (`rolled_back()`), could not confirm what
  /// exists (`outcome_unknown()`: run create_meeting again with `keys()`), or was refused part of
  /// the rollback (the message lists what is left). Through a with() view, a call stopped by its
  /// deadline or token before anything was sent throws CancelledError; after, the unfinished
  /// meetings are MeetingErrors `KMEET_CANCELLED` / `KMEET_DEADLINE` with their keys.
  /// docs/reliability.md, docs/errors.md.
  [[nodiscard]] Meeting create_meeting(const MeetingSpec& spec) const;
  /// Several meetings in one round trip. One result per spec, in order: the meeting, or its
  /// ValidationError (nothing of it sent) or MeetingError (as for create_meeting). A request-wide
  /// failure when nothing can have run is thrown, as for create_meeting.
  [[nodiscard]] std::vector<MeetingResult> create_meetings(std::span<const MeetingSpec> specs) const;

  /// A join link for one person (protocol.md G.1): a USER-type KS with `role`, `userContextualRole`,
  /// `eventId` or `resourceId` and the names. With an app token it comes from
  /// `apptoken.startSession` (the person's user id, the privileges, `ttl`); a token that fixes the
  /// user, the type or one of these privileges cannot issue it (ValidationError naming the token;
  /// the KS is never handed out). Else it is minted locally with the admin secret, or obtained
  /// through `session.start` with the user secret (`via_api`, or without the admin secret).
  [[nodiscard]] JoinLink join(const JoinRequest& request) const;

  /// KAF room analytics (sessions, attendees, messages, rooms, users), every page fetched lazily
  /// with a KS made per page; needs the admin secret or an app token. See analytics.hpp.
  [[nodiscard]] Analytics analytics() const;

  /// Asynchronous forms of the bulk calls (create_meetings, adds, list pages, join, analytics),
  /// returning futures and taking completion callbacks; many in flight from the client's one
  /// engine thread (kmeet/async.hpp, docs/async.md). Through a with() view, its options apply.
  [[nodiscard]] AsyncClient async() const;

  /// The current KS kmeet uses for API calls (minted or obtained on first use): the configured
  /// `ks`, the app token's session, or the admin KS. Hand it to no one.
  [[nodiscard]] std::string admin_ks() const;

 private:
  friend struct detail::ClientAccess;  // kmeet's own tests and tools reach the internals through it
  /// What the service handles get: the view's (with()) or the client's own.
  [[nodiscard]] std::shared_ptr<const detail::ServiceContext> services() const;
  std::shared_ptr<detail::ClientContext> ctx_;
  std::shared_ptr<const detail::ServiceContext> view_;  // set by with(); keeps ctx_ alive too
};

}  // namespace kmeet
