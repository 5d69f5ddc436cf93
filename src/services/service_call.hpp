#pragma once
// Small helpers shared by the room, event and link services.

#include <string_view>

#include "api/api_client.hpp"
#include "api/service_context.hpp"

namespace kmeet::detail {

/// An api_v3 call of `service`.`action`; reads, updates and deletes are `idempotent` (safe to
/// repeat), adds are not.
inline ApiCall make_call(std::string_view service, std::string_view action, WireJson params, bool idempotent) {
  ApiCall c;
  c.service = std::string(service);
  c.action = std::string(action);
  c.params = std::move(params);
  c.idempotent = idempotent;
  return c;
}

/// A `delete` call: safe to repeat, and "not found" on a resend after an unknown outcome means
/// the earlier attempt deleted the object (ApiClient::call() returns null then).
inline ApiCall make_delete(std::string_view service, WireJson params) {
  ApiCall c = make_call(service, "delete", std::move(params), true);
  c.absent_after_unknown_is_success = true;
  return c;
}

/// `{"<name>": id}`.
inline WireJson id_param(const char* name, std::int64_t id) {
  WireJson p = WireJson::object();
  p[name] = id;
  return p;
}

/// `{"filter": ..., "pager": ...}`.
inline WireJson list_params(WireJson filter, WireJson pager) {
  WireJson p = WireJson::object();
  p["filter"] = std::move(filter);
  p["pager"] = std::move(pager);
  return p;
}

}  // namespace kmeet::detail
