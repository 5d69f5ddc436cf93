#include "client/context.hpp"

#include <openssl/crypto.h>

#include "http/async_engine.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/urls.hpp"
#include "ks/crypto.hpp"

namespace kmeet::detail {
namespace {

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

RandomSource make_random(const Config& c) {
  if (c.random) return c.random;
  return [](std::span<std::uint8_t> out) { secure_random(out); };
}

/// Views of the secrets in `c` (the ClientContext's own Config, which outlives every call).
std::vector<std::string_view> secrets_of(const Config& c) {
  std::vector<std::string_view> out;
  for (const std::string* s : {&c.admin_secret, &c.user_secret, &c.app_token}) {
    if (!s->empty()) out.emplace_back(*s);
  }
  return out;
}

ApiSettings api_settings(const Config& c, std::shared_ptr<RateLimiter> limiter) {
  return ApiSettings{.service_url = c.service_url,
                     .client_tag = c.client_tag,
                     .api_version = kApiVersion,
                     .retry = c.retry,
                     .sleep = {},
                     .limiter = std::move(limiter),
                     .hooks = ApiHooks{.log = c.log, .metrics = c.metrics, .secrets = secrets_of(c)},
                     .http_timeout = c.transport ? std::chrono::milliseconds(0) : c.http.timeout};
}

void wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace

ClientContext::ClientContext(Config cfg)
    : config(std::move(cfg)),
      clock(make_clock(config)),
      signer(config.admin_secret.empty() ? std::nullopt
                                         : std::optional<KsSigner>(std::in_place, config.admin_secret, config.random)),
      budget(std::make_shared<RetryBudget>(config.retry)),
      limiter(std::make_shared<RateLimiter>(config.rate_limit, config.retry.throttle_wait)),
      keyless(std::make_shared<const ApiClient>(make_transport(config), api_settings(config, limiter), nullptr, budget)),
      app_token(config.app_token_id.empty() ? nullptr
                                            : std::make_shared<const AppTokenCredential>(config, clock, keyless)),
      api_ks(app_token && config.ks.empty()
                 ? std::shared_ptr<KsProvider>(std::make_shared<AppTokenApiSession>(config, app_token, clock))
                 : std::shared_ptr<KsProvider>(
                       std::make_shared<AdminSession>(config, signer ? &*signer : nullptr, clock, keyless))),
      issuer(std::make_shared<const ClientKsIssuer>(config, signer ? &*signer : nullptr, clock, keyless, app_token)),
      services(ApiClient(keyless->shared_transport(), api_settings(config, limiter), api_ks, budget), clock,
               make_random(config),
               kaf_base_url(config.partner_id, config.kaf_url), config.partner_id, issuer) {}

AsyncEngine& ClientContext::engine() {
  std::call_once(engine_once_, [this] { engine_ = std::make_unique<AsyncEngine>(); });
  return *engine_;
}

ClientContext::~ClientContext() {
  // The calls still in flight on the engine finish first, with the credentials intact.
  engine_.reset();
  // The secrets are not needed once the client is gone: leave nothing readable in freed memory
  // (a core dump or a later allocation). The signer wipes its own copy and key.
  wipe(config.admin_secret);
  wipe(config.user_secret);
  wipe(config.ks);
  wipe(config.app_token);
}

}  // namespace kmeet::detail
