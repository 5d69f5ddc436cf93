#include "kmeet/sessions.hpp"

#include "api/service_context.hpp"
#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

std::string require_string(const detail::Json& v, const char* what) {
  if (!v.is_string()) throw ProtocolError(std::string(what) + " did not return a string");
  return v.get<std::string>();
}

template <class T>
T field(const detail::Json& obj, const char* name, T fallback) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const detail::Json::exception&) {
    throw ProtocolError(std::string("field ") + name + " has an unexpected type");
  }
}

}  // namespace

std::string KsSessions::start(const SessionStart& p) const {
  if (p.secret.empty()) throw ValidationError("session.secret", "must not be empty");
  if (p.expiry.count() <= 0) throw ValidationError("session.expiry", "must be positive (seconds)");
  if (p.user_id.find(';') != std::string::npos) {
    throw ValidationError("session.userId", "must not contain ';' (it would shift KS v1 fields)");
  }
  if (p.privileges.find(';') != std::string::npos) {
    // The server may answer with a KS v1, whose fields are ';'-separated (protocol.md F.2).
    throw ValidationError("session.privileges", "must not contain ';' (it would shift KS v1 fields)");
  }
  // Parameter order as the official Node client sends it (protocol.md A.7).
  detail::ApiCall call{.service = "session", .action = "start", .idempotent = true, .with_ks = false};
  call.params["secret"] = p.secret;
  call.params["userId"] = p.user_id;
  call.params["type"] = static_cast<int>(p.type);
  call.params["partnerId"] = ctx_->partner_id.value();
  call.params["expiry"] = p.expiry.count();
  if (!p.privileges.empty()) call.params["privileges"] = p.privileges;
  return require_string(ctx_->api.call(call), "session.start");
}

void KsSessions::end(const std::string& ks) const {
  if (ks.empty()) throw ValidationError("ks", "must not be empty");
  detail::ApiCall call{.service = "session", .action = "end", .idempotent = true, .with_ks = false};
  call.logout_after_unknown_is_success = true;  // a resend finds the session already ended
  call.params["ks"] = ks;
  (void)ctx_->api.call(call);
}

SessionInfo KsSessions::get(const std::string& ks) const {
  detail::ApiCall call{.service = "session", .action = "get", .idempotent = true};
  if (!ks.empty()) call.params["session"] = ks;
  const detail::Json v = ctx_->api.call(call);
  if (!v.is_object()) throw ProtocolError("session.get did not return an object");
  SessionInfo info;
  info.ks = field<std::string>(v, "ks", "");
  info.type = field<int>(v, "sessionType", 0) == 2 ? SessionType::admin : SessionType::user;
  info.partner_id = PartnerId(field<std::int64_t>(v, "partnerId", 0));
  info.user_id = field<std::string>(v, "userId", "");
  info.expires_at = Timestamp(std::chrono::seconds(field<std::int64_t>(v, "expiry", 0)));
  info.privileges = field<std::string>(v, "privileges", "");
  return info;
}

Timestamp KsSessions::server_time() const {
  detail::ApiCall call{.service = "system", .action = "getTime", .idempotent = true, .with_ks = false};
  const detail::Json v = ctx_->api.call(call);
  if (!v.is_number_integer()) throw ProtocolError("system.getTime did not return an integer");
  return Timestamp(std::chrono::seconds(v.get<std::int64_t>()));
}

}  // namespace kmeet
