#include "kmeet/config.hpp"

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
  if (admin_secret.empty() && ks.empty() && user_secret.empty()) {
    throw ValidationError("admin_secret",
                          "no credentials: set the admin secret (KALTURA_ADMIN_SECRET), or a ready KS "
                          "(KALTURA_KS), or at least the user secret (KALTURA_USER_SECRET, join links only)");
  }
  if (admin_ks_ttl < std::chrono::minutes(10)) {
    throw ValidationError("admin_ks_ttl", "must be at least 10 minutes (the KS is renewed 5 minutes early)");
  }
  if (retry.max_attempts < 1) throw ValidationError("retry.max_attempts", "must be at least 1");
  if (http.max_response_bytes == 0) throw ValidationError("http.max_response_bytes", "must be positive");
}

}  // namespace kmeet
