#pragma once
// The recording template of a recorded meeting as a model (protocol.md J.1-J.3): its defaults and
// its validation. The calls that make, find and delete it are in src/services/meeting_template.*.

#include <string>

#include "kmeet/meetings.hpp"

namespace kmeet::detail {

/// The template's key when the caller gives none: `kmeet-template:` + the event's referenceId,
/// so a re-run with the same event key finds the template too.
std::string template_key_for(const std::string& event_key);

/// The template as a meeting sends it: the caller's values, and the defaults of
/// RecordingTemplate filled in from the event (name, description), the new room (`cat_id`, when
/// `new_room` is set) and the event's key.
RecordingTemplate meeting_template(const RecordingTemplate& in, const Event& event, const Room* new_room);

/// Checks `spec.record` as create_meeting does (a no-op when the meeting does not record): the
/// event must not name a template itself, and the template's fields (`record.name`...) as they
/// would be sent. Throws ValidationError.
void validate_recording(const MeetingSpec& spec);

}  // namespace kmeet::detail
