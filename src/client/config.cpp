#include "kmeet/config.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

bool starts_with_scheme(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
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
  if (!starts_with_scheme(service_url)) {
    throw ValidationError("service_url", "must start with https:// or http://");
  }
  if (!kaf_url.empty() && !starts_with_scheme(kaf_url)) {
    throw ValidationError("kaf_url", "must start with https:// or http://");
  }
  if (!partner_id.valid()) {
    throw ValidationError("partner_id", "must be set to the account's partner id (a positive integer)");
  }
  if (admin_ks_ttl < std::chrono::minutes(10)) {
    throw ValidationError("admin_ks_ttl", "must be at least 10 minutes (the KS is renewed 5 minutes early)");
  }
  if (retry.max_attempts < 1) throw ValidationError("retry.max_attempts", "must be at least 1");
  if (http.max_response_bytes == 0) throw ValidationError("http.max_response_bytes", "must be positive");
}

}  // namespace kmeet
