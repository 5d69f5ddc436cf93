#pragma once
// Input checks run before anything is sent. Each throws ValidationError naming the field as
// `<prefix>.<member>` (e.g. `event.summary`, `room.settings.rs_room_cap`, `pager.page_size`).

#include <chrono>
#include <string_view>

#include "kmeet/app_tokens.hpp"
#include "kmeet/model.hpp"

namespace kmeet::detail {

/// The server's single-event limits (protocol.md E.1): 24 h; 3 days for KalturaMeetingScheduleEvent.
inline constexpr std::chrono::seconds kMaxSingleEvent{86400};
inline constexpr std::chrono::seconds kMaxSingleMeetingEvent{3 * 86400};
/// Values within +-10 years of 0 are read by the server as "now + value" (protocol.md A.6).
inline constexpr std::int64_t kMaxRelativeTime = 315360000;
/// Length limit of name, systemName and summary (bytes).
inline constexpr std::size_t kMaxNameLength = 256;
/// Page size limit (protocol.md D.6).
inline constexpr int kMaxPageSize = 500;
/// The deepest result list_all() asks for (pageIndex * pageSize): event and entry lists stop at
/// 10,000 matches (protocol.md D.6, QUERY_EXCEEDED_MAX_MATCHES_ALLOWED), so list_all() moves its
/// window instead of going deeper. A caller's own Pager is not limited (resource and link lists
/// have no such limit).
inline constexpr std::int64_t kListWindow = 10000;

void validate(const Room& room, std::string_view prefix = "room");
void validate(const RoomUpdate& update, std::string_view prefix = "room");
void validate(const Event& event, bool allow_long_event, std::string_view prefix = "event");
void validate(const EventUpdate& update, std::string_view prefix = "event");
void validate(const RoomFilter& filter, std::string_view prefix = "filter");
void validate(const EventFilter& filter, std::string_view prefix = "filter");
void validate(const LinkFilter& filter, std::string_view prefix = "filter");
void validate(const AppTokenFilter& filter, std::string_view prefix = "filter");
void validate(const Pager& pager, std::string_view prefix = "pager");
void validate_page_size(int page_size, std::string_view field = "page_size");

/// Ids must be ones the server could have issued (> 0).
void validate_id(std::int64_t id, std::string_view field);
/// A time the server reads as absolute (protocol.md A.6).
void validate_time(Timestamp t, std::string_view field);

}  // namespace kmeet::detail
