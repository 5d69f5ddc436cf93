#pragma once
// The emulator's in-memory world (one partner): schedule objects, logged-out sessions, known
// users, the KAF analytics built from recorded joins and application tokens. Guarded by Emulator's mutex.

#include <cstdint>
#include <map>
#include <unordered_map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common.hpp"

namespace kmeet::emulator {

/// A resource or event: its concrete class and the stored properties (serialized in class order).
struct StoredObject {
  std::string cls;
  Json props = Json::object();
};

struct Link {
  std::int64_t event_id = 0;
  std::int64_t resource_id = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t seq = 0;  ///< insertion order (the default list order)
};

/// One person's presence in a room session.
struct Attendance {
  std::string user_id;        ///< the KS user (third party id)
  std::int64_t newrow_user_id = 0;
  std::string user_type;      ///< "instructor" or "student"
  std::string user_name;
  std::string email;
  std::string role;           ///< viewerRole / adminRole
  std::string contextual_role;
  std::int64_t event_id = 0;
  std::int64_t joined = 0;
  std::int64_t left = 0;
};

/// A contiguous meeting in a room (see docs/emulator.md, "analytics session model").
struct RoomSession {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::vector<Attendance> attendees;
};

struct NewrowUser {
  std::int64_t id = 0;
  std::string third_party_id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string role;  ///< "instructor" / "student"
};

struct Message {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  std::string type;  ///< questions / public / moderators
  std::string third_party_user_id;
  std::string user_name;
  std::string message;
  std::int64_t time = 0;
};

/// An application token (docs/protocol.md I.3): the properties as the API serializes them
/// (`KalturaAppToken`, `hashType` always set), deleted ones included.
struct AppTokenRecord {
  Json props = Json::object();
  std::int64_t seq = 0;         ///< insertion order: the emulator's default list order
  std::int64_t deleted_at = 0;  ///< when `apptoken.delete` ran (0: not deleted)
};

struct State {
  std::int64_t next_resource_id = 1100601;
  std::int64_t next_event_id = 3371011;
  std::int64_t next_link_seq = 1;
  std::int64_t next_session_id = 16772;
  std::int64_t next_newrow_user_id = 500001;
  std::int64_t next_newrow_room_id = 90001;
  std::int64_t next_message_id = 1;
  std::map<std::int64_t, StoredObject> resources;
  std::map<std::int64_t, StoredObject> events;
  std::map<std::pair<std::int64_t, std::int64_t>, Link> links;  ///< (eventId, resourceId)
  std::set<std::string> logged_out;  ///< KS strings ended with session.end
  std::set<std::string> users;       ///< user ids the partner has seen (ownerId filters)
  std::map<std::int64_t, std::int64_t> newrow_rooms;  ///< resource id -> KAF room id
  std::map<std::string, NewrowUser> newrow_users;     ///< by KS user id
  std::vector<RoomSession> sessions;
  std::vector<Message> messages;
  std::int64_t joins = 0;
  /// Media entries (recording templates and recordings, docs/protocol.md J) by entry id; internal
  /// bookkeeping lives in `__`-prefixed properties, which are never serialized.
  std::map<std::string, StoredObject> entries;
  std::int64_t next_entry_seq = 1;
  std::map<std::string, AppTokenRecord> app_tokens;  ///< by id
  std::int64_t next_app_token_seq = 1;
  /// `sessionid` values invalidated by `apptoken.delete` (I.10): a KS carrying one is LOGOUT.
  std::set<std::string> invalidated_session_ids;
  /// Cache for the system-name uniqueness check (not saved): name -> ids of rooms that had that name
  /// when they were indexed. Entries are checked against the room itself on use, so stale ones are
  /// harmless; rooms with ids above `system_names_indexed_upto` are indexed on the next check.
  std::unordered_map<std::string, std::vector<std::int64_t>> system_names;
  std::int64_t system_names_indexed_upto = 0;
  /// The same for event lists filtered by `referenceIdEqual`/`referenceIdIn` (kmeet looks every
  /// meeting's key up: without it a list scans every event): reference id -> event ids.
  std::unordered_map<std::string, std::vector<std::int64_t>> reference_ids;
  std::int64_t reference_ids_indexed_upto = 0;

  /// The resources linked to an event, in the order the links were added.
  [[nodiscard]] std::vector<std::int64_t> linked_resources(std::int64_t event_id) const;

  [[nodiscard]] Json to_json() const;
  static State from_json(const Json& j);
};

}  // namespace kmeet::emulator
