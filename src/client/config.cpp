#include "kmeet/config.hpp"

#include <cmath>

#include "core/url_check.hpp"

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

/// An app-token id or value: printable ASCII without spaces (the server's are `0_o7l19k80` and
/// 32 hex characters); the id fits the server's column (varchar(20), protocol.md I.3).
void check_app_token(const Config& c) {
  if (c.app_token_id.empty() && c.app_token.empty()) return;
  if (c.app_token_id.empty()) throw ValidationError("app_token_id", "must be set with app_token (the token's id)");
  if (c.app_token.empty()) throw ValidationError("app_token", "must be set with app_token_id (the token's value)");
  auto printable = [](std::string_view v) {
    for (const char ch : v) {
      if (ch <= ' ' || ch > '~') return false;
    }
    return true;
  };
  if (!printable(c.app_token_id) || c.app_token_id.size() > 20) {
    throw ValidationError("app_token_id", "must be the token's id (at most 20 printable characters, e.g. 0_o7l19k80)");
  }
  if (!printable(c.app_token)) {
    throw ValidationError("app_token", "must be the token's value (printable characters without spaces)");
  }
}

}  // namespace

Config Config::from_env() {
  Config c;
  if (auto v = env("KALTURA_SERVICE_URL")) c.service_url = *v;
  if (auto v = env("KALTURA_PARTNER_ID")) {
    long long id = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc{} || ptr != v->data() + v->size() || id <= 0) {
      throw ValidationError("KALTURA_PARTNER_ID", "must be a positive integer");
    }
    c.partner_id = PartnerId(id);
  }
  if (auto v = env("KALTURA_ADMIN_SECRET")) c.admin_secret = *v;
  if (auto v = env("KALTURA_USER_SECRET")) c.user_secret = *v;
  if (auto v = env("KALTURA_KS")) c.ks = *v;
  if (auto v = env("KALTURA_KAF_URL")) c.kaf_url = *v;
  if (auto v = env("KALTURA_APP_TOKEN_ID")) c.app_token_id = *v;
  if (auto v = env("KALTURA_APP_TOKEN")) c.app_token = *v;
  if (auto v = env("KALTURA_APP_TOKEN_HASH")) c.app_token_hash = parse_app_token_hash(*v, "KALTURA_APP_TOKEN_HASH");
  return c;
}

void Config::validate() const {
  if (auto why = detail::http_url_problem(service_url); !why.empty()) throw ValidationError("service_url", why);
  if (!kaf_url.empty()) {
    if (auto why = detail::http_url_problem(kaf_url); !why.empty()) throw ValidationError("kaf_url", why);
  }
  if (!partner_id.valid()) {
    throw ValidationError("partner_id", "must be set to the account's partner id (a positive integer)");
  }
  check_app_token(*this);
  if (admin_secret.empty() && ks.empty() && user_secret.empty() && app_token_id.empty()) {
    throw ValidationError("admin_secret",
                          "no credentials: set an app token (KALTURA_APP_TOKEN_ID and KALTURA_APP_TOKEN), the admin "
                          "secret (KALTURA_ADMIN_SECRET), or a ready KS (KALTURA_KS), or at least the user secret "
                          "(KALTURA_USER_SECRET, join links only)");
  }
  if (admin_ks_ttl < std::chrono::minutes(10)) {
    throw ValidationError("admin_ks_ttl", "must be at least 10 minutes (the KS is renewed 5 minutes early)");
  }
  if (retry.max_attempts < 1) throw ValidationError("retry.max_attempts", "must be at least 1");
  if (retry.throttle_wait.count() < 0) throw ValidationError("retry.throttle_wait", "must not be negative");
  if (!std::isfinite(rate_limit) || rate_limit < 0) {
    throw ValidationError("rate_limit", "must be a finite number of calls per second, 0 for none");
  }
  if (http.max_response_bytes == 0) throw ValidationError("http.max_response_bytes", "must be positive");
}

}  // namespace kmeet
