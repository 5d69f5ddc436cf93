#include "model/wire.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "api/wire_read.hpp"
#include "core/redact.hpp"
#include "kmeet/errors.hpp"
#include "model/filter_fields.hpp"
#include "model/model_fields.hpp"
#include "model/recording_wire.hpp"
#include "model/settings_codec.hpp"

namespace kmeet {

// ---- public enum spellings (E.5) ---------------------------------------------------------------

namespace {
constexpr std::string_view kFrequencies[] = {"seconds", "minutes", "hours", "days",
                                             "weeks",   "months",  "years"};
constexpr std::string_view kWeekDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
}  // namespace

std::string_view to_string(RecurrenceFrequency f) noexcept {
  auto i = static_cast<std::size_t>(f);
  return i < std::size(kFrequencies) ? kFrequencies[i] : std::string_view{};
}
std::string_view to_string(WeekDay d) noexcept {
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

// ---- encoding: one spelling per value type -----------------------------------------------------

std::int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }

template <class Range, class Conv>
std::string join(const Range& values, Conv conv) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ',';
    out += conv(v);
  }
  return out;
}

WireJson recurrence_to_wire(const Recurrence& r);

WireJson value_of(const std::string& s) { return s; }
WireJson value_of(Timestamp t) { return secs(t); }
WireJson value_of(double d) { return d; }
WireJson value_of(int i) { return i; }
WireJson value_of(RoomId id) { return id.value(); }
WireJson value_of(std::chrono::seconds s) { return s.count(); }
WireJson value_of(Classification c) { return static_cast<int>(c); }
WireJson value_of(RecurrenceType t) { return static_cast<int>(t); }
WireJson value_of(RecurrenceFrequency f) { return std::string(to_string(f)); }
WireJson value_of(WeekDay d) { return std::string(to_string(d)); }
WireJson value_of(const Recurrence& r) { return recurrence_to_wire(r); }
WireJson value_of(const RoomSettings& s) { return encode_room_tags(s, "room.settings"); }
WireJson value_of(const EventSettings& s) { return encode_event_tags(s, "event.settings"); }
WireJson value_of(const LinkedEvent& l) {
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaLinkedScheduleEvent";
  o["offset"] = l.offset.count();
  o["eventId"] = l.event_id.value();
  return o;
}

// Writes one field of a model table (model/model_fields.hpp): an unset optional is not sent; an
// Update<T> sends its value, or `<key>__null: ""` when cleared (protocol.md A.5).
struct ModelWriter {
  WireJson& o;

  template <class T>
  void operator()(const char* key, const std::optional<T>& v) const {
    if (v) o[key] = value_of(*v);
  }
  template <class T>
  void operator()(const char* key, const Update<T>& u) const {
    if (u.is_set()) {
      o[key] = value_of(u.value());
    } else if (u.is_clear()) {
      o[std::string(key) + "__null"] = "";
    }
  }
  void operator()(const char* key, const std::string& v) const { o[key] = v; }
  void operator()(const char* key, RecurrenceType t) const { o[key] = value_of(t); }
  void operator()(const char* key, const RoomSettings& s) const { o[key] = value_of(s); }
  void operator()(const char* key, const EventSettings& s) const {  // no tags when there are no settings
    if (std::string tags = encode_event_tags(s, "event.settings"); !tags.empty()) o[key] = std::move(tags);
  }
};

WireJson recurrence_to_wire(const Recurrence& r) {
  WireJson o = WireJson::object();
  o["objectType"] = "KalturaScheduleEventRecurrence";
  visit_fields_of_recurrence(r, ModelWriter{o});
  return o;
}

// Writes one filter field (model/filter_fields.hpp) into `o`; unset fields are not sent.
struct FieldWriter {
  WireJson& o;

  template <class Tag>
  void operator()(std::string_view key, std::string_view /*name*/, const std::optional<Id<Tag>>& id,
                  FieldSpec spec = {}) const {
    if (id && spec.id_as_text) {
      o[std::string(key)] = id->str();
    } else if (id) {
      o[std::string(key)] = id->value();
    }
  }
  template <class Tag>
  void operator()(std::string_view key, std::string_view /*name*/, const std::vector<Id<Tag>>& ids) const {
    if (!ids.empty()) o[std::string(key)] = join(ids, [](const Id<Tag>& id) { return id.str(); });
  }
  void operator()(std::string_view key, std::string_view /*name*/, const std::optional<std::string>& v,
                  FieldSpec /*spec*/ = {}) const {
    if (v) o[std::string(key)] = *v;
  }
  void operator()(std::string_view key, std::string_view /*name*/, const std::string& v) const {
    if (!v.empty()) o[std::string(key)] = v;
  }
  void operator()(std::string_view key, std::string_view /*name*/, const std::vector<std::string>& v,
                  FieldSpec /*spec*/ = {}) const {
    if (!v.empty()) o[std::string(key)] = join(v, [](const std::string& s) { return s; });
  }
  void operator()(std::string_view key, std::string_view /*name*/, const std::optional<Timestamp>& t) const {
    if (t) o[std::string(key)] = secs(*t);
  }
  void operator()(std::string_view key, std::string_view /*name*/, const std::optional<int>& v, FieldSpec /*spec*/) const {
    if (v) o[std::string(key)] = *v;
  }
  void operator()(std::string_view key, std::string_view /*name*/, const std::vector<int>& v, FieldSpec /*spec*/) const {
    if (!v.empty()) o[std::string(key)] = join(v, [](int i) { return std::to_string(i); });
  }
  template <class E>
    requires std::is_enum_v<E>
  void operator()(std::string_view key, std::string_view /*name*/, const std::optional<E>& e) const {
    if (!e) return;
    if constexpr (kSentByName<E>) {
      o[std::string(key)] = filter_enum(E{}).at(static_cast<std::size_t>(*e));
    } else {
      o[std::string(key)] = static_cast<int>(*e);
    }
  }
  template <class E>
    requires std::is_enum_v<E>
  void operator()(std::string_view key, std::string_view /*name*/, const std::vector<E>& v) const {
    if (v.empty()) return;
    if constexpr (kSentByName<E>) {
      o[std::string(key)] = join(v, [](E e) { return std::string(filter_enum(E{}).at(static_cast<std::size_t>(e))); });
    } else {
      o[std::string(key)] = join(v, [](E e) { return std::to_string(static_cast<int>(e)); });
    }
  }
};

template <class Filter>
WireJson filter_to_wire(std::string_view object_type, const Filter& filter) {
  WireJson o = WireJson::object();
  if (!object_type.empty()) o["objectType"] = object_type;
  visit_fields(filter, FieldWriter{o});
  return o;
}

// ---- decoding helpers --------------------------------------------------------------------------

// An int field (32 bits), as wire_read::integer_or_empty reads it.
std::optional<int> get_opt_int32(const Json& o, const char* key, std::string_view what) {
  const auto n = wire_read::integer_or_empty(o, key, what);
  if (!n) return std::nullopt;
  if (*n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
    wire_read::bad(what, key, o.at(key));
  return static_cast<int>(*n);
}

int get_int32(const Json& o, const char* key, std::string_view what, int fallback) {
  return get_opt_int32(o, key, what).value_or(fallback);
}

void require_object(const Json& v, std::string_view what) {
  if (!v.is_object())
    throw ProtocolError(fmt::format("expected a {} object, got {}", what, safe_snippet(v.dump(), 80)));
}

Recurrence recurrence_from_wire(const Json& o);

// Reads one field of a model table (model/model_fields.hpp); absent or null leaves it unset.
struct ModelReader {
  const Json& v;
  std::string_view what;

  void operator()(const char* key, std::string& m) const { m = wire_read::text(v, key, what).value_or(""); }
  void operator()(const char* key, std::optional<std::string>& m) const { m = wire_read::text(v, key, what); }
  void operator()(const char* key, std::optional<Timestamp>& m) const { m = wire_read::time_or_empty(v, key, what); }
  void operator()(const char* key, std::optional<double>& m) const { m = wire_read::number(v, key, what); }
  void operator()(const char* key, std::optional<int>& m) const { m = get_opt_int32(v, key, what); }
  template <class Tag>
  void operator()(const char* key, std::optional<Id<Tag>>& m) const {
    if (auto p = wire_read::integer_or_empty(v, key, what); p && *p != 0) m = Id<Tag>(*p);
  }
  void operator()(const char* key, std::optional<std::chrono::seconds>& m) const {
    if (auto d = wire_read::integer_or_empty(v, key, what)) m = std::chrono::seconds(*d);
  }
  void operator()(const char* key, std::optional<Classification>& m) const {
    if (auto c = get_opt_int32(v, key, what)) m = static_cast<Classification>(*c);
  }
  void operator()(const char* key, RecurrenceType& m) const {
    m = static_cast<RecurrenceType>(get_int32(v, key, what, 0));
  }
  void operator()(const char* key, std::optional<RecurrenceFrequency>& m) const {
    if (auto f = wire_read::text(v, key, what)) m = parse_recurrence_frequency(*f);
  }
  void operator()(const char* key, std::optional<WeekDay>& m) const {
    if (auto d = wire_read::text(v, key, what)) m = parse_week_day(*d);
  }
  void operator()(const char* key, std::optional<Recurrence>& m) const {
    if (const Json* r = wire_read::field(v, key)) m = recurrence_from_wire(*r);
  }
  void operator()(const char* key, std::optional<LinkedEvent>& m) const {
    const Json* l = wire_read::field(v, key);
    if (l == nullptr) return;
    require_object(*l, "KalturaLinkedScheduleEvent");
    m = LinkedEvent{.offset = std::chrono::seconds(wire_read::integer_or_empty(*l, "offset", what).value_or(0)),
                    .event_id = EventId(wire_read::integer_or_empty(*l, "eventId", what).value_or(0))};
  }
  template <class S>
    requires std::same_as<S, RoomSettings> || std::same_as<S, EventSettings>
  void operator()(const char* key, S& s) const {
    s = S::from_tags(wire_read::text(v, key, what).value_or(""));
  }
};

Recurrence recurrence_from_wire(const Json& o) {
  constexpr std::string_view what = "KalturaScheduleEventRecurrence";
  require_object(o, what);
  Recurrence r;
  visit_fields_of_recurrence(r, ModelReader{o, what});
  return r;
}

// The read-only fields rooms and events share; the id is required.
template <class T>
T read_only_fields(const Json& v, std::string_view what) {
  require_object(v, what);
  T o;
  const auto id = wire_read::integer_or_empty(v, "id", what);
  if (!id) throw ProtocolError(fmt::format("{} without an id", what));
  o.id = decltype(o.id)(*id);
  if (auto p = wire_read::integer_or_empty(v, "partnerId", what)) o.partner_id = PartnerId(*p);
  using Status = decltype(o.status);
  o.status = static_cast<Status>(get_int32(v, "status", what, static_cast<int>(Status::active)));
  o.tags = wire_read::text(v, "tags", what).value_or("");
  o.created_at = wire_read::time_or_empty(v, "createdAt", what);
  o.updated_at = wire_read::time_or_empty(v, "updatedAt", what);
  o.object_type = wire_read::text(v, "objectType", what).value_or("");
  return o;
}

template <class T, class F>
Page<T> page_from_wire(const Json& v, std::string_view what, F from) {
  require_object(v, what);
  Page<T> page;
  const Json* objects = wire_read::field(v, "objects");
  if (objects != nullptr) {
    if (!objects->is_array())
      throw ProtocolError(fmt::format("{}: 'objects' is not an array", what));
    page.items.reserve(objects->size());
    for (const auto& item : *objects) page.items.push_back(from(item));
  }
  page.total_count = wire_read::integer_or_empty(v, "totalCount", what).value_or(static_cast<std::int64_t>(page.items.size()));
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
  visit_fields_of_room(room, ModelWriter{o});
  return o;
}

WireJson to_wire(const RoomUpdate& u) {
  WireJson o = WireJson::object();
  o["objectType"] = kRoomType;
  visit_fields_of_room(u, ModelWriter{o});
  return o;
}

WireJson to_wire(const Event& e) {
  WireJson o = WireJson::object();
  o["objectType"] = event_object_type(e.type);
  visit_fields_of_event(e, ModelWriter{o});
  if (e.type == EventType::meeting && e.pre_start_time) o["preStartTime"] = e.pre_start_time->count();
  return o;
}

WireJson to_wire(const EventUpdate& u) {
  WireJson o = WireJson::object();
  o["objectType"] = event_object_type(u.type);
  const ModelWriter write{o};
  visit_fields_of_event(u, write);
  write("preStartTime", u.pre_start_time);
  return o;
}

WireJson link_to_wire(WireJson event_id, WireJson room_id) {
  WireJson o = WireJson::object();
  o["objectType"] = kLinkType;
  o["eventId"] = std::move(event_id);
  o["resourceId"] = std::move(room_id);
  return o;
}

WireJson to_wire(const RoomFilter& f) { return filter_to_wire(kRoomFilterType, f); }
WireJson to_wire(const EventFilter& f) { return filter_to_wire({}, f); }  // objectType: f.type
WireJson to_wire(const LinkFilter& f) { return filter_to_wire(kLinkFilterType, f); }
WireJson to_wire(const RecordingFilter& f) { return filter_to_wire(kMediaFilterType, f); }
WireJson to_wire(const AppTokenFilter& f) { return filter_to_wire(kAppTokenFilterType, f); }

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
  Room r = read_only_fields<Room>(v, what);
  visit_fields_of_room(r, ModelReader{v, what});
  return r;
}

Event event_from_wire(const Json& v) {
  constexpr std::string_view what = "schedule event";
  Event e = read_only_fields<Event>(v, what);
  const ModelReader read{v, what};
  read("parentId", e.parent_id);
  visit_fields_of_event(e, read);
  read("preStartTime", e.pre_start_time);
  if (const Json* b = wire_read::field(v, "blackoutConflicts"); b != nullptr && b->is_array()) {
    for (const auto& conflict : *b) {
      if (conflict.is_object()) {
        if (auto cid = wire_read::integer_or_empty(conflict, "id", what)) e.blackout_conflicts.emplace_back(*cid);
      }
    }
  }
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
  auto event = wire_read::integer_or_empty(v, "eventId", what);
  auto room = wire_read::integer_or_empty(v, "resourceId", what);
  if (!event || !room) throw ProtocolError("schedule event resource without eventId/resourceId");
  l.event_id = EventId(*event);
  l.room_id = RoomId(*room);
  if (auto p = wire_read::integer_or_empty(v, "partnerId", what)) l.partner_id = PartnerId(*p);
  l.created_at = wire_read::time_or_empty(v, "createdAt", what);
  l.updated_at = wire_read::time_or_empty(v, "updatedAt", what);
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
