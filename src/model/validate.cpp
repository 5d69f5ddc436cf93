#include "model/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kmeet/errors.hpp"
#include "kmeet/validate.hpp"
#include "core/encoding.hpp"
#include "model/settings_codec.hpp"
#include "model/recording_template.hpp"

namespace kmeet::detail {
namespace {

std::string f(std::string_view prefix, std::string_view member) {
  return fmt::format("{}.{}", prefix, member);
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f;
  });
}

// The body is JSON, which must be UTF-8 (protocol.md A.2): refuse here, naming the field, rather than
// fail inside the encoder.
void check_utf8(std::string_view value, const std::string& field) {
  if (const auto at = invalid_utf8_at(value); at != std::string_view::npos) {
    throw ValidationError(field, fmt::format("must be valid UTF-8 (bad byte at offset {})", at));
  }
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

void check_name(std::string_view value, const std::string& field) {
  if (value.empty()) throw ValidationError(field, "must not be empty");
  if (blank(value)) throw ValidationError(field, "must not be blank (only spaces)");
  if (value.size() > kMaxNameLength)
    throw ValidationError(field, fmt::format("must be at most {} bytes (got {})", kMaxNameLength, value.size()));
  if (has_control(value)) throw ValidationError(field, "must not contain control characters");
  check_utf8(value, field);
}

/// A text filter value: the server skips an empty one (`baseObjectFilter::attachToFinalCriteria`),
/// so "" would silently list everything.
void check_filter_text(const std::optional<std::string>& value, const std::string& field) {
  if (value && value->empty())
    throw ValidationError(field, "must not be empty: the server ignores an empty filter value and would list "
                                 "everything (leave it unset)");
}

void check_text(const std::optional<std::string>& value, const std::string& field) {
  if (value && has_control(*value)) throw ValidationError(field, "must not contain control characters");
  if (value) check_utf8(*value, field);
}

// An element of a comma-joined list must not itself contain a comma.
void check_list(const std::vector<std::string>& values, const std::string& field) {
  if (values.size() > static_cast<std::size_t>(kMaxPageSize))
    throw ValidationError(field, fmt::format("at most {} values (got {})", kMaxPageSize, values.size()));
  for (const auto& v : values) {
    if (v.empty()) throw ValidationError(field, "values must not be empty");
    check_utf8(v, field);
    if (v.find(',') != std::string::npos)
      throw ValidationError(field, fmt::format("value '{}' must not contain ',' (the list separator)", v));
  }
}

template <class Tag>
void check_ids(const std::vector<Id<Tag>>& ids, const std::string& field) {
  if (ids.size() > static_cast<std::size_t>(kMaxPageSize))
    throw ValidationError(field, fmt::format("at most {} ids (got {})", kMaxPageSize, ids.size()));
  for (const auto& id : ids) validate_id(id.value(), field);
}

template <class Tag>
void check_id(const std::optional<Id<Tag>>& id, const std::string& field) {
  if (id) validate_id(id->value(), field);
}

void check_time(const std::optional<Timestamp>& t, const std::string& field) {
  if (t) validate_time(*t, field);
}

template <class E>
void check_enum(E e, int lo, int hi, const std::string& field) {
  int v = static_cast<int>(e);
  if (v < lo || v > hi)
    throw ValidationError(field, fmt::format("{} is not a valid value ({}..{})", v, lo, hi));
}
template <class E>
void check_enum(const std::optional<E>& e, int lo, int hi, const std::string& field) {
  if (e) check_enum(*e, lo, hi, field);
}
template <class E>
void check_enums(const std::vector<E>& es, int lo, int hi, const std::string& field) {
  for (const auto& e : es) check_enum(e, lo, hi, field);
}

void check_priority(std::optional<int> p, const std::string& field) {
  if (p && (*p < 0 || *p > 9)) throw ValidationError(field, fmt::format("must be 0..9 (got {})", *p));
}

void check_geo(std::optional<double> v, const std::string& field) {
  if (!v) return;
  if (!std::isfinite(*v)) throw ValidationError(field, "must be a finite number");
  if (*v < 0) throw ValidationError(field, "must be >= 0 (the server's minimum)");
}

void check_duration(Timestamp start, Timestamp end, bool meeting, bool allow_long, std::string_view prefix) {
  if (end <= start)
    throw ValidationError(f(prefix, "end"), fmt::format("must be after start ({} <= {})",
                                                        end.time_since_epoch().count(),
                                                        start.time_since_epoch().count()));
  auto limit = meeting ? kMaxSingleMeetingEvent : kMaxSingleEvent;
  if (!allow_long && end - start > limit)
    throw ValidationError(f(prefix, "end"),
                          fmt::format("the event lasts {} s, longer than the server's single-event limit of "
                                      "{} s; allow it explicitly (allow_long_event) if the server is configured for it",
                                      (end - start).count(), limit.count()));
}

void check_recurrence(const Recurrence& r, std::optional<Timestamp> end, std::string_view prefix) {
  std::string p = f(prefix, "recurrence");
  check_text(r.name, f(p, "name"));
  if (r.frequency) check_enum(*r.frequency, 0, 6, f(p, "frequency"));
  if (r.week_start_day) check_enum(*r.week_start_day, 0, 6, f(p, "week_start_day"));
  if (r.until) {
    validate_time(*r.until, f(p, "until"));
    if (end && *r.until < *end) throw ValidationError(f(p, "until"), "must not be before the event's end");
  }
  if (r.count && *r.count < 0) throw ValidationError(f(p, "count"), "must be >= 0");
  if (r.interval && *r.interval < 0) throw ValidationError(f(p, "interval"), "must be >= 0");
}

}  // namespace

void validate_id(std::int64_t id, std::string_view field) {
  if (id <= 0) throw ValidationError(std::string(field), fmt::format("must be a positive id (got {})", id));
}

void validate_time(Timestamp t, std::string_view field) {
  std::int64_t s = t.time_since_epoch().count();
  if (s >= -kMaxRelativeTime && s <= kMaxRelativeTime)
    throw ValidationError(std::string(field),
                          fmt::format("{} is not an absolute time: the server reads values within +-{} s of 0 as "
                                      "relative to now (docs/protocol.md A.6); pass Unix seconds",
                                      s, kMaxRelativeTime));
}

void validate_page_size(int page_size, std::string_view field) {
  if (page_size < 1 || page_size > kMaxPageSize)
    throw ValidationError(std::string(field), fmt::format("must be 1..{} (got {})", kMaxPageSize, page_size));
}

void validate(const Room& room, std::string_view prefix) {
  check_name(room.name, f(prefix, "name"));
  if (room.system_name) check_name(*room.system_name, f(prefix, "system_name"));
  check_text(room.description, f(prefix, "description"));
  check_id(room.parent_id, f(prefix, "parent_id"));
  check_utf8(encode_room_tags(room.settings, f(prefix, "settings")), f(prefix, "settings"));
}

void validate(const RoomUpdate& u, std::string_view prefix) {
  if (u.name.is_clear()) throw ValidationError(f(prefix, "name"), "cannot be cleared (it is required)");
  if (u.name.is_set()) check_name(u.name.value(), f(prefix, "name"));
  if (u.system_name.is_set()) check_name(u.system_name.value(), f(prefix, "system_name"));
  if (u.description.is_set()) check_text(u.description.value(), f(prefix, "description"));
  if (u.parent_id.is_set()) validate_id(u.parent_id.value().value(), f(prefix, "parent_id"));
  if (u.settings.is_clear())
    throw ValidationError(f(prefix, "settings"), "cannot be cleared (a room needs vcprovider:newrow)");
  if (u.settings.is_set()) (void)encode_room_tags(u.settings.value(), f(prefix, "settings"));
}

void validate(const Event& e, bool allow_long_event, std::string_view prefix) {
  check_name(e.summary, f(prefix, "summary"));
  if (e.type == EventType::other)
    throw ValidationError(f(prefix, "type"), "only record and meeting events can be created");
  check_text(e.description, f(prefix, "description"));
  check_enum(e.recurrence_type, 0, 1, f(prefix, "recurrence_type"));  // RECURRENCE(2) cannot be added
  bool meeting = e.type == EventType::meeting;
  if (e.linked_to) {
    if (e.start) throw ValidationError(f(prefix, "start"), "must not be set together with linked_to");
    if (!e.duration) throw ValidationError(f(prefix, "duration"), "is required with linked_to");
    if (e.recurrence_type != RecurrenceType::none)
      throw ValidationError(f(prefix, "linked_to"), "only events without recurrence can be linked");
    validate_id(e.linked_to->event_id.value(), f(prefix, "linked_to.event_id"));
  } else {
    if (!e.start) throw ValidationError(f(prefix, "start"), "is required");
    if (!e.end) throw ValidationError(f(prefix, "end"), "is required");
    validate_time(*e.start, f(prefix, "start"));
    validate_time(*e.end, f(prefix, "end"));
    check_duration(*e.start, *e.end, meeting,
                   allow_long_event || e.recurrence_type == RecurrenceType::recurring, prefix);
  }
  if (e.recurrence_type == RecurrenceType::recurring && !e.recurrence)
    throw ValidationError(f(prefix, "recurrence"), "is required for a recurring event");
  if (e.recurrence) check_recurrence(*e.recurrence, e.end, prefix);
  check_enum(e.classification, 1, 3, f(prefix, "classification"));
  check_geo(e.geo_latitude, f(prefix, "geo_latitude"));
  check_geo(e.geo_longitude, f(prefix, "geo_longitude"));
  check_priority(e.priority, f(prefix, "priority"));
  if (e.sequence && *e.sequence < 0) throw ValidationError(f(prefix, "sequence"), "must be >= 0");
  if (e.duration && e.duration->count() < 0) throw ValidationError(f(prefix, "duration"), "must be >= 0");
  if (e.pre_start_time) {
    if (!meeting) throw ValidationError(f(prefix, "pre_start_time"), "is only for meeting events (type meeting)");
    if (e.pre_start_time->count() < 0) throw ValidationError(f(prefix, "pre_start_time"), "must be >= 0");
  }
  for (auto [member, value] : {std::pair{"reference_id", &e.reference_id}, std::pair{"location", &e.location},
                               std::pair{"organizer", &e.organizer}, std::pair{"owner_id", &e.owner_id},
                               std::pair{"contact", &e.contact}, std::pair{"comment", &e.comment},
                               std::pair{"template_entry_id", &e.template_entry_id}}) {
    check_text(*value, f(prefix, member));
  }
  // The idempotency key: an empty filter value is not applied by the server, so a look-up by ""
  // would find any event.
  if (e.reference_id && e.reference_id->empty())
    throw ValidationError(f(prefix, "reference_id"),
                          "must not be empty (it is the key kmeet finds the event by after a lost answer; "
                          "leave it unset to have one generated)");
  check_utf8(encode_event_tags(e.settings, f(prefix, "settings")), f(prefix, "settings"));
}

void validate(const EventUpdate& u, std::string_view prefix) {
  if (u.type == EventType::other)
    throw ValidationError(f(prefix, "type"), "only record and meeting events can be updated");
  if (u.summary.is_clear()) throw ValidationError(f(prefix, "summary"), "cannot be cleared (it is required)");
  if (u.summary.is_set()) check_name(u.summary.value(), f(prefix, "summary"));
  if (u.start.is_clear())
    throw ValidationError(f(prefix, "start"), "cannot be cleared (an event needs its start date, docs/protocol.md E.1)");
  if (u.end.is_clear()) throw ValidationError(f(prefix, "end"), "cannot be cleared (the server refuses endDate__null)");
  if (u.start.is_set()) validate_time(u.start.value(), f(prefix, "start"));
  if (u.end.is_set()) validate_time(u.end.value(), f(prefix, "end"));
  if (u.start.is_set() && u.end.is_set())
    check_duration(u.start.value(), u.end.value(), u.type == EventType::meeting, u.allow_long_event, prefix);
  if (u.description.is_set()) check_text(u.description.value(), f(prefix, "description"));
  if (u.classification.is_set()) check_enum(u.classification.value(), 1, 3, f(prefix, "classification"));
  if (u.geo_latitude.is_set()) check_geo(u.geo_latitude.value(), f(prefix, "geo_latitude"));
  if (u.geo_longitude.is_set()) check_geo(u.geo_longitude.value(), f(prefix, "geo_longitude"));
  if (u.priority.is_set()) check_priority(u.priority.value(), f(prefix, "priority"));
  if (u.recurrence.is_set())
    check_recurrence(u.recurrence.value(), u.end.is_set() ? std::optional(u.end.value()) : std::nullopt, prefix);
  if (!u.pre_start_time.unchanged() && u.type != EventType::meeting)
    throw ValidationError(f(prefix, "pre_start_time"), "is only for meeting events (type meeting)");
  if (u.pre_start_time.is_set() && u.pre_start_time.value().count() < 0)
    throw ValidationError(f(prefix, "pre_start_time"), "must be >= 0");
  if (u.settings.is_set()) (void)encode_event_tags(u.settings.value(), f(prefix, "settings"));
}

void validate(const RoomFilter& x, std::string_view prefix) {
  for (auto [member, value] : {std::pair{"name", &x.name}, std::pair{"system_name", &x.system_name},
                               std::pair{"tags_like", &x.tags_like}}) {
    check_filter_text(*value, f(prefix, member));
  }
  check_id(x.id, f(prefix, "id"));
  check_ids(x.id_in, f(prefix, "id_in"));
  check_ids(x.id_not_in, f(prefix, "id_not_in"));
  check_id(x.parent_id, f(prefix, "parent_id"));
  check_ids(x.parent_id_in, f(prefix, "parent_id_in"));
  check_list(x.system_name_in, f(prefix, "system_name_in"));
  check_enum(x.status, 1, 3, f(prefix, "status"));
  check_enums(x.status_in, 1, 3, f(prefix, "status_in"));
  check_list(x.tags_multi_like_or, f(prefix, "tags_multi_like_or"));
  check_list(x.tags_multi_like_and, f(prefix, "tags_multi_like_and"));
  check_time(x.created_at_gte, f(prefix, "created_at_gte"));
  check_time(x.created_at_lte, f(prefix, "created_at_lte"));
  check_time(x.updated_at_gte, f(prefix, "updated_at_gte"));
  check_time(x.updated_at_lte, f(prefix, "updated_at_lte"));
  check_enum(x.order_by, 0, 3, f(prefix, "order_by"));
}

void validate(const EventFilter& x, std::string_view prefix) {
  for (auto [member, value] :
       {std::pair{"reference_id", &x.reference_id}, std::pair{"owner_id", &x.owner_id},
        std::pair{"tags_like", &x.tags_like}, std::pair{"resource_ids_like", &x.resource_ids_like},
        std::pair{"parent_resource_ids_like", &x.parent_resource_ids_like},
        std::pair{"template_entry_categories_ids_like", &x.template_entry_categories_ids_like},
        std::pair{"resource_system_names_like", &x.resource_system_names_like},
        std::pair{"template_entry_id", &x.template_entry_id}, std::pair{"entry_ids_like", &x.entry_ids_like},
        std::pair{"category_ids_like", &x.category_ids_like},
        std::pair{"parent_category_ids_like", &x.parent_category_ids_like}}) {
    check_filter_text(*value, f(prefix, member));
  }
  check_enum(x.type, 0, 2, f(prefix, "type"));
  check_id(x.id, f(prefix, "id"));
  check_ids(x.id_in, f(prefix, "id_in"));
  check_ids(x.id_not_in, f(prefix, "id_not_in"));
  check_id(x.parent_id, f(prefix, "parent_id"));
  check_ids(x.parent_id_in, f(prefix, "parent_id_in"));
  check_ids(x.parent_id_not_in, f(prefix, "parent_id_not_in"));
  check_enum(x.status, 1, 3, f(prefix, "status"));
  check_enums(x.status_in, 1, 3, f(prefix, "status_in"));
  check_time(x.start_date_gte, f(prefix, "start_date_gte"));
  check_time(x.start_date_lte, f(prefix, "start_date_lte"));
  check_time(x.end_date_gte, f(prefix, "end_date_gte"));
  check_time(x.end_date_lte, f(prefix, "end_date_lte"));
  check_list(x.reference_id_in, f(prefix, "reference_id_in"));
  check_list(x.owner_id_in, f(prefix, "owner_id_in"));
  check_priority(x.priority, f(prefix, "priority"));
  for (int p : x.priority_in) check_priority(p, f(prefix, "priority_in"));
  check_priority(x.priority_gte, f(prefix, "priority_gte"));
  check_priority(x.priority_lte, f(prefix, "priority_lte"));
  check_enum(x.recurrence_type, 0, 2, f(prefix, "recurrence_type"));
  check_enums(x.recurrence_type_in, 0, 2, f(prefix, "recurrence_type_in"));
  check_time(x.created_at_gte, f(prefix, "created_at_gte"));
  check_time(x.created_at_lte, f(prefix, "created_at_lte"));
  check_time(x.updated_at_gte, f(prefix, "updated_at_gte"));
  check_time(x.updated_at_lte, f(prefix, "updated_at_lte"));
  check_id(x.room, f(prefix, "room"));
  for (auto [member, list] : {
           std::pair{"tags_multi_like_or", &x.tags_multi_like_or},
           std::pair{"tags_multi_like_and", &x.tags_multi_like_and},
           std::pair{"resource_ids_multi_like_or", &x.resource_ids_multi_like_or},
           std::pair{"resource_ids_multi_like_and", &x.resource_ids_multi_like_and},
           std::pair{"parent_resource_ids_multi_like_or", &x.parent_resource_ids_multi_like_or},
           std::pair{"parent_resource_ids_multi_like_and", &x.parent_resource_ids_multi_like_and},
           std::pair{"template_entry_categories_ids_multi_like_or", &x.template_entry_categories_ids_multi_like_or},
           std::pair{"template_entry_categories_ids_multi_like_and", &x.template_entry_categories_ids_multi_like_and},
           std::pair{"resource_system_names_multi_like_or", &x.resource_system_names_multi_like_or},
           std::pair{"resource_system_names_multi_like_and", &x.resource_system_names_multi_like_and},
           std::pair{"entry_ids_multi_like_or", &x.entry_ids_multi_like_or},
           std::pair{"entry_ids_multi_like_and", &x.entry_ids_multi_like_and},
           std::pair{"category_ids_multi_like_or", &x.category_ids_multi_like_or},
           std::pair{"category_ids_multi_like_and", &x.category_ids_multi_like_and},
           std::pair{"parent_category_ids_multi_like_or", &x.parent_category_ids_multi_like_or},
           std::pair{"parent_category_ids_multi_like_and", &x.parent_category_ids_multi_like_and}}) {
    check_list(*list, f(prefix, member));
  }
  check_enum(x.order_by, 0, 11, f(prefix, "order_by"));
}

void validate(const LinkFilter& x, std::string_view prefix) {
  check_id(x.event_id, f(prefix, "event_id"));
  check_ids(x.event_id_in, f(prefix, "event_id_in"));
  check_id(x.room_id, f(prefix, "room_id"));
  check_ids(x.room_id_in, f(prefix, "room_id_in"));
  check_time(x.created_at_gte, f(prefix, "created_at_gte"));
  check_time(x.created_at_lte, f(prefix, "created_at_lte"));
  check_time(x.updated_at_gte, f(prefix, "updated_at_gte"));
  check_time(x.updated_at_lte, f(prefix, "updated_at_lte"));
  check_id(x.event_id_or_its_parent_id, f(prefix, "event_id_or_its_parent_id"));
  check_enum(x.order_by, 0, 3, f(prefix, "order_by"));
}

void validate(const Pager& p, std::string_view prefix) {
  validate_page_size(p.page_size, f(prefix, "page_size"));
  if (p.page_index < 1)
    throw ValidationError(f(prefix, "page_index"), fmt::format("must be >= 1 (got {})", p.page_index));
  // No upper bound on pageIndex itself (protocol.md D.6: the 10,000-match limit is the server's, for
  // event and entry lists only, and it answers with an error). list_all() stays within kListWindow.
}

}  // namespace kmeet::detail

// ---- the public checks (kmeet/validate.hpp): the same code the services run -------------------

namespace kmeet {

void validate(const Room& room) { detail::validate(room, "room"); }

void validate(const Event& event, bool allow_long_event) { detail::validate(event, allow_long_event, "event"); }

void validate(const MeetingSpec& spec) {
  // As create_meetings checks each spec (src/services/meetings.cpp).
  if (const auto* room = std::get_if<Room>(&spec.room)) {
    detail::validate(*room, "room");
  } else {
    detail::validate_id(std::get<RoomId>(spec.room).value(), "room");
  }
  detail::validate(spec.event, spec.allow_long_event, "event");
  detail::validate_recording(spec);  // MeetingSpec::record (src/model/recording_template.cpp)
}

}  // namespace kmeet
