#pragma once
/// @file client.hpp
/// kmeet::Client — the one object an application builds to talk to Kaltura Meetings.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kmeet/analytics.hpp"
#include "kmeet/config.hpp"
#include "kmeet/events.hpp"
#include "kmeet/links.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/rooms.hpp"
#include "kmeet/sessions.hpp"
#include "kmeet/types.hpp"

namespace kmeet {
namespace detail {
struct ClientContext;
}

/// Who joins which meeting as what; the input of `Client::join`.
struct JoinRequest {
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
  /// Get the KS through `session.start` (user secret, or admin secret) instead of minting locally.
  bool via_api = false;
};

/// A ready join link: the KAF launch URL and the KS inside it.
struct JoinLink {
  /// `{kaf}/virtualEvent/launch?ks=...`: open it or put it in an iframe (see urls.hpp).
  std::string url;
  std::string ks;  ///< the person's KS — hand it only to that person, never log it
  /// When the link stops working.
  Timestamp expires_at{};
};

/// Entry point of the SDK. Cheap to share: copy it or use it from several threads at once.
class Client {
 public:
  /// Validates `config` (ValidationError) and prepares the transport; sends nothing yet.
  explicit Client(Config config);
  /// A Client configured from `KALTURA_*` environment variables.
  static Client from_env();

  /// The configuration this client was built with.
  [[nodiscard]] const Config& config() const;
  /// The KAF base URL in use (`https://{partnerId}.kaf.kaltura.com` unless configured).
  [[nodiscard]] std::string kaf_base_url() const;

  /// session.start/end/get and system.getTime.
  [[nodiscard]] Sessions sessions() const;

  /// Rooms (`scheduleResource`): add/get/update/remove/list/list_all.
  [[nodiscard]] Rooms rooms() const;
  /// Scheduled sessions (`scheduleEvent`): add/get/update/cancel/remove/list/list_all.
  [[nodiscard]] Events events() const;
  /// Event-to-room links (`scheduleEventResource`): add/list/list_all/remove.
  [[nodiscard]] Links links() const;

  /// Creates a room (or uses an existing one), a session and the link between them in ONE HTTP
  /// round trip (a multirequest with `{N:result:id}` references). Validates everything first
  /// (ValidationError). If any step fails, whatever was created is deleted again and
  /// MeetingError names the failed step with the server's code; a half-made meeting is never
  /// returned. Safe to retry: the room's `systemName` and the event's `referenceId` are
  /// idempotency keys (generated when unset); when the outcome of the request is unknown kmeet
  /// looks the room, event and link up by them and completes only the missing steps (bounded by
  /// the RetryPolicy; docs/reliability.md). A failure before anything could be confirmed on the
  /// server is thrown as such (TransportError, HttpError, ProtocolError).
  [[nodiscard]] Meeting create_meeting(const MeetingSpec& spec) const;
  /// Several meetings in one round trip. One result per spec, in order: the meeting, or its
  /// ValidationError (nothing of it sent) or MeetingError (rolled back).
  [[nodiscard]] std::vector<MeetingResult> create_meetings(std::span<const MeetingSpec> specs) const;

  /// A join link for one person (protocol.md G.1): a USER-type KS with `role`, `userContextualRole`,
  /// `eventId` or `resourceId` and the names, minted locally when the admin secret is configured,
  /// else through `session.start` with the user secret.
  [[nodiscard]] JoinLink join(const JoinRequest& request) const;

  /// KAF room analytics (sessions, attendees, messages, rooms, users), every page fetched lazily
  /// with a KS minted per page; needs the admin secret. See analytics.hpp.
  [[nodiscard]] Analytics analytics() const;

  /// The current admin KS kmeet uses for API calls (minted or obtained on first use).
  [[nodiscard]] std::string admin_ks() const;

  /// Internal state shared with the service handles.
  [[nodiscard]] const std::shared_ptr<detail::ClientContext>& context() const { return ctx_; }

 private:
  std::shared_ptr<detail::ClientContext> ctx_;
};

}  // namespace kmeet
