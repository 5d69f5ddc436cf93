#pragma once
/// @file ks.hpp
/// KS (Kaltura Session) tokens: local minting (v2 default, v1), inspection and verification,
/// exactly as the Kaltura server generates and validates them (protocol.md section F).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmeet/export.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

/// KalturaSessionType. The API has no 1 (the server uses it internally for widgets).
enum class SessionType { user = 0, admin = 2 };

/// KS format version: v2 (encrypted, the default) or v1 (signed, readable by anyone).
enum class KsVersion { v1 = 1, v2 = 2 };

/// Fills the span with random bytes. Default: OpenSSL's CSPRNG.
using RandomSource = std::function<void(std::span<std::uint8_t>)>;
/// Returns "now". Default: the system clock.
using Clock = std::function<Timestamp()>;

/// What goes into a KS.
struct KMEET_EXPORT KsParams {
  /// The partner the KS is for.
  PartnerId partner_id;
  /// USER for people joining rooms, ADMIN for API calls.
  SessionType type = SessionType::user;
  /// Unique per person (a second join with the same id drops the first).
  std::string user_id;
  /// The privileges string (`k:v,k:v`); build it with `kmeet::Privileges` to stay injection-proof.
  std::string privileges;
  /// Absolute expiry (`_e`); the server treats `expires_at <= now` as expired.
  Timestamp expires_at{};
};

/// Mints KS tokens locally from an admin secret (no round trip). Derives the AES key once;
/// thread-safe; the secret is never printed.
class KMEET_EXPORT KsSigner {
 public:
  /// A signer for `admin_secret`; `random` defaults to OpenSSL's CSPRNG.
  explicit KsSigner(std::string admin_secret, RandomSource random = {});
  ~KsSigner();
  /// Movable, not copyable (the secret lives in one place).
  KsSigner(KsSigner&&) noexcept;
  /// Movable, not copyable (the secret lives in one place).
  KsSigner& operator=(KsSigner&&) noexcept;
  KsSigner(const KsSigner&) = delete;
  KsSigner& operator=(const KsSigner&) = delete;

  /// KS v2: AES-128-CBC over sha1(rand||fields)||rand||fields, base64url with `=` kept. The
  /// privileges string is split exactly like the server's `generateKsV2` (`_e`/`_t`/`_u` smuggled
  /// in it are overwritten). Throws `ValidationError` (`partner_id`) for a non-positive partner.
  [[nodiscard]] std::string mint_v2(const KsParams& params) const;
  /// KS v1: base64(hex(sha1(secret||info)) + "|" + info). `rand` is the 5th info field.
  /// Throws `ValidationError` (`user_id`, `privileges`) for a `;`, which would shift v1 fields.
  [[nodiscard]] std::string mint_v1(const KsParams& params, std::int64_t rand) const;
  /// v2, or v1 with a random `rand`.
  [[nodiscard]] std::string mint(const KsParams& params, KsVersion version = KsVersion::v2) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// What a KS says. Without the admin secret a v2 KS only reveals its version and partner.
struct KMEET_EXPORT KsInfo {
  /// v1 or v2.
  KsVersion version = KsVersion::v2;
  /// The partner the KS claims (always readable).
  PartnerId partner_id;
  /// True when the fields below were read (v1 always; v2 only with the admin secret).
  bool readable = false;
  /// True when the signature was checked against the given admin secret and matched.
  bool signature_valid = false;
  /// Session type (user or admin). Type 1 (see widget()) reads as `user` here.
  SessionType type = SessionType::user;
  /// The type number as written in the KS.
  int raw_type = 0;
  /// True for session type 1: not in the API's KalturaSessionType, but the server's own type for
  /// widget sessions (`kSessionBase::SESSION_TYPE_WIDGET`, protocol.md E.5). The server's `isAdmin()` is
  /// `type >= 1`, so it counts such a KS as admin-level.
  [[nodiscard]] bool widget() const { return raw_type == 1; }
  /// The user id in the KS.
  std::string user_id;
  /// Absolute expiry (`_e`).
  Timestamp expires_at{};
  /// Privileges as the server rebuilds them (`k:v` joined by `,`; `all:*` shown as `*`).
  std::string privileges;
  /// Privileges in order, key and value. v1: every item as written, duplicates included (a v1 KS
  /// keeps them in its string; the server merges them into a list, protocol.md F.6). v2: the decrypted
  /// fields, where the generator already let a later duplicate overwrite an earlier one.
  std::vector<std::pair<std::string, std::string>> privilege_list;
  /// Keys that occur more than once in `privilege_list`, in order of first occurrence. Not empty
  /// means the privileges were most likely injected (e.g. a second `role:` from a user-supplied
  /// name, protocol.md F.6).
  std::vector<std::string> duplicate_privileges;
  /// `_m` (v2) / master partner id field (v1), when present.
  std::optional<std::string> master_partner_id;
  /// `_d` additional data, when present.
  std::optional<std::string> additional_data;
};

/// Why a KS is refused; the names match the server's `INVALID_KS` reasons.
enum class KsStatus { valid, invalid_str, invalid_partner, invalid_type, expired };

/// Returns the server's reason string for a status: `INVALID_STR`, `EXPIRED`, ...
/// (empty for a value that is not an enumerator; never throws: see types.hpp)
[[nodiscard]] KMEET_EXPORT std::string_view to_string(KsStatus status) noexcept;

/// KS inspection and server-equivalent verification.
struct KMEET_EXPORT Ks {
  /// Decodes a KS. With `admin_secret`, v2 fields are decrypted and the signature is checked
  /// (`signature_valid`); a wrong secret or a tampered v2 token leaves `readable` false. Throws
  /// `ValidationError` (field `ks`) for garbage or truncated tokens; never crashes and never
  /// echoes the token.
  static KsInfo inspect(std::string_view ks, std::optional<std::string_view> admin_secret = {});

  /// Validates like the server, in this order: not decodable -> `invalid_str`; KS partner differs
  /// from `partner` -> `invalid_partner`; no admin secret (tried in order) reproduces the
  /// signature -> `invalid_str`; session type other than 0, 1 (widget, see KsInfo::widget())
  /// and 2 -> `invalid_type`;
  /// `expires_at <= now` -> `expired` (no skew). `info` receives the fields when readable.
  static KsStatus verify(std::string_view ks, PartnerId partner,
                         std::span<const std::string> admin_secrets, Timestamp now,
                         KsInfo* info = nullptr);
};

}  // namespace kmeet
