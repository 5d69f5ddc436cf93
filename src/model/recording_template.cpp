#include "model/recording_template.hpp"

#include "kmeet/errors.hpp"
#include "model/recording_wire.hpp"
#include "model/validate.hpp"

namespace kmeet::detail {

std::string template_key_for(const std::string& event_key) { return "kmeet-template:" + event_key; }

RecordingTemplate meeting_template(const RecordingTemplate& in, const Event& event, const Room* new_room) {
  RecordingTemplate t = in;
  // The recording takes the template's name (protocol.md J.1, J.3).
  if (!t.name) t.name = event.summary;
  if (!t.description) t.description = event.description;
  if (!t.category_ids && new_room != nullptr && new_room->settings.cat_id) {
    t.category_ids = std::to_string(*new_room->settings.cat_id);
  }
  if (!t.reference_id) t.reference_id = template_key_for(event.reference_id.value_or(""));
  return t;
}

void validate_recording(const MeetingSpec& spec) {
  if (!spec.record) return;
  if (spec.event.template_entry_id) {
    throw ValidationError(
        "event.template_entry_id",
        "must be unset when the meeting records: kmeet makes the event's own recording template "
        "(MeetingSpec::record)");
  }
  validate(*spec.record, "record");
  // The defaults too, as they would be sent (the name from the summary, categories from cat_id).
  validate(meeting_template(*spec.record, spec.event, std::get_if<Room>(&spec.room)), "record");
}

}  // namespace kmeet::detail
