#pragma once
// Where a Client's KSs come from (docs/security.md "Credentials"):
//
// * API calls (KsProvider, given to the ApiClient): the configured `ks`; else an app token's
//   session (`apptoken.startSession`, ADMIN type asked); else the admin secret (minted locally or
//   through `session.start`). Obtained once, shared by every thread, renewed before it expires.
// * People and KAF pages (KsIssuer, given to the services): the app token; else the admin secret
//   minted locally; else `session.start` with the user secret (or the admin secret).
//
// The session calls go through a "keyless" ApiClient (no KsProvider): kmeet's own calls need a
// KS that these classes provide, and they in turn only need calls without the client's KS, so
// there is no cycle between the api client and its KS source.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/api_client.hpp"
#include "api/service_context.hpp"
#include "core/fiber_mutex.hpp"
#include "kmeet/config.hpp"
#include "kmeet/ks.hpp"
#include "services/app_token_wire.hpp"

namespace kmeet::detail {

/// Renew a KS this long before it expires (or at half its life, when that is shorter).
inline constexpr auto kRenewBefore = std::chrono::minutes(5);

/// When to renew a KS issued at `now` that expires at `expires_at`.
Timestamp renew_at(Timestamp now, Timestamp expires_at);

/// The admin KS for API calls from the admin secret (or the configured `ks`). Thread-safe.
class AdminSession final : public KsProvider {
 public:
  AdminSession(const Config& config, const KsSigner* signer, Clock clock, std::shared_ptr<const ApiClient> keyless);
  std::string get() override;
  bool refresh_after_rejection(std::string_view ks, std::string_view reason) override;

 private:
  std::string obtain(Timestamp now);
  const Config& config_;
  const KsSigner* signer_;
  Clock clock_;
  std::shared_ptr<const ApiClient> keyless_;
  FiberMutex mutex_;  // held across a session call: a fiber waits without blocking its engine
  std::string ks_;
  Timestamp renew_at_{};
};

/// An app token (id, value, hash type) and its cached widget KS: issues KSs through
/// `apptoken.startSession` (protocol.md I.1). Thread-safe; one widget KS is shared and renewed.
class AppTokenCredential {
 public:
  AppTokenCredential(const Config& config, Clock clock, std::shared_ptr<const ApiClient> keyless);
  /// One `startSession` (plus a `startWidgetSession` when the cached widget KS is missing or near
  /// its end; once more when the server says the widget KS expired). Throws AppTokenError for I.9.
  AppTokenSession start(const AppTokenSessionRequest& request) const;
  [[nodiscard]] const std::string& id() const { return config_.app_token_id; }

 private:
  std::string widget_ks(bool renew) const;
  const Config& config_;
  Clock clock_;
  std::shared_ptr<const ApiClient> keyless_;
  mutable FiberMutex mutex_;  // held across a session call: a fiber waits without blocking its engine
  mutable std::optional<WidgetKs> widget_;
};

/// The KS for API calls from an app token: ADMIN type and the configured admin user asked (the
/// token may force others), renewed before the answer's `expiry` (the minimum of protocol.md I.7).
/// A KS the server ended (`INVALID_KS` LOGOUT) is replaced once; when the token is gone by then,
/// the error says the token was deleted or revoked. Thread-safe: one session for every thread.
class AppTokenApiSession final : public KsProvider {
 public:
  AppTokenApiSession(const Config& config, std::shared_ptr<const AppTokenCredential> credential, Clock clock);
  std::string get() override;
  bool refresh_after_rejection(std::string_view ks, std::string_view reason) override;

 private:
  const Config& config_;
  std::shared_ptr<const AppTokenCredential> credential_;
  Clock clock_;
  FiberMutex mutex_;  // held across a session call: a fiber waits without blocking its engine
  std::string ks_;
  Timestamp renew_at_{};
  bool logged_out_ = false;
};

/// KSs for people and KAF pages (see the file comment).
class ClientKsIssuer final : public KsIssuer {
 public:
  ClientKsIssuer(const Config& config, const KsSigner* signer, Clock clock, std::shared_ptr<const ApiClient> keyless,
                 std::shared_ptr<const AppTokenCredential> app_token);
  [[nodiscard]] IssuedKs issue(const PersonKsRequest& request) const override;
  void check(std::string_view purpose) const override;
  [[nodiscard]] bool local() const override { return !app_token_ && signer_ != nullptr; }

 private:
  IssuedKs from_app_token(const PersonKsRequest& request) const;
  IssuedKs from_session_start(const PersonKsRequest& request) const;
  const Config& config_;
  const KsSigner* signer_;
  Clock clock_;
  std::shared_ptr<const ApiClient> keyless_;
  std::shared_ptr<const AppTokenCredential> app_token_;
};

/// When a KS from `session.start` really expires: the server clamps the lifetime to the partner's
/// maximum (protocol.md D.1), so `estimate` (now + the asked lifetime, at most a day) is lowered to the
/// KS's own `_e` when the KS can be read (v1 always, v2 with the admin or user secret of `config`).
/// Never throws.
Timestamp issued_ks_expiry(const Config& config, std::string_view ks, Timestamp estimate);

}  // namespace kmeet::detail
