// api_v3 `schedule_scheduleevent` (docs/protocol.md D.3, E.1, J.2).

#include "service.hpp"

namespace kmeet::emulator {

namespace {

/// Adds event `id` under its referenceId to the list index (State::reference_ids).
void index_reference_id(State& st, std::int64_t id, const Json& props) {
  const auto ref = props.find("referenceId");
  if (ref == props.end() || !ref->is_string()) return;
  auto& ids = st.reference_ids[ref->get<std::string>()];
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

/// For a list filtered by referenceIdEqual/In: the ids of the events that had one of those
/// reference ids when indexed (events added since the last list are indexed first), in id order.
/// Empty optional: no such filter, scan every event.
std::optional<std::vector<std::int64_t>> reference_id_candidates(State& st, const std::vector<Condition>& conds) {
  const auto c = std::find_if(conds.begin(), conds.end(), [](const Condition& x) {
    return x.prop == "referenceId" && (x.op == Op::Eq || x.op == Op::In);
  });
  if (c == conds.end()) return std::nullopt;
  for (auto it = st.events.upper_bound(st.reference_ids_indexed_upto); it != st.events.end(); ++it) {
    index_reference_id(st, it->first, it->second.props);
    st.reference_ids_indexed_upto = it->first;
  }
  std::vector<std::int64_t> ids;
  auto add = [&](const std::string& ref) {
    if (const auto hit = st.reference_ids.find(ref); hit != st.reference_ids.end()) {
      ids.insert(ids.end(), hit->second.begin(), hit->second.end());
    }
  };
  if (c->op == Op::Eq) {
    add(c->value.get<std::string>());
  } else {
    for (const auto& v : c->value) add(json_strval(v));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

StoredObject& Call::active_event(std::int64_t id) {
  const auto it = st.events.find(id);
  if (it == st.events.end() || json_intval(it->second.props.value("status", Json(0))) == 3) {
    throw invalid_object_id(std::to_string(id));
  }
  return it->second;
}

bool Call::event_exists(std::int64_t id) const {
  const auto it = st.events.find(id);
  return it != st.events.end() && json_intval(it->second.props.value("status", Json(0))) != 3;
}

void Call::validate_event(const std::string& cls, Json& props, std::int64_t self_id) {
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
    resolve_linked_to(cls, props, self_id);
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
  if (recurrence_type == 0) {
    check_template_overlap(props, self_id, start, end);
  }
}

void Call::resolve_linked_to(const std::string& cls, Json& props, std::int64_t self_id) {
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

void Call::check_template_overlap(const Json& props, std::int64_t self_id, std::int64_t start, std::int64_t end) {
  const auto tmpl = props.find("templateEntryId");
  if (tmpl == props.end() || !tmpl->is_string() || tmpl->get<std::string>().empty()) {
    return;
  }
  // The event's own id and the ids in its linkedBy are not compared (J.2).
  std::set<std::int64_t> ignored = {self_id};
  for (const auto& part : split(json_strval(props.value("linkedBy", Json(""))), ',')) {
    if (is_integer_string(trim(part))) ignored.insert(php_intval(trim(part)));
  }
  for (const auto& [id, o] : st.events) {
    // Any class, any status but DELETED: cancelled events still count (J.2).
    if (ignored.count(id) != 0 || json_intval(o.props.value("status", Json(0))) == 3) {
      continue;
    }
    if (o.props.value("templateEntryId", Json("")) != *tmpl) {
      continue;
    }
    const std::int64_t os = json_intval(o.props.value("startDate", Json(0)));
    const std::int64_t oe = json_intval(o.props.value("endDate", Json(0)));
    // KalturaEntryScheduleEvent::validate, verbatim: touching spans pass, an identical or
    // enclosed span conflicts.
    if ((os < start && oe > start) || (os < end && oe > end) || (os >= start && oe <= end)) {
      throw api_error("SCHEDULE_TIME_IN_USE", "Another event is already scheduled during this time");
    }
  }
}

Json Call::event_add() {
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

Json Call::event_get() {
  const StoredObject& o = active_event(int_param(params, "scheduleEventId"));
  return serialize(o.cls, o.props);
}

Json Call::event_update() {
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
  index_reference_id(st, json_intval(o.props["id"]), o.props);
  w.dirty = true;
  return serialize(o.cls, o.props);
}

Json Call::event_set_status(int status) {
  StoredObject& o = active_event(int_param(params, "scheduleEventId"));
  o.props["status"] = status;
  o.props["updatedAt"] = now;
  w.dirty = true;
  return serialize(o.cls, o.props);
}

namespace {

/// The event class a list filter's class restricts to; "" = every class.
std::string event_class_of_filter(const std::string& filter_cls) {
  // KalturaEntryScheduleEventFilter (like the base filter) sets no class: every event is listed.
  if (filter_cls == "KalturaRecordScheduleEventFilter") return "KalturaRecordScheduleEvent";
  if (filter_cls == "KalturaMeetingScheduleEventFilter") return "KalturaMeetingScheduleEvent";
  if (filter_cls == "KalturaLiveStreamScheduleEventFilter") return "KalturaLiveStreamScheduleEvent";
  if (filter_cls == "KalturaBlackoutScheduleEventFilter") return "KalturaBlackoutScheduleEvent";
  return {};
}

/// The fields an event filter of class `filter_cls` may name (D.6).
FieldTable event_filter_fields(const std::string& filter_cls) {
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
      t[f] = {VType::String, likes};
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
  return table;
}

/// ownerIdEqual/ownerIdIn naming a user the partner never saw: INVALID_USER_ID.
void check_owner_filters(const std::vector<Condition>& conds, const State& st) {
  for (const auto& c : conds) {
    if (c.prop != "ownerId") {
      continue;
    }
    const std::vector<std::string> ids = c.op == Op::Eq ? std::vector<std::string>{c.value.get<std::string>()}
                                                        : c.value.get<std::vector<std::string>>();
    for (const auto& u : ids) {
      if (st.users.count(u) == 0) {
        throw api_error("INVALID_USER_ID", "Invalid user id");
      }
    }
  }
}

/// A filterable value of an event; the resource fields follow its links.
std::optional<Json> event_value(const State& st, const StoredObject& o, std::int64_t event_id,
                                const std::string& prop) {
  if (prop != "resourceIds" && prop != "resourceSystemNames" && prop != "parentResourceIds" &&
      prop != "resourceId") {
    const auto it = o.props.find(prop);
    return it == o.props.end() ? std::nullopt : std::optional<Json>(*it);
  }
  std::vector<std::string> parts;
  for (const auto rid : st.linked_resources(event_id)) {
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
    return Json(parts);  // resourceIdEqual: linked to that resource
  }
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    joined += (i != 0 ? "," : "") + parts[i];
  }
  return Json(joined);
}


/// One event of a list: kept in `items` when it is of the filter's class and matches every
/// condition (deleted events are hidden: ScheduleEventPeer's default criteria).
void consider_event(const State& st, std::int64_t id, const StoredObject& o, const std::string& only_cls,
                    const std::vector<Condition>& conds, std::vector<const StoredObject*>& items) {
  if (json_intval(o.props.value("status", Json(0))) == 3) return;
  if (!only_cls.empty() && o.cls != only_cls) return;
  const Getter get = [&st, &o, id](const std::string& prop) { return event_value(st, o, id, prop); };
  const bool ok = std::all_of(conds.begin(), conds.end(), [&](const Condition& c) {
    if (c.prop == "resourceId") {
      const auto v = get("resourceId");
      const auto& list = *v;
      return std::find(list.begin(), list.end(), Json(c.value.get<std::string>())) != list.end();
    }
    return matches(c, get);
  });
  if (ok) items.push_back(&o);
}

}  // namespace

Json Call::event_list() {
  const Json* filter = find_param(params, "filter");
  std::string filter_cls = "KalturaScheduleEventFilter";
  if (filter != nullptr && filter->is_object()) {
    filter_cls = build_object(*filter, "KalturaScheduleEventFilter", now).cls;
  }
  const std::string only_cls = event_class_of_filter(filter_cls);
  const auto conds = parse_filter(filter, event_filter_fields(filter_cls), now);
  check_owner_filters(conds, st);
  std::vector<const StoredObject*> items;
  // A referenceId filter names its candidates through the index; each is still checked below.
  const std::optional<std::vector<std::int64_t>> candidates = reference_id_candidates(st, conds);
  std::vector<std::pair<std::int64_t, const StoredObject*>> scan;
  if (candidates) {
    for (const std::int64_t id : *candidates) {
      if (const auto it = st.events.find(id); it != st.events.end()) scan.emplace_back(id, &it->second);
    }
  }
  auto each = [&](auto&& visit) {
    if (!candidates) {
      for (const auto& [id, o] : st.events) visit(id, o);
    } else {
      for (const auto& [id, o] : scan) visit(id, *o);
    }
  };
  each([&](std::int64_t id, const StoredObject& o) { consider_event(st, id, o, only_cls, conds, items); });
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

}  // namespace kmeet::emulator
