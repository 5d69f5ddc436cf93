#pragma once
/// @file model.hpp
/// Rooms, events (scheduled time slots of a room) and the links between them, as protocol.md E
/// defines them; filters and pager of D.6; patch types for updates.
///
/// Read-only fields (ids, partner, status, timestamps) are filled from server responses and are
/// never sent. Optional fields are `std::optional`: unset means "not sent" on add and "absent"
/// (null) in a response.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kmeet/export.hpp"
#include "kmeet/settings.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

// ---------------------------------------------------------------------------------------------
// Enumerations (E.5). Values read from the server that are not listed are kept as read.

/// KalturaScheduleResourceStatus.
enum class RoomStatus { disabled = 1, active = 2, deleted = 3 };
/// KalturaScheduleEventStatus.
enum class EventStatus { cancelled = 1, active = 2, deleted = 3 };
/// KalturaScheduleEventRecurrenceType. Meetings use `none`; `recurrence` (a generated child)
/// cannot be added.
enum class RecurrenceType { none = 0, recurring = 1, recurrence = 2 };
/// KalturaScheduleEventClassificationType.
enum class Classification { public_event = 1, private_event = 2, confidential_event = 3 };
/// KalturaScheduleEventRecurrenceFrequency (wire: `seconds`, `minutes`, ... `years`).
enum class RecurrenceFrequency { secondly, minutely, hourly, daily, weekly, monthly, yearly };
/// KalturaScheduleEventRecurrenceDay (wire: `MO` ... `SU`).
enum class WeekDay { monday, tuesday, wednesday, thursday, friday, saturday, sunday };

/// The wire name of the value (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(RecurrenceFrequency f) noexcept;
/// The wire name of the value (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(WeekDay d) noexcept;
/// Parses a wire name; nullopt for an unknown one (never throws).
[[nodiscard]] KMEET_EXPORT std::optional<RecurrenceFrequency> parse_recurrence_frequency(std::string_view text);
/// Parses a wire name; nullopt for an unknown one (never throws).
[[nodiscard]] KMEET_EXPORT std::optional<WeekDay> parse_week_day(std::string_view text);

/// Which concrete event class an event is (its `objectType`).
enum class EventType {
  record,   ///< `KalturaRecordScheduleEvent` (what Meetings uses; single events up to 24 h)
  meeting,  ///< `KalturaMeetingScheduleEvent` (single events up to 3 days, `preStartTime`)
  other,    ///< any other schedule event class (live stream, blackout...), read only
};

// ---------------------------------------------------------------------------------------------
// Patch values for updates.

/// Tag type of `kmeet::clear`.
struct KMEET_EXPORT Clear {
  /// The marker value.
  explicit constexpr Clear(int /*unused*/) {}
};
/// Assign to an `Update<T>` to clear the field on the server (sent as `<field>__null`).
inline constexpr Clear clear{0};

/// One field of an update: left unchanged (default, not sent), set to a value, or cleared
/// (`kmeet::clear`, sent as `"<field>__null":""`, protocol.md A.5).
///
///     EventUpdate u{.summary = "New title", .description = kmeet::clear};
template <class T>
class Update {
 public:
  constexpr Update() = default;
  /// Sets the field to `value`.
  template <class U = T>
    requires std::constructible_from<T, U&&> && (!std::same_as<std::remove_cvref_t<U>, Update>) &&
             (!std::same_as<std::remove_cvref_t<U>, Clear>)
  Update(U&& value)  // NOLINT(google-explicit-constructor): patches read best as plain assignments
      : state_(State::set), value_(std::forward<U>(value)) {}
  /// Sets the field to a value, or with `Clear{}` clears it.
  constexpr Update(Clear /*unused*/) : state_(State::clear) {}  // NOLINT(google-explicit-constructor)

  /// True when the field is left as it is.
  [[nodiscard]] bool unchanged() const { return state_ == State::unchanged; }
  /// True when the field gets a new value.
  [[nodiscard]] bool is_set() const { return state_ == State::set; }
  /// True when the field is cleared.
  [[nodiscard]] bool is_clear() const { return state_ == State::clear; }
  /// The new value; throws std::logic_error unless is_set().
  [[nodiscard]] const T& value() const {
    if (!value_) throw std::logic_error("kmeet::Update has no value");
    return *value_;
  }

 private:
  enum class State { unchanged, set, clear };
  State state_ = State::unchanged;
  std::optional<T> value_;
};

// ---------------------------------------------------------------------------------------------
// Objects (E.1-E.4).

/// A Meetings room: a `KalturaLocationScheduleResource` tagged `vcprovider:newrow`.
struct KMEET_EXPORT Room {
  RoomId id;                                ///< read-only
  std::optional<PartnerId> partner_id;      ///< read-only
  std::optional<RoomId> parent_id;          ///< must exist when set
  std::string name;                         ///< required, 1..256 bytes
  std::optional<std::string> system_name;   ///< 1..256 bytes, unique among rooms
  /// Free-text description.
  std::optional<std::string> description;
  RoomStatus status = RoomStatus::active;   ///< read-only
  /// The `tags` string exactly as the server returned it (read-only: writes use `settings`).
  std::string tags;
  /// Typed view of the tags; this is what add/update send.
  RoomSettings settings;
  std::optional<Timestamp> created_at;      ///< read-only
  std::optional<Timestamp> updated_at;      ///< read-only
  std::string object_type;                  ///< read-only, e.g. `KalturaLocationScheduleResource`
};

/// `KalturaLinkedScheduleEvent`: an event scheduled relative to another one.
struct KMEET_EXPORT LinkedEvent {
  /// Offset from the linked event.
  std::chrono::seconds offset{0};
  /// The event.
  EventId event_id;
};

/// `KalturaScheduleEventRecurrence` (iCal RRULE semantics; comma lists kept as strings).
struct KMEET_EXPORT Recurrence {
  /// Name of the rule.
  std::optional<std::string> name;
  /// FREQ of the rule.
  std::optional<RecurrenceFrequency> frequency;
  std::optional<Timestamp> until;  ///< must be >= the event's end
  /// Time zone of the rule.
  std::optional<std::string> time_zone;
  /// COUNT: how many occurrences.
  std::optional<int> count;
  /// INTERVAL between occurrences.
  std::optional<int> interval;
  /// The BY* parts of the rule (BYSECOND, BYMINUTE, ..., BYOFFSET), each a comma list.
  ///@{
  std::optional<std::string> by_second, by_minute, by_hour, by_day, by_month_day, by_year_day,
      by_week_number, by_month, by_offset;
  ///@}
  /// WKST: first day of the week.
  std::optional<WeekDay> week_start_day;
};

/// A scheduled event: a `KalturaRecordScheduleEvent` (or, when read, any schedule event; a
/// `KalturaMeetingScheduleEvent` also carries `pre_start_time`).
struct KMEET_EXPORT Event {
  EventId id;                                        ///< read-only
  std::optional<PartnerId> partner_id;               ///< read-only
  std::optional<EventId> parent_id;                  ///< read-only
  std::string summary;                               ///< required, 1..256 bytes
  /// Free-text description.
  std::optional<std::string> description;
  EventStatus status = EventStatus::active;          ///< read-only
  std::optional<Timestamp> start;                    ///< `startDate`; required unless linked_to
  std::optional<Timestamp> end;                      ///< `endDate`; required with start
  std::optional<std::string> reference_id;           ///< your own id for the event
  /// Start relative to another event.
  std::optional<LinkedEvent> linked_to;
  std::optional<std::string> linked_by;              ///< comma list of event ids
  std::optional<Classification> classification;      ///< `classificationType` (server default public)
  /// Latitude of the location.
  std::optional<double> geo_latitude;
  /// Longitude of the location.
  std::optional<double> geo_longitude;
  /// Where the event takes place.
  std::optional<std::string> location;
  /// Name of the organizer.
  std::optional<std::string> organizer;
  /// On add the server replaces it with the KS user (protocol.md E.1); set it with update.
  std::optional<std::string> owner_id;
  std::optional<int> priority;                       ///< 0..9
  std::optional<int> sequence;                       ///< >= 0
  /// None for a single event (what Meetings uses).
  RecurrenceType recurrence_type = RecurrenceType::none;
  std::optional<std::chrono::seconds> duration;      ///< recomputed by the server as end-start
  /// Contact details.
  std::optional<std::string> contact;
  /// A comment.
  std::optional<std::string> comment;
  /// The `tags` string exactly as the server returned it (read-only: writes use `settings`).
  std::string tags;
  /// Typed view of the tags; this is what add/update send.
  EventSettings settings;
  std::optional<Timestamp> created_at;               ///< read-only
  std::optional<Timestamp> updated_at;               ///< read-only
  std::optional<Recurrence> recurrence;              ///< required when recurring
  std::optional<std::string> template_entry_id;      ///< entry used for the event's recording
  /// Comma list of entry ids.
  std::optional<std::string> entry_ids;
  /// Comma list of category ids.
  std::optional<std::string> category_ids;
  std::vector<EventId> blackout_conflicts;           ///< read-only
  std::optional<std::chrono::seconds> pre_start_time;  ///< meeting events only
  EventType type = EventType::record;                ///< which class to create / was read
  std::string object_type;                           ///< read-only, as the server sent it
};

/// `KalturaScheduleEventResource`: event `event_id` takes place in room `room_id`.
struct KMEET_EXPORT EventRoomLink {
  /// The event.
  EventId event_id;
  /// The room.
  RoomId room_id;
  std::optional<PartnerId> partner_id;    ///< read-only
  std::optional<Timestamp> created_at;    ///< read-only
  std::optional<Timestamp> updated_at;    ///< read-only
};

// ---------------------------------------------------------------------------------------------
// Updates: only what is set is sent; `kmeet::clear` sends `<field>__null`.

/// Changes to a room (`scheduleResource.update`).
struct KMEET_EXPORT RoomUpdate {
  Update<std::string> name;           ///< cannot be cleared
  /// Unique system name (idempotency key).
  Update<std::string> system_name;
  /// Free-text description.
  Update<std::string> description;
  /// Parent room.
  Update<RoomId> parent_id;
  /// Replaces the whole tags string (`vcprovider:newrow` is always kept); cannot be cleared.
  Update<RoomSettings> settings;
};

/// Changes to an event (`scheduleEvent.update`).
struct KMEET_EXPORT EventUpdate {
  Update<std::string> summary;        ///< cannot be cleared
  /// Free-text description.
  Update<std::string> description;
  /// New start (`startDate`).
  Update<Timestamp> start;
  Update<Timestamp> end;              ///< cannot be cleared (server refuses)
  /// Your own id for the event.
  Update<std::string> reference_id;
  /// Comma list of events linked to this one.
  Update<std::string> linked_by;
  /// `classificationType`.
  Update<Classification> classification;
  /// Latitude of the location.
  Update<double> geo_latitude;
  /// Longitude of the location.
  Update<double> geo_longitude;
  /// Where the event takes place.
  Update<std::string> location;
  /// Name of the organizer.
  Update<std::string> organizer;
  /// User who owns the recording.
  Update<std::string> owner_id;
  /// Priority, 0..9.
  Update<int> priority;
  /// Contact details.
  Update<std::string> contact;
  /// A comment.
  Update<std::string> comment;
  /// Replaces the whole tags string; clear removes every tag.
  Update<EventSettings> settings;
  /// Recurrence rule (recurring events).
  Update<Recurrence> recurrence;
  /// Entry used for the event's recording.
  Update<std::string> template_entry_id;
  /// Comma list of entry ids.
  Update<std::string> entry_ids;
  /// Comma list of category ids.
  Update<std::string> category_ids;
  Update<std::chrono::seconds> pre_start_time;  ///< meeting events only
  /// The class of the stored event (sent as `objectType`).
  EventType type = EventType::record;
  /// Permit start..end longer than the server's single-event limit (24 h; 3 days for meetings).
  bool allow_long_event = false;
};

// ---------------------------------------------------------------------------------------------
// Listing (D.6).

/// `KalturaFilterPager`.
struct KMEET_EXPORT Pager {
  int page_size = 500;  ///< 1..500
  int page_index = 1;   ///< 1-based
};

/// One page of a list call.
template <class T>
struct Page {
  /// The objects of this page.
  std::vector<T> items;
  /// `totalCount`. For rooms and links the server estimates it when the page is partial.
  std::int64_t total_count = 0;
};

/// Sort orders (`orderBy`).
enum class RoomOrder { created_at_asc, created_at_desc, updated_at_asc, updated_at_desc };
/// Sort orders of event lists.
enum class EventOrder {
  created_at_asc, created_at_desc, end_date_asc, end_date_desc, priority_asc, priority_desc,
  start_date_asc, start_date_desc, summary_asc, summary_desc, updated_at_asc, updated_at_desc
};
/// Sort orders of link lists.
enum class LinkOrder { created_at_asc, created_at_desc, updated_at_asc, updated_at_desc };

/// `KalturaLocationScheduleResourceFilter`. The defaults list Meetings rooms, newest first
/// (exactly the filter of protocol.md A.7); set `tags_like` to nullopt to see every location resource.
struct KMEET_EXPORT RoomFilter {
  std::optional<RoomId> id;                          ///< idEqual
  std::vector<RoomId> id_in;                         ///< idIn
  std::vector<RoomId> id_not_in;                     ///< idNotIn
  std::optional<RoomId> parent_id;                   ///< parentIdEqual
  std::vector<RoomId> parent_id_in;                  ///< parentIdIn
  std::optional<std::string> name;                   ///< nameEqual
  std::optional<std::string> system_name;            ///< systemNameEqual
  std::vector<std::string> system_name_in;           ///< systemNameIn
  std::optional<RoomStatus> status;                  ///< statusEqual (`deleted` shows deleted rooms)
  std::vector<RoomStatus> status_in;                 ///< statusIn
  std::optional<std::string> tags_like = std::string("vcprovider:newrow");  ///< tagsLike (SQL LIKE %v%)
  std::vector<std::string> tags_multi_like_or;       ///< tagsMultiLikeOr
  std::vector<std::string> tags_multi_like_and;      ///< tagsMultiLikeAnd
  /// Filters: `_gte` at least, `_lte` at most this value (both ends included).
  ///@{
  std::optional<Timestamp> created_at_gte, created_at_lte, updated_at_gte, updated_at_lte;
  ///@}
  /// Sort order of the results.
  std::optional<RoomOrder> order_by = RoomOrder::created_at_desc;
};

/// Which event classes an event list returns: the `objectType` of its filter (protocol.md D.3, D.6).
enum class EventListType {
  /// `KalturaRecordScheduleEventFilter`: RECORD events only (the default; what Meetings uses).
  record,
  /// `KalturaMeetingScheduleEventFilter`: MEETING events only (`EventType::meeting`;
  /// protocol.md D.6: an entry-event filter with no extra fields, whose class selects MEETING events).
  meeting,
  /// `KalturaEntryScheduleEventFilter` (protocol.md D.6): every event class (it sets no class of its
  /// own). Not the base `KalturaScheduleEventFilter`, which lacks the entry fields
  /// (`templateEntryIdEqual`, `entryIds*`, `categoryIds*`, `parentCategoryIds*`): the server
  /// would drop them silently (A.5).
  any,
};

namespace detail {
/// `EventFilter::room`, the old name of `EventFilter::room_id`: an optional room id whose every
/// use in user code warns (deprecated), while copying a filter does not.
class DeprecatedRoom {
 public:
  DeprecatedRoom() = default;
  /// Sets it (`EventFilter{.room = id}`).
  template <class U>
    requires std::constructible_from<std::optional<RoomId>, U&&>
  [[deprecated("EventFilter::room is now EventFilter::room_id")]] DeprecatedRoom(U&& id)  // NOLINT(google-explicit-constructor)
      : id_(std::forward<U>(id)) {}
  /// Sets it (`filter.room = id`).
  template <class U>
    requires std::constructible_from<std::optional<RoomId>, U&&>
  [[deprecated("EventFilter::room is now EventFilter::room_id")]] DeprecatedRoom& operator=(U&& id) {
    id_ = std::optional<RoomId>(std::forward<U>(id));
    return *this;
  }
  /// True when set.
  [[deprecated("EventFilter::room is now EventFilter::room_id")]] explicit operator bool() const { return id_.has_value(); }
  /// The id; throws std::bad_optional_access when unset.
  [[deprecated("EventFilter::room is now EventFilter::room_id")]] RoomId value() const { return id_.value(); }
  /// The id; must be set.
  [[deprecated("EventFilter::room is now EventFilter::room_id")]] RoomId operator*() const { return *id_; }
  /// For kmeet itself.
  [[nodiscard]] const std::optional<RoomId>& get() const { return id_; }

 private:
  std::optional<RoomId> id_;
};
}  // namespace detail

/// An event filter: `KalturaRecordScheduleEventFilter` by default (see `type`), with the
/// schedule-event and entry-event fields.
struct KMEET_EXPORT EventFilter {
  /// Which event classes to list (the filter's `objectType`); default `record`.
  EventListType type = EventListType::record;
  std::optional<EventId> id;                         ///< idEqual
  std::vector<EventId> id_in;                        ///< idIn
  std::vector<EventId> id_not_in;                    ///< idNotIn
  std::optional<EventId> parent_id;                  ///< parentIdEqual
  std::vector<EventId> parent_id_in;                 ///< parentIdIn
  std::vector<EventId> parent_id_not_in;             ///< parentIdNotIn
  std::optional<EventStatus> status;                 ///< statusEqual
  std::vector<EventStatus> status_in;                ///< statusIn
  /// Time window: `startDate`/`endDate` bounds (inclusive).
  /// Filters: `_gte` at least, `_lte` at most this value (both ends included).
  ///@{
  std::optional<Timestamp> start_date_gte, start_date_lte, end_date_gte, end_date_lte;
  ///@}
  std::optional<std::string> reference_id;           ///< referenceIdEqual
  std::vector<std::string> reference_id_in;          ///< referenceIdIn
  std::optional<std::string> owner_id;               ///< ownerIdEqual (must be an existing user)
  std::vector<std::string> owner_id_in;              ///< ownerIdIn
  std::optional<int> priority;                       ///< priorityEqual
  std::vector<int> priority_in;                      ///< priorityIn
  /// Filters: `_gte` at least, `_lte` at most this value (both ends included).
  ///@{
  std::optional<int> priority_gte, priority_lte;
  ///@}
  std::optional<RecurrenceType> recurrence_type;     ///< recurrenceTypeEqual
  std::vector<RecurrenceType> recurrence_type_in;    ///< recurrenceTypeIn
  std::optional<std::string> tags_like;              ///< tagsLike
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> tags_multi_like_or, tags_multi_like_and;
  ///@}
  /// Filters: `_gte` at least, `_lte` at most this value (both ends included).
  ///@{
  std::optional<Timestamp> created_at_gte, created_at_lte, updated_at_gte, updated_at_lte;
  ///@}
  /// Events in this room (`resourceIdEqual`, sent as a string as the API declares it).
  std::optional<RoomId> room_id;
  /// Deprecated: the old name of `room_id` (when both are set they must be equal, else
  /// ValidationError `filter.room`).
  detail::DeprecatedRoom room;
  std::optional<std::string> resource_ids_like;      ///< resourceIdsLike
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> resource_ids_multi_like_or, resource_ids_multi_like_and;
  ///@}
  /// Filter: parent resource ids contains this text.
  std::optional<std::string> parent_resource_ids_like;
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> parent_resource_ids_multi_like_or, parent_resource_ids_multi_like_and;
  ///@}
  /// Filter: template entry categories ids contains this text.
  std::optional<std::string> template_entry_categories_ids_like;
  /// Filter: template entry categories ids matches any word of this comma list.
  std::vector<std::string> template_entry_categories_ids_multi_like_or,
      /// Filter: template entry categories ids matches every word of this comma list.
      template_entry_categories_ids_multi_like_and;
  /// Filter: resource system names contains this text.
  std::optional<std::string> resource_system_names_like;
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> resource_system_names_multi_like_or, resource_system_names_multi_like_and;
  ///@}
  std::optional<std::string> template_entry_id;      ///< templateEntryIdEqual
  /// Filter: entry ids contains this text.
  std::optional<std::string> entry_ids_like;
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> entry_ids_multi_like_or, entry_ids_multi_like_and;
  ///@}
  /// Filter: category ids contains this text.
  std::optional<std::string> category_ids_like;
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> category_ids_multi_like_or, category_ids_multi_like_and;
  ///@}
  /// Filter: parent category ids contains this text.
  std::optional<std::string> parent_category_ids_like;
  /// Filters: `_multi_like_or` matches any, `_multi_like_and` every word of the list.
  ///@{
  std::vector<std::string> parent_category_ids_multi_like_or, parent_category_ids_multi_like_and;
  ///@}
  /// Sort order of the results.
  std::optional<EventOrder> order_by;
};

/// `KalturaScheduleEventResourceFilter`.
struct KMEET_EXPORT LinkFilter {
  std::optional<EventId> event_id;                   ///< eventIdEqual
  std::vector<EventId> event_id_in;                  ///< eventIdIn
  std::optional<RoomId> room_id;                     ///< resourceIdEqual
  std::vector<RoomId> room_id_in;                    ///< resourceIdIn
  /// Filters: `_gte` at least, `_lte` at most this value (both ends included).
  ///@{
  std::optional<Timestamp> created_at_gte, created_at_lte, updated_at_gte, updated_at_lte;
  ///@}
  std::optional<EventId> event_id_or_its_parent_id;  ///< eventIdOrItsParentIdEqual
  /// Sort order of the results.
  std::optional<LinkOrder> order_by;
};

/// Options of `Events::add`.
struct KMEET_EXPORT EventAddOptions {
  /// Permit start..end longer than the server's single-event limit (24 h; 3 days for meetings).
  bool allow_long_event = false;
};

}  // namespace kmeet
