#pragma once
// Thin OpenSSL EVP wrappers for the KS code: SHA-1, AES-128-CBC (zero IV, no padding), base64
// and random bytes. Algorithms are fetched once per process; contexts are reused per thread, so
// the minting hot path does no provider look-ups and no allocations.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kmeet::detail {

using Sha1 = std::array<std::uint8_t, 20>;
using AesKey = std::array<std::uint8_t, 16>;

/// SHA-1 of the concatenation of up to three byte ranges.
Sha1 sha1(std::string_view a, std::string_view b = {}, std::string_view c = {});

/// Lower-case hex of a digest.
std::string to_hex(std::span<const std::uint8_t> bytes);

/// The KS v2 AES key: `sha1(admin_secret)[0:16]`.
AesKey ks_aes_key(std::string_view admin_secret);

/// AES-128-CBC with a zero IV and no padding, in place. `len` must be a multiple of 16.
/// Returns false when OpenSSL refuses (never for valid input).
bool aes128_cbc_zero_iv(const AesKey& key, bool encrypt, std::uint8_t* data, std::size_t len);

/// Appends standard base64 (`+/=`) of `bytes` to `out` (EVP_EncodeBlock).
void base64_append(std::string& out, std::string_view bytes);

/// PHP `base64_decode($s, true)` after the KS substitutions `-`->`+`, `_`->`/` (the server's
/// `parseKS`): strict alphabet, whitespace skipped, padding optional but never wrong.
/// Returns nullopt for anything PHP would refuse.
std::optional<std::string> ks_base64_decode(std::string_view text);

/// Fills `out` from OpenSSL's CSPRNG; throws kmeet::Error if it fails.
void secure_random(std::span<std::uint8_t> out);

/// Constant-time equality of two byte strings of equal length (different lengths: false).
bool equal_ct(std::string_view a, std::string_view b);

}  // namespace kmeet::detail
