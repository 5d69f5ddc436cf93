#pragma once
// What the service layers (src/services, src/kaf) are given by the client layer: the api client,
// the clock, the random source, the KAF base and a KS issuer for people and KAF pages. It lives in
// the api layer so that services and kaf never include anything of src/client
// (docs/architecture.md, checked by tests/cmake/layers_check.cmake).

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "api/api_client.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/types.hpp"

namespace kmeet::detail {

/// A KS for one person or one KAF call.
struct PersonKsRequest {
  /// USER for people and KAF pages; ADMIN only for kmeet's own API calls.
  SessionType type = SessionType::user;
  /// Empty for a KAF analytics page (no user).
  std::string user_id;
  /// Built with kmeet::Privileges (validated).
  std::string privileges;
  /// Asked lifetime; the credential may shorten it (see IssuedKs::expires_at).
  std::chrono::seconds ttl{std::chrono::hours(2)};
  /// Ask the server (`session.start`) even when the KS could be minted locally.
  bool via_api = false;
  /// Names the request in ValidationErrors (`join`, `analytics`).
  std::string_view purpose = "join";
};

/// A KS and when it really expires (the server may clamp the asked lifetime).
struct IssuedKs {
  std::string ks;
  Timestamp expires_at{};
};

/// Issues KSs for people and KAF pages from whatever credential the client has: the admin secret
/// (minted locally), a user or admin secret (`session.start`) or an app token
/// (`apptoken.startSession`). Thread-safe.
class KsIssuer {
 public:
  virtual ~KsIssuer() = default;
  /// Throws ValidationError naming the missing credential, or what the API call throws.
  [[nodiscard]] virtual IssuedKs issue(const PersonKsRequest& request) const = 0;
  /// Throws the ValidationError issue() would throw for a lack of credentials (nothing sent).
  virtual void check(std::string_view purpose) const = 0;
  /// True when issue() needs no round trip (the admin secret is configured and via_api is false).
  [[nodiscard]] virtual bool local() const = 0;
};

/// Shared by a Client and every service handle it gives out (read-only after construction).
struct ServiceContext {
  ServiceContext(ApiClient api_client, Clock clock_source, RandomSource random_source, std::string kaf,
                 PartnerId partner, std::shared_ptr<const KsIssuer> ks_issuer)
      : api(std::move(api_client)),
        clock(std::move(clock_source)),
        random(std::move(random_source)),
        kaf_base(std::move(kaf)),
        partner_id(partner),
        issuer(std::move(ks_issuer)) {}

  ApiClient api;
  Clock clock;
  /// Never empty: the configured RandomSource, or OpenSSL's CSPRNG.
  RandomSource random;
  std::string kaf_base;
  PartnerId partner_id;
  std::shared_ptr<const KsIssuer> issuer;

  /// Now, by the configured clock.
  [[nodiscard]] Timestamp now() const { return clock(); }
};

}  // namespace kmeet::detail
