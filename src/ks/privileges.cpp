// The injection-proof privileges builder (protocol.md F.3, F.6, G.1).
#include "kmeet/privileges.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/encoding.hpp"
#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

constexpr std::size_t kMaxKey = 64;
constexpr std::size_t kMaxValue = 256;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxApi = 8192;

constexpr std::array<std::string_view, 33> kServerNames = {
    "edit", "sview", "list", "download", "downloadasset", "editplaylist", "sviewplaylist",
    "actionslimit", "setrole", "restrictingrole", "limitentry", "iprestrict", "urirestrict",
    "enableentitlement", "disableentitlement", "disableentitlementforentry",
    "disableentitlementforplaylist", "privacycontext", "enablecategorymoderation", "reftime",
    "sessionkey", "preview", "sessionid", "jobtype", "apptoken", "enablechangeaccount", "edituser",
    "enablecaptionmoderation", "editadmintags", "restrictexplicitliveview", "virtualeventid",
    "searchcontext", "disablesessiontypecheck"};

// Keys with a typed setter (or a fixed meaning: `all` is `*`, `view`/`widget` mark widget
// sessions), compared case-insensitively so `Role` or `SETROLE` cannot slip through set().
constexpr std::array<std::string_view, 11> kTypedKeys = {
    "eventid", "resourceid", "role", "usercontextualrole", "firstname", "lastname", "email", "api",
    "all", "view", "widget"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A printable, bounded rendering of a caller-supplied key for the error's field name.
std::string field_for(std::string_view key) {
  std::string out = "privileges.";
  for (const char c : key.substr(0, kMaxKey)) {
    out.push_back(std::isprint(static_cast<unsigned char>(c)) != 0 ? c : '?');
  }
  return out;
}

[[noreturn]] void reject(std::string_view key, std::string reason) {
  throw ValidationError(field_for(key), std::move(reason));
}

std::string describe(unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (std::isprint(c) != 0 && c != ' ') return std::string("'") + static_cast<char>(c) + "'";
  return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0x0F];
}

// Valid UTF-8 without C0/DEL/C1 control characters; returns a reason or empty.
std::string check_text(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) return "must not contain control characters (" + describe(c) + ")";
  }
  if (!detail::is_valid_utf8(s)) return "must be valid UTF-8";
  // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto n = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xC2 && n >= 0x80 && n <= 0x9F) return "must not contain control characters (U+0080..U+009F)";
  }
  return {};
}

// Rules shared by every free-text value: the separators of the privilege grammar, controls,
// whitespace the server would trim away.
void check_value(std::string_view key, std::string_view value, std::size_t max) {
  if (value.size() > max) reject(key, "must be at most " + std::to_string(max) + " bytes");
  for (const char c : value) {
    if (c == ',') reject(key, "must not contain ',' (it separates privileges)");
    if (c == ';') reject(key, "must not contain ';' (it separates KS v1 fields)");
    if (c == ':') reject(key, "must not contain ':' (it separates a privilege's name from its value)");
  }
  if (auto why = check_text(value); !why.empty()) reject(key, std::move(why));
  if (!value.empty() && (value.front() == ' ' || value.back() == ' ')) {
    reject(key, "must not start or end with whitespace (the server trims it away)");
  }
}

void check_display(std::string_view key, std::string_view value, std::size_t max) {
  if (value.empty()) reject(key, "must not be empty");
  check_value(key, value, max);
  if (value.find('/') != std::string_view::npos) {
    reject(key, "must not contain '/' (the server splits privilege values on it)");
  }
  if (value.find("downloadasset") != std::string_view::npos) {
    reject(key, "must not contain the server privilege name 'downloadasset'");
  }
}

void check_key(std::string_view key) {
  if (key.empty()) reject(key, "privilege name must not be empty");
  if (key.size() > kMaxKey) reject(key, "privilege name must be at most 64 characters");
  if (key.front() == '_') reject(key, "privilege name must not start with '_' (reserved KS fields)");
  for (const char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 || u >= 0x80) {
      if (c != '-' && c != '_') {
        reject(key, "privilege name must only contain letters, digits, '-' and '_' (found " + describe(u) + ")");
      }
    }
  }
  const std::string low = lower(key);
  if (std::find(kTypedKeys.begin(), kTypedKeys.end(), low) != kTypedKeys.end() ||
      std::find(kServerNames.begin(), kServerNames.end(), low) != kServerNames.end()) {
    reject(key, "is interpreted by the server or KAF: use its typed setter");
  }
}

}  // namespace

std::string_view to_string(ServerPrivilege privilege) noexcept {
  const auto i = static_cast<std::size_t>(privilege);
  return i < kServerNames.size() ? kServerNames[i] : std::string_view{};
}

Privileges& Privileges::put(std::string_view key, std::string value) {
  for (auto& kv : entries_) {
    if (kv.first == key) {
      kv.second = std::move(value);
      return *this;
    }
  }
  // In the order they were set: `eventId:…,role:…,userContextualRole:…,firstName:…` as in the
  // guide and protocol.md F.4. Order cannot change meaning: no value may hold a separator and a key is set
  // once (a second set replaces the value in place).
  entries_.emplace_back(std::string(key), std::move(value));
  return *this;
}

Privileges& Privileges::role(Role role) {
  return put("role", role == Role::moderator ? "adminRole" : "viewerRole");
}

Privileges& Privileges::contextual_role(ContextualRole role) {
  if (role != ContextualRole::moderator && role != ContextualRole::attendee) {
    reject("userContextualRole", "must be moderator (0) or attendee (3)");
  }
  return put("userContextualRole", std::to_string(static_cast<int>(role)));
}

Privileges& Privileges::event_id(EventId id) {
  if (!id.valid()) reject("eventId", "must be a positive id");
  return put("eventId", id.str());
}

Privileges& Privileges::resource_id(RoomId id) {
  if (!id.valid()) reject("resourceId", "must be a positive id");
  return put("resourceId", id.str());
}

Privileges& Privileges::first_name(std::string_view name) {
  check_display("firstName", name, kMaxValue);
  return put("firstName", std::string(name));
}

Privileges& Privileges::last_name(std::string_view name) {
  check_display("lastName", name, kMaxValue);
  return put("lastName", std::string(name));
}

Privileges& Privileges::email(std::string_view email) {
  check_display("email", email, kMaxEmail);
  if (email.find_first_of(" \t") != std::string_view::npos) reject("email", "must not contain whitespace");
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    reject("email", "must look like name@domain (exactly one '@')");
  }
  return put("email", std::string(email));
}

Privileges& Privileges::api(std::string_view json) {
  if (json.empty()) reject("api", "must not be empty");
  if (json.size() > kMaxApi) reject("api", "must be at most 8192 bytes");
  if (!nlohmann::json::accept(json)) reject("api", "must be valid JSON");
  // URL-encoded, the value holds only [A-Za-z0-9-._~%]: nothing the grammar could split on.
  return put("api", detail::url_encode_component(json));
}

Privileges& Privileges::server(ServerPrivilege privilege, std::string_view value) {
  const std::string_view name = to_string(privilege);
  if (name.empty()) reject("server", "is not a ServerPrivilege value");
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (std::isalnum(u) == 0 && std::string_view("_.*@-/").find(c) == std::string_view::npos)) {
      reject(name, "value must only contain letters, digits and _ . * @ - / (found " + describe(u) + ")");
    }
  }
  if (value.size() > kMaxValue) reject(name, "must be at most 256 bytes");
  return put(name, std::string(value));
}

Privileges& Privileges::all() { return put("all", "*"); }

Privileges& Privileges::set(std::string_view key, std::string_view value) {
  check_key(key);
  check_value(key, value, kMaxValue);
  return put(key, std::string(value));
}

std::string Privileges::str() const {
  std::string out;
  for (const auto& [key, value] : entries_) {
    if (!out.empty()) out.push_back(',');
    if (key == "all" && value == "*") {
      out.push_back('*');
      continue;
    }
    out += key;
    if (!value.empty()) {
      out.push_back(':');
      out += value;
    }
  }
  return out;
}

void validate_user_id(std::string_view user_id, std::string_view field) {
  const std::string f(field);
  if (user_id.size() > kMaxValue) {
    throw ValidationError(f, "must be at most " + std::to_string(kMaxValue) + " bytes");
  }
  if (auto why = check_text(user_id); !why.empty()) throw ValidationError(f, why);
  if (user_id.find_first_of(";|") != std::string_view::npos) {
    throw ValidationError(f, "must not contain ';' or '|' (they separate the fields of a KS)");
  }
}

}  // namespace kmeet
