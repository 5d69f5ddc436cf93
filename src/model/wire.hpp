#pragma once
// JSON mapping of rooms, events, links, filters and pager (protocol.md A.5, B.1, D.6, E).
//
// Encoding writes `objectType` first, then the writable fields in the order of protocol.md E (the order
// the official Node client uses); read-only fields are never written; `Update<T>::clear` becomes
// `"<field>__null":""`. Decoding ignores unknown fields and accepts any schedule-event class.

#include <string>
#include <string_view>

#include "api/json.hpp"
#include "kmeet/app_tokens.hpp"
#include "kmeet/model.hpp"

namespace kmeet::detail {

inline constexpr std::string_view kRoomType = "KalturaLocationScheduleResource";
inline constexpr std::string_view kRecordEventType = "KalturaRecordScheduleEvent";
inline constexpr std::string_view kMeetingEventType = "KalturaMeetingScheduleEvent";
inline constexpr std::string_view kLinkType = "KalturaScheduleEventResource";

/// The service ids (protocol.md A.1: plugin prefix `schedule_`).
inline constexpr std::string_view kRoomService = "schedule_scheduleresource";
inline constexpr std::string_view kEventService = "schedule_scheduleevent";
inline constexpr std::string_view kLinkService = "schedule_scheduleeventresource";

/// The `objectType` sent for an event of this type (record for `other`).
std::string_view event_object_type(EventType type);

WireJson to_wire(const Room& room);
WireJson to_wire(const RoomUpdate& update);
WireJson to_wire(const Event& event);
WireJson to_wire(const EventUpdate& update);
/// A `KalturaScheduleEventResource`; the ids are numbers or `{N:result:id}` references.
WireJson link_to_wire(WireJson event_id, WireJson room_id);
WireJson to_wire(const RoomFilter& filter);
WireJson to_wire(const EventFilter& filter);
WireJson to_wire(const LinkFilter& filter);
/// A `KalturaAppTokenFilter` (protocol.md I.4); RecordingFilter's is in model/recording_wire.hpp.
WireJson to_wire(const AppTokenFilter& filter);
WireJson to_wire(const Pager& pager);

/// Decoders; throw ProtocolError when the value is not an object of the expected shape.
Room room_from_wire(const Json& value);
Event event_from_wire(const Json& value);
EventRoomLink link_from_wire(const Json& value);
Page<Room> room_page_from_wire(const Json& value);
Page<Event> event_page_from_wire(const Json& value);
Page<EventRoomLink> link_page_from_wire(const Json& value);

}  // namespace kmeet::detail
