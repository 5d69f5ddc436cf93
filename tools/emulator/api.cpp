#include "api.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "model.hpp"

namespace kmeet::emulator {

namespace {

constexpr std::int64_t kMaxScheduleEventDuration = 2 * 365 * 86400;  // 2 years (E.1)
constexpr std::int64_t kMeetingMaxSingleDuration = 3 * 86400;
constexpr std::int64_t kMaxPageSize = 500;
constexpr std::int64_t kDefaultPageSize = 30;
constexpr std::size_t kMaxLength = 256;

using Args = std::vector<std::pair<std::string, std::string>>;

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

std::string str_param(const Json& params, const std::string& name, const std::string& def = {}) {
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

// ---- filters ------------------------------------------------------------------------------

enum class Op { Eq, In, NotIn, Gte, Lte, Like, MLikeOr, MLikeAnd };
enum class VType { Int, String, Time };

struct FilterField {
  VType type;
  std::set<Op> ops;
};

using FieldTable = std::map<std::string, FilterField>;
using Getter = std::function<std::optional<Json>(const std::string& prop)>;

struct Condition {
  std::string prop;
  Op op;
  VType type;
  Json value;  // int, string, or array of them
};

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
      bool found = false;
      for (const auto& e : c.value) {
        found = found || (c.type == VType::String ? as_str() == e.get<std::string>()
                                                  : as_int() == e.get<std::int64_t>());
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

struct Pager {
  std::int64_t size = kDefaultPageSize;
  std::int64_t index = 1;
};

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

/// Sorts by a comma list of `+field`/`-field` among `sortable`; unknown fields are ignored.
template <class T>
void apply_order(std::vector<T>& items, const std::string& order_by, const std::set<std::string>& sortable,
                 const std::function<Json(const T&, const std::string&)>& get) {
  std::vector<std::pair<std::string, bool>> keys;
  for (const auto& part : split(order_by, ',')) {
    const std::string t = trim(part);
    if (t.size() < 2 || (t[0] != '+' && t[0] != '-')) {
      continue;
    }
    const std::string f = t.substr(1);
    if (sortable.count(f) != 0) {
      keys.emplace_back(f, t[0] == '+');
    }
  }
  if (keys.empty()) {
    return;
  }
  std::stable_sort(items.begin(), items.end(), [&](const T& a, const T& b) {
    for (const auto& [f, asc] : keys) {
      const Json va = get(a, f);
      const Json vb = get(b, f);
      if (va == vb) {
        continue;
      }
      if (va.is_null()) {
        return asc;
      }
      if (vb.is_null()) {
        return !asc;
      }
      return asc ? va < vb : vb < va;
    }
    return false;
  });
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

// ---- the service implementation ----------------------------------------------------------

struct Call {
  World& w;
  State& st;
  const Json& params;
  std::int64_t now;
  std::string service;
  std::string action;
  std::optional<KsCheck> ks;  // set when a valid KS came with the call
  std::string ks_str;

  [[nodiscard]] std::string ks_user() const { return ks ? ks->info.user_id : std::string(); }

  // -- resources
  StoredObject& active_resource(std::int64_t id) {
    const auto it = st.resources.find(id);
    if (it == st.resources.end() || json_intval(it->second.props.value("status", Json(0))) == 3) {
      throw invalid_object_id(std::to_string(id));
    }
    return it->second;
  }
  bool resource_exists(std::int64_t id) const {
    const auto it = st.resources.find(id);
    return it != st.resources.end() && json_intval(it->second.props.value("status", Json(0))) != 3;
  }
  void check_system_name(const std::string& cls, const std::string& name, std::int64_t self) {
    // Every add of a named room runs this (kmeet import names all its rooms): rooms are found through
    // the name index instead of a scan of all rooms. New rooms are indexed here, lazily.
    auto& index = st.system_names;
    for (auto it = st.resources.upper_bound(st.system_names_indexed_upto); it != st.resources.end(); ++it) {
      const auto sn = it->second.props.find("systemName");
      if (sn != it->second.props.end() && sn->is_string()) index[sn->get_ref<const std::string&>()].push_back(it->first);
      st.system_names_indexed_upto = it->first;
    }
    if (const auto hit = index.find(name); hit != index.end()) {
      for (const std::int64_t id : hit->second) {
        const auto found = st.resources.find(id);
        if (found == st.resources.end()) continue;
        const StoredObject& o = found->second;
        const auto it = o.props.find("systemName");  // the entry may be stale: check the room itself
        if (it == o.props.end() || !it->is_string() || it->get_ref<const std::string&>() != name) continue;
        if (id == self || o.cls != cls) continue;
        if (const auto status = o.props.find("status"); status != o.props.end() && json_intval(*status) == 3) {
          continue;
        }
        throw api_error("SYSTEM_NAME_ALREADY_EXISTS", "System name [@SYS_NAME@] already exists",
                        {{"SYS_NAME", name}});
      }
    }
    // An update is about to give `self` this name (rooms already indexed are not scanned again).
    if (self != 0) {
      auto& ids = index[name];
      if (std::find(ids.begin(), ids.end(), self) == ids.end()) ids.push_back(self);
    }
  }
  void check_parent(const Json& props) {
    const auto it = props.find("parentId");
    if (it != props.end() && json_intval(*it) != 0 && !resource_exists(json_intval(*it))) {
      throw api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND", "Schedule resource id [@ID@] not found",
                      {{"ID", std::to_string(json_intval(*it))}});
    }
  }

  Json resource_add() {
    Built b = build_object(object_param(params, "scheduleResource"), "KalturaScheduleResource", now);
    if (!b.props.contains("name")) {
      throw cannot_be_null(b.cls, "name");
    }
    check_length(b.cls, "name", b.props["name"].get<std::string>());
    if (b.props.contains("systemName")) {
      check_length(b.cls, "systemName", b.props["systemName"].get<std::string>());
    }
    check_read_only_on_insert(b);
    check_parent(b.props);
    if (b.props.contains("systemName")) {
      check_system_name(b.cls, b.props["systemName"].get<std::string>(), 0);
    }
    const std::int64_t id = st.next_resource_id++;
    Json props = b.props;
    props["id"] = id;
    props["partnerId"] = w.cfg.partner_id;
    props["status"] = 2;
    props["createdAt"] = now;
    props["updatedAt"] = now;
    st.resources[id] = StoredObject{b.cls, props};
    w.dirty = true;
    return serialize(b.cls, props);
  }

  Json resource_get() {
    const StoredObject& o = active_resource(int_param(params, "scheduleResourceId"));
    return serialize(o.cls, o.props);
  }

  Json resource_update() {
    StoredObject& o = active_resource(int_param(params, "scheduleResourceId"));
    Built b = build_object(object_param(params, "scheduleResource"), "KalturaScheduleResource", now);
    b.cls = o.cls;  // the stored type stays
    check_not_updatable_on_update(b, o.props);
    if (b.nulls.count("name") != 0) {
      throw cannot_be_null(o.cls, "name");
    }
    for (const char* f : {"name", "systemName"}) {
      if (b.props.contains(f)) {
        check_length(o.cls, f, b.props[f].get<std::string>());
      }
    }
    check_parent(b.props);
    if (b.props.contains("systemName")) {
      check_system_name(o.cls, b.props["systemName"].get<std::string>(), json_intval(o.props["id"]));
    }
    for (const auto& n : b.nulls) {
      const Prop* pr = find_prop(o.cls, n);
      if (pr != nullptr && !pr->read_only && !pr->insert_only) {
        o.props.erase(n);
      }
    }
    for (auto it = b.props.begin(); it != b.props.end(); ++it) {
      o.props[it.key()] = *it;
    }
    o.props["updatedAt"] = now;
    w.dirty = true;
    return serialize(o.cls, o.props);
  }

  Json resource_delete() {
    StoredObject& o = active_resource(int_param(params, "scheduleResourceId"));
    o.props["status"] = 3;
    o.props["updatedAt"] = now;
    w.dirty = true;
    return serialize(o.cls, o.props);
  }

  Json resource_list() {
    const Json* filter = find_param(params, "filter");
    std::string filter_cls = "KalturaScheduleResourceFilter";
    if (filter != nullptr && filter->is_object()) {
      filter_cls = build_object(*filter, "KalturaScheduleResourceFilter", now).cls;
    }
    std::string only_cls;
    if (filter_cls == "KalturaLocationScheduleResourceFilter") {
      only_cls = "KalturaLocationScheduleResource";
    } else if (filter_cls == "KalturaCameraScheduleResourceFilter") {
      only_cls = "KalturaCameraScheduleResource";
    } else if (filter_cls == "KalturaLiveEntryScheduleResourceFilter") {
      only_cls = "KalturaLiveEntryScheduleResource";
    }
    static const FieldTable table = {
        {"id", {VType::Int, {Op::Eq, Op::In, Op::NotIn}}},
        {"parentId", {VType::Int, {Op::Eq, Op::In}}},
        {"name", {VType::String, {Op::Eq}}},
        {"systemName", {VType::String, {Op::Eq, Op::In}}},
        {"status", {VType::Int, {Op::Eq, Op::In}}},
        {"tags", {VType::String, {Op::Like, Op::MLikeOr, Op::MLikeAnd}}},
        {"createdAt", {VType::Time, {Op::Gte, Op::Lte}}},
        {"updatedAt", {VType::Time, {Op::Gte, Op::Lte}}},
    };
    const auto conds = parse_filter(filter, table, now);
    const bool status_filtered = std::any_of(conds.begin(), conds.end(),
                                             [](const Condition& c) { return c.prop == "status"; });
    std::vector<const StoredObject*> items;
    for (const auto& [id, o] : st.resources) {
      if (!only_cls.empty() && o.cls != only_cls) {
        continue;
      }
      const std::int64_t status = json_intval(o.props.value("status", Json(0)));
      if (!status_filtered && status != 1 && status != 2) {
        continue;
      }
      const Getter get = [&o](const std::string& prop) -> std::optional<Json> {
        const auto it = o.props.find(prop);
        return it == o.props.end() ? std::nullopt : std::optional<Json>(*it);
      };
      if (std::all_of(conds.begin(), conds.end(), [&](const Condition& c) { return matches(c, get); })) {
        items.push_back(&o);
      }
    }
    const std::string order_by = filter != nullptr ? str_param(*filter, "orderBy") : std::string();
    apply_order<const StoredObject*>(items, order_by, {"createdAt", "updatedAt"},
                                     [](const StoredObject* const& o, const std::string& f) {
                                       return o->props.value(f, Json());
                                     });
    const Pager p = parse_pager(params);
    Json objects = Json::array();
    const auto total = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = (p.index - 1) * p.size; i < total && i < p.index * p.size; ++i) {
      objects.push_back(serialize(items[i]->cls, items[i]->props));
    }
    const auto count = static_cast<std::int64_t>(objects.size());
    return list_response("KalturaScheduleResourceListResponse", std::move(objects),
                         estimated_total(p, count, total));
  }

  // -- events
  StoredObject& active_event(std::int64_t id) {
    const auto it = st.events.find(id);
    if (it == st.events.end() || json_intval(it->second.props.value("status", Json(0))) == 3) {
      throw invalid_object_id(std::to_string(id));
    }
    return it->second;
  }
  bool event_exists(std::int64_t id) const {
    const auto it = st.events.find(id);
    return it != st.events.end() && json_intval(it->second.props.value("status", Json(0))) != 3;
  }

  /// KalturaScheduleEvent::validateDates + the duration limits, on the merged properties.
  void validate_event(const std::string& cls, Json& props, std::int64_t self_id) {
    const std::int64_t recurrence_type = json_intval(props.value("recurrenceType", Json(0)));
    if (props.contains("priority")) {
      check_range(cls, "priority", json_intval(props["priority"]), 0, 9);
    }
    if (props.contains("duration")) {
      check_range(cls, "duration", json_intval(props["duration"]), 0, std::nullopt);
    }
    if (props.contains("sequence")) {
      check_range(cls, "sequence", json_intval(props["sequence"]), 0, std::nullopt);
    }
    const bool has_start = props.contains("startDate");
    const bool has_linked = props.contains("linkedTo");
    if (has_start && has_linked) {
      throw api_error("START_TIME_AND_LINKED_TO_CONFLICT",
                      "Only one of startDate and linkedTo can be set");
    }
    if (!has_start && !has_linked) {
      throw api_error("START_TIME_AND_LINKED_TO_NOT_SET", "Either startDate or linkedTo must be set");
    }
    if (has_linked) {
      if (!props.contains("duration")) {
        throw cannot_be_null(cls, "duration");
      }
      const Json lt = props["linkedTo"]["props"];  // a copy: props grows below
      const std::int64_t linked_id = json_intval(lt.value("eventId", Json(0)));
      if (linked_id == self_id || !event_exists(linked_id)) {
        throw api_error("SCHEDULE_EVENT_ID_NOT_FOUND", "Schedule event id [@ID@] not found",
                        {{"ID", std::to_string(linked_id)}});
      }
      const Json& other = st.events[linked_id].props;
      const std::int64_t start =
          json_intval(other.value("endDate", Json(0))) + json_intval(lt.value("offset", Json(0)));
      props["startDate"] = start;
      props["endDate"] = start + json_intval(props["duration"]);
    }
    if (!props.contains("endDate")) {
      throw cannot_be_null(cls, "endDate");
    }
    const std::int64_t start = json_intval(props["startDate"]);
    const std::int64_t end = json_intval(props["endDate"]);
    if (end < start) {
      throw api_error("INVALID_SCHEDULE_END_BEFORE_START",
                      "End time [@END@] must be after start time [@START@]",
                      {{"START", std::to_string(start)}, {"END", std::to_string(end)}});
    }
    if (end - start > kMaxScheduleEventDuration) {
      throw api_error("MAX_SCHEDULE_DURATION_REACHED", "Maximum schedule duration [@MAX@] reached",
                      {{"MAX", std::to_string(kMaxScheduleEventDuration)}});
    }
    if (recurrence_type == 0) {
      const std::int64_t max_single =
          cls == "KalturaMeetingScheduleEvent" ? kMeetingMaxSingleDuration : w.cfg.max_single_event_duration;
      if (end - start > max_single) {
        throw api_error("MAX_SCHEDULE_DURATION_REACHED", "Maximum schedule duration [@MAX@] reached",
                        {{"MAX", std::to_string(max_single)}});
      }
    }
    if (recurrence_type == 1) {
      if (!props.contains("recurrence")) {
        throw cannot_be_null(cls, "recurrence");
      }
      const Json& rec = props["recurrence"]["props"];
      if (rec.contains("until") && json_intval(rec["until"]) < end) {
        throw api_error("PROPERTY_VALIDATION_NOT_VALID", "The property \"@PROP_NAME@\" is not valid",
                        {{"PROP_NAME", "Recurrence::until"}});
      }
    }
    if (recurrence_type != 1) {
      props["duration"] = end - start;  // recomputed on save for non-RECURRING events
    }
    // Entry events of one template entry must not overlap (SCHEDULE_TIME_IN_USE).
    const auto tmpl = props.find("templateEntryId");
    if (recurrence_type == 0 && tmpl != props.end() && tmpl->is_string() && !tmpl->get<std::string>().empty()) {
      for (const auto& [id, o] : st.events) {
        if (id == self_id || json_intval(o.props.value("status", Json(0))) == 3) {
          continue;
        }
        if (o.props.value("templateEntryId", Json("")) != *tmpl) {
          continue;
        }
        const std::int64_t os = json_intval(o.props.value("startDate", Json(0)));
        const std::int64_t oe = json_intval(o.props.value("endDate", Json(0)));
        if (os < end && start < oe) {
          throw api_error("SCHEDULE_TIME_IN_USE", "Another event is already scheduled during this time");
        }
      }
    }
  }

  Json event_add() {
    Built b = build_object(object_param(params, "scheduleEvent"), "KalturaScheduleEvent", now);
    if (!b.props.contains("summary")) {
      throw cannot_be_null(b.cls, "summary");
    }
    check_length(b.cls, "summary", b.props["summary"].get<std::string>());
    if (!b.props.contains("recurrenceType")) {
      throw cannot_be_null(b.cls, "recurrenceType");
    }
    if (json_intval(b.props["recurrenceType"]) == 2) {
      throw api_error("INVALID_ENUM_VALUE",
                      "Invalid enumeration value \"@ENUM_VAL@\" for parameter \"@PARAM_NAME@\", "
                      "expecting enumeration type \"@ENUM_TYPE@\"",
                      {{"ENUM_VAL", "2"}, {"PARAM_NAME", "recurrenceType"},
                       {"ENUM_TYPE", "KalturaScheduleEventRecurrenceType"}});
    }
    check_read_only_on_insert(b);
    Json props = b.props;
    validate_event(b.cls, props, 0);
    const std::int64_t id = st.next_event_id++;
    props["id"] = id;
    props["partnerId"] = w.cfg.partner_id;
    props["status"] = 2;
    if (!props.contains("classificationType")) {
      props["classificationType"] = 1;
    }
    props["ownerId"] = ks_user();  // ScheduleEvent::preInsert: the KS user owns the event
    props["sequence"] = json_intval(props.value("sequence", Json(0))) + 1;
    props["createdAt"] = now;
    props["updatedAt"] = now;
    if (!ks_user().empty()) {
      st.users.insert(ks_user());
    }
    st.events[id] = StoredObject{b.cls, props};
    w.dirty = true;
    Json out = Json::object();
    if (is_subclass(b.cls, "KalturaEntryScheduleEvent")) {
      out["blackoutConflicts"] = Json::array();
    }
    const Json serialized = serialize(b.cls, props);
    for (auto it = serialized.begin(); it != serialized.end(); ++it) {
      out[it.key()] = *it;
    }
    return out;
  }

  Json event_get() {
    const StoredObject& o = active_event(int_param(params, "scheduleEventId"));
    return serialize(o.cls, o.props);
  }

  Json event_update() {
    StoredObject& o = active_event(int_param(params, "scheduleEventId"));
    Built b = build_object(object_param(params, "scheduleEvent"), "KalturaScheduleEvent", now);
    b.cls = o.cls;
    check_not_updatable_on_update(b, o.props);
    for (const char* f : {"summary", "endDate", "startDate", "recurrenceType"}) {
      if (b.nulls.count(f) != 0) {
        throw cannot_be_null(o.cls, f);
      }
    }
    if (b.props.contains("summary")) {
      check_length(o.cls, "summary", b.props["summary"].get<std::string>());
    }
    if (b.props.contains("recurrenceType") &&
        json_intval(b.props["recurrenceType"]) != json_intval(o.props.value("recurrenceType", Json(0)))) {
      throw api_error("SCHEDULE_EVENT_TYPE_CANT_BE_UPDATED",
                      "Schedule event type cannot be updated from [@SOURCE_TYPE@] to [@TARGET_TYPE@]",
                      {{"SOURCE_TYPE", json_strval(o.props.value("recurrenceType", Json(0)))},
                       {"TARGET_TYPE", json_strval(b.props["recurrenceType"])}});
    }
    Json merged = o.props;
    for (const auto& n : b.nulls) {
      const Prop* pr = find_prop(o.cls, n);
      if (pr != nullptr && !pr->read_only && !pr->insert_only) {
        merged.erase(n);
      }
    }
    if (b.props.contains("startDate") || b.props.contains("linkedTo")) {
      merged.erase("linkedTo");
    }
    for (auto it = b.props.begin(); it != b.props.end(); ++it) {
      merged[it.key()] = *it;
    }
    if (b.props.contains("linkedTo")) {
      merged.erase("startDate");
    }
    validate_event(o.cls, merged, json_intval(o.props["id"]));
    merged["updatedAt"] = now;
    o.props = std::move(merged);
    w.dirty = true;
    return serialize(o.cls, o.props);
  }

  Json event_set_status(int status) {
    StoredObject& o = active_event(int_param(params, "scheduleEventId"));
    o.props["status"] = status;
    o.props["updatedAt"] = now;
    w.dirty = true;
    return serialize(o.cls, o.props);
  }

  std::vector<std::int64_t> linked_resources(std::int64_t event_id) const {
    std::vector<const Link*> ls;
    for (const auto& [k, l] : st.links) {
      if (l.event_id == event_id) {
        ls.push_back(&l);
      }
    }
    std::sort(ls.begin(), ls.end(), [](const Link* a, const Link* b) { return a->seq < b->seq; });
    std::vector<std::int64_t> out;
    for (const Link* l : ls) {
      out.push_back(l->resource_id);
    }
    return out;
  }

  Json event_list() {
    const Json* filter = find_param(params, "filter");
    std::string filter_cls = "KalturaScheduleEventFilter";
    if (filter != nullptr && filter->is_object()) {
      filter_cls = build_object(*filter, "KalturaScheduleEventFilter", now).cls;
    }
    // KalturaEntryScheduleEventFilter (like the base filter) sets no class: every event is listed.
    std::string only_cls;
    if (filter_cls == "KalturaRecordScheduleEventFilter") {
      only_cls = "KalturaRecordScheduleEvent";
    } else if (filter_cls == "KalturaMeetingScheduleEventFilter") {
      only_cls = "KalturaMeetingScheduleEvent";
    } else if (filter_cls == "KalturaLiveStreamScheduleEventFilter") {
      only_cls = "KalturaLiveStreamScheduleEvent";
    } else if (filter_cls == "KalturaBlackoutScheduleEventFilter") {
      only_cls = "KalturaBlackoutScheduleEvent";
    }
    const std::set<Op> likes = {Op::Like, Op::MLikeOr, Op::MLikeAnd};
    static const FieldTable base = [&] {
      FieldTable t = {
          {"id", {VType::Int, {Op::Eq, Op::In, Op::NotIn}}},
          {"parentId", {VType::Int, {Op::Eq, Op::In, Op::NotIn}}},
          {"status", {VType::Int, {Op::Eq, Op::In}}},
          {"startDate", {VType::Time, {Op::Gte, Op::Lte}}},
          {"endDate", {VType::Time, {Op::Gte, Op::Lte}}},
          {"referenceId", {VType::String, {Op::Eq, Op::In}}},
          {"ownerId", {VType::String, {Op::Eq, Op::In}}},
          {"priority", {VType::Int, {Op::Eq, Op::In, Op::Gte, Op::Lte}}},
          {"recurrenceType", {VType::Int, {Op::Eq, Op::In}}},
          {"createdAt", {VType::Time, {Op::Gte, Op::Lte}}},
          {"updatedAt", {VType::Time, {Op::Gte, Op::Lte}}},
          {"resourceId", {VType::String, {Op::Eq}}},
      };
      for (const char* f : {"tags", "resourceIds", "parentResourceIds", "templateEntryCategoriesIds",
                            "resourceSystemNames"}) {
        t[f] = {VType::String, {Op::Like, Op::MLikeOr, Op::MLikeAnd}};
      }
      return t;
    }();
    FieldTable table = base;
    if (is_subclass(filter_cls, "KalturaEntryScheduleEventFilter")) {
      table["templateEntryId"] = {VType::String, {Op::Eq}};
      for (const char* f : {"entryIds", "categoryIds", "parentCategoryIds"}) {
        table[f] = {VType::String, likes};
      }
    }
    const auto conds = parse_filter(filter, table, now);
    for (const auto& c : conds) {
      if (c.prop == "ownerId") {
        const std::vector<std::string> ids =
            c.op == Op::Eq ? std::vector<std::string>{c.value.get<std::string>()}
                           : c.value.get<std::vector<std::string>>();
        for (const auto& u : ids) {
          if (st.users.count(u) == 0) {
            throw api_error("INVALID_USER_ID", "Invalid user id");
          }
        }
      }
    }
    std::vector<const StoredObject*> items;
    for (const auto& [id, o] : st.events) {
      if (json_intval(o.props.value("status", Json(0))) == 3) {
        continue;  // ScheduleEventPeer default criteria hide deleted events
      }
      if (!only_cls.empty() && o.cls != only_cls) {
        continue;
      }
      const std::int64_t event_id = id;
      const Getter get = [this, &o, event_id](const std::string& prop) -> std::optional<Json> {
        if (prop == "resourceIds" || prop == "resourceSystemNames" || prop == "parentResourceIds" ||
            prop == "resourceId") {
          std::vector<std::string> parts;
          for (const auto rid : linked_resources(event_id)) {
            if (prop == "resourceIds" || prop == "resourceId") {
              parts.push_back(std::to_string(rid));
              continue;
            }
            const auto r = st.resources.find(rid);
            if (r == st.resources.end()) {
              continue;
            }
            const std::string key = prop == "resourceSystemNames" ? "systemName" : "parentId";
            if (r->second.props.contains(key)) {
              parts.push_back(json_strval(r->second.props[key]));
            }
          }
          if (prop == "resourceId") {
            // resourceIdEqual: linked to that resource
            return Json(parts);
          }
          std::string joined;
          for (std::size_t i = 0; i < parts.size(); ++i) {
            joined += (i != 0 ? "," : "") + parts[i];
          }
          return Json(joined);
        }
        const auto it = o.props.find(prop);
        return it == o.props.end() ? std::nullopt : std::optional<Json>(*it);
      };
      const bool ok = std::all_of(conds.begin(), conds.end(), [&](const Condition& c) {
        if (c.prop == "resourceId") {
          const auto v = get("resourceId");
          const auto& list = *v;
          return std::find(list.begin(), list.end(), Json(c.value.get<std::string>())) != list.end();
        }
        return matches(c, get);
      });
      if (ok) {
        items.push_back(&o);
      }
    }
    const std::string order_by = filter != nullptr ? str_param(*filter, "orderBy") : std::string();
    apply_order<const StoredObject*>(
        items, order_by, {"createdAt", "endDate", "priority", "startDate", "summary", "updatedAt"},
        [](const StoredObject* const& o, const std::string& f) { return o->props.value(f, Json()); });
    const Pager p = parse_pager(params);
    Json objects = Json::array();
    const auto total = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = (p.index - 1) * p.size; i < total && i < p.index * p.size; ++i) {
      objects.push_back(serialize(items[i]->cls, items[i]->props));
    }
    return list_response("KalturaScheduleEventListResponse", std::move(objects), total);
  }

  // -- event resources
  static Json link_json(const Link& l, std::int64_t partner) {
    Json j = Json::object();
    j["eventId"] = l.event_id;
    j["resourceId"] = l.resource_id;
    j["partnerId"] = partner;
    j["createdAt"] = l.created_at;
    j["updatedAt"] = l.updated_at;
    j["objectType"] = "KalturaScheduleEventResource";
    return j;
  }

  Link& find_link(std::int64_t e, std::int64_t r) {
    const auto it = st.links.find({e, r});
    if (it == st.links.end()) {
      throw invalid_object_id(std::to_string(e) + "," + std::to_string(r));
    }
    return it->second;
  }

  Json link_add() {
    Built b = build_object(object_param(params, "scheduleEventResource"), "KalturaScheduleEventResource", now);
    for (const char* f : {"eventId", "resourceId"}) {
      if (!b.props.contains(f)) {
        throw cannot_be_null(b.cls, f);
      }
    }
    check_read_only_on_insert(b);
    const std::int64_t e = json_intval(b.props["eventId"]);
    const std::int64_t r = json_intval(b.props["resourceId"]);
    if (!event_exists(e)) {
      throw api_error("SCHEDULE_EVENT_ID_NOT_FOUND", "Schedule event id [@ID@] not found",
                      {{"ID", std::to_string(e)}});
    }
    if (r != 0 && !resource_exists(r)) {
      throw api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND", "Schedule resource id [@ID@] not found",
                      {{"ID", std::to_string(r)}});
    }
    if (st.links.count({e, r}) != 0) {
      throw api_error("SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS",
                      "Schedule event resource with event id [@EVENT_ID@] and resource id "
                      "[@RESOURCE_ID@] already exists",
                      {{"EVENT_ID", std::to_string(e)}, {"RESOURCE_ID", std::to_string(r)}});
    }
    Link l{e, r, now, now, st.next_link_seq++};
    st.links[{e, r}] = l;
    w.dirty = true;
    return link_json(l, w.cfg.partner_id);
  }

  Json link_get() {
    const std::int64_t e = int_param(params, "scheduleEventId");
    const std::int64_t r = int_param(params, "scheduleResourceId");
    return link_json(find_link(e, r), w.cfg.partner_id);
  }

  Json link_update() {
    const std::int64_t e = int_param(params, "scheduleEventId");
    const std::int64_t r = int_param(params, "scheduleResourceId");
    Link& l = find_link(e, r);
    Built b = build_object(object_param(params, "scheduleEventResource"), "KalturaScheduleEventResource", now);
    Json stored = link_json(l, w.cfg.partner_id);
    check_not_updatable_on_update(b, stored);
    l.updated_at = now;
    w.dirty = true;
    return link_json(l, w.cfg.partner_id);
  }

  Json link_delete() {
    const std::int64_t e = int_param(params, "scheduleEventId");
    const std::int64_t r = int_param(params, "scheduleResourceId");
    find_link(e, r);
    st.links.erase({e, r});
    w.dirty = true;
    return nullptr;
  }

  Json link_list() {
    const Json* filter = find_param(params, "filter");
    static const FieldTable table = {
        {"eventId", {VType::Int, {Op::Eq, Op::In}}},
        {"resourceId", {VType::Int, {Op::Eq, Op::In}}},
        {"createdAt", {VType::Time, {Op::Gte, Op::Lte}}},
        {"updatedAt", {VType::Time, {Op::Gte, Op::Lte}}},
        {"eventIdOrItsParentId", {VType::Int, {Op::Eq}}},
    };
    const auto conds = parse_filter(filter, table, now);
    std::vector<const Link*> items;
    for (const auto& [k, l] : st.links) {
      const Link* lp = &l;
      const Getter get = [this, lp](const std::string& prop) -> std::optional<Json> {
        if (prop == "eventId") {
          return Json(lp->event_id);
        }
        if (prop == "resourceId") {
          return Json(lp->resource_id);
        }
        if (prop == "createdAt") {
          return Json(lp->created_at);
        }
        if (prop == "updatedAt") {
          return Json(lp->updated_at);
        }
        return std::nullopt;
      };
      const bool ok = std::all_of(conds.begin(), conds.end(), [&](const Condition& c) {
        if (c.prop == "eventIdOrItsParentId") {
          const std::int64_t want = c.value.get<std::int64_t>();
          if (lp->event_id == want) {
            return true;
          }
          const auto ev = st.events.find(lp->event_id);
          return ev != st.events.end() && json_intval(ev->second.props.value("parentId", Json(0))) == want;
        }
        return matches(c, get);
      });
      if (ok) {
        items.push_back(lp);
      }
    }
    std::sort(items.begin(), items.end(), [](const Link* a, const Link* b) { return a->seq < b->seq; });
    const std::string order_by = filter != nullptr ? str_param(*filter, "orderBy") : std::string();
    apply_order<const Link*>(items, order_by, {"createdAt", "updatedAt"},
                             [](const Link* const& l, const std::string& f) {
                               return Json(f == "createdAt" ? l->created_at : l->updated_at);
                             });
    const Pager p = parse_pager(params);
    Json objects = Json::array();
    const auto total = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = (p.index - 1) * p.size; i < total && i < p.index * p.size; ++i) {
      objects.push_back(link_json(*items[i], w.cfg.partner_id));
    }
    const auto count = static_cast<std::int64_t>(objects.size());
    return list_response("KalturaScheduleEventResourceListResponse", std::move(objects),
                         estimated_total(p, count, total));
  }

  // -- session
  Json session_start() {
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

  Json session_end() {
    if (ks) {
      st.logged_out.insert(ks_str);
      w.dirty = true;
    }
    return nullptr;
  }

  Json session_get() {
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
};

const std::map<std::string, std::set<std::string>>& service_map() {
  static const std::map<std::string, std::set<std::string>> m = {
      {"session", {"start", "end", "get"}},
      {"system", {"gettime", "ping"}},
      {"schedule_scheduleresource", {"add", "get", "update", "delete", "list"}},
      {"schedule_scheduleevent", {"add", "get", "update", "delete", "cancel", "list"}},
      {"schedule_scheduleeventresource", {"add", "get", "update", "delete", "list"}},
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
      c.service == "system" || (c.service == "session" && (c.action == "start" || c.action == "end"));
  if (always_allowed) {
    return;
  }
  if (!c.ks) {
    if (pid == nullptr || json_intval(*pid) == 0) {
      throw missing_ks();
    }
    throw service_forbidden(c.service, c.action);
  }
  if (pid != nullptr && json_strval(*pid) != "" && json_intval(*pid) != c.w.cfg.partner_id) {
    throw service_forbidden(c.service, c.action);  // no partner-group access to other partners
  }
  const bool needs_admin = c.service.rfind("schedule_", 0) == 0;
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
    return c.session_get();
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
  c.ks_str = str_param(params, "ks");
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
