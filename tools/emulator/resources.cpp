// api_v3 `schedule_scheduleresource` (docs/protocol.md D.2, E.2).

#include "service.hpp"

namespace kmeet::emulator {

StoredObject& Call::active_resource(std::int64_t id) {
  const auto it = st.resources.find(id);
  if (it == st.resources.end() || json_intval(it->second.props.value("status", Json(0))) == 3) {
    throw invalid_object_id(std::to_string(id));
  }
  return it->second;
}

bool Call::resource_exists(std::int64_t id) const {
  const auto it = st.resources.find(id);
  return it != st.resources.end() && json_intval(it->second.props.value("status", Json(0))) != 3;
}

void Call::check_system_name(const std::string& cls, const std::string& name, std::int64_t self) {
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

void Call::check_parent(const Json& props) {
  const auto it = props.find("parentId");
  if (it != props.end() && json_intval(*it) != 0 && !resource_exists(json_intval(*it))) {
    throw api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND", "Schedule resource id [@ID@] not found",
                    {{"ID", std::to_string(json_intval(*it))}});
  }
}

Json Call::resource_add() {
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

Json Call::resource_get() {
  const StoredObject& o = active_resource(int_param(params, "scheduleResourceId"));
  return serialize(o.cls, o.props);
}

Json Call::resource_update() {
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

Json Call::resource_delete() {
  StoredObject& o = active_resource(int_param(params, "scheduleResourceId"));
  o.props["status"] = 3;
  o.props["updatedAt"] = now;
  w.dirty = true;
  return serialize(o.cls, o.props);
}

Json Call::resource_list() {
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

}  // namespace kmeet::emulator
