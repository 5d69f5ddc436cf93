#pragma once
// The calls rooms and events share (protocol.md D.2, D.3): add under an idempotency key, and the
// calls by id (get, update, cancel, delete), each validated before anything is sent.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/idempotent.hpp"
#include "services/service_call.hpp"

namespace kmeet::detail {

/// One object service: its id, its object and id parameters, and the names errors use.
struct ObjectService {
  std::string_view what;      ///< e.g. `rooms`
  std::string_view service;   ///< e.g. `schedule_scheduleresource`
  const char* object;         ///< the object parameter, e.g. `scheduleResource`
  const char* id_param;       ///< e.g. `scheduleResourceId`
  std::string_view id_field;  ///< what ValidationError names, e.g. `room_id`
  std::string_view add_call;  ///< `service.add`, as a stopped add reports it (CancelledError)
  std::string_view key_field;  ///< the idempotency key's member, e.g. `system_name`
};
inline constexpr ObjectService kRoomCalls{"rooms",       kRoomService,  "scheduleResource", "scheduleResourceId",
                                          "room_id",     "schedule_scheduleresource.add", "system_name"};
inline constexpr ObjectService kEventCalls{"events",      kEventService, "scheduleEvent", "scheduleEventId",
                                           "event_id",    "schedule_scheduleevent.add", "reference_id"};

/// `add` of `keyed` (already validated, its key `key` set): sent once per attempt, and after an unknown
/// outcome looked up by `find` before it is sent again (services/idempotent.hpp).
template <class T, class Decode>
T add_keyed(const ServiceContext& ctx, const ObjectService& s, const T& keyed, const std::string& key, Decode decode,
            const std::function<std::optional<T>()>& find, std::string_view key_taken) {
  WireJson p = WireJson::object();
  p[s.object] = to_wire(keyed);
  const ApiCall add = make_call(s.service, "add", std::move(p), false);
  return add_idempotent<T>(
      ctx, [&] { return decode(ctx.api.call(add, &one_attempt())); }, find, key_taken,
      AddKey{s.add_call, s.key_field, key});
}

/// `<action>` of object `id` (`get`, `cancel`; safe to repeat), decoded.
template <class Decode>
auto call_by_id(const ServiceContext& ctx, const ObjectService& s, std::string_view action, std::int64_t id,
                Decode decode) {
  validate_id(id, s.id_field);
  return decode(ctx.api.call(make_call(s.service, action, id_param(s.id_param, id), true)));
}

/// `update` of object `id`: sends only what `changes` sets.
template <class Changes, class Decode>
auto update_by_id(const ServiceContext& ctx, const ObjectService& s, std::int64_t id, const Changes& changes,
                  Decode decode) {
  validate_id(id, s.id_field);
  validate(changes);
  WireJson p = id_param(s.id_param, id);
  p[s.object] = to_wire(changes);
  return decode(ctx.api.call(make_call(s.service, "update", std::move(p), true)));
}

/// `delete` of object `id`: the deleted object, or nullopt when the resend after an unknown outcome
/// found it already gone (the first attempt deleted it).
template <class Decode>
auto delete_by_id(const ServiceContext& ctx, const ObjectService& s, std::int64_t id, Decode decode)
    -> std::optional<decltype(decode(std::declval<const Json&>()))> {
  validate_id(id, s.id_field);
  const Json result = ctx.api.call(make_delete(s.service, id_param(s.id_param, id)));
  if (result.is_null()) return std::nullopt;
  return decode(result);
}

}  // namespace kmeet::detail
