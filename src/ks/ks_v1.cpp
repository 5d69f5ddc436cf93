// KS v1 minting (protocol.md F.2): base64(hex(sha1(secret||info)) + "|" + info).
#include <string>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"
#include "ks/ks_signer_impl.hpp"

namespace kmeet {

std::string KsSigner::mint_v1(const KsParams& params, std::int64_t rand) const {
  if (!impl_) throw Error("KsSigner used after being moved from");
  impl_->check(params);
  // parseKsV1 assigns the ';'-separated fields by position: a ';' would move data into the
  // masterPartnerId / additionalData slots (F.6).
  if (params.user_id.find(';') != std::string::npos) {
    throw ValidationError("user_id", "must not contain ';' (KS v1 separates its fields with it)");
  }
  if (params.privileges.find(';') != std::string::npos) {
    throw ValidationError("privileges", "must not contain ';' (KS v1 separates its fields with it)");
  }
  const std::string pid = params.partner_id.str();
  std::string info;
  info.reserve(64 + params.user_id.size() + params.privileges.size());
  info += pid;
  info += ';';
  info += pid;
  info += ';';
  info += std::to_string(params.expires_at.time_since_epoch().count());
  info += ';';
  info += std::to_string(static_cast<int>(params.type));
  info += ';';
  info += std::to_string(rand);
  info += ';';
  info += params.user_id;
  info += ';';
  info += params.privileges;

  const auto sig = detail::sha1(impl_->secret, info);
  std::string plain = detail::to_hex(sig);
  plain += '|';
  plain += info;
  std::string out;
  detail::base64_append(out, plain);
  return out;
}

}  // namespace kmeet
