#include "service.hpp"

namespace kmeet::emulator {

// ---- errors -------------------------------------------------------------------------------

ApiError invalid_object_id(const std::string& id) {
  return api_error("INVALID_OBJECT_ID", "Invalid object id [@ID@]", {{"ID", id}});
}
ApiError missing_parameter(const std::string& name) {
  return api_error("MISSING_MANDATORY_PARAMETER", "Missing parameter \"@PARAM_NAME@\"",
                   {{"PARAM_NAME", name}});
}
ApiError cannot_be_null(const std::string& cls, const std::string& prop) {
  return api_error("PROPERTY_VALIDATION_CANNOT_BE_NULL",
                   "The property \"@PROP_NAME@\" cannot be null", {{"PROP_NAME", prop_label(cls, prop)}});
}
ApiError not_updatable(const std::string& cls, const std::string& prop) {
  return api_error("PROPERTY_VALIDATION_NOT_UPDATABLE", "The property \"@PROP_NAME@\" cannot be updated",
                   {{"PROP_NAME", prop_label(cls, prop)}});
}
ApiError service_forbidden(const std::string& service, const std::string& action) {
  return api_error("SERVICE_FORBIDDEN", "The access to service [@SERVICE@] is forbidden",
                   {{"SERVICE", service + "->" + action}});
}
ApiError missing_ks() { return api_error("MISSING_KS", "Missing KS, session not established"); }
ApiError start_session_error(const std::string& pid) {
  return api_error("START_SESSION_ERROR", "Error while starting session for partner [@PID@]",
                   {{"PID", pid}});
}
ApiError invalid_ks(const KsCheck& c) {
  return api_error("INVALID_KS", "Invalid KS \"@KSID@\", Error \"@ERR_CODE@,@ERR_DESC@\"",
                   {{"KSID", c.ksid}, {"ERR_CODE", "-1"}, {"ERR_DESC", "INVALID_STR"}});
}

// Server-side KS v2 generation sets `_m` (master partner id) and `_d` (additional data) after the
// privileges, to null, and http_build_query drops nulls: a `_m`/`_d` privilege never survives (F.3,
// F.6). The items are split as generateKsV2 splits them: on ',', trimmed, key before the first ':'.
// (KS v1 keeps the privilege text verbatim; `_m:` inside it is not the positional master partner id.)
std::string without_master_fields(const std::string& privileges) {
  std::string out;
  bool first = true;
  for (const auto& part : split(privileges, ',')) {
    const std::string item = trim(part);
    const std::string key = item.substr(0, item.find(':'));
    if (key == "_m" || key == "_d") {
      continue;
    }
    if (!first) {
      out += ',';
    }
    first = false;
    out += part;
  }
  return out;
}

void check_length(const std::string& cls, const std::string& prop, const std::string& value) {
  if (value.empty()) {
    throw api_error("PROPERTY_VALIDATION_MIN_LENGTH",
                    "The property \"@PROP_NAME@\" must have a min length of @MIN_LEN@ characters",
                    {{"PROP_NAME", prop_label(cls, prop)}, {"MIN_LEN", "1"}});
  }
  if (value.size() > kMaxLength) {
    throw api_error("PROPERTY_VALIDATION_MAX_LENGTH",
                    "The property \"@PROP_NAME@\" must have a max length of @MAX_LEN@ characters",
                    {{"PROP_NAME", prop_label(cls, prop)}, {"MAX_LEN", std::to_string(kMaxLength)}});
  }
}

void check_range(const std::string& cls, const std::string& prop, std::int64_t v, std::int64_t min,
                 std::optional<std::int64_t> max) {
  if (v < min) {
    throw api_error("PROPERTY_VALIDATION_MIN_VALUE",
                    "The property \"@PROP_NAME@\" must have a min value of @MIN_VALUE@",
                    {{"PROP_NAME", prop_label(cls, prop)}, {"MIN_VALUE", std::to_string(min)}});
  }
  if (max && v > *max) {
    throw api_error("PROPERTY_VALIDATION_MAX_VALUE",
                    "The property \"@PROP_NAME@\" must have a max value of @MAX_VALUE@",
                    {{"PROP_NAME", prop_label(cls, prop)}, {"MAX_VALUE", std::to_string(*max)}});
  }
}

/// validateForInsert: any read-only property that was sent is refused.
void check_read_only_on_insert(const Built& b) {
  for (const Prop* pr : props_of(b.cls)) {
    if (pr->read_only && b.props.contains(pr->name)) {
      throw not_updatable(b.cls, pr->name);
    }
  }
}

/// validateForUpdate: read-only and insert-only properties only fail when they differ.
void check_not_updatable_on_update(const Built& b, const Json& stored) {
  for (const Prop* pr : props_of(b.cls)) {
    if ((pr->read_only || pr->insert_only) && b.props.contains(pr->name)) {
      const auto it = stored.find(pr->name);
      if (it == stored.end() || *it != b.props[pr->name]) {
        throw not_updatable(b.cls, pr->name);
      }
    }
  }
}

// ---- parameters ---------------------------------------------------------------------------

const Json* find_param(const Json& params, const std::string& name) {
  const auto it = params.find(name);
  if (it == params.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

std::string str_param(const Json& params, const std::string& name, const std::string& def) {
  const Json* v = find_param(params, name);
  return v == nullptr ? def : json_strval(*v);
}

std::int64_t int_param(const Json& params, const std::string& name) {
  const Json* v = find_param(params, name);
  if (v == nullptr) {
    throw missing_parameter(name);
  }
  return json_intval(*v);
}

const Json& object_param(const Json& params, const std::string& name) {
  const Json* v = find_param(params, name);
  if (v == nullptr || !v->is_object()) {
    throw missing_parameter(name);
  }
  return *v;
}

std::optional<std::int64_t> session_type_param(const Json& params, const std::string& name) {
  const Json* t = find_param(params, name);
  if (t == nullptr) {
    return std::nullopt;
  }
  const std::string raw = t->is_string() ? t->get<std::string>() : json_strval(*t);
  const std::string lower = to_lower(raw);
  const std::int64_t v = lower == "true" ? 1 : lower == "false" ? 0 : php_intval(raw);
  const bool numeric = lower == "true" || lower == "false" || is_integer_string(trim(raw)) ||
                       t->is_number_integer() || t->is_boolean();
  if (!numeric || (v != 0 && v != 2)) {
    throw api_error("INVALID_ENUM_VALUE",
                    "Invalid enumeration value \"@ENUM_VAL@\" for parameter \"@PARAM_NAME@\", "
                    "expecting enumeration type \"@ENUM_TYPE@\"",
                    {{"ENUM_VAL", raw}, {"PARAM_NAME", name}, {"ENUM_TYPE", "KalturaSessionType"}});
  }
  return v;
}

// ---- filters ------------------------------------------------------------------------------





const std::vector<std::pair<std::string, Op>>& suffixes() {
  static const std::vector<std::pair<std::string, Op>> s = {
      {"MultiLikeOr", Op::MLikeOr}, {"MultiLikeAnd", Op::MLikeAnd},
      {"GreaterThanOrEqual", Op::Gte}, {"LessThanOrEqual", Op::Lte},
      {"NotIn", Op::NotIn}, {"Equal", Op::Eq}, {"Like", Op::Like}, {"In", Op::In}};
  return s;
}

std::vector<Condition> parse_filter(const Json* filter, const FieldTable& table, std::int64_t now) {
  std::vector<Condition> out;
  if (filter == nullptr || !filter->is_object()) {
    return out;
  }
  for (auto it = filter->begin(); it != filter->end(); ++it) {
    const std::string& key = it.key();
    if (it->is_null() || it->is_object() || it->is_array()) {
      continue;
    }
    for (const auto& [suffix, op] : suffixes()) {
      if (key.size() <= suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      const std::string prop = key.substr(0, key.size() - suffix.size());
      const auto f = table.find(prop);
      if (f == table.end() || f->second.ops.count(op) == 0) {
        break;
      }
      const std::string raw = json_strval(*it);
      if (raw.empty() && it->is_string()) {
        break;  // an empty filter value is not applied
      }
      Condition c{prop, op, f->second.type, Json()};
      if (op == Op::In || op == Op::NotIn || op == Op::MLikeOr || op == Op::MLikeAnd) {
        c.value = Json::array();
        for (const auto& part : split(raw, ',')) {
          const std::string t = trim(part);
          if (t.empty()) {
            continue;
          }
          if (c.type == VType::String || op == Op::MLikeOr || op == Op::MLikeAnd) {
            c.value.push_back(t);
          } else {
            c.value.push_back(php_intval(t));
          }
        }
      } else if (op == Op::Like || c.type == VType::String) {
        c.value = raw;
      } else if (c.type == VType::Time) {
        c.value = relative_time(json_intval(*it), now);
      } else {
        c.value = json_intval(*it);
      }
      out.push_back(std::move(c));
      break;
    }
  }
  return out;
}

bool matches(const Condition& c, const Getter& get) {
  const std::optional<Json> v = get(c.prop);
  if (!v || v->is_null()) {
    return c.op == Op::NotIn;
  }
  const auto as_int = [&] { return json_intval(*v); };
  const auto as_str = [&] { return json_strval(*v); };
  switch (c.op) {
    case Op::Eq:
      return c.type == VType::String ? as_str() == c.value.get<std::string>()
                                     : as_int() == c.value.get<std::int64_t>();
    case Op::In:
    case Op::NotIn: {
      // The object's value once, then a plain scan that stops at the first match.
      bool found = false;
      if (c.type == VType::String) {
        const std::string value = as_str();
        for (const auto& e : c.value) {
          if (e.is_string() && e.get_ref<const std::string&>() == value) {
            found = true;
            break;
          }
        }
      } else {
        const std::int64_t value = as_int();
        for (const auto& e : c.value) {
          if (e.get<std::int64_t>() == value) {
            found = true;
            break;
          }
        }
      }
      return c.op == Op::In ? found : !found;
    }
    case Op::Gte:
      return as_int() >= c.value.get<std::int64_t>();
    case Op::Lte:
      return as_int() <= c.value.get<std::int64_t>();
    case Op::Like:
      return icontains(as_str(), c.value.get<std::string>());
    case Op::MLikeOr: {
      for (const auto& e : c.value) {
        if (icontains(as_str(), e.get<std::string>())) {
          return true;
        }
      }
      return c.value.empty();
    }
    case Op::MLikeAnd: {
      for (const auto& e : c.value) {
        if (!icontains(as_str(), e.get<std::string>())) {
          return false;
        }
      }
      return true;
    }
  }
  return false;
}


Pager parse_pager(const Json& params) {
  Pager p;
  const Json* pj = find_param(params, "pager");
  if (pj != nullptr && pj->is_object()) {
    if (const Json* s = find_param(*pj, "pageSize")) {
      p.size = json_intval(*s);
    }
    if (const Json* i = find_param(*pj, "pageIndex")) {
      p.index = json_intval(*i);
    }
  }
  if (p.size <= 0) {
    p.size = kDefaultPageSize;
  }
  p.size = std::min(p.size, kMaxPageSize);
  p.index = std::max<std::int64_t>(p.index, 1);
  return p;
}


Json list_response(const char* type, Json objects, std::int64_t total) {
  Json r = Json::object();
  r["objects"] = std::move(objects);
  r["totalCount"] = total;
  r["objectType"] = type;
  return r;
}

/// totalCount as resources and event-resources report it: estimated from a partial page.
std::int64_t estimated_total(const Pager& p, std::int64_t page_count, std::int64_t total) {
  if (page_count < p.size) {
    return (p.index - 1) * p.size + page_count;
  }
  return total;
}

}  // namespace kmeet::emulator
