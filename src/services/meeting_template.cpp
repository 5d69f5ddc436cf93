#include "services/meeting_template.hpp"

#include <fmt/format.h>

#include "kmeet/errors.hpp"
#include "model/recording_wire.hpp"
#include "model/wire.hpp"
#include "services/service_call.hpp"

namespace kmeet::detail {

ApiCall template_add_call(const RecordingTemplate& t) {
  WireJson p = WireJson::object();
  p["entry"] = template_to_wire(t);
  return make_call(kMediaService, "add", std::move(p), false);
}

ApiCall find_templates_call(const std::string& reference_id) {
  RecordingFilter f;
  f.reference_id = reference_id;  // status_in defaults to every status but deleted
  f.order_by = RecordingOrder::created_at_asc;
  return make_call(kMediaService, "list", list_params(to_wire(f), to_wire(Pager{50, 1})), true);
}

std::vector<Recording> template_roots(const Json& page) {
  std::vector<Recording> roots;
  for (Recording& r : recording_page_from_wire(page).items) {
    if (r.root_entry_id.empty() || r.root_entry_id == r.id) roots.push_back(std::move(r));
  }
  return roots;
}

ApiCall delete_entry_call(const std::string& entry_id) {
  WireJson p = WireJson::object();
  p["entryId"] = entry_id;
  return make_call(kMediaService, "delete", std::move(p), true);
}

bool template_times_conflict(Timestamp s, Timestamp e, Timestamp other_s, Timestamp other_e) {
  // KalturaEntryScheduleEvent::validate (protocol.md J.2), verbatim.
  return (other_s < s && other_e > s) || (other_s < e && other_e > e) || (other_s >= s && other_e <= e);
}

void check_template_sharing(const MeetingSpec& spec, std::size_t index, std::vector<TemplateUse>& seen) {
  const Event& e = spec.event;
  // Checked by the server only for single events with a template and both times (J.2).
  if (!e.template_entry_id || e.template_entry_id->empty() || e.recurrence_type != RecurrenceType::none ||
      !e.start || !e.end) {
    return;
  }
  for (const TemplateUse& u : seen) {
    if (u.entry == *e.template_entry_id && template_times_conflict(*e.start, *e.end, u.start, u.end)) {
      throw ValidationError(
          "event.template_entry_id",
          fmt::format(
              "meeting {} of this batch uses the same template entry '{}' at an overlapping time, which the "
              "server refuses (SCHEDULE_TIME_IN_USE, protocol.md J.2): give each event its own template "
              "(MeetingSpec::record makes one)",
              u.spec + 1, *e.template_entry_id));
    }
  }
  seen.push_back(TemplateUse{*e.template_entry_id, *e.start, *e.end, index});
}

}  // namespace kmeet::detail
