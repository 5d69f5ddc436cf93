#include "ks/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <new>

#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

// Fetched once: EVP_sha1()/EVP_aes_128_cbc() would do an implicit provider fetch on every init.
const EVP_MD* sha1_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    if (m == nullptr) throw Error("OpenSSL: SHA1 is not available");
    return m;
  }();
  return md;
}

const EVP_CIPHER* aes_cipher() {
  static EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
    if (c == nullptr) throw Error("OpenSSL: AES-128-CBC is not available");
    return c;
  }();
  return cipher;
}

// One digest and one cipher context per thread, kept for the thread's lifetime.
struct ThreadContexts {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_CIPHER_CTX* cipher = EVP_CIPHER_CTX_new();
  bool cipher_bound = false;
  ThreadContexts() {
    if (md == nullptr || cipher == nullptr) throw std::bad_alloc();
  }
  ~ThreadContexts() {
    EVP_MD_CTX_free(md);
    EVP_CIPHER_CTX_free(cipher);
  }
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
};

ThreadContexts& contexts() {
  thread_local ThreadContexts ctx;
  return ctx;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

constexpr std::array<std::uint8_t, 16> kZeroIv{};

}  // namespace

Sha1 sha1(std::string_view a, std::string_view b, std::string_view c) {
  auto& ctx = contexts();
  Sha1 out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.md, sha1_md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.md, a.data(), a.size()) != 1 ||
      (!b.empty() && EVP_DigestUpdate(ctx.md, b.data(), b.size()) != 1) ||
      (!c.empty() && EVP_DigestUpdate(ctx.md, c.data(), c.size()) != 1) ||
      EVP_DigestFinal_ex(ctx.md, out.data(), &len) != 1 || len != out.size()) {
    throw Error("OpenSSL: SHA-1 failed");
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> in) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(in.size() * 2);
  for (const auto b : in) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0F]);
  }
  return out;
}

AesKey ks_aes_key(std::string_view admin_secret) {
  const Sha1 digest = sha1(admin_secret);
  AesKey key{};
  std::memcpy(key.data(), digest.data(), key.size());
  return key;
}

bool aes128_cbc_zero_iv(const AesKey& key, bool encrypt, std::uint8_t* data, std::size_t len) {
  if (len % 16 != 0 || len > static_cast<std::size_t>(INT32_MAX)) return false;
  if (len == 0) return true;
  auto& ctx = contexts();
  // Binding the cipher once and re-keying with a null cipher keeps the provider context alive.
  const EVP_CIPHER* cipher = ctx.cipher_bound ? nullptr : aes_cipher();
  if (EVP_CipherInit_ex2(ctx.cipher, cipher, key.data(), kZeroIv.data(), encrypt ? 1 : 0,
                         nullptr) != 1) {
    ctx.cipher_bound = false;
    return false;
  }
  ctx.cipher_bound = true;
  if (EVP_CIPHER_CTX_set_padding(ctx.cipher, 0) != 1) return false;
  int out_len = 0;
  if (EVP_CipherUpdate(ctx.cipher, data, &out_len, data, static_cast<int>(len)) != 1) return false;
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.cipher, data + out_len, &final_len) != 1) return false;
  return static_cast<std::size_t>(out_len + final_len) == len;
}

void base64_append(std::string& out, std::string_view in) {
  const std::size_t start = out.size();
  const std::size_t enc_len = 4 * ((in.size() + 2) / 3);
  out.resize(start + enc_len + 1);  // EVP_EncodeBlock writes a trailing NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + start), bytes(in),
                                static_cast<int>(in.size()));
  out.resize(start + static_cast<std::size_t>(n));
}

std::optional<std::string> ks_base64_decode(std::string_view text) {
  // Mirror PHP's strict decoder: skip whitespace, refuse other non-alphabet characters, refuse a
  // lone trailing character and wrong padding; missing padding is fine.
  std::string clean;
  clean.reserve(text.size() + 3);
  std::size_t padding = 0;
  for (const char ch : text) {
    char c = ch;
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '/';
    if (!alpha || padding > 0) return std::nullopt;
    clean.push_back(c);
  }
  const std::size_t n = clean.size();
  if (n % 4 == 1) return std::nullopt;
  if (padding > 0 && (padding > 2 || (n + padding) % 4 != 0)) return std::nullopt;
  const std::size_t missing = (4 - n % 4) % 4;
  clean.append(missing, '=');
  if (clean.empty()) return std::string();
  std::string out(clean.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(clean),
                                      static_cast<int>(clean.size()));
  if (written < 0) return std::nullopt;
  out.resize(n * 6 / 8);
  return out;
}

void secure_random(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw Error("OpenSSL: RAND_bytes failed (no entropy available)");
  }
}

bool equal_ct(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kmeet::detail
