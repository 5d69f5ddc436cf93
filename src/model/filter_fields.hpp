#pragma once
// The fields of the list filters (protocol.md D.6), each listed once.
//
// `visit_fields(filter, f)` calls `f(wire_key, member_name, member)` — or, for a field that needs
// more than its type says, `f(wire_key, member_name, member, spec)` — for every field of the
// filter, in the order the fields are sent. validate.cpp checks and wire.cpp encodes every field
// through it (as settings.cpp does for the settings), so a new filter field is its member in
// kmeet/model.hpp and one line here. How a field is checked and encoded follows from its type:
//   std::optional<Id>  / std::vector<Id>          id > 0 (at most 500)   number / comma list
//   std::optional<std::string>                    not empty, UTF-8       string
//   std::string (empty = unset)                   UTF-8                  string
//   std::vector<std::string>                      no empty, no ','       comma list
//   (string fields with kEntryId)                 an entry id (J.3)      as above
//   std::optional<Timestamp>                      absolute time (A.6)    Unix seconds
//   std::optional<int> / std::vector<int>         spec.min..spec.max     number / comma list
//   std::optional<E> / std::vector<E>, E an enum  filter_enum(E{})       number or wire name / comma list

#include <array>
#include <string>
#include <string_view>
#include <type_traits>

#include "kmeet/app_tokens.hpp"
#include "kmeet/model.hpp"
#include "kmeet/recordings.hpp"

namespace kmeet::detail {

/// How a field is checked and sent beyond what its type says.
struct FieldSpec {
  int min = 0;  ///< bounds of an int field (inclusive)
  int max = 0;
  bool id_as_text = false;  ///< an id the API declares as a string
  bool entry_id = false;    ///< a string that is an entry id (letters, digits, '_')
};
inline constexpr FieldSpec kPriority{.min = 0, .max = 9};
inline constexpr FieldSpec kIdAsText{.id_as_text = true};
inline constexpr FieldSpec kEntryId{.entry_id = true};

/// The values of an enum filter field: `filter_enum(E{})` gives its bounds (sent as a number), or
/// the names it is sent by (index = enumerator value).
struct EnumBounds {
  int min, max;
};
inline constexpr std::array<std::string_view, 4> kTimeOrders = {"+createdAt", "-createdAt", "+updatedAt",
                                                                "-updatedAt"};
inline constexpr std::array<std::string_view, 12> kEventOrders = {
    "+createdAt", "-createdAt", "+endDate", "-endDate", "+priority",  "-priority",
    "+startDate", "-startDate", "+summary", "-summary", "+updatedAt", "-updatedAt"};
inline constexpr std::array<std::string_view, 3> kEventFilterTypes = {  // protocol.md D.3, D.6
    "KalturaRecordScheduleEventFilter", "KalturaMeetingScheduleEventFilter",
    "KalturaEntryScheduleEventFilter"};
inline constexpr std::array<std::string_view, 6> kRecordingOrders = {"+createdAt", "-createdAt", "+updatedAt",
                                                                     "-updatedAt", "+name",      "-name"};
/// `KalturaEntryStatus` on the wire, by EntryStatus (protocol.md J.5); `unknown` cannot be sent.
inline constexpr std::array<std::string_view, 12> kEntryStatuses = {
    "-2", "-1", "0", "1", "2", "3", "4", "5", "6", "7", "virusScan.Infected", "virusScan.ScanFailure"};
constexpr EnumBounds filter_enum(AppTokenStatus /*unused*/) { return {1, 3}; }  // KalturaAppTokenStatus
constexpr const auto& filter_enum(RecordingOrder /*unused*/) { return kRecordingOrders; }
constexpr const auto& filter_enum(EntryStatus /*unused*/) { return kEntryStatuses; }
constexpr EnumBounds filter_enum(RoomStatus /*unused*/) { return {1, 3}; }   // KalturaScheduleResourceStatus
constexpr EnumBounds filter_enum(EventStatus /*unused*/) { return {1, 3}; }  // KalturaScheduleEventStatus
constexpr EnumBounds filter_enum(RecurrenceType /*unused*/) { return {0, 2}; }  // ...RecurrenceType
constexpr const auto& filter_enum(RoomOrder /*unused*/) { return kTimeOrders; }
constexpr const auto& filter_enum(LinkOrder /*unused*/) { return kTimeOrders; }
constexpr const auto& filter_enum(EventOrder /*unused*/) { return kEventOrders; }
constexpr const auto& filter_enum(EventListType /*unused*/) { return kEventFilterTypes; }

/// True when the enum is sent by name.
template <class E>
inline constexpr bool kSentByName = !std::is_same_v<decltype(filter_enum(E{})), EnumBounds>;

/// The lowest and highest valid value of an enum filter field.
template <class E>
constexpr EnumBounds enum_bounds() {
  if constexpr (kSentByName<E>) {
    return {0, static_cast<int>(filter_enum(E{}).size()) - 1};
  } else {
    return filter_enum(E{});
  }
}

// `<key>GreaterThanOrEqual` / `<key>LessThanOrEqual` <-> `<name>_gte` / `<name>_lte`.
template <class V, class F, class... Spec>
void visit_bounds(F& f, std::string_view key, std::string_view name, const V& gte, const V& lte,
                  Spec... spec) {
  f(std::string(key) + "GreaterThanOrEqual", std::string(name) + "_gte", gte, spec...);
  f(std::string(key) + "LessThanOrEqual", std::string(name) + "_lte", lte, spec...);
}

// `<key>Like`, `<key>MultiLikeOr`, `<key>MultiLikeAnd` <-> `<name>_like`, `_multi_like_or`,
// `_multi_like_and`.
template <class F>
void visit_like(F& f, std::string_view key, std::string_view name, const std::optional<std::string>& like,
                const std::vector<std::string>& any, const std::vector<std::string>& all) {
  f(std::string(key) + "Like", std::string(name) + "_like", like);
  f(std::string(key) + "MultiLikeOr", std::string(name) + "_multi_like_or", any);
  f(std::string(key) + "MultiLikeAnd", std::string(name) + "_multi_like_and", all);
}

template <class Filter, class F>
void visit_times(const Filter& x, F& f) {
  visit_bounds(f, "createdAt", "created_at", x.created_at_gte, x.created_at_lte);
  visit_bounds(f, "updatedAt", "updated_at", x.updated_at_gte, x.updated_at_lte);
}

// The object's own id and its parent's, in rooms and events alike.
template <class Filter, class F>
void visit_ids(const Filter& x, F& f) {
  f("idEqual", "id", x.id);
  f("idIn", "id_in", x.id_in);
  f("idNotIn", "id_not_in", x.id_not_in);
  f("parentIdEqual", "parent_id", x.parent_id);
  f("parentIdIn", "parent_id_in", x.parent_id_in);
}

/// `KalturaLocationScheduleResourceFilter` (its objectType is fixed: kRoomFilterType).
template <class F>
void visit_fields(const RoomFilter& x, F&& f) {
  visit_ids(x, f);
  f("nameEqual", "name", x.name);
  f("systemNameEqual", "system_name", x.system_name);
  f("systemNameIn", "system_name_in", x.system_name_in);
  f("statusEqual", "status", x.status);
  f("statusIn", "status_in", x.status_in);
  visit_like(f, "tags", "tags", x.tags_like, x.tags_multi_like_or, x.tags_multi_like_and);
  visit_times(x, f);
  f("orderBy", "order_by", x.order_by);
}

/// The room an event filter asks for, and the member that holds it: `room_id`, else the
/// deprecated `room`.
struct FilterRoom {
  std::string_view member;
  std::optional<RoomId> id;
};
inline FilterRoom room_of(const EventFilter& x) {
  if (!x.room_id && x.room.get()) return {"room", x.room.get()};
  return {"room_id", x.room_id};
}

/// An event filter; its objectType is the `type` field.
template <class F>
void visit_fields(const EventFilter& x, F&& f) {
  f("objectType", "type", std::optional(x.type));  // always set
  visit_ids(x, f);
  f("parentIdNotIn", "parent_id_not_in", x.parent_id_not_in);
  f("statusEqual", "status", x.status);
  f("statusIn", "status_in", x.status_in);
  visit_bounds(f, "startDate", "start_date", x.start_date_gte, x.start_date_lte);
  visit_bounds(f, "endDate", "end_date", x.end_date_gte, x.end_date_lte);
  f("referenceIdEqual", "reference_id", x.reference_id);
  f("referenceIdIn", "reference_id_in", x.reference_id_in);
  f("ownerIdEqual", "owner_id", x.owner_id);
  f("ownerIdIn", "owner_id_in", x.owner_id_in);
  f("priorityEqual", "priority", x.priority, kPriority);
  f("priorityIn", "priority_in", x.priority_in, kPriority);
  visit_bounds(f, "priority", "priority", x.priority_gte, x.priority_lte, kPriority);
  f("recurrenceTypeEqual", "recurrence_type", x.recurrence_type);
  f("recurrenceTypeIn", "recurrence_type_in", x.recurrence_type_in);
  visit_like(f, "tags", "tags", x.tags_like, x.tags_multi_like_or, x.tags_multi_like_and);
  visit_times(x, f);
  visit_like(f, "resourceIds", "resource_ids", x.resource_ids_like, x.resource_ids_multi_like_or,
             x.resource_ids_multi_like_and);
  visit_like(f, "parentResourceIds", "parent_resource_ids", x.parent_resource_ids_like,
             x.parent_resource_ids_multi_like_or, x.parent_resource_ids_multi_like_and);
  visit_like(f, "templateEntryCategoriesIds", "template_entry_categories_ids",
             x.template_entry_categories_ids_like, x.template_entry_categories_ids_multi_like_or,
             x.template_entry_categories_ids_multi_like_and);
  visit_like(f, "resourceSystemNames", "resource_system_names", x.resource_system_names_like,
             x.resource_system_names_multi_like_or, x.resource_system_names_multi_like_and);
  const FilterRoom room = room_of(x);
  f("resourceIdEqual", room.member, room.id, kIdAsText);  // declared a string by the API
  f("templateEntryIdEqual", "template_entry_id", x.template_entry_id);
  visit_like(f, "entryIds", "entry_ids", x.entry_ids_like, x.entry_ids_multi_like_or,
             x.entry_ids_multi_like_and);
  visit_like(f, "categoryIds", "category_ids", x.category_ids_like, x.category_ids_multi_like_or,
             x.category_ids_multi_like_and);
  visit_like(f, "parentCategoryIds", "parent_category_ids", x.parent_category_ids_like,
             x.parent_category_ids_multi_like_or, x.parent_category_ids_multi_like_and);
  f("orderBy", "order_by", x.order_by);
}

/// `KalturaScheduleEventResourceFilter` (its objectType is fixed: kLinkFilterType).
template <class F>
void visit_fields(const LinkFilter& x, F&& f) {
  f("eventIdEqual", "event_id", x.event_id);
  f("eventIdIn", "event_id_in", x.event_id_in);
  f("resourceIdEqual", "room_id", x.room_id);
  f("resourceIdIn", "room_id_in", x.room_id_in);
  visit_times(x, f);
  f("eventIdOrItsParentIdEqual", "event_id_or_its_parent_id", x.event_id_or_its_parent_id);
  f("orderBy", "order_by", x.order_by);
}

/// `KalturaMediaEntryFilter` (protocol.md J.4; its objectType is fixed: kMediaFilterType).
template <class F>
void visit_fields(const RecordingFilter& x, F&& f) {
  f("referenceIdEqual", "reference_id", x.reference_id);
  f("rootEntryIdEqual", "root_entry_id", x.root_entry_id, kEntryId);
  f("rootEntryIdIn", "root_entry_id_in", x.root_entry_id_in, kEntryId);
  f("statusEqual", "status", x.status);
  f("statusIn", "status_in", x.status_in);
  visit_bounds(f, "createdAt", "created_at", x.created_at_gte, x.created_at_lte);
  f("orderBy", "order_by", x.order_by);
}

/// `KalturaAppTokenFilter` (protocol.md I.4; its objectType is fixed: kAppTokenFilterType).
template <class F>
void visit_fields(const AppTokenFilter& x, F&& f) {
  f("idEqual", "id", x.id);
  f("idIn", "id_in", x.id_in);
  visit_bounds(f, "createdAt", "created_at", x.created_at_gte, x.created_at_lte);
  f("statusEqual", "status", x.status);
  f("sessionUserIdEqual", "session_user_id", x.session_user_id);
}

inline constexpr std::string_view kAppTokenFilterType = "KalturaAppTokenFilter";
inline constexpr std::string_view kRoomFilterType = "KalturaLocationScheduleResourceFilter";
inline constexpr std::string_view kLinkFilterType = "KalturaScheduleEventResourceFilter";

}  // namespace kmeet::detail
