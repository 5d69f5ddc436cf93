#pragma once
/// @file json.hpp
/// Rooms, events and links as JSON text: one object, its fields named as the API names them, in
/// the order the server returns them (`id`, `partnerId`, … `objectType`); unset optional fields are
/// left out. This is what `kmeet room|event|link … --output json` prints, so scripts can read the
/// SDK's objects and the CLI's output alike.
///
///     std::cout << kmeet::to_json(client.rooms().get(kmeet::RoomId(7))) << '\n';

#include <string>

#include "kmeet/export.hpp"
#include "kmeet/model.hpp"

namespace kmeet {

/// `{"id":…,"partnerId":…,"parentId":…,"name":…,"systemName":…,"description":…,"status":…,"tags":…,
/// "createdAt":…,"updatedAt":…,"objectType":…}` (times in Unix seconds, status as its number).
[[nodiscard]] KMEET_EXPORT std::string to_json(const Room& room);
/// `{"id":…,"partnerId":…,"parentId":…,"summary":…,"description":…,"status":…,"startDate":…,
/// "endDate":…,"referenceId":…,"ownerId":…,"recurrenceType":…,"duration":…,"classificationType":…,
/// "location":…,"organizer":…,"priority":…,"sequence":…,"contact":…,"comment":…,"linkedBy":…,
/// "templateEntryId":…,"tags":…,"createdAt":…,"updatedAt":…,"objectType":…}`.
[[nodiscard]] KMEET_EXPORT std::string to_json(const Event& event);
/// `{"eventId":…,"resourceId":…,"partnerId":…,"createdAt":…,"updatedAt":…}`.
[[nodiscard]] KMEET_EXPORT std::string to_json(const EventRoomLink& link);

}  // namespace kmeet
