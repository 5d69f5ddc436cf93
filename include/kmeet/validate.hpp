#pragma once
/// @file validate.hpp
/// The SDK's own input checks, callable before anything is sent: what `Rooms::add`,
/// `Events::add` and `Client::create_meeting(s)` refuse with a ValidationError, these refuse
/// too, with the same field and reason (they are the same code). Use them to check a whole
/// batch up front (the `kmeet import` planner does, so `--dry-run` is exact).

#include "kmeet/export.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/model.hpp"

namespace kmeet {

/// Checks a room as `Rooms::add` would: name (1..256 bytes, not blank, no control characters,
/// UTF-8), system name, description, every setting (`room.settings.KEY`).
/// Throws ValidationError naming the field (`room.name`, `room.settings.rs_room_cap`...).
KMEET_EXPORT void validate(const Room& room);

/// Checks an event as `Events::add` would (`event.summary`, `event.end`, `event.settings.KEY`...).
KMEET_EXPORT void validate(const Event& event, bool allow_long_event = false);

/// Checks a meeting as `Client::create_meeting` would: the new room (or the existing room's id,
/// field `room`) and the event.
KMEET_EXPORT void validate(const MeetingSpec& spec);

}  // namespace kmeet
