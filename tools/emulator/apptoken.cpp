// api_v3 `apptoken` (docs/protocol.md I.2-I.4, I.6-I.10): add, get, update, delete, list and
// startSession, with the hash check, the expiry rule, the privilege merge and revocation.

#include <array>
#include <cctype>

#include "service.hpp"

namespace kmeet::emulator {

namespace {

constexpr const char* kClass = "KalturaAppToken";
constexpr std::int64_t kActive = 2;
constexpr std::int64_t kDeleted = 3;
constexpr std::int64_t kKsMaxExpiry = 86400;  // the partner's ksMaxExpiryInSeconds (I.3)

ApiError token_error(const char* code, const char* tmpl, const std::string& id) {
  return api_error(code, tmpl, {{"ID", id}});
}
ApiError not_found(const std::string& id) {
  return token_error("APP_TOKEN_ID_NOT_FOUND", "Application token id \"@ID@\" not found", id);
}

/// A required string parameter (absent or null: MISSING_MANDATORY_PARAMETER).
std::string required_string(const Json& params, const std::string& name) {
  const Json* v = find_param(params, name);
  if (v == nullptr) {
    throw missing_parameter(name);
  }
  return json_strval(*v);
}

/// The `appToken` parameter as the deserializer builds it: enums checked (`sessionType`, and the
/// string enum `hashType`, exact upper case, I.3); `expiry` relative (A.6).
Built decode_token(const Json& params, std::int64_t now) {
  Built b = build_object(object_param(params, "appToken"), kClass, now);
  const auto it = b.props.find("hashType");
  if (it != b.props.end()) {
    const std::string v = it->get<std::string>();
    if (v != "MD5" && v != "SHA1" && v != "SHA256" && v != "SHA512") {
      throw api_error(
          "INVALID_ENUM_VALUE",
          "Invalid enumeration value \"@ENUM_VAL@\" for parameter \"@PARAM_NAME@\", "
          "expecting enumeration type \"@ENUM_TYPE@\"",
          {{"ENUM_VAL", v}, {"PARAM_NAME", "hashType"}, {"ENUM_TYPE", "KalturaAppTokenHashType"}});
    }
  }
  return b;
}

/// kuser::PUSER_ID_REGEXP (I.3): 1..320 of letters, digits and ,!#$%&'*+?^_`{|}~.@-
bool valid_user_id(const std::string& id) {
  static constexpr std::string_view punct = ",!#$%&'*+?^_`{|}~.@-";
  if (id.empty() || id.size() > 320) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || punct.find(c) != std::string_view::npos;
  });
}

void fill_random(World& w, std::uint8_t* out, std::size_t n) {
  if (w.random) {
    w.random(out, n);
  } else {
    secure_random_bytes(out, n);
  }
}

// ---- the privilege merge of I.8 -------------------------------------------------------------

using Privs = std::vector<std::pair<std::string, std::vector<std::string>>>;

std::vector<std::string>* find_priv(Privs& p, const std::string& name) {
  for (auto& [n, v] : p) {
    if (n == name) return &v;
  }
  return nullptr;
}

/// `kSessionBase::parsePrivileges`: split on `,` then the first `:` (no trimming), values on `/`;
/// a repeated name collects the values of every occurrence.
Privs parse_privileges(const std::string& text) {
  Privs out;
  for (const auto& item : split(text, ',')) {
    const auto colon = item.find(':');
    const std::string name = item.substr(0, colon);
    std::vector<std::string> values;
    if (colon != std::string::npos && colon + 1 < item.size()) {
      values = split(item.substr(colon + 1), '/');
    }
    if (auto* existing = find_priv(out, name)) {
      existing->insert(existing->end(), values.begin(), values.end());
    } else {
      out.emplace_back(name, std::move(values));
    }
  }
  return out;
}

/// PHP truthiness of a string: neither "" nor "0".
bool truthy(const std::string& s) { return !s.empty() && s != "0"; }

/// `kSessionBase::getServerPrivileges()`: the names the server interprets (F.3 item 7).
bool server_reserved(const std::string& name) {
  static const std::set<std::string> names = {"edit",
                                              "sview",
                                              "list",
                                              "download",
                                              "downloadasset",
                                              "editplaylist",
                                              "sviewplaylist",
                                              "actionslimit",
                                              "setrole",
                                              "restrictingrole",
                                              "limitentry",
                                              "iprestrict",
                                              "urirestrict",
                                              "enableentitlement",
                                              "disableentitlement",
                                              "disableentitlementforentry",
                                              "disableentitlementforplaylist",
                                              "privacycontext",
                                              "enablecategorymoderation",
                                              "reftime",
                                              "sessionkey",
                                              "preview",
                                              "sessionid",
                                              "jobtype",
                                              "apptoken",
                                              "enablechangeaccount",
                                              "edituser",
                                              "enablecaptionmoderation",
                                              "editadmintags",
                                              "restrictexplicitliveview",
                                              "virtualeventid",
                                              "searchcontext",
                                              "disablesessiontypecheck"};
  return names.count(name) != 0;
}

/// I.8: the token's id twice, the token's privileges merged in, then each call privilege that is
/// neither server-reserved nor already defined (unless defined as `*`); the rest dropped silently.
std::string merge_privileges(const std::string& token_id, const std::string& token_privs,
                             const std::string& call_privs) {
  Privs p = {{"sessionid", {token_id}}, {"apptoken", {token_id}}};
  if (truthy(token_privs)) {
    for (auto& [name, values] : parse_privileges(token_privs)) {
      if (auto* existing = find_priv(p, name)) {
        existing->insert(existing->end(), values.begin(), values.end());
      } else {
        p.emplace_back(name, std::move(values));
      }
    }
  }
  if (truthy(call_privs)) {
    std::set<std::string> defined;
    for (const auto& [name, values] : p) defined.insert(php_trim(name));
    for (auto& [name, values] : parse_privileges(call_privs)) {
      const std::string key = php_trim(name);
      std::vector<std::string>* existing = find_priv(p, name);
      const bool wildcard =
          existing != nullptr && std::find(existing->begin(), existing->end(), "*") != existing->end();
      if ((!server_reserved(key) && defined.count(key) == 0) || wildcard) {
        if (existing != nullptr) {
          *existing = std::move(values);
        } else {
          p.emplace_back(name, std::move(values));
        }
      }
    }
  }
  std::string out;
  for (const auto& [name, values] : p) {
    if (!out.empty()) out += ',';
    out += name;
    for (std::size_t i = 0; i < values.size(); ++i) out += (i == 0 ? ":" : "/") + values[i];
  }
  return out;
}

/// I.7 step 4: the lifetime of the minted KS, or APP_TOKEN_EXPIRED.
std::int64_t session_lifetime(const Json& token, const Json* expiry_param, std::int64_t now) {
  // A null sessionDuration (only `update` with `sessionDuration__null` makes one) compares below
  // every lifetime in PHP's min(), so the KS is born expired: treated as 0.
  std::int64_t limit = json_intval(token.value("sessionDuration", Json(0)));
  if (const auto e = token.find("expiry"); e != token.end() && !e->is_null()) {
    limit = std::min(limit, json_intval(*e) - now);
    if (limit < 0) {
      throw token_error("APP_TOKEN_EXPIRED", "Application token id \"@ID@\" expired",
                        token.at("id").get<std::string>());
    }
  }
  const std::int64_t asked = expiry_param != nullptr ? json_intval(*expiry_param) : 0;
  return std::min(asked == 0 ? limit : asked, limit);
}

}  // namespace

void decode_apptoken_args(const std::string& action, const Json& params, std::int64_t now) {
  if (action == "add") {
    (void)decode_token(params, now);
  } else if (action == "get" || action == "delete") {
    (void)required_string(params, "id");
  } else if (action == "update") {
    (void)required_string(params, "id");
    (void)decode_token(params, now);
  } else if (action == "startsession") {
    (void)required_string(params, "id");
    (void)required_string(params, "tokenHash");
    (void)session_type_param(params, "type");
  }
}

// ---- the actions ----------------------------------------------------------------------------

namespace {

/// `AppTokenPeer::retrieveByPK`: the partner's token, not deleted (I.2); else APP_TOKEN_ID_NOT_FOUND.
AppTokenRecord& live_token(State& st, const std::string& id) {
  const auto it = st.app_tokens.find(id);
  if (it == st.app_tokens.end() || json_intval(it->second.props.value("status", Json(0))) == kDeleted) {
    throw not_found(id);
  }
  return it->second;
}

/// `setKuserIdBySessionUserId` (I.3): a known user passes; an unknown one is created when its id
/// matches PUSER_ID_REGEXP, else INVALID_FIELD_VALUE.
void check_session_user(State& st, const Json& props) {
  const auto it = props.find("sessionUserId");
  if (it == props.end() || it->is_null()) return;
  const std::string user = json_strval(*it);
  if (st.users.count(user) != 0) return;
  if (!valid_user_id(user)) {
    throw api_error("INVALID_FIELD_VALUE", "value in field [@FIELD_NAME@] is not valid",
                    {{"FIELD_NAME", "sessionUserId"}});
  }
  st.users.insert(user);
}

/// `<dcId>_<8 of [0-9a-z]>` not used by any token, deleted ones included (I.3).
std::string new_token_id(World& w) {
  static constexpr std::string_view alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (int attempt = 0; attempt < 10; ++attempt) {
    std::array<std::uint8_t, 8> bytes{};
    fill_random(w, bytes.data(), bytes.size());
    std::string id = "0_";
    for (const std::uint8_t b : bytes) id.push_back(alphabet[b % alphabet.size()]);
    if (w.state.app_tokens.count(id) == 0) return id;
  }
  throw api_error("INTERNAL_SERVERL_ERROR", "Internal server error occurred");
}

/// `bin2hex(openssl_random_pseudo_bytes(16))`: 32 lower-case hex characters (I.3).
std::string new_token_value(World& w) {
  std::array<std::uint8_t, 16> bytes{};
  fill_random(w, bytes.data(), bytes.size());
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4U]);
    out.push_back(digits[b & 0x0FU]);
  }
  return out;
}

}  // namespace

Json Call::apptoken_add() {
  Built b = decode_token(params, now);
  check_read_only_on_insert(b);
  Json props = b.props;
  if (!props.contains("sessionDuration")) {
    props["sessionDuration"] = kKsMaxExpiry;  // null -> the partner's ksMaxExpiryInSeconds
  }
  if (!props.contains("hashType")) {
    props["hashType"] = "SHA1";  // the getter's default
  }
  check_session_user(st, props);
  const std::string id = new_token_id(w);
  props["id"] = id;
  props["token"] = new_token_value(w);
  props["partnerId"] = w.cfg.partner_id;
  props["createdAt"] = now;
  props["updatedAt"] = now;
  props["status"] = kActive;
  st.app_tokens[id] = AppTokenRecord{props, st.next_app_token_seq++, 0};
  w.dirty = true;
  return serialize(kClass, props);
}

Json Call::apptoken_get() { return serialize(kClass, live_token(st, required_string(params, "id")).props); }

Json Call::apptoken_update() {
  AppTokenRecord& t = live_token(st, required_string(params, "id"));
  Built b = decode_token(params, now);
  check_not_updatable_on_update(b, t.props);
  Json props = t.props;
  for (const auto& n : b.nulls) {
    const Prop* pr = find_prop(kClass, n);
    if (pr != nullptr && !pr->read_only) props.erase(n);
  }
  for (auto it = b.props.begin(); it != b.props.end(); ++it) props[it.key()] = *it;
  if (!props.contains("hashType")) props["hashType"] = "SHA1";
  check_session_user(st, props);  // re-run even when sessionUserId was not sent (I.3)
  props["updatedAt"] = now;
  t.props = std::move(props);
  w.dirty = true;
  return serialize(kClass, t.props);
}

Json Call::apptoken_delete() {
  AppTokenRecord& t = live_token(st, required_string(params, "id"));
  t.props["status"] = kDeleted;
  t.props["updatedAt"] = now;
  t.deleted_at = now;
  // invalidateByKey(sha1(partnerId_tokenId)): every KS whose sessionid is this token's is LOGOUT.
  st.invalidated_session_ids.insert(t.props.at("id").get<std::string>());
  w.dirty = true;
  return nullptr;
}

Json Call::apptoken_list() {
  static const FieldTable table = {
      {"id", {VType::String, {Op::Eq, Op::In}}},        {"createdAt", {VType::Time, {Op::Gte, Op::Lte}}},
      {"updatedAt", {VType::Time, {Op::Gte, Op::Lte}}}, {"status", {VType::Int, {Op::Eq, Op::In}}},
      {"sessionUserId", {VType::String, {Op::Eq}}},
  };
  const Json* filter = find_param(params, "filter");
  const auto conds = parse_filter(filter, table, now);
  for (const auto& c : conds) {
    if (c.prop == "sessionUserId" && st.users.count(c.value.get<std::string>()) == 0) {
      // An unknown user: `objects` stays null and is not serialized (I.4).
      return Json{{"totalCount", 0}, {"objectType", "KalturaAppTokenListResponse"}};
    }
  }
  std::vector<const AppTokenRecord*> items;
  for (const auto& [id, t] : st.app_tokens) {
    if (json_intval(t.props.value("status", Json(0))) == kDeleted) continue;  // never listed
    const Getter get = [&t](const std::string& prop) -> std::optional<Json> {
      const auto it = t.props.find(prop);
      return it == t.props.end() ? std::nullopt : std::optional<Json>(*it);
    };
    if (std::all_of(conds.begin(), conds.end(), [&](const Condition& c) { return matches(c, get); })) {
      items.push_back(&t);
    }
  }
  std::sort(items.begin(), items.end(), [](const auto* a, const auto* b) { return a->seq < b->seq; });
  const std::string order_by = filter != nullptr ? str_param(*filter, "orderBy") : std::string();
  apply_order<const AppTokenRecord*>(
      items, order_by, {"createdAt", "updatedAt"},
      [](const AppTokenRecord* const& t, const std::string& f) { return t->props.value(f, Json()); });
  const Pager p = parse_pager(params);
  Json objects = Json::array();
  const auto total = static_cast<std::int64_t>(items.size());
  for (std::int64_t i = (p.index - 1) * p.size; i < total && i < p.index * p.size; ++i) {
    objects.push_back(serialize(kClass, items[static_cast<std::size_t>(i)]->props));
  }
  const auto count = static_cast<std::int64_t>(objects.size());
  // AppTokenService::listAction: a partial, non-empty page is estimated, otherwise counted.
  const std::int64_t total_count = count > 0 && count < p.size ? (p.index - 1) * p.size + count : total;
  return list_response("KalturaAppTokenListResponse", std::move(objects), total_count);
}

Json Call::apptoken_start_session() {
  const std::string id = required_string(params, "id");
  const std::string hash = required_string(params, "tokenHash");
  const std::optional<std::int64_t> type_param = session_type_param(params, "type");
  const Json& token = live_token(st, id).props;
  if (json_intval(token.value("status", Json(0))) != kActive) {
    throw token_error("APP_TOKEN_NOT_ACTIVE", "Application token id \"@ID@\" not active", id);
  }
  // I.6: hash(hashType, the call's own `ks` string . token), lower-case hex, compared strictly.
  const auto expected =
      hash_hex(token.value("hashType", std::string("SHA1")), ks_str + token.at("token").get<std::string>());
  if (!expected || *expected != hash) {
    throw api_error("INVALID_APP_TOKEN_HASH", "Invalid application token hash");
  }
  const std::int64_t lifetime = session_lifetime(token, find_param(params, "expiry"), now);
  ServerKs ks;
  ks.partner_id = w.cfg.partner_id;
  ks.valid_until = now + lifetime;
  const auto fixed_type = token.find("sessionType");
  ks.type = static_cast<int>(fixed_type != token.end() ? json_intval(*fixed_type) : type_param.value_or(0));
  if (const auto u = token.find("sessionUserId"); u != token.end()) {
    ks.user = json_strval(*u);
  } else if (const Json* caller = find_param(params, "userId")) {
    ks.user = json_strval(*caller);
  }
  ks.privileges = merge_privileges(id, token.value("sessionPrivileges", std::string()),
                                   str_param(params, "sessionPrivileges"));
  Json j = Json::object();
  j["ks"] = issue_server_ks(w, ks, now);
  j["sessionType"] = ks.type;
  // The KS's partner is a PHP string unless the request named a partnerId (I.7, L.2).
  const bool named = find_param(params, "partnerId") != nullptr;
  j["partnerId"] = named ? Json(w.cfg.partner_id) : Json(std::to_string(w.cfg.partner_id));
  if (ks.user) j["userId"] = *ks.user;
  j["expiry"] = ks.valid_until;
  j["privileges"] = ks.privileges;
  j["objectType"] = "KalturaSessionInfo";
  return j;
}

}  // namespace kmeet::emulator
