#pragma once
// Raw-HTTP helpers for the app-token tests (protocol.md I): the widget session, tokens, the hash.

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "emulator/wire.hpp"

namespace kmeet::test::apptoken {

using wire::Json;

/// PHP `hash(algo, data)`: lower-case hex of MD5/SHA1/SHA256/SHA512, computed here with OpenSSL
/// (independently of the emulator).
inline std::string hash(const std::string& algo, const std::string& data) {
  const EVP_MD* md = algo == "MD5" ? EVP_md5() : algo == "SHA1" ? EVP_sha1() : algo == "SHA256" ? EVP_sha256() : EVP_sha512();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  std::string hex;
  static const char* const digits = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(digits[out[i] >> 4U]);
    hex.push_back(digits[out[i] & 0x0FU]);
  }
  return hex;
}

/// session.startWidgetSession for the default widget; the whole answer.
inline Json widget(const EmulatorProcess& emu, Json extra = Json::object()) {
  Json p{{"widgetId", "_" + std::to_string(emu.partner_id())}};
  for (auto it = extra.begin(); it != extra.end(); ++it) p[it.key()] = *it;
  return wire::call(emu, "session", "startWidgetSession", p);
}

inline std::string widget_ks(const EmulatorProcess& emu) { return widget(emu)["ks"].get<std::string>(); }

/// apptoken.add with an admin KS; `fields` go into the KalturaAppToken.
inline Json add(const EmulatorProcess& emu, Json fields = Json::object()) {
  Json t{{"objectType", "KalturaAppToken"}};
  for (auto it = fields.begin(); it != fields.end(); ++it) t[it.key()] = *it;
  return wire::call(emu, "apptoken", "add", {{"ks", wire::admin_ks(emu)}, {"appToken", t}});
}

/// Any apptoken action with an admin KS.
inline Json admin_call(const EmulatorProcess& emu, const std::string& action, Json params) {
  params["ks"] = wire::admin_ks(emu);
  return wire::call(emu, "apptoken", action, std::move(params));
}

/// apptoken.startSession carried by `ks`, with the right hash for `token` unless `hash_value` is given.
inline Json start(const EmulatorProcess& emu, const Json& token, const std::string& ks, Json extra = Json::object(),
                  const std::string& hash_value = {}) {
  Json p{{"id", token["id"]},
         {"tokenHash", hash_value.empty() ? hash(token.value("hashType", std::string("SHA1")),
                                                 ks + token["token"].get<std::string>())
                                          : hash_value},
         {"ks", ks}};
  for (auto it = extra.begin(); it != extra.end(); ++it) p[it.key()] = *it;
  return wire::call(emu, "apptoken", "startSession", p);
}

/// The whole flow of I.1: a widget session, then startSession over it.
inline Json session(const EmulatorProcess& emu, const Json& token, Json extra = Json::object()) {
  return start(emu, token, widget_ks(emu), std::move(extra));
}

/// The keys of a JSON object, in order.
inline std::vector<std::string> keys(const Json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

/// POST /__emulator/PATH with a JSON body.
inline wire::Response admin_post(const EmulatorProcess& emu, const std::string& path, const Json& body) {
  return wire::request(emu.base_url() + "/__emulator/" + path, body.dump(), "application/json");
}

/// Moves the emulator's clock forward.
inline void advance(const EmulatorProcess& emu, std::int64_t seconds) {
  (void)admin_post(emu, "clock", Json{{"advance", seconds}});
}

}  // namespace kmeet::test::apptoken
