// api_v3 `session` (docs/protocol.md D.1, F, I.5).

#include <chrono>

#include "service.hpp"

namespace kmeet::emulator {

namespace {

constexpr std::int64_t kKsMaxExpiry = 86400;  // the partner's ksMaxExpiryInSeconds (D.1)

}  // namespace

std::string issue_server_ks(World& w, const ServerKs& ks, std::int64_t now) {
  const std::string& secret = w.cfg.admin_secrets.front();
  if (w.cfg.ks_version == 1) {
    // The v1 rand is PHP microtime(true): the real clock's microseconds on the emulator's second.
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(wall).count() % 1000000;
    return server_ks_v1(secret, ks, php_microtime(now, micros));
  }
  KsRandom rand{};
  if (w.random) {
    w.random(rand.data(), rand.size());
  } else {
    secure_random_bytes(rand.data(), rand.size());
  }
  return server_ks_v2(secret, ks, rand);
}

/// session.startWidgetSession (I.5): `@ksIgnored`, always allowed; the default widget `_<pid>` only.
Json Call::session_start_widget() {
  const Json* widget = find_param(params, "widgetId");
  if (widget == nullptr) {
    throw missing_parameter("widgetId");
  }
  std::int64_t expiry = 86400;
  if (const Json* e = find_param(params, "expiry")) {
    expiry = json_intval(*e);
  }
  const std::string widget_id = json_strval(*widget);
  if (widget_id != "_" + std::to_string(w.cfg.partner_id)) {
    throw api_error("INVALID_WIDGET_ID", "Unknown widget [@WIDGET_ID@]", {{"WIDGET_ID", widget_id}});
  }
  ServerKs ks;
  ks.partner_id = w.cfg.partner_id;
  ks.valid_until = now + std::min(expiry, kKsMaxExpiry);  // capped at ksMaxExpiryInSeconds
  ks.type = 0;
  ks.user = "0";
  ks.privileges = "view:*,widget:1";
  Json j = Json::object();
  j["partnerId"] = w.cfg.partner_id;
  j["ks"] = issue_server_ks(w, ks, now);
  j["userId"] = 0;  // the PHP integer 0, not cast to the declared string (I.5)
  j["objectType"] = "KalturaStartWidgetSessionResponse";
  return j;
}

Json Call::session_start() {
  const Json* secret_j = find_param(params, "secret");
  if (secret_j == nullptr) {
    throw missing_parameter("secret");
  }
  const std::string secret = json_strval(*secret_j);
  const std::string user_id = str_param(params, "userId");
  const std::int64_t type = session_type_param(params, "type").value_or(0);
  const Json* pid_j = find_param(params, "partnerId");
  const std::string pid_str = pid_j != nullptr ? json_strval(*pid_j) : std::string();
  std::int64_t expiry = 86400;
  if (const Json* e = find_param(params, "expiry")) {
    expiry = json_intval(*e);
  }
  if (expiry == 0 || expiry > 86400) {
    expiry = 86400;  // ksMaxExpiryInSeconds (default one day)
  }
  const std::string privileges = str_param(params, "privileges");
  if (pid_j == nullptr || json_intval(*pid_j) != w.cfg.partner_id) {
    throw start_session_error(pid_str);
  }
  std::size_t signer = 0;
  bool ok = false;
  for (std::size_t i = 0; i < w.cfg.admin_secrets.size(); ++i) {
    if (!secret.empty() && secret == w.cfg.admin_secrets[i]) {
      ok = true;
      if (type == 2) {
        signer = i;  // ADMIN sessions are signed with the secret that was passed
      }
      break;
    }
  }
  if (!ok && !secret.empty() && secret == w.cfg.user_secret && type == 0) {
    ok = true;
  }
  if (!ok) {
    throw start_session_error(pid_str);
  }
  // ks::validatePrivileges: setrole must name a role of the partner; the emulator has none.
  for (const auto& part : split(privileges, ',')) {
    const std::string t = trim(part);
    if (to_lower(t.substr(0, t.find(':'))) == "setrole") {
      throw start_session_error(pid_str);
    }
  }
  KsParams kp;
  kp.partner_id = PartnerId(w.cfg.partner_id);
  kp.type = type == 2 ? SessionType::admin : SessionType::user;
  kp.user_id = user_id;
  kp.privileges = w.cfg.ks_version == 1 ? privileges : without_master_fields(privileges);
  kp.expires_at = Timestamp(std::chrono::seconds(now + expiry));
  if (!user_id.empty()) {
    st.users.insert(user_id);
    w.dirty = true;
  }
  return w.signers[signer].mint(kp, w.cfg.ks_version == 1 ? KsVersion::v1 : KsVersion::v2);
}

Json Call::session_end() {
  if (ks) {
    st.logged_out.insert(ks_str);
    w.dirty = true;
  }
  return nullptr;
}

Json Call::session_get() {
  std::string target = str_param(params, "session");
  KsCheck info;
  if (target.empty()) {
    target = ks_str;
    info = *ks;
  } else {
    info = w.check_ks(target, now);
    if (!info.ok) {
      if (info.reason == "INVALID_STR" && info.info.partner_id.value() != 0 &&
          info.info.partner_id.value() != w.cfg.partner_id) {
        throw api_error("PARTNER_ACCESS_FORBIDDEN",
                        "Accessing partner [@ACCESSING_PID@] cannot access partner [@ACCESSED_PID@]",
                        {{"ACCESSING_PID", std::to_string(w.cfg.partner_id)},
                         {"ACCESSED_PID", std::to_string(info.info.partner_id.value())}});
      }
      throw invalid_ks(info);
    }
  }
  Json j = Json::object();
  j["ks"] = target;
  j["sessionType"] = info.info.raw_type;
  j["partnerId"] = info.info.partner_id.value();
  j["userId"] = info.info.user_id;
  j["expiry"] = static_cast<std::int64_t>(info.info.expires_at.time_since_epoch().count());
  j["privileges"] = info.info.privileges;
  j["objectType"] = "KalturaSessionInfo";
  return j;
}

}  // namespace kmeet::emulator
