#include "api.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "entries.hpp"
#include "model.hpp"
#include "service.hpp"

namespace kmeet::emulator {

namespace {

const std::map<std::string, std::set<std::string>>& service_map() {
  static const std::map<std::string, std::set<std::string>> m = {
      {"session", {"start", "end", "get", "startwidgetsession"}},
      {"apptoken", {"add", "get", "update", "delete", "list", "startsession"}},
      {"system", {"gettime", "ping"}},
      {"schedule_scheduleresource", {"add", "get", "update", "delete", "list"}},
      {"schedule_scheduleevent", {"add", "get", "update", "delete", "cancel", "list"}},
      {"schedule_scheduleeventresource", {"add", "get", "update", "delete", "list"}},
      {"media", {"add", "get", "list", "delete"}},  // entries.cpp (docs/protocol.md J.3-J.5)
      {"baseentry", {"get", "list"}},
  };
  return m;
}

// ---- multirequest references ----------------------------------------------------------------

std::string resolve_path(const Json& value, const std::vector<std::string>& path, std::size_t i) {
  if (i == path.size()) {
    if (value.is_object() || value.is_array()) {
      return {};
    }
    return json_strval(value);
  }
  const std::string& seg = path[i];
  if (value.is_array()) {
    if (seg == "_all") {
      std::string out;
      for (std::size_t k = 0; k < value.size(); ++k) {
        out += (k != 0 ? "," : "") + resolve_path(value[k], path, i + 1);
      }
      return out;
    }
    if (!is_integer_string(seg)) {
      return {};
    }
    const auto idx = php_intval(seg);
    if (idx < 0 || static_cast<std::size_t>(idx) >= value.size()) {
      return {};
    }
    return resolve_path(value[static_cast<std::size_t>(idx)], path, i + 1);
  }
  if (value.is_object()) {
    const auto it = value.find(seg);
    if (it == value.end()) {
      return {};
    }
    return resolve_path(*it, path, i + 1);
  }
  return {};
}

void replace_refs(Json& node, const std::vector<Json>& results, const std::vector<bool>& failed) {
  static const std::regex token(R"(\{([0-9]+):result(?::([^}]*))?\})");
  if (node.is_object() || node.is_array()) {
    for (auto& child : node) {
      replace_refs(child, results, failed);
    }
    return;
  }
  if (!node.is_string()) {
    return;
  }
  const std::string& s = node.get_ref<const std::string&>();
  if (s.find(":result") == std::string::npos) {
    return;
  }
  std::string out;
  auto begin = std::sregex_iterator(s.begin(), s.end(), token);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out += s.substr(last, static_cast<std::size_t>(m.position(0)) - last);
    last = static_cast<std::size_t>(m.position(0) + m.length(0));
    const auto n = php_intval(m[1].str());
    if (n < 1 || static_cast<std::size_t>(n) > results.size()) {
      out += m[0].str();  // not executed yet: left as is
      continue;
    }
    const auto idx = static_cast<std::size_t>(n - 1);
    if (failed[idx]) {
      continue;  // a failed dependency becomes the empty string
    }
    const std::string path = m[2].matched ? m[2].str() : std::string();
    out += resolve_path(results[idx], path.empty() ? std::vector<std::string>{} : split(path, ':'), 0);
  }
  out += s.substr(last);
  node = out;
}

}  // namespace

Json Api::handle(const Json& params, std::int64_t now) {
  try {
    if (to_lower(str_param(params, "service")) == "multirequest") {
      return multirequest(params, now);
    }
    return call(params, now);
  } catch (const ApiError& e) {
    return e.to_json();
  }
}

Json Api::multirequest(const Json& params, std::int64_t now) {
  std::map<std::int64_t, const Json*> items;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (is_integer_string(it.key()) && it.key()[0] != '-' && it.key()[0] != '+' && it->is_object()) {
      items[php_intval(it.key())] = &*it;
    }
  }
  Json out = Json::array();
  if (items.empty()) {
    return out;
  }
  const std::int64_t start = std::min<std::int64_t>(1, items.begin()->first);
  const std::int64_t end = items.rbegin()->first;
  // The emulator's own limit (docs/emulator.md "Limits"): the whole batch is refused, nothing runs.
  const auto max = static_cast<std::size_t>(w_.cfg.max_multirequest);
  if (items.size() > max) {
    throw api_error("MULTIREQUEST_TOO_MANY_CALLS",
                    "A multirequest may hold at most @MAX_CALLS@ calls, this one has @CALLS@",
                    {{"MAX_CALLS", std::to_string(max)}, {"CALLS", std::to_string(items.size())}});
  }
  std::vector<Json> results;
  std::vector<bool> failed;
  for (std::int64_t i = start; i <= end; ++i) {
    const auto it = items.find(i);
    if (it == items.end() || !it->second->contains("service") || !it->second->contains("action")) {
      break;  // a gap ends the batch
    }
    Json item = *it->second;
    for (const char* k : {"ks", "clientTag", "partnerId"}) {
      if (!item.contains(k) && params.contains(k)) {
        item[k] = params[k];
      }
    }
    item.erase("format");
    replace_refs(item, results, failed);
    Json result;
    bool bad = false;
    try {
      result = call(item, now);
    } catch (const ApiError& e) {
      result = e.to_json();
      bad = true;
    }
    results.push_back(result);
    failed.push_back(bad);
    out.push_back(std::move(result));
  }
  return out;
}

namespace {

void check_service_action(const std::string& service, const std::string& action) {
  if (service.empty()) {
    throw api_error("SERVICE_NOT_SPECIFIED", "Service name was not specified, please specify one");
  }
  const auto& services = service_map();
  const auto svc = services.find(service);
  if (svc == services.end()) {
    throw api_error("SERVICE_DOES_NOT_EXISTS", "Service \"@SRV_NAME@\" does not exists",
                    {{"SRV_NAME", service}});
  }
  if (action.empty()) {
    throw api_error("ACTION_NOT_SPECIFIED", "Action name was not specified, please specify one");
  }
  if (svc->second.count(action) == 0) {
    throw api_error("ACTION_DOES_NOT_EXISTS", "Action \"@ACTION_NAME@\" does not exists for service \"@SERVICE_NAME@\"",
                    {{"ACTION_NAME", action}, {"SERVICE_NAME", service}});
  }
}

/// The request's `partnerId` (or `p`), when given.
const Json* partner_param(const Json& params) {
  const Json* pid = find_param(params, "partnerId");
  return pid != nullptr ? pid : find_param(params, "p");
}

/// KS, partner and role checks of docs/protocol.md D.5 for a call whose KS (if any) is valid.
void check_permission(const Call& c, const Json* pid) {
  const bool always_allowed =
      c.service == "system" ||
      (c.service == "session" && (c.action == "start" || c.action == "end" || c.action == "startwidgetsession"));
  if (always_allowed) {
    return;
  }
  if (!c.ks) {
    // apptoken.startSession without a KS runs as NO_SESSION_ROLE, which lacks the action:
    // SERVICE_FORBIDDEN `apptoken->startsession` (protocol.md I.2/I.9), partner given or not.
    const bool forbidden_without_ks = c.service == "apptoken" && c.action == "startsession";
    if (!forbidden_without_ks && (pid == nullptr || json_intval(*pid) == 0)) {
      throw missing_ks();
    }
    throw service_forbidden(c.service, c.action);
  }
  if (pid != nullptr && json_strval(*pid) != "" && json_intval(*pid) != c.w.cfg.partner_id) {
    throw service_forbidden(c.service, c.action);  // no partner-group access to other partners
  }
  // apptoken CRUD needs APP_TOKEN_* (PARTNER_ADMIN_ROLE); startSession any valid KS (I.2).
  const bool needs_admin = c.service.rfind("schedule_", 0) == 0 ||
                           (c.service == "apptoken" && c.action != "startsession");
  if (needs_admin && c.ks->info.type != SessionType::admin) {
    throw service_forbidden(c.service, c.action);
  }
}

Json run_action(Call& c) {
  const std::string& service = c.service;
  const std::string& action = c.action;
  if (service == "system") {
    return action == "gettime" ? Json(c.now) : Json(true);
  }
  if (service == "session") {
    if (action == "start") return c.session_start();
    if (action == "end") return c.session_end();
    if (action == "startwidgetsession") return c.session_start_widget();
    return c.session_get();
  }
  if (service == "media" || service == "baseentry") return entry_action(c);
  if (service == "apptoken") {
    if (action == "add") return c.apptoken_add();
    if (action == "get") return c.apptoken_get();
    if (action == "update") return c.apptoken_update();
    if (action == "delete") return c.apptoken_delete();
    if (action == "list") return c.apptoken_list();
    return c.apptoken_start_session();
  }
  if (service == "schedule_scheduleresource") {
    if (action == "add") return c.resource_add();
    if (action == "get") return c.resource_get();
    if (action == "update") return c.resource_update();
    if (action == "delete") return c.resource_delete();
    return c.resource_list();
  }
  if (service == "schedule_scheduleevent") {
    if (action == "add") return c.event_add();
    if (action == "get") return c.event_get();
    if (action == "update") return c.event_update();
    if (action == "delete") return c.event_set_status(3);
    if (action == "cancel") return c.event_set_status(1);
    return c.event_list();
  }
  if (action == "add") return c.link_add();
  if (action == "get") return c.link_get();
  if (action == "update") return c.link_update();
  if (action == "delete") return c.link_delete();
  return c.link_list();
}

}  // namespace

void Api::throttle(const std::string& service, const std::string& action, std::int64_t partner) {
  // docs/protocol.md K.1/K.2: counted per call before any validation; the answer is the normal
  // api_v3 error (HTTP 200, no Retry-After) and nothing is executed.
  if (w_.rate_limited(partner)) {
    throw api_error("ACTION_BLOCKED", "Action \"@ACTION_NAME@\" in service \"@SERVICE_NAME@\" is blocked",
                    {{"ACTION_NAME", action}, {"SERVICE_NAME", service}});
  }
}

Json Api::call(const Json& params, std::int64_t now) {
  const std::string service = to_lower(str_param(params, "service"));
  const std::string action = to_lower(str_param(params, "action"));
  check_service_action(service, action);
  const Json* pid = partner_param(params);
  // Without a KS a call counts for the partner it names, else for the hosted partner.
  const std::int64_t named = pid != nullptr && json_intval(*pid) != 0 ? json_intval(*pid) : w_.cfg.partner_id;
  if (service == "system" && str_param(params, "ks").empty()) {
    throttle(service, action, named);
    return action == "gettime" ? Json(now) : Json(true);  // always allowed, no state
  }

  std::lock_guard<std::mutex> lock(w_.mu);
  Call c{w_, w_.state, params, now, service, action, std::nullopt, {}};
  // session.startWidgetSession is @ksIgnored: a KS sent with it is not even parsed (I.5).
  const bool ks_ignored = service == "session" && action == "startwidgetsession";
  c.ks_str = ks_ignored ? std::string() : str_param(params, "ks");
  std::optional<KsCheck> check;
  if (!c.ks_str.empty()) {
    check = w_.check_ks(c.ks_str, now);
    // docs/protocol.md K.1: a KS that does not parse fails before the rate limit; an expired or
    // ended one is found later (with the permissions), so such a call still counts.
    if (!check->ok && check->reason == "INVALID_STR") {
      throw invalid_ks(*check);
    }
  }
  throttle(service, action, check ? w_.cfg.partner_id : named);
  if (service == "apptoken") {
    decode_apptoken_args(action, params, now);  // before the KS's validity and the permission (I.7)
  }
  if (check) {
    if (!check->ok) {
      throw invalid_ks(*check);
    }
    if (!check->info.user_id.empty() && w_.state.users.insert(check->info.user_id).second) {
      w_.dirty = true;
    }
    c.ks = std::move(check);
  }
  check_permission(c, pid);
  return run_action(c);
}

}  // namespace kmeet::emulator
