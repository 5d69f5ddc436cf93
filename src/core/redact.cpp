#include "core/redact.hpp"

#include <cctype>

namespace kmeet::detail {
namespace {

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '+' || c == '/' || c == '-' || c == '_' || c == '=' || c == '%';
}

constexpr std::size_t kMinTokenRun = 40;

/// The parameter or JSON member name just before position `i`, for `name=`, `"name":"`,
/// `"name": "`, `name%3D` (lower-cased); empty when `i` does not start such a value.
std::string key_before(std::string_view text, std::size_t i) {
  std::size_t k = i;
  int separators = 0;
  while (k > 0 && separators < 5 && (text[k - 1] == '"' || text[k - 1] == ' ' || text[k - 1] == ':' ||
                                     text[k - 1] == '=' || text[k - 1] == '\\')) {
    --k;
    ++separators;
  }
  if (k >= 3 && (text.substr(k - 3, 3) == "%3D" || text.substr(k - 3, 3) == "%3d")) k -= 3;
  if (separators == 0 && k == i) return {};
  std::size_t b = k;
  while (b > 0 && (std::isalnum(static_cast<unsigned char>(text[b - 1])) != 0 || text[b - 1] == '_')) --b;
  std::string key(text.substr(b, k - b));
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

/// Values of these names are never shown at all (secrets), or only as redact_ks (sessions).
/// `token` is an app token's value (KalturaAppToken, protocol.md I.3), `tokenHash` what
/// apptoken.startSession is sent (I.6): short hex, so no length rule would catch them.
bool is_secret_name(const std::string& key) {
  return key.ends_with("secret") || key == "password" || key == "passwd" || key == "token" ||
         key == "tokenhash";
}
bool is_session_name(const std::string& key) { return key == "ks" || key == "session"; }

}  // namespace

std::string redact_ks(std::string_view ks) {
  std::string out(ks.substr(0, 6));
  out += "…(";
  out += std::to_string(ks.size());
  out += " chars)";
  return out;
}

std::string redact_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_token_char(text[j])) ++j;
    // `name=value` inside one run: keep `name=` and judge the value on its own.
    const auto eq = text.substr(i, j - i).find('=');
    if (eq != std::string_view::npos && i + eq + 1 < j && text[i + eq + 1] != '=') {
      out += text.substr(i, eq + 1);
      i += eq + 1;
    }
    const auto run = text.substr(i, j - i);
    const std::string key = key_before(text, i);
    if (is_secret_name(key)) {
      out += "[redacted]";
      i = j;
      continue;
    }
    const bool after_ks_param = is_session_name(key);
    if (run.size() >= kMinTokenRun || (after_ks_param && run.size() > 8)) {
      out += redact_ks(run);
    } else {
      out += run;
    }
    i = j;
  }
  return out;
}

std::string one_line(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    }
  }
  return out;
}

std::string safe_snippet(std::string_view text, std::size_t max) {
  std::string out = redact_tokens(text.substr(0, max));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (text.size() > max) out += "…";
  return out;
}

}  // namespace kmeet::detail
