#include "model.hpp"

#include <map>

namespace kmeet::emulator {

namespace {

Prop p(std::string name, PType type = PType::String) {
  Prop r;
  r.name = std::move(name);
  r.type = type;
  return r;
}
Prop ro(std::string name, PType type) {
  Prop r = p(std::move(name), type);
  r.read_only = true;
  return r;
}
Prop io(std::string name, PType type) {
  Prop r = p(std::move(name), type);
  r.insert_only = true;
  return r;
}
Prop en(std::string name, std::string type, std::vector<std::int64_t> values, bool read_only = false) {
  Prop r = p(std::move(name), PType::Enum);
  r.enum_type = std::move(type);
  r.enum_values = std::move(values);
  r.read_only = read_only;
  return r;
}
Prop obj(std::string name, std::string cls) {
  Prop r = p(std::move(name), PType::Object);
  r.object_class = std::move(cls);
  return r;
}

/// `KalturaAppToken`, docs/protocol.md I.3 (declaration order = key order). `hashType` is a string
/// enum, checked by the apptoken service; `sessionType` is KalturaSessionType (0, 2).
template <class Add>
void add_app_token_classes(const Add& add) {
  add({"KalturaAppToken", "", false,
       {ro("id", PType::String), ro("token", PType::String), ro("partnerId", PType::Int),
        ro("createdAt", PType::Time), ro("updatedAt", PType::Time),
        en("status", "KalturaAppTokenStatus", {1, 2, 3}, true), p("expiry", PType::Time),
        en("sessionType", "KalturaSessionType", {0, 2}), p("sessionUserId"), p("sessionDuration", PType::Int),
        p("sessionPrivileges"), p("hashType"), p("description")}});
}

/// Media entries (recording templates and recordings).
template <class Add>
void add_entry_classes(const Add& add) {
  // Media entries (protocol.md J.3, J.5): each class's own properties in declaration order
  // (entries.cpp serializes subclass first, as live JSON does, L.3).
  add({"KalturaBaseEntry", "", false,
       {ro("id", PType::String), p("name"), p("description"), ro("partnerId", PType::Int), p("userId"),
        ro("creatorId", PType::String), p("tags"), ro("categories", PType::String), p("categoriesIds"),
        ro("status", PType::Int), ro("moderationStatus", PType::Int), ro("moderationCount", PType::Int),
        ro("type", PType::Int), ro("createdAt", PType::Time), ro("updatedAt", PType::Time), ro("rank", PType::Int),
        ro("totalRank", PType::Int), ro("votes", PType::Int), ro("downloadUrl", PType::String),
        ro("licenseType", PType::Int), ro("version", PType::Int), ro("thumbnailUrl", PType::String),
        p("accessControlId", PType::Int), p("referenceId"), ro("rootEntryId", PType::String), p("parentEntryId"),
        p("entitledUsersEdit"), p("entitledUsersPublish"), p("entitledUsersView"), p("templateEntryId")}});
  add({"KalturaPlayableEntry", "KalturaBaseEntry", false,
       {ro("plays", PType::Int), ro("views", PType::Int), ro("width", PType::Int), ro("height", PType::Int),
        ro("duration", PType::Int), ro("msDuration", PType::Int)}});
  add({"KalturaMediaEntry", "KalturaPlayableEntry", false,
       {[] {
          Prop m = en("mediaType", "KalturaMediaType", {1, 2, 5, 201, 202, 203, 204});
          m.insert_only = true;
          return m;
        }(),
        ro("sourceType", PType::String), ro("dataUrl", PType::String), ro("flavorParamsIds", PType::String)}});
  add({"KalturaBaseEntryFilter", "", false, {}});
  add({"KalturaPlayableEntryFilter", "KalturaBaseEntryFilter", false, {}});
  add({"KalturaMediaEntryFilter", "KalturaPlayableEntryFilter", false, {}});
}

/// Filters and pager: properties are read by name in the list actions; only the class tree
/// matters here.
template <class Add>
void add_filter_classes(const Add& add) {
  for (const char* f : {"KalturaScheduleResourceFilter", "KalturaScheduleEventFilter",
                        "KalturaScheduleEventResourceFilter", "KalturaFilterPager"}) {
    add({f, "", false, {}});
  }
  add({"KalturaLocationScheduleResourceFilter", "KalturaScheduleResourceFilter", false, {}});
  add({"KalturaCameraScheduleResourceFilter", "KalturaScheduleResourceFilter", false, {}});
  add({"KalturaLiveEntryScheduleResourceFilter", "KalturaScheduleResourceFilter", false, {}});
  add({"KalturaEntryScheduleEventFilter", "KalturaScheduleEventFilter", false, {}});
  add({"KalturaRecordScheduleEventFilter", "KalturaEntryScheduleEventFilter", false, {}});
  add({"KalturaMeetingScheduleEventFilter", "KalturaEntryScheduleEventFilter", false, {}});
  add({"KalturaLiveStreamScheduleEventFilter", "KalturaEntryScheduleEventFilter", false, {}});
  add({"KalturaBlackoutScheduleEventFilter", "KalturaScheduleEventFilter", false, {}});
}

const std::map<std::string, ClassInfo, std::less<>>& classes() {
  static const auto* table = [] {
    auto* m = new std::map<std::string, ClassInfo, std::less<>>();
    auto add = [&](ClassInfo c) { (*m)[c.name] = std::move(c); };
    add({"KalturaScheduleResource", "", true,
         {ro("id", PType::Int), p("parentId", PType::Int), ro("partnerId", PType::Int), p("name"),
          p("systemName"), p("description"),
          en("status", "KalturaScheduleResourceStatus", {1, 2, 3}, true), p("tags"),
          ro("createdAt", PType::Time), ro("updatedAt", PType::Time)}});
    add({"KalturaLocationScheduleResource", "KalturaScheduleResource", false, {}});
    add({"KalturaCameraScheduleResource", "KalturaScheduleResource", false, {p("streamUrl")}});
    add({"KalturaLiveEntryScheduleResource", "KalturaScheduleResource", false, {p("entryId")}});

    add({"KalturaScheduleEvent", "", true,
         {ro("id", PType::Int),
          ro("partnerId", PType::Int),
          ro("parentId", PType::Int),
          p("summary"),
          p("description"),
          en("status", "KalturaScheduleEventStatus", {1, 2, 3}, true),
          p("startDate", PType::Time),
          p("endDate", PType::Time),
          p("referenceId"),
          obj("linkedTo", "KalturaLinkedScheduleEvent"),
          p("linkedBy"),
          en("classificationType", "KalturaScheduleEventClassificationType", {1, 2, 3}),
          p("geoLatitude", PType::Float),
          p("geoLongitude", PType::Float),
          p("location"),
          p("organizer"),
          p("ownerId"),
          p("priority", PType::Int),
          p("sequence", PType::Int),
          en("recurrenceType", "KalturaScheduleEventRecurrenceType", {0, 1, 2}),
          p("duration", PType::Int),
          p("contact"),
          p("comment"),
          p("tags"),
          ro("createdAt", PType::Time),
          ro("updatedAt", PType::Time),
          obj("recurrence", "KalturaScheduleEventRecurrence")}});
    add({"KalturaEntryScheduleEvent", "KalturaScheduleEvent", true,
         {p("templateEntryId"), p("entryIds"), p("categoryIds"), ro("blackoutConflicts", PType::Array)}});
    add({"KalturaRecordScheduleEvent", "KalturaEntryScheduleEvent", false, {}});
    add({"KalturaMeetingScheduleEvent", "KalturaEntryScheduleEvent", false,
         {p("preStartTime", PType::Int)}});
    add({"KalturaLiveStreamScheduleEvent", "KalturaEntryScheduleEvent", false,
         {p("sourceEntryId"), p("projectedAudience", PType::Int), p("preStartTime", PType::Int),
          p("postEndTime", PType::Int)}});
    add({"KalturaBlackoutScheduleEvent", "KalturaScheduleEvent", false, {}});

    add({"KalturaScheduleEventResource", "", false,
         {io("eventId", PType::Int), io("resourceId", PType::Int), ro("partnerId", PType::Int),
          ro("createdAt", PType::Time), ro("updatedAt", PType::Time)}});

    add({"KalturaLinkedScheduleEvent", "", false, {p("offset", PType::Int), p("eventId", PType::Int)}});
    add({"KalturaScheduleEventRecurrence", "", false,
         {p("name"), p("frequency"), p("until", PType::Time), p("timeZone"), p("count", PType::Int),
          p("interval", PType::Int), p("bySecond"), p("byMinute"), p("byHour"), p("byDay"),
          p("byMonthDay"), p("byYearDay"), p("byWeekNumber"), p("byMonth"), p("byOffset"),
          p("weekStartDay")}});

    add_entry_classes(add);
    add_app_token_classes(add);

    add_filter_classes(add);
    return m;
  }();
  return *table;
}

}  // namespace

const ClassInfo* find_class(std::string_view name) {
  const auto& m = classes();
  const auto it = m.find(name);
  return it == m.end() ? nullptr : &it->second;
}

bool is_subclass(std::string_view cls, std::string_view base) {
  for (const ClassInfo* c = find_class(cls); c != nullptr; c = find_class(c->parent)) {
    if (c->name == base) {
      return true;
    }
    if (c->parent.empty()) {
      break;
    }
  }
  return false;
}

std::vector<const Prop*> props_of(std::string_view cls) {
  std::vector<const ClassInfo*> chain;
  for (const ClassInfo* c = find_class(cls); c != nullptr;
       c = c->parent.empty() ? nullptr : find_class(c->parent)) {
    chain.push_back(c);
  }
  std::vector<const Prop*> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& pr : (*it)->own) {
      out.push_back(&pr);
    }
  }
  return out;
}

const Prop* find_prop(std::string_view cls, std::string_view name) {
  for (const Prop* pr : props_of(cls)) {
    if (pr->name == name) {
      return pr;
    }
  }
  return nullptr;
}

std::string prop_label(std::string_view cls, std::string_view prop) {
  return std::string(cls) + "::" + std::string(prop);
}

std::int64_t relative_time(std::int64_t t, std::int64_t now) {
  constexpr std::int64_t kMaxRelative = 315360000;
  if (t == -1) {
    return t;  // kTime::REMOVE_DATE
  }
  if (t >= -kMaxRelative && t <= kMaxRelative) {
    return t + now;
  }
  return t;
}

namespace {

Json cast_value(const Prop& pr, const Json& v, std::int64_t now) {
  switch (pr.type) {
    case PType::Int:
      return json_intval(v);
    case PType::Time:
      // protocol.md A.6 / L.1: only null and "" stay 0; the number 0 (or "0") becomes now.
      if (v.is_string() && v.get_ref<const std::string&>().empty()) {
        return 0;
      }
      return relative_time(json_intval(v), now);
    case PType::Float:
      if (v.is_number()) {
        return v.get<double>();
      }
      return v.is_string() ? std::strtod(v.get_ref<const std::string&>().c_str(), nullptr) : 0.0;
    case PType::Bool:
      if (v.is_string()) {
        const std::string s = to_lower(v.get<std::string>());
        return !(s == "false" || s.empty() || s == "0");
      }
      return json_intval(v) != 0;
    case PType::Enum: {
      std::int64_t value = 0;
      bool ok = true;
      if (v.is_string()) {
        const std::string s = to_lower(v.get<std::string>());
        if (s == "true") {
          value = 1;
        } else if (s == "false") {
          value = 0;
        } else if (is_integer_string(trim(s))) {
          value = php_intval(s);
        } else {
          ok = false;
        }
      } else if (v.is_number_integer() || v.is_boolean()) {
        value = json_intval(v);
      } else {
        ok = false;
      }
      bool found = false;
      for (const auto e : pr.enum_values) {
        found = found || e == value;
      }
      if (!ok || !found) {
        throw api_error("INVALID_ENUM_VALUE",
                        "Invalid enumeration value \"@ENUM_VAL@\" for parameter \"@PARAM_NAME@\", "
                        "expecting enumeration type \"@ENUM_TYPE@\"",
                        {{"ENUM_VAL", v.is_string() ? v.get<std::string>() : json_strval(v)},
                         {"PARAM_NAME", pr.name},
                         {"ENUM_TYPE", pr.enum_type}});
      }
      return value;
    }
    case PType::String:
      if (v.is_string()) {
        return v;
      }
      return json_strval(v);
    case PType::Object:
    case PType::Array:
      return v;
  }
  return v;
}

}  // namespace

Built build_object(const Json& in, std::string_view declared, std::int64_t now) {
  Built b;
  b.cls = std::string(declared);
  if (in.is_object()) {
    const auto ot = in.find("objectType");
    if (ot != in.end() && ot->is_string() && is_subclass(ot->get<std::string>(), declared)) {
      b.cls = ot->get<std::string>();
    }
  }
  const ClassInfo* ci = find_class(b.cls);
  if (ci != nullptr && ci->abstract) {
    throw api_error("OBJECT_TYPE_ABSTRACT",
                    "The object type \"@OBJ_TYPE@\" is abstract, use one of the object implementations",
                    {{"OBJ_TYPE", b.cls}});
  }
  if (!in.is_object()) {
    return b;
  }
  for (const Prop* pr : props_of(b.cls)) {
    if (in.contains(pr->name + "__null")) {
      b.nulls.insert(pr->name);
      continue;
    }
    const auto it = in.find(pr->name);
    if (it == in.end() || it->is_null()) {
      continue;
    }
    if (pr->type == PType::Object) {
      if (!it->is_object()) {
        continue;
      }
      Built nested = build_object(*it, pr->object_class, now);
      b.props[pr->name] = Json{{"objectType", nested.cls}, {"props", nested.props}};
      continue;
    }
    if (pr->type == PType::Array) {
      b.props[pr->name] = it->is_array() ? *it : Json::array();
      continue;
    }
    b.props[pr->name] = cast_value(*pr, *it, now);
  }
  return b;
}

Json serialize(std::string_view cls, const Json& props) {
  Json out = Json::object();
  for (const Prop* pr : props_of(cls)) {
    const auto it = props.find(pr->name);
    if (it == props.end() || it->is_null()) {
      continue;
    }
    if (pr->type == PType::Object && it->is_object() && it->contains("objectType")) {
      out[pr->name] = serialize((*it)["objectType"].get<std::string>(), (*it)["props"]);
    } else {
      out[pr->name] = *it;
    }
  }
  out["objectType"] = std::string(cls);
  return out;
}

}  // namespace kmeet::emulator
