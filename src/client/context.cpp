#include "client/context.hpp"

#include <openssl/crypto.h>

#include <fmt/format.h>

#include "kmeet/errors.hpp"
#include "kmeet/urls.hpp"

namespace kmeet::detail {
namespace {

constexpr auto kRenewBefore = std::chrono::minutes(5);
// The api_v3 schema kmeet is written against (the Node client 21.20.0 of docs/protocol.md section 0).
constexpr const char* kApiVersion = "21.20.0";

std::shared_ptr<Transport> make_transport(const Config& c) {
  if (c.transport) return c.transport;
  return std::make_shared<CurlTransport>(c.http);
}

Clock make_clock(const Config& c) {
  if (c.clock) return c.clock;
  return [] { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

}  // namespace

AdminSession::AdminSession(const Config& config, const KsSigner* signer, Clock clock)
    : config_(config), signer_(signer), clock_(std::move(clock)) {}

std::string AdminSession::get() {
  std::lock_guard lock(mutex_);
  if (!config_.ks.empty()) return config_.ks;
  const Timestamp now = clock_();
  if (ks_.empty() || expires_at_ - now <= kRenewBefore) ks_ = obtain(now);
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
    expires_at_ = now + config_.admin_ks_ttl;
    return signer_->mint(KsParams{.partner_id = config_.partner_id,
                                  .type = SessionType::admin,
                                  .user_id = config_.admin_user_id,
                                  .privileges = {},
                                  .expires_at = expires_at_},
                         config_.ks_version);
  }
  if (config_.admin_secret.empty()) {
    throw ValidationError("admin_secret",
                          "API calls need an admin KS: configure the admin secret or a KS");
  }
  // session.start with the admin secret; the server clamps the expiry (protocol.md D.1).
  ApiCall call{.service = "session", .action = "start", .idempotent = true, .with_ks = false};
  call.params["secret"] = config_.admin_secret;
  call.params["userId"] = config_.admin_user_id;
  call.params["type"] = static_cast<int>(SessionType::admin);
  call.params["partnerId"] = config_.partner_id.value();
  call.params["expiry"] = config_.admin_ks_ttl.count();
  Json result = api_->call(call);
  if (!result.is_string() || result.get_ref<const std::string&>().empty()) {
    throw ProtocolError("session.start did not return a KS");
  }
  // The server may clamp the expiry: renew on the conservative side, by the KS's own expiry when
  // it can be read.
  std::string ks = result.get<std::string>();
  expires_at_ = issued_ks_expiry(config_, ks,
                                 now + std::min<std::chrono::seconds>(config_.admin_ks_ttl, std::chrono::hours(24)));
  return ks;
}

ClientContext::ClientContext(Config cfg)
    : config(std::move(cfg)),
      clock(make_clock(config)),
      signer(config.admin_secret.empty() ? std::nullopt
                                         : std::optional<KsSigner>(std::in_place, config.admin_secret, config.random)),
      admin_session(std::make_shared<AdminSession>(config, signer ? &*signer : nullptr, clock)),
      api(make_transport(config),
          ApiSettings{.service_url = config.service_url,
                      .client_tag = config.client_tag,
                      .api_version = kApiVersion,
                      .retry = config.retry},
          admin_session),
      kaf_base(kaf_base_url(config.partner_id, config.kaf_url)) {
  admin_session->set_api(&api);
}

namespace {
void wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}
}  // namespace

ClientContext::~ClientContext() {
  // The secrets are not needed once the client is gone: leave nothing readable in freed memory
  // (a core dump or a later allocation). The signer wipes its own copy and key.
  wipe(config.admin_secret);
  wipe(config.user_secret);
  wipe(config.ks);
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
