#include "server_ks.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common.hpp"

namespace kmeet::emulator {

namespace {

using Digest = std::vector<std::uint8_t>;

Digest digest(const EVP_MD* md, std::string_view a, std::string_view b = {}) {
  Digest out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) {
    throw std::runtime_error("OpenSSL digest failed");
  }
  return out;
}

std::string hex(const Digest& d) {
  static const char* const digits = "0123456789abcdef";
  std::string out;
  out.reserve(d.size() * 2);
  for (const std::uint8_t b : d) {
    out.push_back(digits[b >> 4U]);
    out.push_back(digits[b & 0x0FU]);
  }
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

/// PHP `urlencode`: `[A-Za-z0-9_.-]` kept, space -> `+`, the rest `%XX` upper case.
void php_urlencode(std::string& out, std::string_view s) {
  static const char* const digits = "0123456789ABCDEF";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-') {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4U]);
      out.push_back(digits[c & 0x0FU]);
    }
  }
}

/// `generateKsV2`'s ordered fields: privileges first, then the reserved names, in place.
std::string v2_fields(const ServerKs& ks) {
  std::vector<std::pair<std::string, std::optional<std::string>>> fields;
  const auto set = [&fields](const std::string& key, std::optional<std::string> value) {
    for (auto& f : fields) {
      if (f.first == key) {
        f.second = std::move(value);
        return;
      }
    }
    fields.emplace_back(key, std::move(value));
  };
  for (const auto& part : split(ks.privileges, ',')) {
    std::string item = php_trim(part);
    if (item.empty()) continue;
    if (item == "*") item = "all:*";
    const auto colon = item.find(':');
    set(item.substr(0, colon), colon == std::string::npos ? std::string() : item.substr(colon + 1));
  }
  set("_e", std::to_string(ks.valid_until));
  set("_t", std::to_string(ks.type));
  set("_u", ks.user);
  set("_m", std::nullopt);
  set("_d", std::nullopt);
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!value) continue;  // http_build_query skips nulls
    if (!out.empty()) out.push_back('&');
    php_urlencode(out, key);
    out.push_back('=');
    php_urlencode(out, *value);
  }
  return out;
}

std::string aes128_cbc_zero_iv(const Digest& key, std::string plain) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  const std::array<unsigned char, 16> iv{};
  std::string out(plain.size(), '\0');
  int len = 0;
  int tail = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data()) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &tail) != 1) {
    throw std::runtime_error("OpenSSL AES-128-CBC failed");
  }
  return out;
}

}  // namespace

std::string server_ks_v2(const std::string& admin_secret, const ServerKs& ks, const KsRandom& rand) {
  const std::string fields = v2_fields(ks);
  const std::string_view rand_view(reinterpret_cast<const char*>(rand.data()), rand.size());
  const Digest sig = digest(EVP_sha1(), rand_view, fields);
  std::string plain(reinterpret_cast<const char*>(sig.data()), sig.size());
  plain.append(rand_view);
  plain += fields;
  plain.append((16 - plain.size() % 16) % 16, '\0');  // zero padding, none when aligned
  Digest key = digest(EVP_sha1(), admin_secret);
  key.resize(16);
  std::string token =
      base64("v2|" + std::to_string(ks.partner_id) + "|" + aes128_cbc_zero_iv(key, std::move(plain)));
  for (char& c : token) c = c == '+' ? '-' : (c == '/' ? '_' : c);
  return token;
}

std::string server_ks_v1(const std::string& admin_secret, const ServerKs& ks, std::string_view rand_text) {
  const std::string pid = std::to_string(ks.partner_id);
  std::string info =
      pid + ";" + pid + ";" + std::to_string(ks.valid_until) + ";" + std::to_string(ks.type) + ";";
  info += rand_text;
  info += ";" + ks.user.value_or(std::string()) + ";" + ks.privileges + ";;";
  return base64(hex(digest(EVP_sha1(), admin_secret, info)) + "|" + info);
}

std::string php_microtime(std::int64_t seconds, std::int64_t micros) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14G", static_cast<double>(seconds) + static_cast<double>(micros) / 1e6);
  return buf;
}

std::optional<std::string> hash_hex(std::string_view algo, std::string_view data) {
  const EVP_MD* md = algo == "MD5"      ? EVP_md5()
                     : algo == "SHA1"   ? EVP_sha1()
                     : algo == "SHA256" ? EVP_sha256()
                     : algo == "SHA512" ? EVP_sha512()
                                        : nullptr;
  if (md == nullptr) return std::nullopt;
  return hex(digest(md, data));
}

std::string php_trim(std::string_view s) {
  constexpr std::string_view blanks(" \t\n\r\0\x0B", 6);
  const auto b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(blanks) - b + 1));
}

void secure_random_bytes(std::uint8_t* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
}

}  // namespace kmeet::emulator
