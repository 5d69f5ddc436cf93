#include "core/encoding.hpp"

#include <array>
#include <cstdint>

namespace kmeet::detail {
namespace {

// PHP urlencode keeps exactly [A-Za-z0-9_.-]; a 256-entry table keeps the hot loop branch-light.
constexpr std::array<bool, 256> make_php_safe() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  t['_'] = t['.'] = t['-'] = true;
  return t;
}
constexpr auto kPhpSafe = make_php_safe();

// RFC 3986 unreserved characters: [A-Za-z0-9-._~] (what libcurl's curl_easy_escape keeps).
constexpr std::array<bool, 256> make_unreserved() {
  std::array<bool, 256> t = make_php_safe();
  t['~'] = true;
  return t;
}
constexpr auto kUnreserved = make_unreserved();
constexpr char kHexUpper[] = "0123456789ABCDEF";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_encode_component(std::string_view in) {
  // Hand-written on purpose: the offline features (KS, launch URLs, privileges) must not need the
  // transport library (docs/architecture.md); the output is byte-identical to curl_easy_escape.
  std::string out;
  out.reserve(in.size() + in.size() / 2);
  for (const char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (kUnreserved[u]) {
      out.push_back(c);
    } else {
      const char enc[3] = {'%', kHexUpper[u >> 4], kHexUpper[u & 0x0F]};
      out.append(enc, 3);
    }
  }
  return out;
}

void php_urlencode_append(std::string& out, std::string_view in) {
  // Copy runs of safe bytes in one go; only the bytes that need it are encoded.
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t run = i;
    while (run < in.size() && kPhpSafe[static_cast<unsigned char>(in[run])]) ++run;
    out.append(in.data() + i, run - i);
    if (run == in.size()) break;
    const auto u = static_cast<unsigned char>(in[run]);
    if (u == ' ') {
      out.push_back('+');
    } else {
      const char enc[3] = {'%', kHexUpper[u >> 4], kHexUpper[u & 0x0F]};
      out.append(enc, 3);
    }
    i = run + 1;
  }
}

std::string php_urlencode(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3);
  php_urlencode_append(out, in);
  return out;
}

void php_urldecode_append(std::string& out, std::string_view in) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char ch = in[i];
    if (ch == '+') {
      out.push_back(' ');
    } else if (ch == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
               hex_value(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(ch);
    }
  }
}

std::string php_urldecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  php_urldecode_append(out, in);
  return out;
}

}  // namespace kmeet::detail

namespace kmeet::detail {

std::string html_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (const char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace kmeet::detail

namespace kmeet::detail {

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace kmeet::detail
