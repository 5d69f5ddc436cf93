#pragma once
/// @file config.hpp
/// Everything a kmeet::Client needs, as one plain value.

#include <chrono>
#include <memory>
#include <string>

#include "kmeet/app_tokens.hpp"
#include "kmeet/export.hpp"
#include "kmeet/hooks.hpp"
#include "kmeet/http.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/retry.hpp"
#include "kmeet/types.hpp"
#include "kmeet/version.hpp"

namespace kmeet {

/// Configuration of a Client. Fill it in code (designated initialisers) or from the environment
/// with `Config::from_env()`. Secrets are held here and never printed.
struct KMEET_EXPORT Config {
  /// Kaltura API base, e.g. `https://www.kaltura.com` (env `KALTURA_SERVICE_URL`).
  std::string service_url = "https://www.kaltura.com";
  /// Partner (account) id (env `KALTURA_PARTNER_ID`).
  PartnerId partner_id;
  /// Admin secret (env `KALTURA_ADMIN_SECRET`). With it kmeet mints every KS locally.
  std::string admin_secret;
  /// User secret (env `KALTURA_USER_SECRET`). Used with `session.start` for USER-type KSs.
  std::string user_secret;
  /// A ready KS to use for API calls instead of minting one (env `KALTURA_KS`).
  std::string ks;
  /// Application token id (env `KALTURA_APP_TOKEN_ID`), e.g. `0_o7l19k80`. With `app_token` it
  /// replaces the admin secret: every KS (API calls, join links, analytics pages) then comes from
  /// `apptoken.startSession` (docs/security.md, protocol.md I). A ready `ks` still wins for API calls.
  std::string app_token_id;
  /// The token value (env `KALTURA_APP_TOKEN`): a secret, never sent (only its hash) nor printed.
  std::string app_token;
  /// The token's hash type (env `KALTURA_APP_TOKEN_HASH`, default SHA256): must match the token's
  /// `hashType`, else every session fails with AppTokenError (wrong_hash).
  AppTokenHash app_token_hash = AppTokenHash::sha256;
  /// KAF base URL (env `KALTURA_KAF_URL`); empty means `https://{partnerId}.kaf.kaltura.com`.
  std::string kaf_url;
  /// User id written into the admin KS kmeet uses for API calls (becomes `ownerId` of events).
  std::string admin_user_id;
  /// Lifetime of the admin KS kmeet mints; it is renewed 5 minutes before it expires.
  std::chrono::seconds admin_ks_ttl{std::chrono::hours(24)};
  /// Mint the admin KS locally (true) or obtain it through `session.start` (false).
  bool mint_locally = true;
  /// KS version for locally minted tokens.
  KsVersion ks_version = KsVersion::v2;
  /// `clientTag` sent with every call (shown in the partner's logs and analytics).
  std::string client_tag = "kmeet:" KMEET_VERSION_STRING;
  /// libcurl transport options (timeouts, TLS, proxy, response cap).
  HttpOptions http;
  /// Retry policy for API calls.
  RetryPolicy retry;
  /// Client-side rate limit in api_v3 calls per second (each call of a multirequest counts, as on
  /// the server, protocol.md K.1); 0 = none. For partners who know their quota: e.g. 1000 calls
  /// per 10 s window → 100. Without it kmeet still slows down by itself after `ACTION_BLOCKED`
  /// (docs/reliability.md, "Throttling"). Shared by every request of this Client.
  double rate_limit = 0;
  /// Called once per HTTP request (level, call, status, duration, attempt, outcome, request ids);
  /// never sees a body, a KS or a secret (hooks.hpp, docs/observability.md). Empty: no logging.
  LogHook log;
  /// Called once per logical call with its latency, retries, throttles and bytes (hooks.hpp).
  MetricsHook metrics;
  /// A transport to use instead of libcurl (tests, recorders, other HTTP stacks).
  std::shared_ptr<Transport> transport;
  /// Clock and random source for KS minting; defaults are the system clock and OpenSSL.
  Clock clock;
  /// Random source for KS minting (see `clock`).
  RandomSource random;

  /// Reads `KALTURA_SERVICE_URL`, `KALTURA_PARTNER_ID`, `KALTURA_ADMIN_SECRET`,
  /// `KALTURA_USER_SECRET`, `KALTURA_KS`, `KALTURA_KAF_URL`, `KALTURA_APP_TOKEN_ID`,
  /// `KALTURA_APP_TOKEN`, `KALTURA_APP_TOKEN_HASH` over the defaults.
  /// Throws ValidationError for a malformed value (e.g. a non-numeric partner id).
  static Config from_env();

  /// Checks, and throws ValidationError naming the field for: `service_url` / `kaf_url` not an
  /// absolute http(s) URL with a host; `partner_id` not positive; no credential at all (none of
  /// `admin_secret`, `ks`, `user_secret`, an app token); only one half of an app token, or an id
  /// or value with spaces or control characters; `admin_ks_ttl` under 10 minutes; `retry.max_attempts`
  /// under 1; `retry.throttle_wait` negative; `rate_limit` negative or not finite;
  /// `http.max_response_bytes` 0. It does not prove the credentials right: that takes a
  /// call (`KsSessions::get`, or `kmeet doctor`). `Client`'s constructor runs it.
  void validate() const;
};

}  // namespace kmeet
