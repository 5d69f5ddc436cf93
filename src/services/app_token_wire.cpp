#include "services/app_token_wire.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "api/wire_read.hpp"
#include "kmeet/privileges.hpp"
#include "ks/crypto.hpp"

namespace kmeet {

std::string_view to_string(AppTokenHash hash) noexcept {
  switch (hash) {
    case AppTokenHash::md5: return "MD5";
    case AppTokenHash::sha1: return "SHA1";
    case AppTokenHash::sha256: return "SHA256";
    case AppTokenHash::sha512: return "SHA512";
  }
  return {};
}

AppTokenHash parse_app_token_hash(std::string_view text, std::string_view field) {
  std::string upper;
  for (const char c : text) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (AppTokenHash h : {AppTokenHash::md5, AppTokenHash::sha1, AppTokenHash::sha256, AppTokenHash::sha512}) {
    if (upper == to_string(h)) return h;
  }
  throw ValidationError(std::string(field), "must be one of SHA256, SHA1, SHA512, MD5");
}

std::string app_token_hash(std::string_view ks, std::string_view token, AppTokenHash hash) {
  if (to_string(hash).empty()) throw ValidationError("app_token_hash", "must be MD5, SHA1, SHA256 or SHA512");
  const EVP_MD* md = hash == AppTokenHash::md5    ? EVP_md5()
                     : hash == AppTokenHash::sha1 ? EVP_sha1()
                     : hash == AppTokenHash::sha256 ? EVP_sha256()
                                                    : EVP_sha512();
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  // HASH(ks ‖ token): the bytes of both strings, no separator (protocol.md I.6).
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), ks.data(), ks.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), token.data(), token.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1) {
    throw Error("app token hash: OpenSSL refused the digest");
  }
  return detail::to_hex(std::span<const std::uint8_t>(digest.data(), size));
}

namespace detail {
namespace {

constexpr const char* kWhat = "KalturaAppToken";

void check_spec_times(const std::optional<Timestamp>& expires_at, const std::optional<std::chrono::seconds>& ttl) {
  // The server reads 0 as "now" (expiry, relative time rule A.6) and as "born expired"
  // (sessionDuration): both would make a dead token (protocol.md I.12).
  if (expires_at && expires_at->time_since_epoch().count() <= 315360000) {
    throw ValidationError("app_token.expiry", "must be an absolute time after 1980 (omit it for a token that never expires)");
  }
  if (ttl && ttl->count() <= 0) throw ValidationError("app_token.session_duration", "must be positive (seconds)");
}

void check_privileges(std::string_view privileges, const char* field) {
  // What Privileges::str() writes: no `;` (KS v1 separator) and no control characters.
  for (const char c : privileges) {
    if (c == ';' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      throw ValidationError(field, "must be built with kmeet::Privileges (no ';' or control characters)");
    }
  }
}

// The API's name of `hash`; ValidationError (`field`) for a value that is not an enumerator.
std::string hash_type(AppTokenHash hash, const char* field) {
  const std::string_view name = to_string(hash);
  if (name.empty()) throw ValidationError(field, "must be MD5, SHA1, SHA256 or SHA512");
  return std::string(name);
}

SessionType session_type_from(std::int64_t n) {
  if (n == 0) return SessionType::user;
  if (n == 2) return SessionType::admin;
  throw ProtocolError(fmt::format("{}: sessionType {} is not USER (0) or ADMIN (2)", kWhat, n));
}

}  // namespace

std::optional<AppTokenError> as_app_token_error(const ApiError& e, const std::string& token_id) {
  using R = AppTokenError::Reason;
  const std::string& c = e.code();
  if (c == "APP_TOKEN_ID_NOT_FOUND") return AppTokenError(R::not_found, token_id, e);
  if (c == "APP_TOKEN_NOT_ACTIVE") return AppTokenError(R::not_active, token_id, e);
  if (c == "INVALID_APP_TOKEN_HASH") return AppTokenError(R::wrong_hash, token_id, e);
  if (c == "APP_TOKEN_EXPIRED") return AppTokenError(R::expired, token_id, e);
  return std::nullopt;
}

WidgetKs start_widget_session(const ApiClient& api, PartnerId partner, Timestamp now) {
  // No KS at all: the action ignores it, and a stale one must not be sent (protocol.md I.5).
  ApiCall call{.service = "session", .action = "startWidgetSession", .idempotent = true, .with_ks = false};
  call.params["widgetId"] = "_" + std::to_string(partner.value());
  call.params["expiry"] = kWidgetKsLifetime.count();
  const Json v = api.call(call);
  const auto ks = wire_read::text(v, "ks", "KalturaStartWidgetSessionResponse");
  if (!ks || ks->empty()) throw ProtocolError("session.startWidgetSession did not return a KS");
  WidgetKs w{.ks = *ks, .expires_at = now + kWidgetKsLifetime};
  // A v1 KS tells its own expiry (the server may cap the asked lifetime); v2 needs the secret.
  try {
    const KsInfo info = Ks::inspect(w.ks);
    if (info.readable && info.expires_at < w.expires_at) w.expires_at = info.expires_at;
  } catch (const Error&) {  // NOLINT(bugprone-empty-catch): not readable, keep the estimate
  }
  return w;
}

AppTokenSession app_token_start_session(const ApiClient& api, const std::string& widget_ks, const std::string& id,
                                        const std::string& token, AppTokenHash hash,
                                        const AppTokenSessionRequest& r) {
  if (!r.user_id.empty()) validate_user_id(r.user_id, "app_token_session.user_id");
  check_privileges(r.privileges, "app_token_session.privileges");
  if (r.ttl && r.ttl->count() <= 0) throw ValidationError("app_token_session.ttl", "must be positive");
  // Parameter order of the Node client (protocol.md I.11); unset ones are left out.
  ApiCall call{.service = "apptoken", .action = "startSession", .idempotent = true};
  call.ks = widget_ks;  // the hash is over exactly this string (I.6)
  call.params["id"] = id;
  call.params["tokenHash"] = app_token_hash(widget_ks, token, hash);
  if (!r.user_id.empty()) call.params["userId"] = r.user_id;
  if (r.type) call.params["type"] = static_cast<int>(*r.type);
  if (r.ttl) call.params["expiry"] = r.ttl->count();
  if (!r.privileges.empty()) call.params["sessionPrivileges"] = r.privileges;
  Json v;
  try {
    v = api.call(call);
  } catch (const ApiError& e) {
    if (auto typed = as_app_token_error(e, id)) throw *typed;
    throw;
  }
  constexpr const char* what = "KalturaSessionInfo";
  AppTokenSession s;
  s.ks = wire_read::text(v, "ks", what).value_or("");
  if (s.ks.empty()) throw ProtocolError("apptoken.startSession did not return a KS");
  s.type = session_type_from(wire_read::integer(v, "sessionType", what).value_or(0));
  s.user_id = wire_read::text(v, "userId", what).value_or("");
  const auto expiry = wire_read::time(v, "expiry", what);
  if (!expiry) throw ProtocolError("apptoken.startSession did not say when the KS expires (expiry)");
  s.expires_at = *expiry;
  s.privileges = wire_read::text(v, "privileges", what).value_or("");
  return s;
}

AppToken app_token_from_wire(const Json& v) {
  if (!v.is_object()) throw ProtocolError("apptoken: the answer is not a KalturaAppToken object");
  AppToken t;
  t.id = wire_read::text(v, "id", kWhat).value_or("");
  if (t.id.empty()) throw ProtocolError("KalturaAppToken without an id");
  t.token = wire_read::text(v, "token", kWhat).value_or("");
  t.partner_id = PartnerId(wire_read::integer(v, "partnerId", kWhat).value_or(0));
  const auto status = wire_read::integer(v, "status", kWhat).value_or(2);
  if (status < 1 || status > 3) throw ProtocolError(fmt::format("{}: status {} is not 1, 2 or 3", kWhat, status));
  t.status = static_cast<AppTokenStatus>(status);
  t.expires_at = wire_read::time(v, "expiry", kWhat);
  if (auto type = wire_read::integer(v, "sessionType", kWhat)) t.session_type = session_type_from(*type);
  t.session_user_id = wire_read::text(v, "sessionUserId", kWhat).value_or("");
  if (auto d = wire_read::integer(v, "sessionDuration", kWhat)) t.session_ttl = std::chrono::seconds(*d);
  t.session_privileges = wire_read::text(v, "sessionPrivileges", kWhat).value_or("");
  try {
    // The server answers SHA1 when the token never had a hash type (I.3).
    t.hash = parse_app_token_hash(wire_read::text(v, "hashType", kWhat).value_or("SHA1"), "hashType");
  } catch (const ValidationError&) {
    throw ProtocolError("KalturaAppToken: hashType is not MD5, SHA1, SHA256 or SHA512");
  }
  t.description = wire_read::text(v, "description", kWhat).value_or("");
  t.created_at = wire_read::time(v, "createdAt", kWhat).value_or(Timestamp{});
  t.updated_at = wire_read::time(v, "updatedAt", kWhat).value_or(Timestamp{});
  return t;
}

Page<AppToken> app_token_page_from_wire(const Json& v) {
  if (!v.is_object()) throw ProtocolError("apptoken.list did not return a list response");
  Page<AppToken> page;
  if (const Json* objects = wire_read::field(v, "objects")) {
    if (!objects->is_array()) throw ProtocolError("apptoken.list: objects is not an array");
    for (const auto& o : *objects) page.items.push_back(app_token_from_wire(o));
  }
  page.total_count = wire_read::integer(v, "totalCount", "KalturaAppTokenListResponse")
                         .value_or(static_cast<std::int64_t>(page.items.size()));
  return page;
}

WireJson app_token_to_wire(const AppTokenSpec& s) {
  check_spec_times(s.expires_at, s.session_ttl);
  if (!s.session_user_id.empty()) validate_user_id(s.session_user_id, "app_token.session_user_id");
  check_privileges(s.session_privileges, "app_token.session_privileges");
  if (s.description.find('\0') != std::string::npos) throw ValidationError("app_token.description", "must not contain NUL");
  // Key order of the Node client's object (protocol.md I.11).
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaAppToken";
  if (!s.description.empty()) o["description"] = s.description;
  o["hashType"] = hash_type(s.hash, "app_token.hash_type");
  if (s.session_type) o["sessionType"] = static_cast<int>(*s.session_type);
  if (!s.session_user_id.empty()) o["sessionUserId"] = s.session_user_id;
  if (s.session_ttl) o["sessionDuration"] = s.session_ttl->count();
  if (!s.session_privileges.empty()) o["sessionPrivileges"] = s.session_privileges;
  if (s.expires_at) o["expiry"] = s.expires_at->time_since_epoch().count();
  return o;
}

WireJson app_token_update_to_wire(const AppTokenUpdate& u) {
  check_spec_times(u.expires_at, u.session_ttl);
  if (u.session_privileges) check_privileges(*u.session_privileges, "app_token.session_privileges");
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaAppToken";
  if (u.description) o["description"] = *u.description;
  if (u.hash) o["hashType"] = hash_type(*u.hash, "app_token.hash_type");
  if (u.session_ttl) o["sessionDuration"] = u.session_ttl->count();
  if (u.session_privileges) o["sessionPrivileges"] = *u.session_privileges;
  if (u.expires_at) o["expiry"] = u.expires_at->time_since_epoch().count();
  return o;
}

}  // namespace detail
}  // namespace kmeet
