#pragma once
// The private state of kmeet::KsSigner, shared by the v1 and v2 minting sources.

#include <span>
#include <string>

#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"

namespace kmeet {

struct KsSigner::Impl {
  std::string secret;      // for v1 signatures; wiped on destruction
  detail::AesKey key{};    // sha1(secret)[0:16], derived once
  RandomSource random;     // empty: OpenSSL CSPRNG

  Impl() = default;
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void fill_random(std::span<std::uint8_t> out) const;
  void check(const KsParams& params) const;
};

}  // namespace kmeet
