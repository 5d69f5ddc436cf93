#pragma once
// Meetings in one round trip (used by Client::create_meeting / create_meetings).

#include <span>
#include <vector>

#include "api/service_context.hpp"
#include "kmeet/meetings.hpp"

namespace kmeet::detail {

/// Validates every spec (a bad one gets its ValidationError and sends nothing), sends the rest as
/// one multirequest (room add or get, event add, link add with `{N:result:id}` references), checks
/// every item and rolls back (one more round trip) what each failed meeting created.
/// Request-wide failures (transport, HTTP, a malformed multirequest answer) are thrown.
std::vector<MeetingResult> create_meetings(const ServiceContext& ctx, std::span<const MeetingSpec> specs);

}  // namespace kmeet::detail
