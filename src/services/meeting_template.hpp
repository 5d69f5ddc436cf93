#pragma once
// The recording template of a recorded meeting (protocol.md J.1-J.3): the entry as media.add sends
// it, its look-up by key, its deletion, and the overlap rule of J.2 within one batch.

#include <string>
#include <vector>

#include "api/api_client.hpp"
#include "kmeet/meetings.hpp"
#include "model/recording_template.hpp"

namespace kmeet::detail {

/// `media.add` of `t`.
ApiCall template_add_call(const RecordingTemplate& t);
/// `media.list` by `referenceIdEqual` with every status but deleted (a template is NO_CONTENT, which
/// the server's default filter hides, J.3/J.4), 50 per page.
ApiCall find_templates_call(const std::string& reference_id);
/// The root entries of a look-up page: a recording cloned from a template may carry the
/// template's referenceId too (J.4), but its rootEntryId is the template's.
std::vector<Recording> template_roots(const Json& page);
/// `media.delete` of an entry.
ApiCall delete_entry_call(const std::string& entry_id);

/// J.2: does another single event `[other_start, other_end]` of the same template conflict with
/// `[start, end]`? (Touching spans do not; an identical or enclosing one does.)
bool template_times_conflict(Timestamp start, Timestamp end, Timestamp other_start, Timestamp other_end);

/// One event of a batch that names a template entry itself (`event.template_entry_id`).
struct TemplateUse {
  std::string entry;
  Timestamp start;
  Timestamp end;
  std::size_t spec;
};

/// Throws ValidationError (`event.template_entry_id`) when `spec` (the batch's `index`-th) shares a
/// template entry with an earlier event of the batch at a conflicting time (the server would refuse
/// the second with SCHEDULE_TIME_IN_USE, J.2); otherwise records its use in `seen`.
void check_template_sharing(const MeetingSpec& spec, std::size_t index, std::vector<TemplateUse>& seen);

}  // namespace kmeet::detail
