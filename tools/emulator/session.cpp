// api_v3 `session` (docs/protocol.md D.1, F).

#include "service.hpp"

namespace kmeet::emulator {

Json Call::session_start() {
  const Json* secret_j = find_param(params, "secret");
  if (secret_j == nullptr) {
    throw missing_parameter("secret");
  }
  const std::string secret = json_strval(*secret_j);
  const std::string user_id = str_param(params, "userId");
  std::int64_t type = 0;
  if (const Json* t = find_param(params, "type")) {
    const std::string raw = t->is_string() ? t->get<std::string>() : json_strval(*t);
    const std::string lower = to_lower(raw);
    std::int64_t v = lower == "true" ? 1 : lower == "false" ? 0 : php_intval(raw);
    const bool numeric = lower == "true" || lower == "false" || is_integer_string(trim(raw)) ||
                         t->is_number_integer() || t->is_boolean();
    if (!numeric || (v != 0 && v != 2)) {
      throw api_error("INVALID_ENUM_VALUE",
                      "Invalid enumeration value \"@ENUM_VAL@\" for parameter \"@PARAM_NAME@\", "
                      "expecting enumeration type \"@ENUM_TYPE@\"",
                      {{"ENUM_VAL", raw}, {"PARAM_NAME", "type"}, {"ENUM_TYPE", "KalturaSessionType"}});
    }
    type = v;
  }
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
