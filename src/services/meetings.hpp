#pragma once
// Meetings in one round trip (used by Client::create_meeting / create_meetings).

#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "api/service_context.hpp"
#include "kmeet/meetings.hpp"

namespace kmeet::detail {

/// Makes MeetingError, whose constructor is private: users receive MeetingErrors, never make them.
struct MeetingErrorFactory {
  static MeetingError make(MeetingStep step, ApiError::Details original, std::string rollback_note,
                           MeetingError::Outcome outcome, MeetingKeys keys, std::exception_ptr cause) {
    return {step, std::move(original), std::move(rollback_note), outcome, std::move(keys), std::move(cause)};
  }
};

/// Validates every spec (a bad one gets its ValidationError and sends nothing), sends the rest as
/// one multirequest (room add or get, event add, link add with `{N:result:id}` references, then the
/// lists that check the caller's event keys for twins), checks every item and rolls back (one more
/// round trip) what each failed meeting created.
/// Request-wide failures (transport, HTTP, a malformed multirequest answer) are thrown.
std::vector<MeetingResult> create_meetings(const ServiceContext& ctx, std::span<const MeetingSpec> specs);

}  // namespace kmeet::detail
