#pragma once
// The writable fields of rooms, events and recurrences (protocol.md E), each listed once.
//
// `visit_fields(object, f)` calls `f(wire_key, member)` for every writable field, in the order
// they are sent (the order of protocol.md E, which the official Node client uses). The same table
// serves the object (`Room`, `Event`: add), its patch (`RoomUpdate`, `EventUpdate`: update, where
// each member is an `Update<T>`) and decoding, so wire.cpp says once how each field is spelled.
// Read-only fields (id, partnerId, status, timestamps...) are decoded by wire.cpp alone.

#include <type_traits>

#include "kmeet/model.hpp"

namespace kmeet::detail {

template <class R, class F>
void visit_fields_of_recurrence(R& r, F&& f) {
  f("name", r.name);
  f("frequency", r.frequency);
  f("until", r.until);
  f("timeZone", r.time_zone);
  f("count", r.count);
  f("interval", r.interval);
  f("bySecond", r.by_second);
  f("byMinute", r.by_minute);
  f("byHour", r.by_hour);
  f("byDay", r.by_day);
  f("byMonthDay", r.by_month_day);
  f("byYearDay", r.by_year_day);
  f("byWeekNumber", r.by_week_number);
  f("byMonth", r.by_month);
  f("byOffset", r.by_offset);
  f("weekStartDay", r.week_start_day);
}

/// A `Room` or a `RoomUpdate` (const or not).
template <class R, class F>
void visit_fields_of_room(R& r, F&& f) {
  f("parentId", r.parent_id);
  f("name", r.name);
  f("systemName", r.system_name);
  f("description", r.description);
  f("tags", r.settings);
}

/// An `Event` or an `EventUpdate` (const or not); `preStartTime` (meeting events only) is left to
/// the caller.
template <class E, class F>
void visit_fields_of_event(E& e, F&& f) {
  constexpr bool kObject = std::is_same_v<std::remove_const_t<E>, Event>;
  f("summary", e.summary);
  f("description", e.description);
  f("startDate", e.start);
  f("endDate", e.end);
  f("referenceId", e.reference_id);
  if constexpr (kObject) f("linkedTo", e.linked_to);
  f("linkedBy", e.linked_by);
  f("classificationType", e.classification);
  f("geoLatitude", e.geo_latitude);
  f("geoLongitude", e.geo_longitude);
  f("location", e.location);
  f("organizer", e.organizer);
  f("ownerId", e.owner_id);
  f("priority", e.priority);
  if constexpr (kObject) {
    f("sequence", e.sequence);
    f("recurrenceType", e.recurrence_type);
    f("duration", e.duration);
  }
  f("contact", e.contact);
  f("comment", e.comment);
  f("tags", e.settings);
  f("recurrence", e.recurrence);
  f("templateEntryId", e.template_entry_id);
  f("entryIds", e.entry_ids);
  f("categoryIds", e.category_ids);
}

}  // namespace kmeet::detail
