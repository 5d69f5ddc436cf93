#pragma once
// State shared by a Client and every service handle it gives out. The handles see only its
// ServiceContext (src/api/service_context.hpp), through an aliasing shared_ptr that keeps the
// whole ClientContext (and so the configuration the credentials refer to) alive.

#include <memory>
#include <mutex>
#include <optional>

#include "api/service_context.hpp"
#include "client/credentials.hpp"
#include "kmeet/client.hpp"
#include "kmeet/config.hpp"
#include "kmeet/ks.hpp"

namespace kmeet::detail {

class AsyncEngine;

struct ClientContext {
  explicit ClientContext(Config cfg);
  ~ClientContext();
  ClientContext(const ClientContext&) = delete;
  ClientContext& operator=(const ClientContext&) = delete;

  Config config;
  Clock clock;
  std::optional<KsSigner> signer;  // when the admin secret is known
  std::shared_ptr<RetryBudget> budget;
  /// Paces every request of the client (Config::rate_limit, and after ACTION_BLOCKED).
  std::shared_ptr<RateLimiter> limiter;
  /// Sends the session calls (session.start, startWidgetSession, apptoken.startSession).
  std::shared_ptr<const ApiClient> keyless;
  std::shared_ptr<const AppTokenCredential> app_token;  // when an app token is configured
  std::shared_ptr<KsProvider> api_ks;                   // the KS of API calls
  std::shared_ptr<const KsIssuer> issuer;               // KSs of people and KAF pages
  ServiceContext services;

  /// The async engine (docs/async.md), started by the first asynchronous call. Thread-safe.
  AsyncEngine& engine();

 private:
  // Stopped first thing in the destructor: the calls still in flight finish while everything
  // else exists.
  std::once_flag engine_once_;
  std::unique_ptr<AsyncEngine> engine_;
};

/// For kmeet's own tests: the internals of a Client (not part of the public API).
struct ClientAccess {
  static const std::shared_ptr<ClientContext>& context(const Client& client) { return client.ctx_; }
};

/// What the service handles hold: the ServiceContext, keeping `ctx` alive.
inline std::shared_ptr<const ServiceContext> services_of(const std::shared_ptr<ClientContext>& ctx) {
  return {ctx, &ctx->services};
}

}  // namespace kmeet::detail
