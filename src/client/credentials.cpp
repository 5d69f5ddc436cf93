#include "client/credentials.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "api/wire_read.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

/// `session.start` (protocol.md D.1): a KS made by the server from a secret.
std::string session_start(const ApiClient& keyless, const Config& config, const std::string& secret, SessionType type,
                          const std::string& user_id, std::chrono::seconds ttl, const std::string& privileges) {
  // Parameter order as the official Node client sends it (protocol.md A.7).
  ApiCall call{.service = "session", .action = "start", .idempotent = true, .with_ks = false};
  call.params["secret"] = secret;
  call.params["userId"] = user_id;
  call.params["type"] = static_cast<int>(type);
  call.params["partnerId"] = config.partner_id.value();
  call.params["expiry"] = ttl.count();
  if (!privileges.empty()) call.params["privileges"] = privileges;
  const Json result = keyless.call(call);
  if (!result.is_string() || result.get_ref<const std::string&>().empty()) {
    throw ProtocolError("session.start did not return a KS");
  }
  return result.get<std::string>();
}

/// `name` → `value` of a `k:v,k:v` privileges string (the first `:` splits, protocol.md F.3).
std::vector<std::pair<std::string_view, std::string_view>> privilege_entries(std::string_view text) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t colon = item.find(':');
    out.emplace_back(item.substr(0, colon), colon == std::string_view::npos ? std::string_view{} : item.substr(colon + 1));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

/// The first entry asked for that is not in the KS's privileges with the same value (the
/// server's merge, protocol.md I.8, dropped or replaced it); nullopt when the KS has them all.
std::optional<std::pair<std::string_view, std::string_view>> first_missing_privilege(std::string_view issued,
                                                                                     std::string_view asked) {
  const auto have = privilege_entries(issued);
  for (const auto& entry : privilege_entries(asked)) {
    if (std::find(have.begin(), have.end(), entry) == have.end()) return entry;
  }
  return std::nullopt;
}

/// The server-reserved privilege names (protocol.md I.8: every `kSessionBase::PRIVILEGE_*`): a
/// caller of apptoken.startSession can add one only when the token defines it as `name:*`.
bool is_reserved_privilege(std::string_view name) {
  static constexpr std::array<std::string_view, 33> kReserved = {
      "edit", "sview", "list", "download", "downloadasset", "editplaylist", "sviewplaylist", "actionslimit",
      "setrole", "restrictingrole", "limitentry", "iprestrict", "urirestrict", "enableentitlement",
      "disableentitlement", "disableentitlementforentry", "disableentitlementforplaylist", "privacycontext",
      "enablecategorymoderation", "reftime", "sessionkey", "preview", "sessionid", "jobtype", "apptoken",
      "enablechangeaccount", "edituser", "enablecaptionmoderation", "editadmintags", "restrictexplicitliveview",
      "virtualeventid", "searchcontext", "disablesessiontypecheck"};
  return std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
}

/// Why the token's KS lacks `name`: a reserved name the token does not open with `name:*`, or a
/// name the token fixes itself.
std::string missing_privilege_reason(const std::string& token_id, std::string_view name) {
  if (is_reserved_privilege(name)) {
    return "the server gives a KS of app token " + token_id + " the reserved privilege '" + std::string(name) +
           "' only when the token's sessionPrivileges hold '" + std::string(name) +
           ":*' (protocol.md I.8): use a token made with that privilege (kmeet apptoken create --privilege " +
           std::string(name) + ":*)";
  }
  return "the app token " + token_id + " fixes the privilege '" + std::string(name) +
         "' (sessionPrivileges), so the KS would not be what was asked for: use a token that leaves it open "
         "(docs/security.md)";
}

}  // namespace

Timestamp renew_at(Timestamp now, Timestamp expires_at) {
  const auto life = expires_at - now;
  return expires_at - std::min<std::chrono::seconds>(kRenewBefore, std::max<std::chrono::seconds>(life / 2, {}));
}

// ---- AdminSession --------------------------------------------------------------------------------

AdminSession::AdminSession(const Config& config, const KsSigner* signer, Clock clock,
                           std::shared_ptr<const ApiClient> keyless)
    : config_(config), signer_(signer), clock_(std::move(clock)), keyless_(std::move(keyless)) {}

std::string AdminSession::get() {
  std::lock_guard lock(mutex_);
  if (!config_.ks.empty()) return config_.ks;
  const Timestamp now = clock_();
  if (ks_.empty() || now >= renew_at_) ks_ = obtain(now);
  return ks_;
}

bool AdminSession::refresh_after_rejection(std::string_view ks, std::string_view reason) {
  if (!config_.ks.empty()) return false;  // the user's own KS: kmeet cannot renew it
  if (reason != "EXPIRED" && reason != "LOGOUT") return false;
  std::lock_guard lock(mutex_);
  if (ks_ == ks) ks_.clear();  // another thread may already have renewed it
  return true;
}

std::string AdminSession::obtain(Timestamp now) {
  if (signer_ != nullptr && config_.mint_locally) {
    const Timestamp expires_at = now + config_.admin_ks_ttl;
    renew_at_ = renew_at(now, expires_at);
    return signer_->mint(KsParams{.partner_id = config_.partner_id,
                                  .type = SessionType::admin,
                                  .user_id = config_.admin_user_id,
                                  .privileges = {},
                                  .expires_at = expires_at},
                         config_.ks_version);
  }
  if (config_.admin_secret.empty()) {
    throw ValidationError("admin_secret", "API calls need an admin KS: configure an app token, the admin secret or a KS");
  }
  std::string ks = session_start(*keyless_, config_, config_.admin_secret, SessionType::admin, config_.admin_user_id,
                                 config_.admin_ks_ttl, {});
  // The server may clamp the expiry: renew on the conservative side, by the KS's own expiry when
  // it can be read.
  const Timestamp expires_at = issued_ks_expiry(
      config_, ks, now + std::min<std::chrono::seconds>(config_.admin_ks_ttl, std::chrono::hours(24)));
  renew_at_ = renew_at(now, expires_at);
  return ks;
}

// ---- App tokens ---------------------------------------------------------------------------------

AppTokenCredential::AppTokenCredential(const Config& config, Clock clock, std::shared_ptr<const ApiClient> keyless)
    : config_(config), clock_(std::move(clock)), keyless_(std::move(keyless)) {}

std::string AppTokenCredential::widget_ks(bool renew) const {
  std::lock_guard lock(mutex_);
  const Timestamp now = clock_();
  if (renew || !widget_ || now >= renew_at(now, widget_->expires_at) || widget_->expires_at <= now + kRenewBefore) {
    widget_ = start_widget_session(*keyless_, config_.partner_id, now);
  }
  return widget_->ks;
}

AppTokenSession AppTokenCredential::start(const AppTokenSessionRequest& request) const {
  const std::string widget = widget_ks(false);
  try {
    return app_token_start_session(*keyless_, widget, config_.app_token_id, config_.app_token,
                                   config_.app_token_hash, request);
  } catch (const ApiError& e) {
    // The widget KS ran out early (the server capped its lifetime): one fresh widget KS. Widget
    // KSs are never invalidated, so LOGOUT cannot happen here (protocol.md I.5).
    if (e.code() != "INVALID_KS" || e.ks_reason() != "EXPIRED") throw;
  }
  return app_token_start_session(*keyless_, widget_ks(true), config_.app_token_id, config_.app_token,
                                 config_.app_token_hash, request);
}

AppTokenApiSession::AppTokenApiSession(const Config& config, std::shared_ptr<const AppTokenCredential> credential,
                                       Clock clock)
    : config_(config), credential_(std::move(credential)), clock_(std::move(clock)) {}

std::string AppTokenApiSession::get() {
  std::lock_guard lock(mutex_);
  const Timestamp now = clock_();
  if (!ks_.empty() && now < renew_at_) return ks_;
  AppTokenSession s;
  try {
    s = credential_->start(AppTokenSessionRequest{.user_id = config_.admin_user_id,
                                                  .type = SessionType::admin,
                                                  .ttl = config_.admin_ks_ttl,
                                                  .privileges = {}});
  } catch (const AppTokenError& e) {
    // The server ended our KS (LOGOUT) and now does not know the token: it was deleted, which
    // revoked every KS it issued (protocol.md I.10).
    if (logged_out_ && e.reason() == AppTokenError::Reason::not_found) {
      throw AppTokenError(AppTokenError::Reason::revoked, credential_->id(), e);
    }
    throw;
  }
  logged_out_ = false;
  ks_ = std::move(s.ks);
  renew_at_ = renew_at(now, s.expires_at);
  return ks_;
}

bool AppTokenApiSession::refresh_after_rejection(std::string_view ks, std::string_view reason) {
  if (reason != "EXPIRED" && reason != "LOGOUT") return false;
  std::lock_guard lock(mutex_);
  if (ks_ == ks) {
    ks_.clear();
    logged_out_ = reason == "LOGOUT";
  }
  return true;
}

// ---- KSs for people and KAF pages ----------------------------------------------------------------

ClientKsIssuer::ClientKsIssuer(const Config& config, const KsSigner* signer, Clock clock,
                               std::shared_ptr<const ApiClient> keyless,
                               std::shared_ptr<const AppTokenCredential> app_token)
    : config_(config),
      signer_(signer),
      clock_(std::move(clock)),
      keyless_(std::move(keyless)),
      app_token_(std::move(app_token)) {}

IssuedKs ClientKsIssuer::issue(const PersonKsRequest& r) const {
  if (app_token_) return from_app_token(r);
  if (signer_ != nullptr && !r.via_api) {
    IssuedKs out;
    out.expires_at = clock_() + r.ttl;
    out.ks = signer_->mint(KsParams{.partner_id = config_.partner_id,
                                    .type = r.type,
                                    .user_id = r.user_id,
                                    .privileges = r.privileges,
                                    .expires_at = out.expires_at},
                           config_.ks_version);
    return out;
  }
  return from_session_start(r);
}

void ClientKsIssuer::check(std::string_view purpose) const {
  if (app_token_ || signer_ != nullptr) return;
  // KAF analytics needs a KS per page: kmeet does not spend a session.start round trip on each
  // (protocol.md G.2); join links may take that route.
  if (purpose == "analytics") {
    throw ValidationError("admin_secret",
                          "KAF analytics needs a KS per page (the page number lives in the KS): configure an app "
                          "token or the admin secret");
  }
  if (config_.user_secret.empty() && config_.admin_secret.empty()) {
    throw ValidationError("user_secret",
                          std::string(purpose) +
                              " needs a KS: configure an app token, the admin secret (minted locally) or the user "
                              "secret (session.start)");
  }
}

IssuedKs ClientKsIssuer::from_session_start(const PersonKsRequest& r) const {
  check(r.purpose);
  const std::string& secret = !config_.user_secret.empty() && r.type == SessionType::user ? config_.user_secret
                                                                                          : config_.admin_secret;
  const Timestamp now = clock_();
  IssuedKs out;
  out.ks = session_start(*keyless_, config_, secret, r.type, r.user_id, r.ttl, r.privileges);
  // The server clamps long lifetimes to the partner's maximum (one day by default).
  out.expires_at = issued_ks_expiry(config_, out.ks, now + std::min<std::chrono::seconds>(r.ttl, std::chrono::hours(24)));
  return out;
}

IssuedKs ClientKsIssuer::from_app_token(const PersonKsRequest& r) const {
  const AppTokenSession s =
      app_token_->start(AppTokenSessionRequest{.user_id = r.user_id, .type = r.type, .ttl = r.ttl, .privileges = r.privileges});
  // What the token fixes wins over the request, silently (protocol.md I.8). A KS that is not what
  // was asked for is never handed out: a fixed user would make every participant one person, a
  // fixed role or type could make an attendee a moderator, a dropped privilege changes the room.
  if (r.purpose != "analytics" && s.user_id != r.user_id) {
    throw ValidationError(std::string(r.purpose) + ".user_id",
                          "the app token " + config_.app_token_id +
                              " fixes the KS user (sessionUserId), so it cannot issue a KS per person: use a token "
                              "without sessionUserId (docs/security.md)");
  }
  if (s.type != r.type) {
    throw ValidationError(std::string(r.purpose) + ".type", "the app token " + config_.app_token_id +
                                                                " forces another session type (sessionType) than " +
                                                                (r.type == SessionType::user ? "USER" : "ADMIN"));
  }
  if (const auto missing = first_missing_privilege(s.privileges, r.privileges)) {
    throw ValidationError(std::string(r.purpose) + ".privileges", missing_privilege_reason(config_.app_token_id, missing->first));
  }
  return IssuedKs{.ks = s.ks, .expires_at = s.expires_at};
}

Timestamp issued_ks_expiry(const Config& config, std::string_view ks, Timestamp estimate) {
  for (const std::string* secret :
       {&config.admin_secret, &config.user_secret, static_cast<const std::string*>(nullptr)}) {
    if (secret != nullptr && secret->empty()) continue;
    try {
      const KsInfo info = secret != nullptr ? Ks::inspect(ks, *secret) : Ks::inspect(ks);
      if (info.readable && (secret == nullptr || info.signature_valid)) return std::min(estimate, info.expires_at);
    } catch (const Error&) {
      return estimate;  // not a KS kmeet can read
    }
  }
  return estimate;
}

}  // namespace kmeet::detail
