// Rooms, events and links as JSON text (kmeet/json.hpp): the objects as the API returns them.

#include "kmeet/json.hpp"

#include "api/json.hpp"

namespace kmeet {
namespace {

using detail::WireJson;

std::int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }

template <class T>
void opt(WireJson& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
template <class Tag>
void opt(WireJson& j, const char* key, const std::optional<Id<Tag>>& v) {
  if (v) j[key] = v->value();
}
void opt(WireJson& j, const char* key, const std::optional<Timestamp>& v) {
  if (v) j[key] = secs(*v);
}

// The fields rooms and events begin with.
template <class T>
WireJson ids(const T& o) {
  WireJson j;
  j["id"] = o.id.value();
  opt(j, "partnerId", o.partner_id);
  opt(j, "parentId", o.parent_id);
  return j;
}

// The read-only fields every object ends with.
template <class T>
void times_and_type(WireJson& j, const T& o) {
  opt(j, "createdAt", o.created_at);
  opt(j, "updatedAt", o.updated_at);
  if (!o.object_type.empty()) j["objectType"] = o.object_type;
}

}  // namespace

std::string to_json(const Room& r) {
  WireJson j = ids(r);
  j["name"] = r.name;
  opt(j, "systemName", r.system_name);
  opt(j, "description", r.description);
  j["status"] = static_cast<int>(r.status);
  j["tags"] = r.tags;
  times_and_type(j, r);
  return j.dump();
}

std::string to_json(const Event& e) {
  WireJson j = ids(e);
  j["summary"] = e.summary;
  opt(j, "description", e.description);
  j["status"] = static_cast<int>(e.status);
  opt(j, "startDate", e.start);
  opt(j, "endDate", e.end);
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
  times_and_type(j, e);
  return j.dump();
}

std::string to_json(const EventRoomLink& l) {
  WireJson j;
  j["eventId"] = l.event_id.value();
  j["resourceId"] = l.room_id.value();
  opt(j, "partnerId", l.partner_id);
  opt(j, "createdAt", l.created_at);
  opt(j, "updatedAt", l.updated_at);
  return j.dump();
}

}  // namespace kmeet
