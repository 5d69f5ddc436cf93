#pragma once
/// @file sessions.hpp
/// The `session` and `system` services: session.start/end/get and system.getTime.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "kmeet/ks.hpp"
#include "kmeet/types.hpp"

namespace kmeet {
namespace detail {
struct ServiceContext;
}

/// Parameters of `session.start` (protocol.md D.1).
struct SessionStart {
  /// Admin secret (any type) or user secret (USER type only).
  std::string secret;
  /// USER for people joining rooms, ADMIN for API calls.
  SessionType type = SessionType::user;
  /// The user the KS is for.
  std::string user_id;
  /// Relative lifetime in seconds; the server clamps it (default maximum one day).
  std::chrono::seconds expiry{86400};
  /// Privileges string; build it with kmeet::Privileges.
  std::string privileges;
};

/// `KalturaSessionInfo` as returned by `session.get`.
struct SessionInfo {
  std::string ks;  ///< the KS itself — never print it
  /// Session type of the KS.
  SessionType type = SessionType::user;
  /// Partner of the KS.
  PartnerId partner_id;
  /// User id of the KS.
  std::string user_id;
  /// When the KS expires.
  Timestamp expires_at{};
  /// Privileges of the KS as the server stores them.
  std::string privileges;
};

/// Typed access to KS sessions (the `session` service, protocol.md D.1) and `system.getTime`. "Session" here
/// is a Kaltura Session token (KS), not a scheduled meeting session (that is an `Event`, see
/// events.hpp) nor a KAF room occurrence (`RoomSession`, analytics.hpp).
class KsSessions {
 public:
  /// `session.start`: a KS made by the server. Throws ApiError START_SESSION_ERROR on a bad secret.
  [[nodiscard]] std::string start(const SessionStart& params) const;
  /// `session.end` for `ks`: later use of it fails with INVALID_KS / LOGOUT.
  void end(const std::string& ks) const;
  /// `session.get`: what the server knows of `ks` (the client's own KS when empty).
  [[nodiscard]] SessionInfo get(const std::string& ks = {}) const;
  /// `system.getTime`: the server's clock, for skew checks (protocol.md D.1: outside the
  /// schedule API, used only for a clock check); a server without it answers with an ApiError,
  /// which `kmeet doctor` tolerates.
  [[nodiscard]] Timestamp server_time() const;

 private:
  friend class Client;
  explicit KsSessions(std::shared_ptr<const detail::ServiceContext> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
};

/// The old name of KsSessions.
using Sessions [[deprecated("renamed KsSessions (KS sessions, not meeting sessions)")]] = KsSessions;

}  // namespace kmeet
