#include "ks/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <pthread.h>

#include <atomic>
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
  // The key schedule currently loaded in `cipher` (re-keying costs more than the encryption).
  bool keyed = false;
  bool keyed_encrypt = false;
  AesKey loaded_key{};
  ThreadContexts() {
    if (md == nullptr || cipher == nullptr) throw std::bad_alloc();
  }
  ~ThreadContexts() {
    EVP_MD_CTX_free(md);
    EVP_CIPHER_CTX_free(cipher);
    OPENSSL_cleanse(loaded_key.data(), loaded_key.size());
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
  Sha1 digest = sha1(admin_secret);
  AesKey key{};
  std::memcpy(key.data(), digest.data(), key.size());
  OPENSSL_cleanse(digest.data(), digest.size());
  return key;
}

bool aes128_cbc_zero_iv(const AesKey& key, bool encrypt, std::uint8_t* data, std::size_t len) {
  if (len % 16 != 0 || len > static_cast<std::size_t>(INT32_MAX)) return false;
  if (len == 0) return true;
  auto& ctx = contexts();
  // Bind the cipher once (re-initialising with a null cipher keeps the provider context), and
  // pass the key only when it differs from the loaded schedule; the IV is reset every time.
  const bool same_key = ctx.keyed && ctx.keyed_encrypt == encrypt && CRYPTO_memcmp(ctx.loaded_key.data(), key.data(), key.size()) == 0;
  const EVP_CIPHER* cipher = ctx.cipher_bound ? nullptr : aes_cipher();
  if (EVP_CipherInit_ex2(ctx.cipher, cipher, same_key ? nullptr : key.data(), kZeroIv.data(),
                         encrypt ? 1 : 0, nullptr) != 1) {
    ctx.cipher_bound = false;
    ctx.keyed = false;
    return false;
  }
  if (!ctx.cipher_bound) {
    // Padding off for good: the KS format pads with zeros itself (not PKCS#7).
    if (EVP_CIPHER_CTX_set_padding(ctx.cipher, 0) != 1) return false;
    ctx.cipher_bound = true;
  }
  if (!same_key) {
    ctx.loaded_key = key;
    ctx.keyed = true;
    ctx.keyed_encrypt = encrypt;
  }
  int out_len = 0;
  if (EVP_CipherUpdate(ctx.cipher, data, &out_len, data, static_cast<int>(len)) != 1) return false;
  // With padding off and whole blocks, Update has produced everything; Final would add nothing.
  return static_cast<std::size_t>(out_len) == len;
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

namespace {

// Each RAND_bytes call costs a getpid() system call (OpenSSL's fork check) and DRBG locking,
// more than the rest of a mint together: draw from OpenSSL in 4 KiB chunks per thread instead.
// A fork bumps the generation so a child never reuses its parent's buffered bytes.
std::atomic<unsigned> g_fork_generation{0};

void on_fork_child() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

struct RandomPool {
  std::array<std::uint8_t, 4096> bytes{};
  std::size_t pos = bytes.size();
  unsigned generation = 0;
  RandomPool() {
    static const int registered = pthread_atfork(nullptr, nullptr, &on_fork_child);
    (void)registered;
  }
  ~RandomPool() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  RandomPool(const RandomPool&) = delete;
  RandomPool& operator=(const RandomPool&) = delete;
};

void rand_bytes(std::uint8_t* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw Error("OpenSSL: RAND_bytes failed (no entropy available)");
  }
}

}  // namespace

void secure_random(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  thread_local RandomPool pool;
  if (out.size() > pool.bytes.size() / 4) {
    rand_bytes(out.data(), out.size());
    return;
  }
  const unsigned generation = g_fork_generation.load(std::memory_order_relaxed);
  if (pool.pos + out.size() > pool.bytes.size() || pool.generation != generation) {
    rand_bytes(pool.bytes.data(), pool.bytes.size());
    pool.pos = 0;
    pool.generation = generation;
  }
  std::memcpy(out.data(), pool.bytes.data() + pool.pos, out.size());
  OPENSSL_cleanse(pool.bytes.data() + pool.pos, out.size());  // handed out once, never kept
  pool.pos += out.size();
}

bool equal_ct(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kmeet::detail
