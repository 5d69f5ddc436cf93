#include "kmeet/config.hpp"

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

// Why `url` is not an http(s) URL with a real host, or empty. `http://`, `http:///x`,
// `https://:443` and `http://user@/` name no host: libcurl would fail later, or worse, read the
// path as a host.
std::string url_problem(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return "must start with https:// or http://";
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return "has an unterminated IPv6 address";
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return "has text after the IPv6 address";
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return "must name a host (e.g. https://www.kaltura.com)";
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return "must not contain spaces or control characters";
  }
  if (authority.size() != host.size() || authority.starts_with('[')) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (!port.empty() && (ec != std::errc{} || ptr != port.data() + port.size() || value < 1 || value > 65535)) {
      return "has a port that is not 1..65535";
    }
  }
  return {};
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
  if (auto why = url_problem(service_url); !why.empty()) throw ValidationError("service_url", why);
  if (!kaf_url.empty()) {
    if (auto why = url_problem(kaf_url); !why.empty()) throw ValidationError("kaf_url", why);
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
