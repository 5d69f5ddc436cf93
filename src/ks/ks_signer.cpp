// KsSigner: construction and the version switch. The formats live in ks_v2.cpp and ks_v1.cpp.
#include <openssl/crypto.h>

#include <array>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"
#include "ks/ks_signer_impl.hpp"

namespace kmeet {

KsSigner::KsSigner(std::string admin_secret, RandomSource random) : impl_(std::make_unique<Impl>()) {
  if (admin_secret.empty()) throw ValidationError("admin_secret", "must not be empty");
  impl_->key = detail::ks_aes_key(admin_secret);
  impl_->secret = std::move(admin_secret);
  impl_->random = std::move(random);
}

KsSigner::Impl::~Impl() {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  OPENSSL_cleanse(key.data(), key.size());
}

KsSigner::~KsSigner() = default;
KsSigner::KsSigner(KsSigner&&) noexcept = default;
KsSigner& KsSigner::operator=(KsSigner&&) noexcept = default;

void KsSigner::Impl::fill_random(std::span<std::uint8_t> out) const {
  if (random) {
    random(out);
  } else {
    detail::secure_random(out);
  }
}

void KsSigner::Impl::check(const KsParams& params) const {
  if (!params.partner_id.valid()) throw ValidationError("partner_id", "must be a positive id");
}

std::string KsSigner::mint(const KsParams& params, KsVersion version) const {
  if (!impl_) throw Error("KsSigner used after being moved from");
  if (version == KsVersion::v1) {
    // PHP's client uses rand(0, 32000); any integer is accepted by the server.
    std::array<std::uint8_t, 2> r{};
    impl_->fill_random(r);
    const int rand = (r[0] << 8 | r[1]) % 32001;
    return mint_v1(params, rand);
  }
  return mint_v2(params);
}

}  // namespace kmeet
