#include "cli/convert.hpp"

namespace kmeet::cli {
namespace {

std::int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }

template <class T>
void opt(Json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
void opt_time(Json& j, const char* key, const std::optional<Timestamp>& v) {
  if (v) j[key] = secs(*v);
}

}  // namespace

Json to_json(const Room& r) {
  Json j;
  j["id"] = r.id.value();
  if (r.partner_id) j["partnerId"] = r.partner_id->value();
  if (r.parent_id) j["parentId"] = r.parent_id->value();
  j["name"] = r.name;
  opt(j, "systemName", r.system_name);
  opt(j, "description", r.description);
  j["status"] = static_cast<int>(r.status);
  j["tags"] = r.tags;
  opt_time(j, "createdAt", r.created_at);
  opt_time(j, "updatedAt", r.updated_at);
  if (!r.object_type.empty()) j["objectType"] = r.object_type;
  return j;
}

Json to_json(const Event& e) {
  Json j;
  j["id"] = e.id.value();
  if (e.partner_id) j["partnerId"] = e.partner_id->value();
  if (e.parent_id) j["parentId"] = e.parent_id->value();
  j["summary"] = e.summary;
  opt(j, "description", e.description);
  j["status"] = static_cast<int>(e.status);
  opt_time(j, "startDate", e.start);
  opt_time(j, "endDate", e.end);
  opt(j, "referenceId", e.reference_id);
  opt(j, "ownerId", e.owner_id);
  j["recurrenceType"] = static_cast<int>(e.recurrence_type);
  if (e.duration) j["duration"] = e.duration->count();
  if (e.classification) j["classificationType"] = static_cast<int>(*e.classification);
  opt(j, "location", e.location);
  opt(j, "organizer", e.organizer);
  opt(j, "priority", e.priority);
  opt(j, "sequence", e.sequence);
  opt(j, "contact", e.contact);
  opt(j, "comment", e.comment);
  opt(j, "linkedBy", e.linked_by);
  opt(j, "templateEntryId", e.template_entry_id);
  j["tags"] = e.tags;
  opt_time(j, "createdAt", e.created_at);
  opt_time(j, "updatedAt", e.updated_at);
  if (!e.object_type.empty()) j["objectType"] = e.object_type;
  return j;
}

Json to_json(const EventRoomLink& l) {
  Json j;
  j["eventId"] = l.event_id.value();
  j["resourceId"] = l.room_id.value();
  if (l.partner_id) j["partnerId"] = l.partner_id->value();
  opt_time(j, "createdAt", l.created_at);
  opt_time(j, "updatedAt", l.updated_at);
  return j;
}

const std::vector<Column>& room_columns() {
  static const std::vector<Column> c = {
      {"id", "ID"}, {"name", "NAME"}, {"systemName", "SYSTEM NAME"}, {"status", "STATUS"}, {"tags", "TAGS"}};
  return c;
}
const std::vector<Column>& event_columns() {
  static const std::vector<Column> c = {{"id", "ID"},           {"summary", "SUMMARY"}, {"startDate", "START"},
                                        {"endDate", "END"},     {"status", "STATUS"},   {"referenceId", "REFERENCE ID"},
                                        {"tags", "TAGS"}};
  return c;
}
const std::vector<Column>& link_columns() {
  static const std::vector<Column> c = {{"eventId", "EVENT ID"}, {"resourceId", "ROOM ID"}, {"createdAt", "CREATED"}};
  return c;
}

}  // namespace kmeet::cli
