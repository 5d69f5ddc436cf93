// KS v2 minting (protocol.md F.3): AES-128-CBC over sha1(rand||fields)||rand||fields.
#include <fmt/format.h>

#include <charconv>
#include <cstring>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "ks/crypto.hpp"
#include "ks/ks_fields.hpp"
#include "ks/ks_signer_impl.hpp"

namespace kmeet {

std::string KsSigner::mint_v2(const KsParams& params) const {
  if (!impl_) throw Error("KsSigner used after being moved from");
  impl_->check(params);
  // protocol.md F.6: a privilege `_m:` or `_d:` would survive in a v2 KS as its master partner id or
  // additional data; the server drops them on session.start, a local mint refuses them.
  if (params.privileges.find('_') != std::string::npos) {
    std::vector<std::pair<std::string_view, std::string_view>> items;
    detail::split_privileges(params.privileges, items);
    for (const auto& [key, value] : items) {
      if (key == "_m" || key == "_d") {
        throw ValidationError("privileges", fmt::format("must not set '{}' (reserved: it would become the KS {})", key,
                                                        key == "_m" ? "master partner id" : "additional data"));
      }
    }
  }

  // One per-thread buffer holds "v2|pid|" followed by the plaintext, encrypted in place.
  thread_local std::string env;
  env.clear();
  env += "v2|";
  char pid[24];
  const auto p = std::to_chars(std::begin(pid), std::end(pid), params.partner_id.value());
  env.append(pid, static_cast<std::size_t>(p.ptr - pid));
  env.push_back('|');
  const std::size_t msg = env.size();
  env.append(20 + 16, '\0');
  auto* rand = reinterpret_cast<std::uint8_t*>(env.data() + msg + 20);
  impl_->fill_random(std::span<std::uint8_t>(rand, 16));
  detail::append_ks_v2_fields(env, params.privileges, params.expires_at.time_since_epoch().count(),
                              static_cast<int>(params.type), params.user_id);

  const auto hash = detail::sha1(std::string_view(env).substr(msg + 20));
  std::memcpy(env.data() + msg, hash.data(), hash.size());
  const std::size_t plain_len = env.size() - msg;
  env.append((16 - plain_len % 16) % 16, '\0');  // zero padding, none when aligned (not PKCS#7)
  if (!detail::aes128_cbc_zero_iv(impl_->key, true, reinterpret_cast<std::uint8_t*>(env.data() + msg),
                                  env.size() - msg)) {
    throw Error("OpenSSL: AES-128-CBC encryption failed");
  }

  std::string out;
  out.reserve(4 * ((env.size() + 2) / 3) + 1);
  detail::base64_append(out, env);
  for (char& c : out) c = c == '+' ? '-' : (c == '/' ? '_' : c);  // base64url, '=' kept
  return out;
}

}  // namespace kmeet
