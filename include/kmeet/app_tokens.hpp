#pragma once
/// @file app_tokens.hpp
/// Application tokens (the `apptoken` service, docs/protocol.md section I): KSs without the admin
/// secret, revocable by deleting the token. docs/security.md explains how to set them up.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmeet/ks.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/model.hpp"
#include "kmeet/types.hpp"

namespace kmeet {
namespace detail {
struct ServiceContext;
}
class Client;

/// `KalturaAppTokenHashType`: the hash of `widget KS ‖ token` that proves the token (I.6).
enum class AppTokenHash { md5, sha1, sha256, sha512 };
/// `MD5`, `SHA1`, `SHA256`, `SHA512` (the API's exact, upper-case spelling).
[[nodiscard]] std::string_view to_string(AppTokenHash hash);
/// Parses `MD5`/`SHA1`/`SHA256`/`SHA512` in any case; ValidationError (`field`) otherwise.
[[nodiscard]] AppTokenHash parse_app_token_hash(std::string_view text, std::string_view field = "app_token_hash");

/// `KalturaAppTokenStatus`.
enum class AppTokenStatus { disabled = 1, active = 2, deleted = 3 };

/// `tokenHash` of `apptoken.startSession`: lower-case hex of HASH(ks ‖ token), over the exact KS
/// string the call carries (protocol.md I.6). Reproduces tests/data/apptoken_vectors.json.
[[nodiscard]] std::string app_token_hash(std::string_view ks, std::string_view token, AppTokenHash hash);

/// A stored application token (`KalturaAppToken`, protocol.md I.3) as the server returns it.
struct AppToken {
  std::string id;     ///< `<dc>_<8 chars>`, e.g. `0_o7l19k80`
  std::string token;  ///< the secret half (32 hex characters): never log or print it
  PartnerId partner_id;  ///< `partnerId`
  AppTokenStatus status = AppTokenStatus::active;  ///< `status`
  /// When `startSession` starts refusing the token (APP_TOKEN_EXPIRED); none = never.
  std::optional<Timestamp> expires_at;
  /// Forced type of every KS it issues; none = the caller's (USER by default).
  std::optional<SessionType> session_type;
  /// Forced user of every KS it issues; empty = the caller's.
  std::string session_user_id;
  /// Upper bound of every KS's lifetime (the server fills the partner's maximum when unset).
  std::optional<std::chrono::seconds> session_ttl;
  /// Privileges put into every KS it issues (they win over the caller's, I.8).
  std::string session_privileges;
  AppTokenHash hash = AppTokenHash::sha1;  ///< the server answers SHA1 when it was never set
  std::string description;  ///< `description`
  Timestamp created_at{};  ///< `createdAt`
  Timestamp updated_at{};  ///< `updatedAt`
};

/// What `AppTokens::add` creates. Unset optionals are left out (the server's defaults apply):
/// never send `expires_at` 0 or `session_ttl` 0 — the server reads them as "already expired"
/// (protocol.md I.12), so kmeet refuses both.
struct AppTokenSpec {
  std::optional<SessionType> session_type;  ///< `sessionType`: forced type of every KS; unset = the caller's
  std::string session_user_id;  ///< `sessionUserId`: forced user; leave empty for join tokens
  std::optional<std::chrono::seconds> session_ttl;  ///< `sessionDuration`: longest KS lifetime; unset = the partner's maximum
  /// Build it with kmeet::Privileges (validated, injection-proof).
  std::string session_privileges;
  AppTokenHash hash = AppTokenHash::sha256;  ///< kmeet creates SHA256 tokens by default
  std::optional<Timestamp> expires_at;  ///< `expiry`: when the token stops working; unset = never
  std::string description;  ///< `description`
};

/// `apptoken.update`: only what is set is sent.
struct AppTokenUpdate {
  std::optional<std::string> description;  ///< `description`
  std::optional<Timestamp> expires_at;  ///< `expiry`
  std::optional<std::chrono::seconds> session_ttl;  ///< `sessionDuration`
  std::optional<std::string> session_privileges;  ///< `sessionPrivileges`
  std::optional<AppTokenHash> hash;  ///< `hashType`
};

/// `KalturaAppTokenFilter` (protocol.md I.4). Deleted tokens are never listed by the server.
struct AppTokenFilter {
  std::optional<std::string> id;  ///< `idEqual`
  std::vector<std::string> id_in;  ///< `idIn` (ids without commas)
  std::optional<AppTokenStatus> status;  ///< `statusEqual`
  std::string session_user_id;  ///< `sessionUserIdEqual`
  std::optional<Timestamp> created_at_gte;  ///< `createdAtGreaterThanOrEqual`
  std::optional<Timestamp> created_at_lte;  ///< `createdAtLessThanOrEqual`
};

/// The KS an app token issued (`KalturaSessionInfo` of `apptoken.startSession`, protocol.md I.7).
struct AppTokenSession {
  std::string ks;  ///< never print it
  SessionType type = SessionType::user;  ///< the KS type (the token may force it)
  std::string user_id;  ///< the KS user (empty when none)
  Timestamp expires_at{};  ///< when the KS expires (`expiry` of the answer)
  /// Exactly what the KS carries after the server's merge (I.8).
  std::string privileges;
};

/// What `AppTokens::start_session` asks for; unset parts come from the token.
struct AppTokenSessionRequest {
  std::string user_id;  ///< `userId` (ignored by the server when the token fixes one)
  std::optional<SessionType> type;  ///< `type` (ignored when the token fixes one)
  std::optional<std::chrono::seconds> ttl;  ///< `expiry` in seconds (at most the token's `sessionDuration`)
  std::string privileges;  ///< `sessionPrivileges` (merged under the token's, protocol.md I.8)
};

/// Typed access to the `apptoken` service. Get one from `Client::app_tokens()`. add/get/list/
/// update/delete need a KS allowed to manage tokens (an admin KS); start_session needs only the
/// token (it obtains a widget KS itself).
class AppTokens {
 public:
  /// `apptoken.add`. Validates first (ValidationError naming the field; an `expires_at` that is not
  /// after now, by the client's clock, is refused: such a token could never start a session).
  [[nodiscard]] AppToken add(const AppTokenSpec& spec) const;
  /// `apptoken.get`; an unknown or deleted id gives AppTokenError (not_found).
  [[nodiscard]] AppToken get(const std::string& id) const;
  /// `apptoken.update`: sends only what `changes` sets (an `expires_at` in the past is refused).
  [[nodiscard]] AppToken update(const std::string& id, const AppTokenUpdate& changes) const;
  /// `apptoken.delete` (soft). Revokes every KS the token issued (protocol.md I.10).
  void remove(const std::string& id) const;
  /// `apptoken.list`: one page.
  [[nodiscard]] Page<AppToken> list(const AppTokenFilter& filter = {}, const Pager& pager = {}) const;
  /// Every matching token, oldest first (offset pages of `page_size` ordered `+createdAt`).
  [[nodiscard]] Listing<AppToken> list_all(const AppTokenFilter& filter = {}, int page_size = 500) const;
  /// `session.startWidgetSession` + `apptoken.startSession` with the token's hash (I.1, I.6).
  [[nodiscard]] AppTokenSession start_session(const std::string& id, const std::string& token, AppTokenHash hash,
                                              const AppTokenSessionRequest& request = {}) const;

 private:
  friend class Client;
  explicit AppTokens(std::shared_ptr<const detail::ServiceContext> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<const detail::ServiceContext> ctx_;
};

}  // namespace kmeet
