// KS decoding, inspection and server-equivalent validation (protocol.md F.1-F.5).
#include <charconv>
#include <string>
#include <string_view>

#include "core/redact.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"
#include "ks/ks_fields.hpp"

namespace kmeet {
namespace {

// A KS is a few hundred bytes; anything this long is not one (and is not worth decoding).
constexpr std::size_t kMaxKsLength = 64 * 1024;

// The readable envelope of a KS: its version, partner and the signed part.
struct Envelope {
  KsVersion version = KsVersion::v2;
  std::int64_t partner = 0;
  std::string decoded;        // the base64-decoded token
  std::string_view cipher;    // v2: the AES ciphertext
  std::string_view hash;      // v1: the hex signature
  std::string_view info;      // v1: the signed `;` fields
};

// Fails with a reason that never contains the token itself.
struct DecodeFailure {
  std::string reason;
};

std::optional<std::int64_t> parse_partner(std::string_view s) {
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

bool decode_envelope(std::string_view ks, Envelope& env, std::string* reason) {
  auto fail = [&](std::string why) {
    if (reason != nullptr) *reason = std::move(why);
    return false;
  };
  if (ks.empty()) return fail("must not be empty");
  if (ks.size() > kMaxKsLength) return fail("is too long to be a KS (" + std::to_string(ks.size()) + " characters)");
  auto decoded = detail::ks_base64_decode(ks);
  if (!decoded) return fail("is not valid base64 (" + detail::redact_ks(ks) + ")");
  if (decoded->empty()) return fail("decodes to nothing");
  env.decoded = std::move(*decoded);
  const std::string_view d = env.decoded;
  if (d.starts_with("v2|")) {
    env.version = KsVersion::v2;
    const auto bar = d.find('|', 3);
    if (bar == std::string_view::npos) return fail("is a truncated KS v2 (no ciphertext after the partner id)");
    const auto pid = parse_partner(d.substr(3, bar - 3));
    if (!pid) return fail("is a KS v2 whose partner id is not a positive number");
    env.partner = *pid;
    env.cipher = d.substr(bar + 1);
    if (env.cipher.empty()) return fail("is a truncated KS v2 (empty ciphertext)");
    if (env.cipher.size() % 16 != 0) {
      return fail("is a truncated or damaged KS v2 (ciphertext of " + std::to_string(env.cipher.size()) +
                  " bytes is not a multiple of 16)");
    }
    return true;
  }
  env.version = KsVersion::v1;
  const auto bar = d.find('|');
  if (bar == std::string_view::npos) return fail("is neither a KS v2 nor a KS v1 (no '|' separator)");
  env.hash = d.substr(0, bar);
  env.info = d.substr(bar + 1);
  std::size_t parts = 1;
  for (const char c : env.info) parts += c == ';' ? 1 : 0;
  if (parts < 3) return fail("is a truncated KS v1 (fewer than 3 ';' fields)");
  const auto pid = parse_partner(env.info.substr(0, env.info.find(';')));
  if (!pid) return fail("is a KS v1 whose partner id is not a positive number");
  env.partner = *pid;
  return true;
}

void set_type(KsInfo& info, int raw) {
  info.raw_type = raw;
  info.type = raw == static_cast<int>(SessionType::admin) ? SessionType::admin : SessionType::user;
}

/// The keys that occur more than once in `info.privilege_list`, in order of first occurrence.
void find_duplicates(KsInfo& info) {
  info.duplicate_privileges.clear();
  const auto& list = info.privilege_list;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string& key = list[i].first;
    bool seen_before = false;
    for (std::size_t j = 0; j < i && !seen_before; ++j) seen_before = list[j].first == key;
    if (seen_before) continue;
    for (std::size_t j = i + 1; j < list.size(); ++j) {
      if (list[j].first == key) {
        info.duplicate_privileges.push_back(key);
        break;
      }
    }
  }
}

// v1: every field is readable without a secret.
void read_v1(const Envelope& env, KsInfo& info) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (true) {
    const auto semi = env.info.find(';', pos);
    parts.push_back(env.info.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  auto part = [&](std::size_t i) { return i < parts.size() ? parts[i] : std::string_view{}; };
  info.readable = true;
  info.expires_at = Timestamp(std::chrono::seconds(detail::php_intval(part(2))));
  set_type(info, static_cast<int>(detail::php_intval(part(3))));
  info.user_id = std::string(part(5));
  info.privileges = std::string(part(6));
  // Every item as written, duplicates included: v1 keeps them in the string (the server merges
  // them into a list, protocol.md F.6), so a repeated key is the sign of an injection.
  std::vector<std::pair<std::string_view, std::string_view>> items;
  detail::list_privileges(part(6), items);
  info.privilege_list.clear();
  for (const auto& [k, v] : items) info.privilege_list.emplace_back(k, v);
  if (!part(7).empty()) info.master_partner_id = std::string(part(7));
  if (!part(8).empty()) info.additional_data = std::string(part(8));
  find_duplicates(info);
}

bool v1_signature_matches(const Envelope& env, std::string_view secret) {
  const auto expected = detail::to_hex(detail::sha1(secret, env.info));
  return detail::equal_ct(env.hash, expected);
}

// v2: decrypt with one secret; true (and `info` filled) when the signature matches.
bool read_v2(const Envelope& env, std::string_view secret, KsInfo& info) {
  std::string plain(env.cipher);
  if (!detail::aes128_cbc_zero_iv(detail::ks_aes_key(secret), false,
                                  reinterpret_cast<std::uint8_t*>(plain.data()), plain.size())) {
    return false;
  }
  const auto end = plain.find_last_not_of('\0');
  plain.resize(end == std::string::npos ? 0 : end + 1);  // PHP rtrim($s, "\0")
  if (plain.size() < 20) return false;
  const std::string_view hash = std::string_view(plain).substr(0, 20);
  const std::string_view fields = std::string_view(plain).substr(20);
  const auto actual = detail::sha1(fields);
  if (!detail::equal_ct(hash, std::string_view(reinterpret_cast<const char*>(actual.data()), actual.size()))) {
    return false;
  }
  const auto pairs = detail::php_parse_str(fields.size() > 16 ? fields.substr(16) : std::string_view{});
  info.readable = true;
  info.signature_valid = true;
  info.privilege_list.clear();
  bool have_type = false;
  for (const auto& [key, value] : pairs) {
    if (key == "_e") {
      info.expires_at = Timestamp(std::chrono::seconds(detail::php_intval(value)));
    } else if (key == "_t") {
      set_type(info, static_cast<int>(detail::php_intval(value)));
      have_type = true;
    } else if (key == "_u") {
      info.user_id = value;
    } else if (key == "_m") {
      info.master_partner_id = value;
    } else if (key == "_d") {
      info.additional_data = value;
    } else {
      info.privilege_list.emplace_back(key, value);
    }
  }
  if (!have_type) set_type(info, 0);
  info.privileges = detail::rebuild_privileges(info.privilege_list);
  find_duplicates(info);
  return true;
}

KsInfo base_info(const Envelope& env) {
  KsInfo info;
  info.version = env.version;
  info.partner_id = PartnerId(env.partner);
  return info;
}

}  // namespace

std::string_view to_string(KsStatus status) noexcept {
  switch (status) {
    case KsStatus::valid: return "VALID";
    case KsStatus::invalid_str: return "INVALID_STR";
    case KsStatus::invalid_partner: return "INVALID_PARTNER";
    case KsStatus::invalid_type: return "INVALID_TYPE";
    case KsStatus::expired: return "EXPIRED";
  }
  return {};
}

KsInfo Ks::inspect(std::string_view ks, std::optional<std::string_view> admin_secret) {
  Envelope env;
  std::string reason;
  if (!decode_envelope(ks, env, &reason)) throw ValidationError("ks", reason);
  KsInfo info = base_info(env);
  if (env.version == KsVersion::v1) {
    read_v1(env, info);
    info.signature_valid = admin_secret.has_value() && v1_signature_matches(env, *admin_secret);
  } else if (admin_secret.has_value() && !admin_secret->empty()) {
    if (!read_v2(env, *admin_secret, info)) info = base_info(env);  // wrong secret or tampered
  }
  return info;
}

KsStatus Ks::verify(std::string_view ks, PartnerId partner, std::span<const std::string> admin_secrets,
                    Timestamp now, KsInfo* out) {
  Envelope env;
  if (!decode_envelope(ks, env, nullptr)) return KsStatus::invalid_str;
  KsInfo info = base_info(env);
  if (env.version == KsVersion::v1) read_v1(env, info);
  if (out != nullptr) *out = info;
  if (env.partner != partner.value()) return KsStatus::invalid_partner;

  // matchAdminSecretV1/V2: the first enabled admin secret that produces the signature wins.
  bool matched = false;
  for (const auto& secret : admin_secrets) {
    if (secret.empty()) continue;
    if (env.version == KsVersion::v1) {
      matched = v1_signature_matches(env, secret);
    } else {
      matched = read_v2(env, secret, info);
    }
    if (matched) break;
  }
  if (!matched) return KsStatus::invalid_str;
  info.signature_valid = true;
  if (out != nullptr) *out = info;
  // 0 and 2 are the API's types; 1 is the server's own widget type (protocol.md E.5), not invalid.
  if (info.raw_type != static_cast<int>(SessionType::user) && !info.widget() &&
      info.raw_type != static_cast<int>(SessionType::admin)) {
    return KsStatus::invalid_type;
  }
  if (info.expires_at <= now) return KsStatus::expired;
  return KsStatus::valid;
}

}  // namespace kmeet
