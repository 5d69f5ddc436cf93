#include "model/wire.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/redact.hpp"
#include "kmeet/errors.hpp"
#include "model/settings_codec.hpp"

namespace kmeet {

// ---- public enum spellings (E.5) ---------------------------------------------------------------

namespace {
constexpr std::string_view kFrequencies[] = {"seconds", "minutes", "hours", "days",
                                             "weeks",   "months",  "years"};
constexpr std::string_view kWeekDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
}  // namespace

std::string_view to_string(RecurrenceFrequency f) {
  auto i = static_cast<std::size_t>(f);
  return i < std::size(kFrequencies) ? kFrequencies[i] : std::string_view{};
}
std::string_view to_string(WeekDay d) {
  auto i = static_cast<std::size_t>(d);
  return i < std::size(kWeekDays) ? kWeekDays[i] : std::string_view{};
}
std::optional<RecurrenceFrequency> parse_recurrence_frequency(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kFrequencies); ++i) {
    if (kFrequencies[i] == text) return static_cast<RecurrenceFrequency>(i);
  }
  return std::nullopt;
}
std::optional<WeekDay> parse_week_day(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kWeekDays); ++i) {
    if (kWeekDays[i] == text) return static_cast<WeekDay>(i);
  }
  return std::nullopt;
}

namespace detail {
namespace {

// ---- encoding helpers --------------------------------------------------------------------------

std::int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }

template <class T>
void put(WireJson& o, const char* key, const std::optional<T>& v) {
  if (v) o[key] = *v;
}
void put(WireJson& o, const char* key, const std::optional<Timestamp>& v) {
  if (v) o[key] = secs(*v);
}

// An Update<T>: set -> the converted value; clear -> `<key>__null: ""` (protocol.md A.5).
template <class T, class Conv>
void put_update(WireJson& o, const char* key, const Update<T>& u, Conv conv) {
  if (u.is_set()) {
    o[key] = conv(u.value());
  } else if (u.is_clear()) {
    o[std::string(key) + "__null"] = "";
  }
}
template <class T>
void put_update(WireJson& o, const char* key, const Update<T>& u) {
  put_update(o, key, u, [](const T& v) { return v; });
}

template <class Range, class Conv>
std::string join(const Range& values, Conv conv) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ',';
    out += conv(v);
  }
  return out;
}
template <class Tag>
void put_ids(WireJson& o, const char* key, const std::vector<Id<Tag>>& ids) {
  if (!ids.empty()) o[key] = join(ids, [](const Id<Tag>& id) { return id.str(); });
}
void put_strings(WireJson& o, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) o[key] = join(v, [](const std::string& s) { return s; });
}
template <class E>
  requires std::is_enum_v<E>
void put_enums(WireJson& o, const char* key, const std::vector<E>& v) {
  if (!v.empty()) o[key] = join(v, [](E e) { return std::to_string(static_cast<int>(e)); });
}
void put_ints(WireJson& o, const char* key, const std::vector<int>& v) {
  if (!v.empty()) o[key] = join(v, [](int i) { return std::to_string(i); });
}
template <class Tag>
void put_id(WireJson& o, const char* key, const std::optional<Id<Tag>>& id) {
  if (id) o[key] = id->value();
}
template <class E>
  requires std::is_enum_v<E>
void put_enum(WireJson& o, const char* key, const std::optional<E>& e) {
  if (e) o[key] = static_cast<int>(*e);
}

WireJson recurrence_to_wire(const Recurrence& r) {
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaScheduleEventRecurrence";
  put(o, "name", r.name);
  if (r.frequency) o["frequency"] = std::string(to_string(*r.frequency));
  put(o, "until", r.until);
  put(o, "timeZone", r.time_zone);
  put(o, "count", r.count);
  put(o, "interval", r.interval);
  put(o, "bySecond", r.by_second);
  put(o, "byMinute", r.by_minute);
  put(o, "byHour", r.by_hour);
  put(o, "byDay", r.by_day);
  put(o, "byMonthDay", r.by_month_day);
  put(o, "byYearDay", r.by_year_day);
  put(o, "byWeekNumber", r.by_week_number);
  put(o, "byMonth", r.by_month);
  put(o, "byOffset", r.by_offset);
  if (r.week_start_day) o["weekStartDay"] = std::string(to_string(*r.week_start_day));
  return o;
}

template <class Filter>
void put_common_times(WireJson& o, const Filter& f) {
  put(o, "createdAtGreaterThanOrEqual", f.created_at_gte);
  put(o, "createdAtLessThanOrEqual", f.created_at_lte);
  put(o, "updatedAtGreaterThanOrEqual", f.updated_at_gte);
  put(o, "updatedAtLessThanOrEqual", f.updated_at_lte);
}

constexpr std::string_view kTimeOrders[] = {"+createdAt", "-createdAt", "+updatedAt", "-updatedAt"};
constexpr std::string_view kEventOrders[] = {"+createdAt", "-createdAt", "+endDate",   "-endDate",
                                             "+priority",  "-priority",  "+startDate", "-startDate",
                                             "+summary",   "-summary",   "+updatedAt", "-updatedAt"};

// ---- decoding helpers --------------------------------------------------------------------------

[[noreturn]] void bad_field(std::string_view what, std::string_view key, const Json& v) {
  throw ProtocolError(fmt::format("{}: field '{}' has an unexpected value {}", what, key,
                                  safe_snippet(v.dump(), 80)));
}

const Json* field(const Json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::int64_t> get_int(const Json& o, const char* key, std::string_view what) {
  const Json* v = field(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (std::trunc(d) == d && std::abs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  if (v->is_string()) {  // PHP clients sometimes stringify; accept a plain integer string
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    std::size_t pos = 0;
    try {
      std::int64_t n = std::stoll(s, &pos);
      if (pos == s.size()) return n;
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): reported below
    }
  }
  if (v->is_boolean()) return v->get<bool>() ? 1 : 0;
  bad_field(what, key, *v);
}

std::optional<std::string> get_str(const Json& o, const char* key, std::string_view what) {
  const Json* v = field(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  bad_field(what, key, *v);
}

std::optional<double> get_double(const Json& o, const char* key, std::string_view what) {
  const Json* v = field(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) {
    try {
      return std::stod(v->get<std::string>());
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): reported below
    }
  }
  bad_field(what, key, *v);
}

std::optional<Timestamp> get_time(const Json& o, const char* key, std::string_view what) {
  auto n = get_int(o, key, what);
  if (!n) return std::nullopt;
  return Timestamp(std::chrono::seconds(*n));
}

int get_int32(const Json& o, const char* key, std::string_view what, int fallback) {
  auto n = get_int(o, key, what);
  if (!n) return fallback;
  if (*n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
    bad_field(what, key, o.at(key));
  return static_cast<int>(*n);
}

std::optional<int> get_opt_int32(const Json& o, const char* key, std::string_view what) {
  if (field(o, key) == nullptr) return std::nullopt;
  return get_int32(o, key, what, 0);
}

void require_object(const Json& v, std::string_view what) {
  if (!v.is_object())
    throw ProtocolError(fmt::format("expected a {} object, got {}", what, safe_snippet(v.dump(), 80)));
}

Recurrence recurrence_from_wire(const Json& o) {
  constexpr std::string_view what = "KalturaScheduleEventRecurrence";
  require_object(o, what);
  Recurrence r;
  r.name = get_str(o, "name", what);
  if (auto f = get_str(o, "frequency", what)) r.frequency = parse_recurrence_frequency(*f);
  r.until = get_time(o, "until", what);
  r.time_zone = get_str(o, "timeZone", what);
  r.count = get_opt_int32(o, "count", what);
  r.interval = get_opt_int32(o, "interval", what);
  r.by_second = get_str(o, "bySecond", what);
  r.by_minute = get_str(o, "byMinute", what);
  r.by_hour = get_str(o, "byHour", what);
  r.by_day = get_str(o, "byDay", what);
  r.by_month_day = get_str(o, "byMonthDay", what);
  r.by_year_day = get_str(o, "byYearDay", what);
  r.by_week_number = get_str(o, "byWeekNumber", what);
  r.by_month = get_str(o, "byMonth", what);
  r.by_offset = get_str(o, "byOffset", what);
  if (auto d = get_str(o, "weekStartDay", what)) r.week_start_day = parse_week_day(*d);
  return r;
}

template <class T, class F>
Page<T> page_from_wire(const Json& v, std::string_view what, F from) {
  require_object(v, what);
  Page<T> page;
  const Json* objects = field(v, "objects");
  if (objects != nullptr) {
    if (!objects->is_array())
      throw ProtocolError(fmt::format("{}: 'objects' is not an array", what));
    page.items.reserve(objects->size());
    for (const auto& item : *objects) page.items.push_back(from(item));
  }
  page.total_count = get_int(v, "totalCount", what).value_or(static_cast<std::int64_t>(page.items.size()));
  return page;
}

}  // namespace

std::string_view event_object_type(EventType type) {
  return type == EventType::meeting ? kMeetingEventType : kRecordEventType;
}

// ---- encoding ----------------------------------------------------------------------------------

WireJson to_wire(const Room& room) {
  WireJson o = WireJson::object();
  o["objectType"] = kRoomType;
  put_id(o, "parentId", room.parent_id);
  o["name"] = room.name;
  put(o, "systemName", room.system_name);
  put(o, "description", room.description);
  o["tags"] = encode_room_tags(room.settings, "room.settings");
  return o;
}

WireJson to_wire(const RoomUpdate& u) {
  WireJson o = WireJson::object();
  o["objectType"] = kRoomType;
  put_update(o, "parentId", u.parent_id, [](RoomId id) { return id.value(); });
  put_update(o, "name", u.name);
  put_update(o, "systemName", u.system_name);
  put_update(o, "description", u.description);
  put_update(o, "tags", u.settings,
             [](const RoomSettings& s) { return encode_room_tags(s, "room.settings"); });
  return o;
}

WireJson to_wire(const Event& e) {
  WireJson o = WireJson::object();
  o["objectType"] = event_object_type(e.type);
  o["summary"] = e.summary;
  put(o, "description", e.description);
  put(o, "startDate", e.start);
  put(o, "endDate", e.end);
  put(o, "referenceId", e.reference_id);
  if (e.linked_to) {
    WireJson l = WireJson::object();
    l["objectType"] = "KalturaLinkedScheduleEvent";
    l["offset"] = e.linked_to->offset.count();
    l["eventId"] = e.linked_to->event_id.value();
    o["linkedTo"] = std::move(l);
  }
  put(o, "linkedBy", e.linked_by);
  put_enum(o, "classificationType", e.classification);
  put(o, "geoLatitude", e.geo_latitude);
  put(o, "geoLongitude", e.geo_longitude);
  put(o, "location", e.location);
  put(o, "organizer", e.organizer);
  put(o, "ownerId", e.owner_id);
  put(o, "priority", e.priority);
  put(o, "sequence", e.sequence);
  o["recurrenceType"] = static_cast<int>(e.recurrence_type);
  if (e.duration) o["duration"] = e.duration->count();
  put(o, "contact", e.contact);
  put(o, "comment", e.comment);
  if (std::string tags = encode_event_tags(e.settings, "event.settings"); !tags.empty())
    o["tags"] = std::move(tags);
  if (e.recurrence) o["recurrence"] = recurrence_to_wire(*e.recurrence);
  put(o, "templateEntryId", e.template_entry_id);
  put(o, "entryIds", e.entry_ids);
  put(o, "categoryIds", e.category_ids);
  if (e.type == EventType::meeting && e.pre_start_time) o["preStartTime"] = e.pre_start_time->count();
  return o;
}

WireJson to_wire(const EventUpdate& u) {
  WireJson o = WireJson::object();
  o["objectType"] = event_object_type(u.type);
  put_update(o, "summary", u.summary);
  put_update(o, "description", u.description);
  put_update(o, "startDate", u.start, [](Timestamp t) { return secs(t); });
  put_update(o, "endDate", u.end, [](Timestamp t) { return secs(t); });
  put_update(o, "referenceId", u.reference_id);
  put_update(o, "linkedBy", u.linked_by);
  put_update(o, "classificationType", u.classification, [](Classification c) { return static_cast<int>(c); });
  put_update(o, "geoLatitude", u.geo_latitude);
  put_update(o, "geoLongitude", u.geo_longitude);
  put_update(o, "location", u.location);
  put_update(o, "organizer", u.organizer);
  put_update(o, "ownerId", u.owner_id);
  put_update(o, "priority", u.priority);
  put_update(o, "contact", u.contact);
  put_update(o, "comment", u.comment);
  put_update(o, "tags", u.settings,
             [](const EventSettings& s) { return encode_event_tags(s, "event.settings"); });
  put_update(o, "recurrence", u.recurrence, [](const Recurrence& r) { return recurrence_to_wire(r); });
  put_update(o, "templateEntryId", u.template_entry_id);
  put_update(o, "entryIds", u.entry_ids);
  put_update(o, "categoryIds", u.category_ids);
  put_update(o, "preStartTime", u.pre_start_time, [](std::chrono::seconds s) { return s.count(); });
  return o;
}

WireJson link_to_wire(WireJson event_id, WireJson room_id) {
  WireJson o = WireJson::object();
  o["objectType"] = kLinkType;
  o["eventId"] = std::move(event_id);
  o["resourceId"] = std::move(room_id);
  return o;
}

WireJson to_wire(const RoomFilter& f) {
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaLocationScheduleResourceFilter";
  put_id(o, "idEqual", f.id);
  put_ids(o, "idIn", f.id_in);
  put_ids(o, "idNotIn", f.id_not_in);
  put_id(o, "parentIdEqual", f.parent_id);
  put_ids(o, "parentIdIn", f.parent_id_in);
  put(o, "nameEqual", f.name);
  put(o, "systemNameEqual", f.system_name);
  put_strings(o, "systemNameIn", f.system_name_in);
  put_enum(o, "statusEqual", f.status);
  put_enums(o, "statusIn", f.status_in);
  put(o, "tagsLike", f.tags_like);
  put_strings(o, "tagsMultiLikeOr", f.tags_multi_like_or);
  put_strings(o, "tagsMultiLikeAnd", f.tags_multi_like_and);
  put_common_times(o, f);
  if (f.order_by) o["orderBy"] = kTimeOrders[static_cast<std::size_t>(*f.order_by)];
  return o;
}

WireJson to_wire(const EventFilter& f) {
  WireJson o = WireJson::object();
  switch (f.type) {
    case EventListType::record: o["objectType"] = "KalturaRecordScheduleEventFilter"; break;
    case EventListType::meeting: o["objectType"] = "KalturaMeetingScheduleEventFilter"; break;
    case EventListType::any: o["objectType"] = "KalturaEntryScheduleEventFilter"; break;
  }
  put_id(o, "idEqual", f.id);
  put_ids(o, "idIn", f.id_in);
  put_ids(o, "idNotIn", f.id_not_in);
  put_id(o, "parentIdEqual", f.parent_id);
  put_ids(o, "parentIdIn", f.parent_id_in);
  put_ids(o, "parentIdNotIn", f.parent_id_not_in);
  put_enum(o, "statusEqual", f.status);
  put_enums(o, "statusIn", f.status_in);
  put(o, "startDateGreaterThanOrEqual", f.start_date_gte);
  put(o, "startDateLessThanOrEqual", f.start_date_lte);
  put(o, "endDateGreaterThanOrEqual", f.end_date_gte);
  put(o, "endDateLessThanOrEqual", f.end_date_lte);
  put(o, "referenceIdEqual", f.reference_id);
  put_strings(o, "referenceIdIn", f.reference_id_in);
  put(o, "ownerIdEqual", f.owner_id);
  put_strings(o, "ownerIdIn", f.owner_id_in);
  put(o, "priorityEqual", f.priority);
  put_ints(o, "priorityIn", f.priority_in);
  put(o, "priorityGreaterThanOrEqual", f.priority_gte);
  put(o, "priorityLessThanOrEqual", f.priority_lte);
  put_enum(o, "recurrenceTypeEqual", f.recurrence_type);
  put_enums(o, "recurrenceTypeIn", f.recurrence_type_in);
  put(o, "tagsLike", f.tags_like);
  put_strings(o, "tagsMultiLikeOr", f.tags_multi_like_or);
  put_strings(o, "tagsMultiLikeAnd", f.tags_multi_like_and);
  put_common_times(o, f);
  put(o, "resourceIdsLike", f.resource_ids_like);
  put_strings(o, "resourceIdsMultiLikeOr", f.resource_ids_multi_like_or);
  put_strings(o, "resourceIdsMultiLikeAnd", f.resource_ids_multi_like_and);
  put(o, "parentResourceIdsLike", f.parent_resource_ids_like);
  put_strings(o, "parentResourceIdsMultiLikeOr", f.parent_resource_ids_multi_like_or);
  put_strings(o, "parentResourceIdsMultiLikeAnd", f.parent_resource_ids_multi_like_and);
  put(o, "templateEntryCategoriesIdsLike", f.template_entry_categories_ids_like);
  put_strings(o, "templateEntryCategoriesIdsMultiLikeOr", f.template_entry_categories_ids_multi_like_or);
  put_strings(o, "templateEntryCategoriesIdsMultiLikeAnd", f.template_entry_categories_ids_multi_like_and);
  put(o, "resourceSystemNamesLike", f.resource_system_names_like);
  put_strings(o, "resourceSystemNamesMultiLikeOr", f.resource_system_names_multi_like_or);
  put_strings(o, "resourceSystemNamesMultiLikeAnd", f.resource_system_names_multi_like_and);
  if (f.room) o["resourceIdEqual"] = f.room->str();  // declared string by the API
  put(o, "templateEntryIdEqual", f.template_entry_id);
  put(o, "entryIdsLike", f.entry_ids_like);
  put_strings(o, "entryIdsMultiLikeOr", f.entry_ids_multi_like_or);
  put_strings(o, "entryIdsMultiLikeAnd", f.entry_ids_multi_like_and);
  put(o, "categoryIdsLike", f.category_ids_like);
  put_strings(o, "categoryIdsMultiLikeOr", f.category_ids_multi_like_or);
  put_strings(o, "categoryIdsMultiLikeAnd", f.category_ids_multi_like_and);
  put(o, "parentCategoryIdsLike", f.parent_category_ids_like);
  put_strings(o, "parentCategoryIdsMultiLikeOr", f.parent_category_ids_multi_like_or);
  put_strings(o, "parentCategoryIdsMultiLikeAnd", f.parent_category_ids_multi_like_and);
  if (f.order_by) o["orderBy"] = kEventOrders[static_cast<std::size_t>(*f.order_by)];
  return o;
}

WireJson to_wire(const LinkFilter& f) {
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaScheduleEventResourceFilter";
  put_id(o, "eventIdEqual", f.event_id);
  put_ids(o, "eventIdIn", f.event_id_in);
  put_id(o, "resourceIdEqual", f.room_id);
  put_ids(o, "resourceIdIn", f.room_id_in);
  put_common_times(o, f);
  put_id(o, "eventIdOrItsParentIdEqual", f.event_id_or_its_parent_id);
  if (f.order_by) o["orderBy"] = kTimeOrders[static_cast<std::size_t>(*f.order_by)];
  return o;
}

WireJson to_wire(const Pager& p) {
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaFilterPager";
  o["pageSize"] = p.page_size;
  o["pageIndex"] = p.page_index;
  return o;
}

// ---- decoding ----------------------------------------------------------------------------------

Room room_from_wire(const Json& v) {
  constexpr std::string_view what = "schedule resource";
  require_object(v, what);
  Room r;
  auto id = get_int(v, "id", what);
  if (!id) throw ProtocolError("schedule resource without an id");
  r.id = RoomId(*id);
  if (auto p = get_int(v, "partnerId", what)) r.partner_id = PartnerId(*p);
  if (auto p = get_int(v, "parentId", what); p && *p != 0) r.parent_id = RoomId(*p);
  r.name = get_str(v, "name", what).value_or("");
  r.system_name = get_str(v, "systemName", what);
  r.description = get_str(v, "description", what);
  r.status = static_cast<RoomStatus>(get_int32(v, "status", what, static_cast<int>(RoomStatus::active)));
  r.tags = get_str(v, "tags", what).value_or("");
  r.settings = RoomSettings::from_tags(r.tags);
  r.created_at = get_time(v, "createdAt", what);
  r.updated_at = get_time(v, "updatedAt", what);
  r.object_type = get_str(v, "objectType", what).value_or("");
  return r;
}

Event event_from_wire(const Json& v) {
  constexpr std::string_view what = "schedule event";
  require_object(v, what);
  Event e;
  auto id = get_int(v, "id", what);
  if (!id) throw ProtocolError("schedule event without an id");
  e.id = EventId(*id);
  if (auto p = get_int(v, "partnerId", what)) e.partner_id = PartnerId(*p);
  if (auto p = get_int(v, "parentId", what); p && *p != 0) e.parent_id = EventId(*p);
  e.summary = get_str(v, "summary", what).value_or("");
  e.description = get_str(v, "description", what);
  e.status = static_cast<EventStatus>(get_int32(v, "status", what, static_cast<int>(EventStatus::active)));
  e.start = get_time(v, "startDate", what);
  e.end = get_time(v, "endDate", what);
  e.reference_id = get_str(v, "referenceId", what);
  if (const Json* l = field(v, "linkedTo")) {
    require_object(*l, "KalturaLinkedScheduleEvent");
    LinkedEvent linked;
    linked.offset = std::chrono::seconds(get_int(*l, "offset", what).value_or(0));
    linked.event_id = EventId(get_int(*l, "eventId", what).value_or(0));
    e.linked_to = linked;
  }
  e.linked_by = get_str(v, "linkedBy", what);
  if (auto c = get_opt_int32(v, "classificationType", what)) e.classification = static_cast<Classification>(*c);
  e.geo_latitude = get_double(v, "geoLatitude", what);
  e.geo_longitude = get_double(v, "geoLongitude", what);
  e.location = get_str(v, "location", what);
  e.organizer = get_str(v, "organizer", what);
  e.owner_id = get_str(v, "ownerId", what);
  e.priority = get_opt_int32(v, "priority", what);
  e.sequence = get_opt_int32(v, "sequence", what);
  e.recurrence_type = static_cast<RecurrenceType>(get_int32(v, "recurrenceType", what, 0));
  if (auto d = get_int(v, "duration", what)) e.duration = std::chrono::seconds(*d);
  e.contact = get_str(v, "contact", what);
  e.comment = get_str(v, "comment", what);
  e.tags = get_str(v, "tags", what).value_or("");
  e.settings = EventSettings::from_tags(e.tags);
  e.created_at = get_time(v, "createdAt", what);
  e.updated_at = get_time(v, "updatedAt", what);
  if (const Json* r = field(v, "recurrence")) e.recurrence = recurrence_from_wire(*r);
  e.template_entry_id = get_str(v, "templateEntryId", what);
  e.entry_ids = get_str(v, "entryIds", what);
  e.category_ids = get_str(v, "categoryIds", what);
  if (const Json* b = field(v, "blackoutConflicts"); b != nullptr && b->is_array()) {
    for (const auto& conflict : *b) {
      if (conflict.is_object()) {
        if (auto cid = get_int(conflict, "id", what)) e.blackout_conflicts.emplace_back(*cid);
      }
    }
  }
  if (auto p = get_int(v, "preStartTime", what)) e.pre_start_time = std::chrono::seconds(*p);
  e.object_type = get_str(v, "objectType", what).value_or("");
  if (e.object_type == kRecordEventType) {
    e.type = EventType::record;
  } else if (e.object_type == kMeetingEventType) {
    e.type = EventType::meeting;
  } else {
    e.type = EventType::other;
  }
  return e;
}

EventRoomLink link_from_wire(const Json& v) {
  constexpr std::string_view what = "schedule event resource";
  require_object(v, what);
  EventRoomLink l;
  auto event = get_int(v, "eventId", what);
  auto room = get_int(v, "resourceId", what);
  if (!event || !room) throw ProtocolError("schedule event resource without eventId/resourceId");
  l.event_id = EventId(*event);
  l.room_id = RoomId(*room);
  if (auto p = get_int(v, "partnerId", what)) l.partner_id = PartnerId(*p);
  l.created_at = get_time(v, "createdAt", what);
  l.updated_at = get_time(v, "updatedAt", what);
  return l;
}

Page<Room> room_page_from_wire(const Json& v) {
  return page_from_wire<Room>(v, "KalturaScheduleResourceListResponse", room_from_wire);
}
Page<Event> event_page_from_wire(const Json& v) {
  return page_from_wire<Event>(v, "KalturaScheduleEventListResponse", event_from_wire);
}
Page<EventRoomLink> link_page_from_wire(const Json& v) {
  return page_from_wire<EventRoomLink>(v, "KalturaScheduleEventResourceListResponse", link_from_wire);
}

}  // namespace detail
}  // namespace kmeet
